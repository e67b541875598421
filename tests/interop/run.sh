#!/usr/bin/env bash
# The interop suite: real Zarr clients nobody on this team wrote, against a real host process.
#   bash tests/interop/run.sh <path to Host.dll>   (ArrayInterop.dll, the .NET array client, lies beside it)
# Installs what it needs (Debian packages, then npm ci), so a fresh machine needs nothing by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
host_dll="${1:?usage: run.sh <path to Host.dll>}"
work="$(mktemp -d)"
host_pid=""
page_pid=""
cleanup() {
  [ -n "$page_pid" ] && kill "$page_pid" 2>/dev/null || true
  [ -n "$host_pid" ] && kill -TERM "$host_pid" 2>/dev/null && wait "$host_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }

step "installing the clients"
missing=()
for package in python3-zarr chromium curl; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "apt-get install ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log"; echo "FAILED: apt-get install ${missing[*]}"; exit 1; }
fi
# Debian's zarr lives beside Debian's own python, whatever python3 comes first on PATH.
python=/usr/bin/python3
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$here" && npx esbuild browser/entry.mjs --bundle --format=esm --platform=browser --log-level=warning --outfile=browser/bundle.js)
echo "zarrita $(node -p "require('$here/node_modules/zarrita/package.json').version"), zarr-python $($python -c 'import zarr; print(zarr.__version__)'), $(/usr/bin/chromium --version)"

step "zarr-python writes a v2 array straight into the data directory, before the node starts"
mkdir -p "$work/data"
$python "$here/zarr_v2.py" prepare "$work/data"

step "starting the host"
dotnet "$host_dll" --data "$work/data" --http 127.0.0.1:0 --port 0 >"$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$work/host.log" && break
  kill -0 "$host_pid" 2>/dev/null || { cat "$work/host.log"; echo "FAILED: the host exited"; exit 1; }
  sleep 0.5
done
url="$(grep -o 'http://[0-9.:]*' "$work/host.log" | head -1)"
[ -n "$url" ] || { cat "$work/host.log"; echo "FAILED: the host did not print its URL"; exit 1; }
echo "host at $url"

step "zarrita 0.7.5: v3 group and arrays written with PUT, read with FetchStore, byte ranges"
node "$here/zarrita-roundtrip.mjs" "$url"

step "Zarr.Arrays (.NET) and zarrita 0.7.5: each reads the v3 arrays the other wrote, element for element"
node "$here/zarrita-arrays.mjs" write "$url" "$work"
dotnet "$(dirname "$host_dll")/ArrayInterop.dll" "$url" "$work"
node "$here/zarrita-arrays.mjs" check "$url" "$work"

step "curl merges inner chunks into a shard (PATCH, one multipart part each), zarrita reads the array"
# 4 x 4 uint8 in one shard of 2 x 2 inner chunks of 2 x 2 (raw bytes), index at the end with its crc32c.
printf '%s' '{"zarr_format":3,"node_type":"array","shape":[4,4],"data_type":"uint8","fill_value":0,
  "chunk_grid":{"name":"regular","configuration":{"chunk_shape":[4,4]}},
  "chunk_key_encoding":{"name":"default","configuration":{"separator":"/"}},
  "codecs":[{"name":"sharding_indexed","configuration":{"chunk_shape":[2,2],"codecs":[{"name":"bytes"}],
    "index_codecs":[{"name":"bytes","configuration":{"endian":"little"}},{"name":"crc32c"}],"index_location":"end"}}]}' >"$work/merge.json"
curl -sS -f -o /dev/null -X PUT --data-binary "@$work/merge.json" "$url/merge/arr/zarr.json"
printf '\x01\x02\x03\x04' >"$work/top-left.bin"; printf '\x05\x06\x07\x08' >"$work/bottom-right.bin"; printf '\x09\x0a\x0b\x0c' >"$work/top-right.bin"
# The layout from the array's zarr.json, then given in the query (and an empty part: "1,0" stays empty).
first="$(cd "$work" && curl -sS -o /dev/null -w '%{http_code}' -X PATCH -F '0,0=@top-left.bin' -F '1,1=@bottom-right.bin' "$url/merge/arr/c/0/0")"
second="$(cd "$work" && curl -sS -o /dev/null -w '%{http_code}' -X PATCH -F '0,1=@top-right.bin' -F '1,0=' "$url/merge/arr/c/0/0?chunks=2,2&index=end&checksum=crc32c")"
[ "$first $second" = "201 204" ] || { echo "FAILED: the merges answered $first and $second, not 201 and 204"; exit 1; }
bad="$(curl -sS -o "$work/bad.json" -w '%{http_code}' -X PATCH -F "2,0=@$work/top-left.bin" "$url/merge/arr/c/0/0")"
[ "$bad" = "400" ] && grep -q 'part \\"2,0\\"' "$work/bad.json" || { cat "$work/bad.json"; echo "FAILED: a position outside the shard answered $bad"; exit 1; }
echo "  ok: 201, then 204, then 400 for a position outside the shard"
node "$here/zarrita-merge.mjs" "$url"

step "zarr-python 2.13: v2 arrays over HTTP (read-only, and through a PUT/DELETE mapping)"
$python "$here/zarr_v2.py" check "$url"

step "zarrita reads the v2 array zarr-python wrote into the data directory"
node "$here/zarrita-read-v2.mjs" "$url"

step "16 concurrent client processes (8 zarrita, 8 curl) write disjoint chunks of one array"
node "$here/concurrent-setup.mjs" "$url" "$work"
pids=()
for row in $(seq 0 15); do
  if [ $((row % 2)) -eq 0 ]; then
    node "$here/zarrita-chunk-writer.mjs" "$url" "$row" &
  else
    curl -sS -f -o /dev/null -X PUT --data-binary "@$work/row-$row.bin" "$url/conc/arr/c/$row/0" &
  fi
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || { echo "FAILED: a concurrent writer failed"; exit 1; }; done
node "$here/concurrent-check.mjs" "$url"

step "16 concurrent curl processes race If-None-Match: * on one key"
racers=()
for i in $(seq 0 15); do
  curl -sS -o /dev/null -w "%{http_code} $i\n" -X PUT -H 'If-None-Match: *' --data-binary "racer $i" "$url/conc/race/zarr.json" >"$work/race-$i" &
  racers+=($!)
done
# Only the racers: a bare wait would also wait for the host, which runs in the background too.
wait "${racers[@]}"
winners="$(cat "$work"/race-* | awk '$1 == 201' | wc -l)"
refused="$(cat "$work"/race-* | awk '$1 == 412' | wc -l)"
[ "$winners" -eq 1 ] && [ "$refused" -eq 15 ] || { cat "$work"/race-*; echo "FAILED: expected one 201 and fifteen 412"; exit 1; }
winner="$(cat "$work"/race-* | awk '$1 == 201 {print $2}')"
[ "$(curl -sS "$url/conc/race/zarr.json")" = "racer $winner" ] || { echo "FAILED: the stored value is not the winner's"; exit 1; }
echo "  ok: exactly one 201 (racer $winner), fifteen 412, and the stored value is the winner's"

step "a browser on another origin reads the array through CORS (headless Chromium, playwright-core)"
node "$here/serve-page.mjs" >"$work/page.log" 2>&1 &
page_pid=$!
for _ in $(seq 1 40); do grep -q "page http" "$work/page.log" && break; sleep 0.25; done
page="$(grep -o 'http://[0-9.:]*/' "$work/page.log" | head -1)"
node "$here/browser-check.mjs" "$page" "$url"

step "all interop checks passed"
