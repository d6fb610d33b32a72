"""Checksums of every dataset in a p3sim result file: the bytes of its values, never its attributes
(provenance attributes carry the time, host and commit, which differ between builds by design).

    python3 tests/python/dataset_checksums.py FILE.h5      # prints {"/path": "sha256", ...}

Used by test_bundled_bytes.py to hold the bundled sweeps to the bytes recorded in
tests/data/bundled_sweep_checksums.json (made by the commit before the layout change).
"""
import hashlib
import json
import sys

import h5py
import numpy as np


def dataset_checksums(path):
    sums = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            if isinstance(data, np.ndarray) and data.dtype.kind == "O":
                # variable-length strings: their text, never the addresses of the Python objects
                raw = b"\0".join(v if isinstance(v, bytes) else str(v).encode() for v in data.ravel())
            elif isinstance(data, np.ndarray):
                raw = np.ascontiguousarray(data).tobytes()
            elif isinstance(data, bytes):
                raw = data
            else:
                raw = np.asarray(data).tobytes()
            digest = hashlib.sha256(str(obj.dtype).encode() + str(obj.shape).encode() + raw)
            sums["/" + name] = digest.hexdigest()

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return sums


if __name__ == "__main__":
    print(json.dumps(dataset_checksums(sys.argv[1]), indent=1, sort_keys=True))
