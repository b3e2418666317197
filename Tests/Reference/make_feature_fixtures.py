#!/usr/bin/env python3
"""Writes Tests/Fixtures/features.h5: scikit-image reference values for the Swift
hand-crafted features (Sources/Features/HOG.swift, LocalBinaryPattern.swift).

References (scikit-image, version recorded in the file):
- HOG  = skimage.feature.hog(image, orientations, pixels_per_cell, cells_per_block,
         block_norm, transform_sqrt=False, feature_vector=True[, channel_axis=-1]).
         skimage 0.26 computes gradients in the image dtype (float32 here), orientation
         and magnitude in float64, votes without interpolation into float64 bin bounds
         180/n*i, sums each cell in float32 and divides it by the cell area, normalises
         blocks in float64 and returns float32. The script checks the installed
         _hoghistogram against these conventions (full odd-sized cells, division by the
         area, float64 bounds) before writing, so a changed skimage fails loudly.
- LBP  = skimage.feature.local_binary_pattern(image, P, R, method="uniform") (float64
         codes 0..P+1, stored as uint8), and its histogram
         np.bincount(codes, minlength=P+2) / codes.size (float32).

Images are float32 in [0, 1] from one seeded numpy Generator: uniform noise, smooth
structured scenes (gradients, discs, oriented stripes), and a piecewise-constant image
quantised to k/255 with exact horizontal, vertical and 45-degree edges (orientations
exactly on 0, 90 and 45 degrees, zero gradients). Gray images are stored as [H, W];
the colour image as [C, H, W] (the Swift layout; skimage gets it as [H, W, C]).

Layout:
  /images/<name>                     float32 image
  /hog/<case>/features               float32, attributes image, orientations,
                                     pixels_per_cell, cells_per_block, block_norm,
                                     channel_axis (-1 for colour, absent for gray)
  /lbp/<image>/codes                 uint8 [H, W]; /lbp/<image>/histogram float32 [P+2];
                                     attributes points, radius

Run from the repository root:
    /opt/refenv/bin/python Tests/Reference/make_feature_fixtures.py
"""

import os
import platform
import sys
import warnings

import h5py
import numpy as np
import skimage
from skimage.feature import hog, local_binary_pattern

SEED = 20140623
GENERATOR = "Tests/Reference/make_feature_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "features.h5")

rng = np.random.default_rng(SEED)


def structured(h, w):
    """Smooth scene: a linear ramp, two soft discs and oriented stripes, plus faint noise."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    image = 0.3 * x / w + 0.2 * y / h
    for _ in range(2):
        cy, cx, r = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.15, 0.35) * min(h, w)
        image += 0.35 / (1 + np.exp((np.hypot(y - cy, x - cx) - r) / 1.5))
    angle, period = rng.uniform(0, np.pi), rng.uniform(5, 11)
    image += 0.15 * np.sin(2 * np.pi * (x * np.cos(angle) + y * np.sin(angle)) / period)
    image += 0.02 * rng.standard_normal((h, w))
    image = (image - image.min()) / (image.max() - image.min())
    return image.astype(np.float32)


def steps(h, w):
    """Piecewise constant, values k/255: rectangles and a 45-degree half-plane."""
    y, x = np.mgrid[0:h, 0:w]
    image = np.full((h, w), 40, dtype=np.int64)
    image[h // 4: 3 * h // 4, w // 5: w // 2] = 200
    image[:, 3 * w // 4:] = 120
    image[(x - y) > w // 3] += 30
    return (image.clip(0, 255) / 255).astype(np.float32)


def colour(h, w):
    """Three different structured planes, [C, H, W]."""
    return np.stack([structured(h, w) for _ in range(3)])


IMAGES = {
    "random_64x64": rng.random((64, 64), dtype=np.float32),
    "structured_64x64": structured(64, 64),
    "random_48x40": rng.random((48, 40), dtype=np.float32),
    "structured_48x40": structured(48, 40),
    "steps_40x56": steps(40, 56),
    "colour_32x48": colour(32, 48),
}

# (case, image, orientations, pixels_per_cell, cells_per_block, block_norm)
HOG_CASES = [
    ("dalal_triggs_random_64x64", "random_64x64", 9, (8, 8), (2, 2), "L2-Hys"),
    ("dalal_triggs_structured_64x64", "structured_64x64", 9, (8, 8), (2, 2), "L2-Hys"),
    ("dalal_triggs_random_48x40", "random_48x40", 9, (8, 8), (2, 2), "L2-Hys"),
    ("dalal_triggs_structured_48x40", "structured_48x40", 9, (8, 8), (2, 2), "L2-Hys"),
    ("dalal_triggs_steps_40x56", "steps_40x56", 9, (8, 8), (2, 2), "L2-Hys"),
    ("dalal_triggs_colour_32x48", "colour_32x48", 9, (8, 8), (2, 2), "L2-Hys"),
    ("l1_o8_c6x5_b3x2_structured_48x40", "structured_48x40", 8, (6, 5), (3, 2), "L1"),
    ("l2_o12_c7_b2_steps_40x56", "steps_40x56", 12, (7, 7), (2, 2), "L2"),
    ("l1sqrt_o6_c4_b1_random_48x40", "random_48x40", 6, (4, 4), (1, 1), "L1-sqrt"),
    ("l2hys_o7_c8_b2_structured_64x64", "structured_64x64", 7, (8, 8), (2, 2), "L2-Hys"),
]

LBP_IMAGES = ["random_64x64", "structured_64x64", "random_48x40", "structured_48x40", "steps_40x56"]
LBP_P, LBP_R = 8, 1


def check_hog_conventions():
    """Probes skimage's cell histogram kernel with single-pixel gradients."""
    from skimage.feature import _hoghistogram
    h, w = 21, 15
    # Odd cells (7 x 5) are used whole: pixel (6, 4) belongs to cell (0, 0).
    gc, gr = np.zeros((h, w)), np.zeros((h, w))
    gc[6, 4], gc[0, 0] = 1.0, 0.5
    hist = np.zeros((3, 3, 4))
    _hoghistogram.hog_histograms(gc, gr, 5, 7, w, h, 3, 3, 4, hist)
    assert np.isclose(hist[0, 0, 0], 1.5 / 35), hist[0, 0]  # divided by the cell area
    # Bin bounds are float64: an angle of exactly 3 * 180/7 degrees falls into bin 3.
    angle = np.deg2rad(180.0 / 7 * 3)
    gc, gr = np.zeros((16, 16)), np.zeros((16, 16))
    gc[1, 1], gr[1, 1] = np.cos(angle), np.sin(angle)
    if np.rad2deg(np.arctan2(gr[1, 1], gc[1, 1])) % 180 == 180.0 / 7 * 3:
        hist = np.zeros((2, 2, 7))
        _hoghistogram.hog_histograms(gc, gr, 8, 8, 16, 16, 2, 2, 7, hist)
        assert hist[0, 0, 3] > 0, hist[0, 0]


