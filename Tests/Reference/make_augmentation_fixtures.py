#!/usr/bin/env python3
"""Writes Tests/Fixtures/augmentation-reference.h5: torchvision and PIL reference values
for the training recipes beyond the paper in Sources/DatasetKit/Preprocessing
(RandomResizedCrop.swift, ColourJitter.swift, Augmentation+Recipes.swift).

Semantics pinned down here:
- The resized crop's window is torchvision's own `RandomResizedCrop.get_params`, run with
  its random draws replaced by a scripted list of unit uniforms u (torch.empty(1).uniform_(a, b)
  returns a + (b - a) * u, torch.randint(low, high) returns low + floor(u * (high - low))), the
  mapping RandomResizedCrop.swift uses; the default dtype is float64, so log/exp of the
  ratio are computed in double as in Swift. Cases cover the first attempt fitting, later
  attempts, and the centred fallback (one with a round-half-to-even height).
- The resampling of a window to the output size is torchvision's
  `transforms.v2.functional.resized_crop(..., antialias=True)` (bilinear); the script
  checks that antialias=False, PIL's `crop` then bilinear `resize` on mode "F" images
  (torchvision's PIL path) and `F.interpolate(mode="bilinear", align_corners=False)` give
  the same values (the window is never larger than the output). PIL's `resize(box=...)`
  is not the same: its filter reads pixels outside the box.
- Colour jitter: torchvision's `transforms.functional.adjust_brightness`,
  `adjust_contrast`, `adjust_saturation`, `adjust_hue` (what `ColorJitter` calls) on
  float32 tensors in [0, 1], each alone and composed in a given order with given factors
  (checked equal to ColorJitter's `forward` with its `get_params` replaced, and within
  1e-6 of `transforms.v2.functional`, which rounds differently), and one full pipeline:
  resized crop, jitter, `normalize`.

Every input is drawn as float32 in [0, 1) from one seeded numpy Generator. Outputs are
stored as float32 `[C, H, W]`. Groups: `/resized_crop/windows/<case>` (datasets
`uniforms`, `window` = [top, left, height, width]; attributes `height`, `width`,
`scale`, `ratio`, `consumed`), `/resized_crop/resample/<case>` (`input`, `output`;
attributes `window`, `out_height`, `out_width`), `/colour/<case>` (`input`, `output`;
attributes `operations` (comma-separated names in order), `factors`), `/pipeline/<case>`
(`input`, `output`; attributes `window`, `operations`, `factors`, `mean`, `std`).

torchvision's wheel on PyPI is built for CUDA torch; with the CPU-only torch its compiled
detection operators do not load, and importing torchvision then fails while registering
fake kernels for `nms` and `qnms`. Their schemas are then declared (nothing here uses
them) and the root attribute `torchvision_compiled_ops` says so.

Run from the repository root:
    PYTHON Tests/Reference/make_augmentation_fixtures.py
with PYTHON an environment with torch, torchvision, Pillow, numpy and h5py.
"""

import importlib.util
import math
import os
import platform
import sys

import h5py
import numpy as np
import torch

SEED = 20140625
GENERATOR = "Tests/Reference/make_augmentation_fixtures.py"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Fixtures", "augmentation-reference.h5")


