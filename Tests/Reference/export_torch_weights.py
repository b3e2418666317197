#!/usr/bin/env python3
"""Turns a PyTorch state dict into a DeepRank weights file, the HDF5 file that a
spec's `network: {init_from: FILE.h5}` starts a network from (README, "Weights from
PyTorch").

Input: a file `torch.save` wrote (`.pt`, `.pth`: a state dict, or a checkpoint
holding one under `state_dict`), read on the CPU with `weights_only=True`; or a
numpy archive (`.npz`) of the same keys, which needs no torch.

Names: the weights file names every tensor by its key in DeepRank's naming, which
is the state-dict naming of `multiscale_twin.MultiScaleTwin` (`deep.conv1.weight`,
..., `deep.fc.bias`, `shallow_a.conv.weight`, `embed.weight`). `--map` says how the
input's keys become those:
  identity   the keys are already ours (a MultiScaleTwin's state dict)
  alexnet    torchvision's AlexNet `features`: features.0/3/6/8/10 become
             deep.conv1..deep.conv5; its classifier is left out (its fc sizes are
             not the paper's). Use it with a network whose stages match AlexNet's.
`--strip-prefix P` first removes P from every key (e.g. `module.` of DataParallel).

`--network PRESET` (a name in network_presets.PRESETS; `--input-size` for a
spec's `network.input_size`) checks the result against that network: with `--scope convnet` it must hold exactly the ConvNet part (every
`deep.*` parameter), with `--scope all` every parameter; a missing, unexpected or
misshapen tensor is an error that lists what was expected. Without `--network`,
`--scope convnet` keeps the `deep.*` keys and nothing is checked here (`deeprank`
checks when a run starts).

Output: root attributes `format` = deeprank-weights, `version` = 1, `source` (the
input's file name), `mapping`; one float32 dataset per tensor with PyTorch's shape.
The bytes depend only on the tensors and these attributes (no timestamps), so the
same input always gives the same file and the same SHA-256, which run files record.

    python3 Tests/Reference/export_torch_weights.py alexnet.pth --map alexnet \\
        --scope convnet --out alexnet-convnet.h5
"""

import argparse
import os
import re
import sys

import h5py
import numpy as np

from network_presets import PRESETS, parameter_shapes

FORMAT = "deeprank-weights"
VERSION = 1
ALEXNET_FEATURES = {0: "deep.conv1", 3: "deep.conv2", 6: "deep.conv3", 8: "deep.conv4", 10: "deep.conv5"}


class ExportError(Exception):
    pass


def read_state_dict(path):
    if path.endswith(".npz"):
        with np.load(path) as archive:
            return {key: np.asarray(archive[key]) for key in archive.files}
    try:
        import torch
    except ImportError as error:
        raise ExportError(f"{path}: reading a torch file needs torch ({error}); save the state dict as .npz instead")
    loaded = torch.load(path, map_location="cpu", weights_only=True)
    if isinstance(loaded, dict) and "state_dict" in loaded and isinstance(loaded["state_dict"], dict):
        loaded = loaded["state_dict"]
    if not isinstance(loaded, dict):
        raise ExportError(f"{path}: holds a {type(loaded).__name__}, not a state dict")
    return {key: value.detach().cpu().numpy() for key, value in loaded.items() if hasattr(value, "detach")}


def mapped(state, mapping, strip_prefix):
    out = {}
    for key, value in state.items():
        if strip_prefix and key.startswith(strip_prefix):
            key = key[len(strip_prefix):]
        if mapping == "alexnet":
            match = re.fullmatch(r"features\.(\d+)\.(weight|bias)", key)
            if match is None:
                continue  # the classifier and anything else
            index = int(match.group(1))
            if index not in ALEXNET_FEATURES:
                raise ExportError(f"{key}: AlexNet's features have convolutions at {sorted(ALEXNET_FEATURES)}, not {index}")
            key = f"{ALEXNET_FEATURES[index]}.{match.group(2)}"
        out[key] = np.asarray(value, dtype=np.float32)
    return out


def check(tensors, network, scope, input_size=None):
    config = dict(PRESETS[network], **({"input_size": input_size} if input_size else {}))
    expected = parameter_shapes(config)
    if scope == "convnet":
        expected = [(name, shape) for name, shape in expected if name.startswith("deep.")]
    expected_names = [name for name, _ in expected]
    problems = [f"missing {name}" for name in expected_names if name not in tensors]
    problems += [f"unexpected {name}" for name in sorted(tensors) if name not in expected_names]
    problems += [f"{name} has shape {list(tensors[name].shape)}, expected {list(shape)}"
                 for name, shape in expected if name in tensors and tensors[name].shape != shape]
    if problems:
        listing = ", ".join(f"{name} {list(shape)}" for name, shape in expected)
        raise ExportError(f"the tensors do not fit {network} ({scope}): {'; '.join(problems)}. Expected: {listing}")


def write(tensors, out, source, mapping):
    tmp = out + ".tmp"
    with h5py.File(tmp, "w", libver=("v108", "v108"), track_order=False) as f:
        f.attrs["format"] = FORMAT
        f.attrs["version"] = np.int64(VERSION)
        f.attrs["source"] = source
        f.attrs["mapping"] = mapping
        for name in sorted(tensors):
            f.create_dataset(name, data=tensors[name], track_times=False)
    os.replace(tmp, out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="a torch state dict (.pt, .pth) or a numpy archive (.npz)")
    parser.add_argument("--out", required=True, help="the weights file to write (.h5)")
    parser.add_argument("--map", choices=["identity", "alexnet"], default="identity", dest="mapping")
    parser.add_argument("--strip-prefix", default="")
    parser.add_argument("--scope", choices=["convnet", "all"], default="all")
    parser.add_argument("--network", choices=sorted(PRESETS), help="check the result against this network")
    parser.add_argument("--input-size", type=int, help="with --network: the preset at this input size")
    args = parser.parse_args()
    try:
        tensors = mapped(read_state_dict(args.input), args.mapping, args.strip_prefix)
        if args.scope == "convnet":
            tensors = {name: value for name, value in tensors.items() if name.startswith("deep.")}
        if not tensors:
            raise ExportError(f"{args.input}: no tensors left after mapping '{args.mapping}'")
        if args.network:
            check(tensors, args.network, args.scope, args.input_size)
        write(tensors, args.out, os.path.basename(args.input), args.mapping)
    except (ExportError, OSError, ValueError) as error:
        print(f"export_torch_weights: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {len(tensors)} tensors, {sum(v.size for v in tensors.values()):,} values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
