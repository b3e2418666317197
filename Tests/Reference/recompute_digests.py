#!/usr/bin/env python3
"""Recompute a run file's digests with h5py and hashlib alone, following the README's
description of them ("Run files": "Digests hash values, never file bytes, ..."), without
any of DeepRank's code. Prints one JSON object: weights, metrics, histories and
weights.<method> for every method whose arrays are stored (a method written with
store_weights small/none keeps only its digest, which cannot be recomputed; the overall
weights digest then needs every method and is left out). RunFileH5pyTests compares the
result with the file's /digests attributes.

Usage: recompute_digests.py RUN.h5
"""
import hashlib
import json
import struct
import sys

import h5py
import numpy as np

NON_METRICS = {"similarity_precision", "training_seconds", "index"}


class Hasher:
    def __init__(self, header):
        self.sha = hashlib.sha256(header.encode())

    def text(self, s):
        self.sha.update(s.encode())

    def string(self, s):  # <byte count>:<UTF-8 bytes>
        b = s.encode()
        self.sha.update(f"{len(b)}:".encode() + b)

    def floats(self, values):  # little-endian IEEE-754 float32
        self.sha.update(np.asarray(values, dtype="<f4").tobytes())

    def hex(self):
        return self.sha.hexdigest()


def bits(value):  # the 16 hex digits of a double's bit pattern
    return "%016x" % struct.unpack("<Q", struct.pack("<d", float(value)))[0]


def weights_of(hasher, method, group):
    for name in sorted(group):
        values = group[name][()]
        hasher.string(method); hasher.text(" "); hasher.string(name)
        hasher.text(f" {values.ndim}" + "".join(f" {d}" for d in values.shape) + "\n")
        hasher.floats(values.ravel()); hasher.text("\n")


def main(path):
    out = {}
    with h5py.File(path, "r") as f:
        methods = f["methods"]
        names = sorted(methods)
        all_weights = Hasher("deeprank-weights 1\n")
        complete = True
        for m in names:
            group = methods[m]["weights"]
            if int(group.attrs.get("stored", 1)) == 0:
                complete = False
                continue
            own = Hasher("deeprank-weights 1\n")
            weights_of(own, m, group)
            weights_of(all_weights, m, group)
            out[f"weights.{m}"] = own.hex()
        if complete:
            out["weights"] = all_weights.hex()

        histories = Hasher("deeprank-histories 1\n")
        for m in names:
            history = methods[m]["history"]
            for series in sorted(history):
                values = history[series][()]
                histories.string(m); histories.text(" "); histories.string(series)
                histories.text(f" {len(values)}\n"); histories.floats(values); histories.text("\n")
        out["histories"] = histories.hex()

        rows = []
        for m in names:
            for r, group in methods[m]["rows"].items():
                rows.append((r, m, group))
        metrics = Hasher("deeprank-metrics 2\n")
        for r, m, g in sorted(rows, key=lambda row: row[0]):
            outcomes = g["outcomes"][()]
            metrics.string(m); metrics.text(" "); metrics.string(r)
            metrics.text(" " + bits(g.attrs["similarity_precision"]) + f" {len(outcomes)}\n")
            metrics.floats(outcomes); metrics.text("\n")
            for name in sorted(k for k in g.attrs if k not in NON_METRICS):
                metrics.string(name); metrics.text(" " + bits(g.attrs[name]) + "\n")
            contributions = g["score_contributions"][()]
            metrics.text(f"{len(contributions)}\n"); metrics.floats(contributions); metrics.text("\n")
            neighbours = g["neighbours"][()]
            rows_count, k = (neighbours.shape[0], neighbours.shape[1]) if neighbours.ndim == 2 and neighbours.size else (0, 0)
            metrics.text(f"{rows_count} {k}\n")
            metrics.text(" ".join(str(int(v)) for v in neighbours.ravel()) + "\n")
            if "validation" in g:
                v = g["validation"]
                validation = v["outcomes"][()]
                metrics.text("validation " + bits(v.attrs["similarity_precision"]) + f" {len(validation)}\n")
                metrics.floats(validation); metrics.text("\n")
                for name in sorted(k for k in v.attrs if k not in NON_METRICS):
                    metrics.string(name); metrics.text(" " + bits(v.attrs[name]) + "\n")
        out["metrics"] = metrics.hex()
    out["h5py"] = h5py.__version__
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1])
