// A zarrita store that writes through the gateway with PUT and reads with GET (zarrita's own
// FetchStore is read-only); keys are zarrita's absolute paths ("/grp/arr/zarr.json").
export class HttpPutStore {
  constructor(base) {
    this.base = base.replace(/\/$/, "");
  }

  async get(key) {
    const response = await fetch(this.base + key);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${key}: HTTP ${response.status} ${await response.text()}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async set(key, value) {
    const response = await fetch(this.base + key, { method: "PUT", body: value });
    if (!response.ok) throw new Error(`PUT ${key}: HTTP ${response.status} ${await response.text()}`);
  }
}

export function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
  console.log(`  ok: ${message}`);
}

export function sameArray(actual, expected) {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) return false;
  }
  return true;
}
