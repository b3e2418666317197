"""Writes Tests/Fixtures/storage-h5py.h5, the h5py-written file that StorageTests reads.

Run from the repository root with a Python that has h5py and numpy:
    /opt/refenv/bin/python Tests/Reference/make_storage_fixture.py
The values are fixed (no randomness); the versions used are recorded as root attributes.
StorageTests/H5pyFixtureTests.swift checks the same values.
"""
import os

import h5py
import numpy as np

path = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "storage-h5py.h5")

with h5py.File(path, "w") as f:
    f.attrs["h5py_version"] = h5py.version.version
    f.attrs["numpy_version"] = np.__version__
    f.attrs["hdf5_version"] = h5py.version.hdf5_version
    f.attrs["title"] = "deep ranking fixture"  # str -> variable-length UTF-8
    f.attrs["learning_rate"] = 0.001  # Python float -> float64 scalar
    f.attrs["seed"] = np.int64(42)
    f.attrs["scales"] = np.array([1.0, 0.5, 0.25])  # float64 array
    f.attrs["fixed"] = np.bytes_("fixed-width")  # fixed-length bytes

    # float32, NCHW (2, 3, 2, 2): value = n*12 + c*4 + h*2 + w, scaled and shifted.
    weights = (np.arange(24, dtype=np.float32) * 0.5 - 3.0).reshape(2, 3, 2, 2)
    f.create_dataset("data/float32_4d", data=weights, track_times=False)
    f["data/float32_4d"].attrs["layout"] = "NCHW"
    f.create_dataset("data/float64", data=np.array([1.0 / 3.0, 2.5, -1.0e10]), track_times=False)
    f.create_dataset("data/int64", data=np.array([-(2**40), 0, 7], dtype=np.int64), track_times=False)
    f.create_dataset("data/int16", data=np.array([[1, -2], [300, -400]], dtype=np.int16), track_times=False)
    f.create_dataset("data/scalar", data=np.float64(2.75), track_times=False)
    f.create_dataset("data/empty", data=np.zeros((0, 3), dtype=np.float32), track_times=False)
    f.create_dataset("text", data="déjà vu: fine-grained ✓", track_times=False)  # vlen UTF-8
    f.create_dataset("nested/a/b/leaf", data=np.array([5, 6, 7], dtype=np.int32), track_times=False)
    f.create_group("nested/empty_group")

print("wrote", os.path.normpath(path), os.path.getsize(path), "bytes")
