// zarrita reads, over HTTP, the v2 array zarr-python wrote straight into the node's data directory.
import * as zarr from "zarrita";
import { check } from "./http-store.mjs";

const arr = await zarr.open.v2(zarr.root(new zarr.FetchStore(process.argv[2])).resolve("v2direct"), { kind: "array" });
const data = (await zarr.get(arr)).data;
check(arr.shape.join() === "12,12" && data.every((v, i) => v === i * 7 - 300), "zarrita reads the v2 array from the data directory over HTTP");