def main():
    check_hog_conventions()
    with h5py.File(OUTPUT, "w", libver=("v108", "v108")) as f:
        f.attrs["generator"] = GENERATOR
        f.attrs["seed"] = np.int64(SEED)
        f.attrs["skimage_version"] = skimage.__version__
        f.attrs["numpy_version"] = np.__version__
        f.attrs["h5py_version"] = h5py.__version__
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.attrs["python_version"] = platform.python_version()
        images = f.create_group("images")
        for name, image in IMAGES.items():
            assert image.dtype == np.float32 and image.min() >= 0 and image.max() <= 1
            images.create_dataset(name, data=image)

        hog_root = f.create_group("hog")
        for case, name, orientations, cell, block, norm in HOG_CASES:
            image = IMAGES[name]
            kwargs = dict(orientations=orientations, pixels_per_cell=cell, cells_per_block=block,
                          block_norm=norm, transform_sqrt=False, feature_vector=True)
            if image.ndim == 3:
                features = hog(np.moveaxis(image, 0, -1), channel_axis=-1, **kwargs)
            else:
                features = hog(image, **kwargs)
            assert features.dtype == np.float32, features.dtype
            g = hog_root.create_group(case)
            g.create_dataset("features", data=features)
            g.attrs["image"] = name
            g.attrs["orientations"] = np.int64(orientations)
            g.attrs["pixels_per_cell"] = np.array(cell, dtype=np.int64)
            g.attrs["cells_per_block"] = np.array(block, dtype=np.int64)
            g.attrs["block_norm"] = norm
            if image.ndim == 3:
                g.attrs["channel_axis"] = np.int64(-1)

        lbp_root = f.create_group("lbp")
        for name in LBP_IMAGES:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # the float-image warning
                codes = local_binary_pattern(IMAGES[name], LBP_P, LBP_R, method="uniform")
            assert codes.min() >= 0 and codes.max() <= LBP_P + 1 and np.all(codes == np.round(codes))
            codes = codes.astype(np.uint8)
            histogram = np.bincount(codes.ravel(), minlength=LBP_P + 2) / codes.size
            g = lbp_root.create_group(name)
            g.create_dataset("codes", data=codes)
            g.create_dataset("histogram", data=histogram.astype(np.float32))
            g.attrs["points"] = np.int64(LBP_P)
            g.attrs["radius"] = float(LBP_R)
    size = os.path.getsize(OUTPUT)
    print(f"wrote {os.path.normpath(OUTPUT)} ({size} bytes, {len(HOG_CASES)} HOG cases, "
          f"{len(LBP_IMAGES)} LBP images)", file=sys.stderr)


if __name__ == "__main__":
    main()
