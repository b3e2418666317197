#!/usr/bin/env python3
"""Splits a photo-crops run's test triplets by whether the negative overlaps the query.

The README's recipe study ("Which triplets to train on") uses it: in the photo-crops data
set a crop's window is part of its identifier (`<package>/<path>#<k>@<left>,<top>+<side>`,
Sources/DatasetKit/Photos/README.md), so the run files alone say whether the negative B of an
evaluation triplet (Q, A, B) shares a pixel with Q. For every row of every run file given,
it prints the share of the test triplets it ranks right (its stored per-triplet outcomes,
1 / 0.5 for a tie / 0) among those whose negative is disjoint from the query and among the
others, pooled over the files.

Usage (needs h5py):
    python3 Results/recipes/disjoint_negatives.py Results/recipes/photo-crops-sampler/seed-*.h5
"""
import re
import sys

import h5py
import numpy as np

WINDOW = re.compile(r"^(.*)#\d+@(\d+),(\d+)\+(\d+)$")


def window(identifier):
    """(photograph, left, top, side) of a crop, in photograph pixels."""
    match = WINDOW.search(identifier)
    if match is None:
        raise ValueError(f"'{identifier}' is not a photo-crops image identifier")
    photograph, *numbers = match.groups()
    return (photograph, *(int(v) for v in numbers))


def disjoint(a, b):
    """Whether two crops share no pixel: other photographs (an out-of-class negative), or
    square windows of one photograph that do not meet."""
    (pa, la, ta, sa), (pb, lb, tb, sb) = a, b
    return pa != pb or min(la + sa, lb + sb) <= max(la, lb) or min(ta + sa, tb + sb) <= max(ta, tb)


def main(paths):
    outcomes = {}
    flags = []
    for path in paths:
        try:
            with h5py.File(path, "r") as run:
                identifiers = run["dataset/identifiers"][()].decode().split("\n")
                triplets = run["evaluation/triplets"][()]
                split = np.array([disjoint(window(identifiers[q]), window(identifiers[b])) for q, _, b in triplets])
                flags.append(split)
                for method in run["methods"]:
                    for row in run["methods"][method]["rows"]:
                        o = run["methods"][method]["rows"][row]["outcomes"][()]
                        outcomes.setdefault(row, []).append((o, split))
        except ValueError as error:
            sys.exit(f"{path}: {error} (the script reads photo-crops runs only)")
        except (OSError, KeyError) as error:
            sys.exit(f"{path}: not a readable deeprank run file ({error}); give run files, not folders")
    total = np.concatenate(flags)
    print(f"{total.sum()} of {total.size} test triplets ({100 * total.mean():.1f}%) have a negative disjoint from the query")
    for row, parts in outcomes.items():
        o = np.concatenate([p[0] for p in parts])
        d = np.concatenate([p[1] for p in parts])
        print(f"{row:32s} disjoint negative {100 * o[d].mean():5.1f}%   overlapping negative {100 * o[~d].mean():5.1f}%")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
