#!/usr/bin/env python3
"""Times scikit-image's HOG and uniform LBP on the images our feature benchmark used: the
scikit-image side of the hand-crafted feature throughput figure (the target: extraction
at least 5x faster than scikit-image on the same images).

Images: a numpy .npy file, float32 [N, H, W] in [0, 1] (written by
FeatureBenchmark.writeImages in Sources/Features/FeatureBenchmark.swift; the format is
documented in Sources/Features/NumpyArrayFile.swift).

Timed per image, exactly the settings of the Swift extractors:
- hog: skimage.feature.hog(image, orientations=9, pixels_per_cell=(8, 8),
       cells_per_block=(2, 2), block_norm="L2-Hys", transform_sqrt=False,
       feature_vector=True) on the float32 image;
- lbp: skimage.feature.local_binary_pattern(image, 8, 1, method="uniform") and the
       normalised histogram np.bincount(codes, minlength=10) / codes.size.
Each feature: one warm-up pass over all images, then --repeats passes; the rate is
images / median pass time. With --processes N > 1 the images are split into N
contiguous chunks run by a pool of N worker processes (skimage is single-threaded and
holds the GIL), and a pass is timed from the parent around the whole pool.map.

Output: a table, or with --json one JSON object on the last line with the keys of the
Swift benchmark: images, height, width, threads (= processes), repeats,
hog_images_per_s, lbp_images_per_s, plus reference and versions.

--ours "COMMAND" runs both sides with one command: COMMAND (with {images} replaced by a
temporary .npy path) must write the images there and print our JSON on its last line,
e.g.
    /opt/refenv/bin/python Tests/Reference/bench_features_skimage.py --json \\
        --ours ".build/release/deeprank bench features --json --threads 1 --images-out {images}"
The script then times scikit-image on that file and prints one JSON object with
"ours", "skimage" and the ratios hog_speedup and lbp_speedup (ours / skimage).
"""

import argparse
import json
import multiprocessing
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np
import skimage
from skimage.feature import hog, local_binary_pattern

_IMAGES = None


def _load(path):
    global _IMAGES
    _IMAGES = np.load(path)
    if _IMAGES.dtype != np.float32 or _IMAGES.ndim != 3:
        raise SystemExit(f"{path}: expected float32 [N, H, W], got {_IMAGES.dtype} {_IMAGES.shape}")


def _hog(image):
    return hog(image, orientations=9, pixels_per_cell=(8, 8), cells_per_block=(2, 2),
               block_norm="L2-Hys", transform_sqrt=False, feature_vector=True)


def _lbp(image):
    codes = local_binary_pattern(image, 8, 1, method="uniform").astype(np.intp)
    return np.bincount(codes.ravel(), minlength=10) / codes.size


FEATURES = {"hog": _hog, "lbp": _lbp}


def _run_chunk(task):
    name, start, stop = task
    warnings.simplefilter("ignore", UserWarning)  # LBP's float-image warning
    function = FEATURES[name]
    for i in range(start, stop):
        function(_IMAGES[i])
    return stop - start


def _median(values):
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else 0.5 * (values[n // 2 - 1] + values[n // 2])


def bench(path, repeats, processes):
    _load(path)
    n, h, w = _IMAGES.shape
    bounds = [round(i * n / processes) for i in range(processes + 1)]
    result = {"images": int(n), "height": int(h), "width": int(w), "threads": processes, "repeats": repeats}
    pool = multiprocessing.Pool(processes, initializer=_load, initargs=(path,)) if processes > 1 else None
    try:
        for name in FEATURES:
            tasks = [(name, bounds[i], bounds[i + 1]) for i in range(processes)]
            times = []
            for rep in range(repeats + 1):
                start = time.perf_counter()
                done = sum(pool.map(_run_chunk, tasks)) if pool else _run_chunk(tasks[0])
                elapsed = time.perf_counter() - start
                assert done == n
                if rep > 0:
                    times.append(elapsed)
            result[f"{name}_images_per_s"] = n / _median(times)
    finally:
        if pool:
            pool.close()
            pool.join()
    result["reference"] = "scikit-image"
    result["skimage_version"] = skimage.__version__
    result["numpy_version"] = np.__version__
    result["python_version"] = platform.python_version()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", help=".npy file of float32 [N, H, W] images")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--processes", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--ours", help="command that writes {images} and prints our JSON on its last line")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args()
    if (args.images is None) == (args.ours is None):
        parser.error("give exactly one of --images and --ours")

    if args.ours:
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "images.npy")
            command = args.ours.replace("{images}", shlex.quote(path))
            run = subprocess.run(command, shell=True, check=True, capture_output=True, text=True)
            ours = json.loads(run.stdout.strip().splitlines()[-1])
            theirs = bench(path, args.repeats, args.processes)
        output = {
            "ours": ours,
            "skimage": theirs,
            "hog_speedup": ours["hog_images_per_s"] / theirs["hog_images_per_s"],
            "lbp_speedup": ours["lbp_images_per_s"] / theirs["lbp_images_per_s"],
        }
        if args.json:
            print(json.dumps(output, sort_keys=True))
        else:
            for key in ("hog", "lbp"):
                print(f"{key}: ours {ours[key + '_images_per_s']:.0f} images/s ({ours['threads']} threads), "
                      f"scikit-image {theirs[key + '_images_per_s']:.0f} images/s ({theirs['threads']} processes), "
                      f"ratio {output[key + '_speedup']:.1f}x")
        return

    result = bench(args.images, args.repeats, args.processes)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        for key in ("hog", "lbp"):
            print(f"{key}: {result[key + '_images_per_s']:.0f} images/s")


if __name__ == "__main__":
    main()
