// zarrita 0.7.5 writes a v3 group and arrays through the gateway, then reads them back with its
// own FetchStore: whole arrays, slices, and byte ranges with offset/length and with a suffix.
import * as zarr from "zarrita";
import { HttpPutStore, check, sameArray } from "./http-store.mjs";

const base = process.argv[2];
const writer = new HttpPutStore(base);
const bytes = [{ name: "bytes", configuration: { endian: "little" } }];

console.log("zarrita: writing a v3 group and three arrays through PUT");
const group = await zarr.create(zarr.root(writer).resolve("grp"), { attributes: { made_by: "zarrita" } });

const ints = await zarr.create(group.resolve("ints"), {
  shape: [10, 7], chunkShape: [4, 3], dtype: "int32", codecs: bytes, chunkSeparator: "/", fillValue: 0,
});
const intData = new Int32Array(70).map((_, i) => i * 3 - 50);
await zarr.set(ints, null, { data: intData, shape: [10, 7], stride: [7, 1] });

const floats = await zarr.create(group.resolve("floats"), {
  shape: [20], chunkShape: [6], dtype: "float64", chunkSeparator: ".", fillValue: 0,
  codecs: [...bytes, { name: "zstd", configuration: { level: 3, checksum: false } }],
});
const floatData = new Float64Array(20).map((_, i) => Math.sin(i) * 1e6);
floatData[3] = NaN;
await zarr.set(floats, null, { data: floatData, shape: [20], stride: [1] });

const scalar = await zarr.create(group.resolve("scalar"), { shape: [], chunkShape: [], dtype: "int16", codecs: bytes, fillValue: 0 });
await zarr.set(scalar, null, 42);

console.log("zarrita: reading back with FetchStore");
const reader = new zarr.FetchStore(base);
const readGroup = await zarr.open(zarr.root(reader).resolve("grp"), { kind: "group" });
check(readGroup.attrs.made_by === "zarrita", "group attributes read back");

const readInts = await zarr.open(zarr.root(reader).resolve("grp/ints"), { kind: "array" });
const wholeInts = await zarr.get(readInts);
check(sameArray(wholeInts.data, intData), "int32 2-D array with '/' chunk keys read back whole");
const sliced = await zarr.get(readInts, [zarr.slice(2, 7), zarr.slice(1, 5)]);
const expectedSlice = [];
for (let r = 2; r < 7; r++) for (let c = 1; c < 5; c++) expectedSlice.push(intData[r * 7 + c]);
check(sameArray(Array.from(sliced.data), expectedSlice) && sliced.shape.join() === "5,4", "int32 slice [2:7, 1:5] read back");

const readFloats = await zarr.open(zarr.root(reader).resolve("grp/floats"), { kind: "array" });
check(sameArray((await zarr.get(readFloats)).data, floatData), "float64 array with '.' separator and zstd read back (NaN included)");
check(sameArray(Array.from((await zarr.get(readFloats, [zarr.slice(5, 13)])).data), Array.from(floatData.slice(5, 13))), "float64 slice [5:13] read back");

const readScalar = await zarr.open(zarr.root(reader).resolve("grp/scalar"), { kind: "array" });
const scalarValue = await zarr.get(readScalar);  // a 0-d array reads as its scalar
check((scalarValue?.data ? scalarValue.data[0] : scalarValue) === 42, "0-d array read back");

const listing = await (await fetch(`${base}/grp/`)).json();
check(["floats", "ints", "scalar", "zarr.json"].every((n) => listing.children.includes(n)), `the gateway lists the group: ${listing.children}`);
const chunkKeys = await (await fetch(`${base}/grp/floats/?recursive=true`)).json();
check(chunkKeys.keys.includes("grp/floats/c.0") && chunkKeys.keys.includes("grp/floats/c.3"), "'.'-separated chunk keys are stored as written");

console.log("zarrita: byte ranges as zarrita asks for them");
const chunkKey = "/grp/ints/c/1/1";
const chunk = await reader.get(chunkKey);
const range = await reader.getRange(chunkKey, { offset: 4, length: 8 });
check(sameArray(Array.from(range), Array.from(chunk.slice(4, 12))), "getRange with offset and length");
const suffixStore = new zarr.FetchStore(base, { useSuffixRequest: true });
const suffix = await suffixStore.getRange(chunkKey, { suffixLength: 10 });
check(sameArray(Array.from(suffix), Array.from(chunk.slice(chunk.length - 10))), "getRange with a suffix (useSuffixRequest)");
const headSuffix = await reader.getRange(chunkKey, { suffixLength: 10 });
check(sameArray(Array.from(headSuffix), Array.from(chunk.slice(chunk.length - 10))), "getRange with a suffix (HEAD then range)");
check((await reader.get("/grp/missing/zarr.json")) === undefined, "a missing key reads as undefined");
console.log("zarrita: all checks passed");
