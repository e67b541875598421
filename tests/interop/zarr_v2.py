"""zarr-python 2.13 (Debian's python3-zarr) against the gateway.

  prepare <dir>   write a v2 array straight into a node's data directory (before the node starts)
  check <url>     read that array over HTTP read-only; write a v2 array through a PUT/DELETE
                  mapping and read it back
"""
import json
import sys
import urllib.error
import urllib.request
from collections.abc import MutableMapping

import numpy as np
import zarr

EXPECTED = np.arange(144, dtype="<i4").reshape(12, 12) * 7 - 300


class HttpMapping(MutableMapping):
    """The smallest zarr v2 store over the gateway: GET, PUT, DELETE and the recursive listing."""

    def __init__(self, base, read_only=False):
        self.base = base.rstrip("/")
        self.read_only = read_only

    def _request(self, method, key, body=None):
        request = urllib.request.Request(f"{self.base}/{key}", data=body, method=method)
        try:
            with urllib.request.urlopen(request) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def __getitem__(self, key):
        status, body = self._request("GET", key)
        if status == 404:
            raise KeyError(key)
        if status != 200:
            raise OSError(f"GET {key}: HTTP {status} {body[:200]!r}")
        return body

    def __setitem__(self, key, value):
        if self.read_only:
            raise PermissionError("read-only mapping")
        status, body = self._request("PUT", key, bytes(value))
        if status not in (201, 204):
            raise OSError(f"PUT {key}: HTTP {status} {body[:200]!r}")

    def __delitem__(self, key):
        status, body = self._request("DELETE", key)
        if status != 204:
            raise OSError(f"DELETE {key}: HTTP {status} {body[:200]!r}")

    def __iter__(self):
        status, body = self._request("GET", "?recursive=true")
        return iter(json.loads(body)["keys"])

    def __len__(self):
        return sum(1 for _ in self)


def ok(message):
    print(f"  ok: {message}", flush=True)


def prepare(directory):
    print(f"zarr-python {zarr.__version__}: writing a v2 array into {directory}/v2direct", flush=True)
    array = zarr.open(zarr.DirectoryStore(f"{directory}/v2direct"), mode="w", shape=(12, 12), chunks=(5, 5), dtype="<i4", compressor=None, fill_value=0)
    array[:] = EXPECTED


def check(base):
    print(f"zarr-python {zarr.__version__}: reading and writing v2 arrays over HTTP", flush=True)
    direct = zarr.open_array(HttpMapping(base, read_only=True), path="v2direct", mode="r")
    assert direct.shape == (12, 12), direct.shape
    assert np.array_equal(direct[:], EXPECTED), "v2 array from the data directory differs"
    ok("a v2 array written into the data directory reads back over HTTP, read-only")
    assert np.array_equal(direct[3:9, 2:11], EXPECTED[3:9, 2:11])
    ok("a slice of it reads back over HTTP")

    store = HttpMapping(base)
    written = zarr.open_array(store, path="py/written", mode="w", shape=(9, 4), chunks=(4, 4), dtype="<f8", compressor=None, fill_value=float("nan"))
    values = np.linspace(-1.0, 1.0, 36).reshape(9, 4)
    written[:] = values
    again = zarr.open_array(HttpMapping(base, read_only=True), path="py/written", mode="r")
    assert np.array_equal(again[:], values), "v2 array written through PUT differs"
    ok("a v2 array written through the PUT mapping reads back")
    assert "py/written/.zarray" in list(store), "listing lacks the array's metadata"
    del store["py/written/2.0"]
    assert np.isnan(zarr.open_array(HttpMapping(base), path="py/written", mode="r")[8, 0]), "deleted chunk should read as the fill value"
    ok("DELETE through the mapping removes a chunk (it reads back as the fill value)")


if __name__ == "__main__":
    {"prepare": prepare, "check": check}[sys.argv[1]](sys.argv[2])
