#!/usr/bin/env python3
"""Writes Tests/Fixtures/preprocessing.h5: PyTorch reference values for the Swift
resize (Sources/DatasetKit/Preprocessing/Resize.swift).

Semantics pinned down here:
- area    = F.interpolate(x, size, mode="area"), i.e. F.adaptive_avg_pool2d: output
            pixel i along an axis averages input pixels floor(i*in/out) ..<
            ceil((i+1)*in/out), also for non-integer ratios and for out > in.
- bilinear = F.interpolate(x, size, mode="bilinear", align_corners=False,
            antialias=False): source coordinate (i + 0.5) * in/out - 0.5, clamped
            below at 0, neighbours clamped at the last pixel.
- automatic (the Swift default) chooses per axis: area along an axis that shrinks or
            keeps its size, bilinear along an axis that grows. Both filters are
            separable, so the reference is area along H (size (outH, inW)) followed
            by bilinear along W (size (outH, outW)) or the other way round; the
            script checks that the two orders agree.

Inputs are drawn as float32 in [0, 1) from one seeded numpy Generator, computed in
float64 by PyTorch and stored as float32 `[C, H, W]`. Every case is a group
`/resize/<case>` with datasets `input` and `output` and attributes `mode`
("area", "bilinear" or "automatic"), `out_height`, `out_width`.

Run from the repository root:
    /opt/refenv/bin/python Tests/Reference/make_preprocessing_fixtures.py
"""

import os
import platform
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F

SEED = 20140624
GENERATOR = "Tests/Reference/make_preprocessing_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "preprocessing.h5")

rng = np.random.default_rng(SEED)

# (name, channels, in_h, in_w, out_h, out_w, mode)
CASES = [
    ("area_half", 3, 16, 16, 8, 8, "area"),
    ("area_non_integer", 3, 13, 17, 5, 7, "area"),
    ("area_non_integer_2", 3, 29, 23, 11, 10, "area"),
    ("area_to_one_pixel", 3, 13, 17, 1, 1, "area"),
    ("area_to_one_row", 3, 13, 17, 1, 9, "area"),
    ("area_forced_upscale", 3, 5, 7, 11, 16, "area"),
    ("bilinear_up", 3, 5, 7, 11, 16, "bilinear"),
    ("bilinear_up_square", 3, 4, 4, 9, 9, "bilinear"),
    ("bilinear_from_one_pixel", 3, 1, 1, 3, 4, "bilinear"),
    ("bilinear_forced_downscale", 3, 13, 17, 5, 7, "bilinear"),
    ("bilinear_forced_to_one_pixel", 3, 13, 17, 1, 1, "bilinear"),
    ("automatic_down", 3, 13, 17, 5, 7, "automatic"),
    ("automatic_up", 3, 5, 7, 11, 16, "automatic"),
    ("automatic_same_size", 3, 6, 6, 6, 6, "automatic"),
    ("automatic_shrink_h_grow_w", 3, 13, 5, 7, 11, "automatic"),
    ("automatic_grow_h_shrink_w", 3, 4, 15, 10, 6, "automatic"),
    ("automatic_one_channel", 1, 9, 9, 4, 4, "automatic"),
]


def area(x, size):
    return F.interpolate(x, size=size, mode="area")


def bilinear(x, size):
    return F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=False)


def automatic(x, out_h, out_w):
    in_h, in_w = x.shape[-2:]
    along_h = area if out_h <= in_h else bilinear
    along_w = area if out_w <= in_w else bilinear
    h_first = along_w(along_h(x, (out_h, in_w)), (out_h, out_w))
    w_first = along_h(along_w(x, (in_h, out_w)), (out_h, out_w))
    assert torch.allclose(h_first, w_first, atol=1e-12), "separable filters must commute"
    return h_first


def check_area_is_adaptive_pooling(x, out_h, out_w):
    """Checks F.interpolate(mode="area") against the written-out window formula."""
    in_h, in_w = x.shape[-2:]
    y = torch.empty(x.shape[0], x.shape[1], out_h, out_w, dtype=x.dtype)
    for i in range(out_h):
        h0, h1 = (i * in_h) // out_h, -((-(i + 1) * in_h) // out_h)
        for j in range(out_w):
            w0, w1 = (j * in_w) // out_w, -((-(j + 1) * in_w) // out_w)
            y[:, :, i, j] = x[:, :, h0:h1, w0:w1].mean(dim=(2, 3))
    assert torch.allclose(y, area(x, (out_h, out_w)), atol=1e-12), "area != adaptive average pooling"


def main():
    torch.set_default_dtype(torch.float64)
    with h5py.File(OUTPUT, "w", libver=("v108", "v108")) as f:
        f.attrs["generator"] = GENERATOR
        f.attrs["seed"] = np.int64(SEED)
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["numpy_version"] = np.__version__
        f.attrs["h5py_version"] = h5py.__version__
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.attrs["python_version"] = platform.python_version()
        root = f.create_group("resize")
        for name, channels, in_h, in_w, out_h, out_w, mode in CASES:
            image = rng.random((channels, in_h, in_w), dtype=np.float32)
            x = torch.tensor(image, dtype=torch.float64).unsqueeze(0)
            if mode == "area":
                check_area_is_adaptive_pooling(x, out_h, out_w)
                y = area(x, (out_h, out_w))
            elif mode == "bilinear":
                y = bilinear(x, (out_h, out_w))
            else:
                y = automatic(x, out_h, out_w)
            g = root.create_group(name)
            g.create_dataset("input", data=image)
            g.create_dataset("output", data=y.squeeze(0).numpy().astype(np.float32))
            g.attrs["mode"] = mode
            g.attrs["out_height"] = np.int64(out_h)
            g.attrs["out_width"] = np.int64(out_w)
    print(f"wrote {os.path.normpath(OUTPUT)} ({os.path.getsize(OUTPUT)} bytes, {len(CASES)} cases)", file=sys.stderr)


if __name__ == "__main__":
    main()
