// Arrays between zarrita 0.7.5 and Zarr.Arrays (.NET), through the gateway, both ways:
//   node zarrita-arrays.mjs write <url> <work>   zarrita writes arrays under zw/ and <work>/zarrita-arrays.json
//   node zarrita-arrays.mjs check <url> <work>   zarrita reads the arrays .NET wrote under dn/, per <work>/dotnet-arrays.json
// A manifest lists each array's path, data type, shape and expected elements (little-endian, C order, base64).
import { readFileSync, writeFileSync } from "node:fs";
import * as zarr from "zarrita";
import { HttpPutStore, check } from "./http-store.mjs";

const [mode, base, work] = process.argv.slice(2);

const typed = {
  int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array,
  float32: Float32Array, float64: Float64Array,
};

function bytesOf(data) {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

// The elements of what zarr.get returned, in C order (zarrita may hand back another stride order).
function cOrderBytes({ data, shape, stride }) {
  const size = shape.reduce((a, b) => a * b, 1);
  const item = data.BYTES_PER_ELEMENT;
  const from = bytesOf(data);
  const out = new Uint8Array(size * item);
  const cStrides = stridesOf(shape);
  for (let i = 0; i < size; i++) {
    let at = 0;
    for (let axis = 0; axis < shape.length; axis++) at += (Math.floor(i / cStrides[axis]) % shape[axis]) * stride[axis];
    out.set(from.subarray(at * item, at * item + item), i * item);
  }
  return out;
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function stridesOf(shape) {
  const strides = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

// Writes the box [[start, stop], ...] with generated values, and the same into the expected array.
async function writeBox(arr, expected, box, value) {
  const shape = box.map(([start, stop]) => stop - start);
  const size = shape.reduce((a, b) => a * b, 1);
  const Ctor = arr.dtype === "bool" ? zarr.BoolArray : typed[arr.dtype];
  const data = new Ctor(size);
  const boxStrides = stridesOf(shape);
  const arrayStrides = stridesOf(arr.shape);
  for (let i = 0; i < size; i++) {
    let at = 0;
    for (let axis = 0; axis < shape.length; axis++) {
      at += (box[axis][0] + Math.floor(i / boxStrides[axis]) % shape[axis]) * arrayStrides[axis];
    }
    const v = value(i);
    if (arr.dtype === "bool") data.set(i, v); else data[i] = v;
    if (arr.dtype === "bool") expected.set(at, v); else expected[at] = v;
  }
  await zarr.set(arr, box.map(([start, stop]) => zarr.slice(start, stop)), { data, shape, stride: boxStrides });
}

async function writeAll() {
  const store = new HttpPutStore(base);
  const root = zarr.root(store);
  await zarr.create(root.resolve("zw"), { attributes: { made_by: "zarrita" } });
  const specs = [
    { path: "zw/ints", dtype: "int32", shape: [10, 7], chunkShape: [4, 3], fillValue: -3,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
      boxes: [[[2, 5], [0, 7]], [[7, 10], [1, 4]]], value: (i) => i * 37 - 500 },
    { path: "zw/f64_be_zstd", dtype: "float64", shape: [20], chunkShape: [6], fillValue: NaN, chunkSeparator: ".",
      codecs: [{ name: "bytes", configuration: { endian: "big" } }, { name: "zstd", configuration: { level: 3, checksum: false } }],
      boxes: [[[0, 20]]], value: (i) => (i % 7 === 3 ? NaN : Math.sin(i) * 1e6) },
    { path: "zw/u16_transpose", dtype: "uint16", shape: [6, 8], chunkShape: [3, 4], fillValue: 9,
      codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes", configuration: { endian: "little" } }],
      boxes: [[[0, 6], [0, 5]]], value: (i) => i * 1009 % 65536 },
    { path: "zw/bool", dtype: "bool", shape: [5, 3], chunkShape: [2, 2], fillValue: false,
      codecs: [{ name: "bytes" }], boxes: [[[0, 5], [0, 3]]], value: (i) => i % 3 === 0 },
    { path: "zw/int8_null_fill", dtype: "int8", shape: [7], chunkShape: [3],
      codecs: [{ name: "bytes" }], boxes: [[[3, 6]]], value: (i) => -i - 1 },
    { path: "zw/f32_3d_zstd", dtype: "float32", shape: [4, 4, 4], chunkShape: [2, 2, 2], fillValue: 0.5,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "zstd", configuration: { level: 1, checksum: true } }],
      boxes: [[[0, 4], [1, 3], [0, 4]]], value: (i) => i / 4 - 3 },
  ];
  const manifest = [];
  for (const spec of specs) {
    const arr = await zarr.create(root.resolve(spec.path), {
      shape: spec.shape, chunkShape: spec.chunkShape, dtype: spec.dtype, codecs: spec.codecs,
      fillValue: spec.fillValue, chunkSeparator: spec.chunkSeparator ?? "/",
    });
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const expected = spec.dtype === "bool" ? new zarr.BoolArray(size) : new typed[spec.dtype](size);
    if (spec.dtype === "bool") for (let i = 0; i < size; i++) expected.set(i, spec.fillValue);
    else expected.fill(spec.fillValue ?? 0);
    for (const box of spec.boxes) await writeBox(arr, expected, box, spec.value);
    manifest.push({ path: spec.path, dtype: spec.dtype, shape: spec.shape, data: Buffer.from(bytesOf(expected)).toString("base64") });
    console.log(`  ok: zarrita wrote ${spec.path} (${spec.dtype} ${JSON.stringify(spec.shape)}, ${spec.codecs.map((c) => c.name).join(" + ")})`);
  }
  writeFileSync(`${work}/zarrita-arrays.json`, JSON.stringify({ arrays: manifest }));
}

async function checkAll() {
  const { arrays } = JSON.parse(readFileSync(`${work}/dotnet-arrays.json`, "utf8"));
  const reader = zarr.root(new zarr.FetchStore(base));
  for (const entry of arrays) {
    const arr = await zarr.open(reader.resolve(entry.path), { kind: "array" });
    check(arr.dtype === entry.dtype && JSON.stringify(arr.shape) === JSON.stringify(entry.shape),
      `${entry.path} opens as ${entry.dtype} ${JSON.stringify(entry.shape)}`);
    const expected = new Uint8Array(Buffer.from(entry.data, "base64"));
    const got = await zarr.get(arr);
    const actual = entry.shape.length === 0 ? bytesOf(new typed[entry.dtype]([got?.data ? got.data[0] : got])) : cOrderBytes(got);
    check(sameBytes(actual, expected), `zarrita reads ${entry.path} (${entry.codecs}) with exactly the values .NET wrote`);
    if (entry.slice) {
      const selection = entry.slice.map(([start, stop]) => zarr.slice(start, stop));
      const part = await zarr.get(arr, selection);
      const sliceExpected = new Uint8Array(Buffer.from(entry.sliceData, "base64"));
      check(sameBytes(cOrderBytes(part), sliceExpected), `zarrita reads the slice ${JSON.stringify(entry.slice)} of ${entry.path}`);
    }
  }
}

if (mode === "write") await writeAll();
else if (mode === "check") await checkAll();
else throw new Error(`usage: zarrita-arrays.mjs write|check <url> <work>`);
