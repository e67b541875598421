// Reads /conc/arr back with FetchStore: every row must be exactly what its writer wrote.
import * as zarr from "zarrita";
import { check, sameArray } from "./http-store.mjs";

const arr = await zarr.open(zarr.root(new zarr.FetchStore(process.argv[2])).resolve("conc/arr"), { kind: "array" });
const whole = await zarr.get(arr);
const expected = new Int32Array(128).map((_, i) => Math.floor(i / 8) * 100 + (i % 8));
check(sameArray(whole.data, expected), "16 concurrent writers (8 zarrita, 8 curl): the array read back is exactly what was written");
