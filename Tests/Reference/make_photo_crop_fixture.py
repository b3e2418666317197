#!/usr/bin/env python3
"""Writes Tests/Fixtures/photo-crops.json: three crops of installed Debian wallpapers as
Pillow and numpy compute them, the reference for Tests/DatasetKitTests/Photos.

Run from the repository root (needs Pillow, numpy and the Debian packages mate-backgrounds
and lomiri-wallpapers-16.04):

    python3 Tests/Reference/make_photo_crop_fixture.py

The windows are those `PhotoCropsInstalledTests` pins (crop seed 1, scales 0.3 ... 0.9,
4 crops per photograph); this script takes them as given. Per crop: Pillow decodes the
file (its own libjpeg-turbo) and converts it to RGB, numpy cuts
rows top ..< top + side and columns left ..< left + side, scales to [0, 1] (v / 255) and
resizes to size x size by adaptive average pooling in float64 (PyTorch's
F.interpolate(mode="area"): output o averages inputs floor(o * n / size) ..<
ceil((o + 1) * n / size), along the rows, then the columns), then rounds 255 * v.
Expected samples are CHW, flat. JPEG decoders may differ by one level, so the Swift test
allows `tolerance` (1) per sample; a window one pixel off differs by up to 4.
"""

import json
import platform
import subprocess
from pathlib import Path

import numpy as np
import PIL
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "photo-crops.json"
SIZE = 16
# (dataset index in the pinned slice, Debian package, file, left, top, side)
CROPS = [
    (0, "lomiri-wallpapers-16.04", "/usr/share/backgrounds/Picture_1A_by_freespace.jpg", 166, 68, 961),
    (6, "mate-backgrounds", "/usr/share/backgrounds/mate/nature/FreshFlower.jpg", 115, 384, 467),
    (11, "mate-backgrounds", "/usr/share/backgrounds/mate/nature/GreenMeadow.jpg", 30, 9, 763),
]


def area_pool(a, n):
    """Adaptive average pooling of axis 0 of `a` to n entries."""
    length = a.shape[0]
    out = np.zeros((n,) + a.shape[1:])
    for o in range(n):
        start, end = (o * length) // n, -(-((o + 1) * length) // n)
        out[o] = a[start:end].mean(axis=0)
    return out


def crop(path, left, top, side):
    rgb = np.asarray(Image.open(path).convert("RGB")).astype(np.float64) / 255
    window = rgb[top:top + side, left:left + side]
    pooled = area_pool(area_pool(window, SIZE).transpose(1, 0, 2), SIZE).transpose(1, 0, 2)
    return np.round(pooled * 255).astype(int).transpose(2, 0, 1)  # HWC -> CHW


def package_version(package):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True,
                          check=True).stdout


def main():
    crops = []
    for index, package, path, left, top, side in CROPS:
        crops.append({"index": index, "package": package, "package_version": package_version(package), "file": path,
                      "left": left, "top": top, "side": side, "samples": crop(path, left, top, side).ravel().tolist()})
    fixture = {"generator": "Tests/Reference/make_photo_crop_fixture.py", "pillow": PIL.__version__,
               "numpy": np.__version__, "python": platform.python_version(), "size": SIZE, "tolerance": 1,
               "crops": crops}
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
