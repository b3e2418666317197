#!/usr/bin/env python3
"""Counter-based draws that the Swift tests make again bit for bit
(`Tests/NeuralNetTests/ParityDraws.swift`), with numpy alone:

    h_i = splitmix64_mix(fnv1a64(name) + (i + 1) * 0x9E3779B97F4A7C15)   (mod 2^64)
    u_i = (h_i >> 40) * 2^-24                        uniform in [0, 1), exact
    parameter, image:  float32((2 u_i - 1) * bound)  in float64, rounded once
    dropout mask:      1 if u_i < keep else 0

A parameter is drawn from its own name (`deep.conv1.weight`) with the bound
1/sqrt(fan_in) of PyTorch's default initialiser; images from `x` (or another
name) with bound 1.

Run as a script it writes, for a preset of `network_presets.py`, the drawn state
dict as a numpy archive (what `export_torch_weights.py` reads without torch) and
drawn images as HDF5 (dataset `x`, [N, 3, S, S]):

    python3 Tests/Reference/parity_draws.py --network paper-sized \\
        --state-dict weights.npz --images images.h5 --count 6 --images-name x/eval
"""

import argparse
import math
import sys

import numpy as np

from network_presets import PRESETS, parameter_shapes

KEEP = 0.6
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MASK64 = (1 << 64) - 1


def fnv1a64(name):
    h = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & MASK64
    return h


def unit_uniform(name, count):
    """u_i in [0, 1), float64, for i in 0..<count."""
    with np.errstate(over="ignore"):
        z = np.uint64(fnv1a64(name)) + (np.arange(count, dtype=np.uint64) + np.uint64(1)) * GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(40)).astype(np.float64) * 2.0 ** -24


def symmetric(name, shape, bound):
    return ((2 * unit_uniform(name, math.prod(shape)) - 1) * bound).astype(np.float32).reshape(shape)


def mask(name, shape, keep=KEEP):
    return (unit_uniform(name, math.prod(shape)) < keep).astype(np.float64).reshape(shape)


def state_dict(config):
    """Every parameter drawn from its name, bounded by 1/sqrt(fan_in) of its layer."""
    shapes = parameter_shapes(config)
    fan_ins = {name.rsplit(".", 1)[0]: math.prod(shape[1:]) for name, shape in shapes if name.endswith(".weight")}
    return {name: symmetric(name, shape, 1 / math.sqrt(fan_ins[name.rsplit(".", 1)[0]])) for name, shape in shapes}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--network", choices=sorted(PRESETS), required=True)
    parser.add_argument("--input-size", type=int, help="the preset with this input size (a spec's network.input_size)")
    parser.add_argument("--state-dict", help="write the drawn parameters here (.npz)")
    parser.add_argument("--images", help="write drawn images here (HDF5, dataset x)")
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--images-name", default="x")
    args = parser.parse_args()
    config = dict(PRESETS[args.network], **({"input_size": args.input_size} if args.input_size else {}))
    if args.state_dict:
        np.savez(args.state_dict, **state_dict(config))
    if args.images:
        import h5py
        size = config["input_size"]
        with h5py.File(args.images, "w") as f:
            f.create_dataset("x", data=symmetric(args.images_name, (args.count, 3, size, size), 1.0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
