return await Zarr.Actors.Bench.Bench.RunAsync(args);
