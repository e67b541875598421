// zarrita 0.7.5 reads the sharded array whose inner chunks curl merged with PATCH (run.sh's merge step).
import * as zarr from "zarrita";
import { check, sameArray } from "./http-store.mjs";

const arr = await zarr.open(zarr.root(new zarr.FetchStore(process.argv[2])).resolve("merge/arr"), { kind: "array" });
const data = (await zarr.get(arr)).data;
// Inner chunk (0,0) = 1..4, (0,1) = 9..12, (1,1) = 5..8, (1,0) never written (fill value 0); 2 x 2 each, C order.
const expected = [1, 2, 9, 10, 3, 4, 11, 12, 0, 0, 5, 6, 0, 0, 7, 8];
check(sameArray(data, expected), "zarrita reads every inner chunk curl merged into the shard, and the fill value elsewhere");
