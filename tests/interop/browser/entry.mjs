// Bundled with esbuild into the page: reads an array from the gateway (another origin) with
// zarrita's FetchStore, whole and through a byte range, so CORS and preflights are exercised.
import * as zarr from "zarrita";

window.readFromGateway = async (base) => {
  const store = new zarr.FetchStore(base, { useSuffixRequest: true });
  const arr = await zarr.open(zarr.root(store).resolve("grp/ints"), { kind: "array" });
  const whole = await zarr.get(arr);
  const slice = await zarr.get(arr, [zarr.slice(2, 7), zarr.slice(1, 5)]);
  const tail = await store.getRange("/grp/ints/c/1/1", { suffixLength: 8 });
  const missing = await store.get("/grp/missing/zarr.json");
  return {
    shape: arr.shape,
    sum: Array.from(whole.data).reduce((a, b) => a + b, 0),
    slice: Array.from(slice.data),
    tailLength: tail.length,
    missing: missing === undefined,
  };
};