def import_torchvision():
    """Imports torchvision; returns (module, how its compiled operators loaded)."""
    location = importlib.util.find_spec("torchvision").submodule_search_locations[0]
    library = next(os.path.join(location, f) for f in os.listdir(location) if f.startswith("_C."))
    try:
        torch.ops.load_library(library)
        status = "loaded"
    except OSError as error:
        lib = torch.library.Library("torchvision", "DEF")
        for op in ("nms", "qnms"):
            lib.define(f"{op}(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
        status = f"not loaded ({type(error).__name__}); nms and qnms schemas declared for the import"
        import_torchvision.keep = lib
    import torchvision
    return torchvision, status


torchvision, COMPILED_OPS = import_torchvision()
import torchvision.transforms as T  # noqa: E402
import torchvision.transforms.functional as F1  # noqa: E402
import torchvision.transforms.v2.functional as TF  # noqa: E402
import torch.nn.functional as NF  # noqa: E402
from PIL import Image  # noqa: E402
import PIL  # noqa: E402

rng = np.random.default_rng(SEED)


class ScriptedDraws:
    """Replaces torch.empty(1).uniform_ and torch.randint with a list of unit uniforms."""

    def __init__(self, uniforms):
        self.uniforms = list(uniforms)
        self.used = 0

    def next(self):
        u = self.uniforms[self.used]
        self.used += 1
        return u

    def __enter__(self):
        self.saved = (torch.empty, torch.randint)
        draws = self

        class Uniform:
            def uniform_(self, a, b):
                a, b = float(a), float(b)
                return torch.tensor([a + (b - a) * draws.next()], dtype=torch.float64)

        torch.empty = lambda *args, **kwargs: Uniform()
        torch.randint = lambda low, high, size=None, **kwargs: torch.tensor(
            [low + math.floor(draws.next() * (high - low))])
        return self

    def __exit__(self, *exc):
        torch.empty, torch.randint = self.saved


# (name, height, width, scale, ratio, uniforms or None for 42 random ones)
WINDOW_CASES = [
    ("defaults_square", 32, 32, (0.08, 1.0), (3 / 4, 4 / 3), None),
    ("defaults_wide", 24, 40, (0.08, 1.0), (3 / 4, 4 / 3), None),
    ("large_scale", 64, 64, (0.5, 1.0), (3 / 4, 4 / 3), None),
    ("late_attempt", 16, 16, (0.9, 1.0), (0.5, 2.0), [0.5, 0.99, 0.1, 0.02, 0.5, 0.5, 0.3, 0.7] + [0.5] * 34),
    ("fallback_tall_ratio", 16, 16, (0.9, 1.0), (3.0, 4.0), [0.5] * 42),
    ("fallback_round_half_even", 16, 9, (0.9, 1.0), (2.0, 3.0), [0.5] * 42),
    ("fallback_whole_image", 10, 10, (0.999, 1.0), (0.1, 10.0), [0.5, 0.999] * 21),
]

# (name, channels, height, width, window (top, left, h, w))
RESAMPLE_CASES = [
    ("upscale_square", 3, 16, 16, (3, 5, 8, 8)),
    ("upscale_non_square_window", 3, 16, 16, (0, 2, 11, 6)),
    ("whole_image", 3, 12, 12, (0, 0, 12, 12)),
    ("one_pixel_window", 3, 8, 8, (4, 4, 1, 1)),
    ("thin_row", 3, 10, 10, (9, 0, 1, 10)),
    ("bottom_right", 3, 13, 13, (6, 7, 7, 6)),
    ("one_channel", 1, 9, 9, (1, 2, 5, 7)),
]

OPERATIONS = {
    "brightness": F1.adjust_brightness,
    "contrast": F1.adjust_contrast,
    "saturation": F1.adjust_saturation,
    "hue": F1.adjust_hue,
}
OPERATIONS_V2 = {
    "brightness": TF.adjust_brightness,
    "contrast": TF.adjust_contrast,
    "saturation": TF.adjust_saturation,
    "hue": TF.adjust_hue,
}

# (name, channels, size, [(operation, factor), ...])
COLOUR_CASES = [
    ("brightness_up", 3, 9, [("brightness", 1.4)]),
    ("brightness_down", 3, 9, [("brightness", 0.55)]),
    ("contrast_up", 3, 9, [("contrast", 1.7)]),
    ("contrast_zero", 3, 9, [("contrast", 0.0)]),
    ("saturation_up", 3, 9, [("saturation", 1.6)]),
    ("saturation_gray", 3, 9, [("saturation", 0.0)]),
    ("hue_positive", 3, 9, [("hue", 0.23)]),
    ("hue_negative", 3, 9, [("hue", -0.41)]),
    ("hue_half", 3, 9, [("hue", 0.5)]),
    ("composed_bcsh", 3, 9, [("brightness", 1.2), ("contrast", 0.8), ("saturation", 1.3), ("hue", 0.1)]),
    ("composed_hscb", 3, 9, [("hue", -0.2), ("saturation", 0.6), ("contrast", 1.25), ("brightness", 0.9)]),
    ("one_channel", 1, 9, [("saturation", 1.5), ("contrast", 1.3), ("hue", 0.3), ("brightness", 1.1)]),
]


def window_case(group, name, height, width, scale, ratio, uniforms):
    if uniforms is None:
        uniforms = rng.random(42).tolist()
    image = torch.zeros(3, height, width)
    with ScriptedDraws(uniforms) as draws:
        top, left, h, w = T.RandomResizedCrop.get_params(image, list(scale), list(ratio))
    g = group.create_group(name)
    g.create_dataset("uniforms", data=np.array(uniforms, dtype=np.float64))
    g.create_dataset("window", data=np.array([top, left, h, w], dtype=np.int64))
    g.attrs["height"] = np.int64(height)
    g.attrs["width"] = np.int64(width)
    g.attrs["scale"] = np.array(scale, dtype=np.float64)
    g.attrs["ratio"] = np.array(ratio, dtype=np.float64)
    g.attrs["consumed"] = np.int64(draws.used)
    return draws.used


def resample(image, window, size):
    """torchvision's resized crop, checked against three other spellings of it."""
    top, left, h, w = window
    x = torch.tensor(image, dtype=torch.float64)
    y = TF.resized_crop(x, top, left, h, w, list(size), antialias=True)
    plain = TF.resized_crop(x, top, left, h, w, list(size), antialias=False)
    assert torch.allclose(y, plain, atol=1e-12), "antialias changes an upscaling resize"
    interpolated = NF.interpolate(x[None, :, top:top + h, left:left + w], size=tuple(size), mode="bilinear",
                                  align_corners=False)[0]
    assert torch.allclose(y, interpolated, atol=1e-12), "resized_crop != interpolate(bilinear)"
    for c in range(image.shape[0]):
        plane = Image.fromarray(image[c].astype(np.float32), mode="F").crop((left, top, left + w, top + h))
        pil = plane.resize((size[1], size[0]), Image.BILINEAR)
        assert np.allclose(np.asarray(pil), y[c].numpy(), atol=2e-6), "PIL's bilinear resize differs"
    return y


def jitter(x, steps):
    """The steps with `transforms.functional` (ColorJitter's), checked against `transforms.v2`."""
    y, v2 = x, x
    for operation, factor in steps:
        y = OPERATIONS[operation](y, factor)
        v2 = OPERATIONS_V2[operation](v2, factor)
    assert torch.allclose(y, v2, atol=1e-6), "transforms and transforms.v2 disagree"
    return y


def check_color_jitter_forward(x, steps):
    """ColorJitter.forward with get_params fixed to `steps` gives the same image."""
    names = list(OPERATIONS)
    order = [names.index(op) for op, _ in steps] + [i for i in range(4) if names[i] not in dict(steps)]
    factors = [dict(steps).get(name) for name in names]
    module = T.ColorJitter()
    module.get_params = lambda *args: (torch.tensor(order), *factors)
    assert torch.equal(module(x), jitter(x, steps)), "ColorJitter.forward applies the steps in another way"


def main():
    torch.set_default_dtype(torch.float64)
    with h5py.File(OUTPUT, "w", libver=("v108", "v108")) as f:
        f.attrs["generator"] = GENERATOR
        f.attrs["seed"] = np.int64(SEED)
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["torchvision_version"] = str(torchvision.__version__)
        f.attrs["torchvision_compiled_ops"] = COMPILED_OPS
        f.attrs["pillow_version"] = PIL.__version__
        f.attrs["numpy_version"] = np.__version__
        f.attrs["h5py_version"] = h5py.__version__
        f.attrs["hdf5_version"] = h5py.version.hdf5_version
        f.attrs["python_version"] = platform.python_version()

        windows = f.create_group("resized_crop/windows")
        for case in WINDOW_CASES:
            used = window_case(windows, *case)
            assert case[0].startswith("fallback") == (used == 20), f"{case[0]}: {used} uniforms used"
        assert windows["late_attempt"].attrs["consumed"] == 8, "late_attempt must fit at its third attempt"

        resampled = f.create_group("resized_crop/resample")
        for name, channels, height, width, window in RESAMPLE_CASES:
            image = rng.random((channels, height, width), dtype=np.float32)
            y = resample(image, window, (height, width))
            g = resampled.create_group(name)
            g.create_dataset("input", data=image)
            g.create_dataset("output", data=y.numpy().astype(np.float32))
            g.attrs["window"] = np.array(window, dtype=np.int64)
            g.attrs["out_height"] = np.int64(height)
            g.attrs["out_width"] = np.int64(width)

        colour = f.create_group("colour")
        for name, channels, size, steps in COLOUR_CASES:
            image = rng.random((channels, size, size), dtype=np.float32)
            x = torch.tensor(image, dtype=torch.float32)
            check_color_jitter_forward(x, steps)
            g = colour.create_group(name)
            g.create_dataset("input", data=image)
            g.create_dataset("output", data=jitter(x, steps).numpy().astype(np.float32))
            g.attrs["operations"] = ",".join(op for op, _ in steps)
            g.attrs["factors"] = np.array([factor for _, factor in steps], dtype=np.float32)

        pipeline = f.create_group("pipeline")
        mean, std = [0.5, 0.4, 0.3], [0.25, 0.2, 0.3]
        steps = [("saturation", 1.3), ("brightness", 0.85), ("hue", 0.07), ("contrast", 1.15)]
        window = (2, 1, 9, 12)
        image = rng.random((3, 16, 16), dtype=np.float32)
        cropped = resample(image, window, (16, 16)).to(torch.float32)
        y = TF.normalize(jitter(cropped, steps), mean, std)
        g = pipeline.create_group("resized_crop_jitter_normalize")
        g.create_dataset("input", data=image)
        g.create_dataset("output", data=y.numpy().astype(np.float32))
        g.attrs["window"] = np.array(window, dtype=np.int64)
        g.attrs["operations"] = ",".join(op for op, _ in steps)
        g.attrs["factors"] = np.array([factor for _, factor in steps], dtype=np.float32)
        g.attrs["mean"] = np.array(mean, dtype=np.float32)
        g.attrs["std"] = np.array(std, dtype=np.float32)
    print(f"wrote {os.path.normpath(OUTPUT)} ({os.path.getsize(OUTPUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
