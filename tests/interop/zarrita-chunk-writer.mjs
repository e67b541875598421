// One of the concurrent writers: writes row <row> of /conc/arr with zarrita (a region write).
import * as zarr from "zarrita";
import { HttpPutStore } from "./http-store.mjs";

const [base, row] = [process.argv[2], Number(process.argv[3])];
const arr = await zarr.open(zarr.root(new HttpPutStore(base)).resolve("conc/arr"), { kind: "array" });
const data = new Int32Array(8).map((_, c) => row * 100 + c);
await zarr.set(arr, [row, null], { data, shape: [8], stride: [1] });
