// Creates /conc/arr (16 x 8 int32, one chunk per row) and writes each row's raw chunk bytes to
// <dir>/row-<r>.bin for the curl writers.
import * as zarr from "zarrita";
import { writeFileSync } from "node:fs";
import { HttpPutStore } from "./http-store.mjs";

const [base, dir] = [process.argv[2], process.argv[3]];
await zarr.create(zarr.root(new HttpPutStore(base)).resolve("conc/arr"), {
  shape: [16, 8], chunkShape: [1, 8], dtype: "int32", fillValue: -1,
  codecs: [{ name: "bytes", configuration: { endian: "little" } }],
});
for (let row = 0; row < 16; row++) {
  const values = new Int32Array(8).map((_, c) => row * 100 + c);
  writeFileSync(`${dir}/row-${row}.bin`, Buffer.from(values.buffer));
}
