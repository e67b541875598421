Console.WriteLine("Zarr.Actors host: the node and its HTTP gateway are not built yet.");
