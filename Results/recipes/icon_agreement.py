#!/usr/bin/env python3
"""Which icon-themes test triplets two rows get right, and by whose theme the negative is.

The README's icon section ("The networks and HOG get different triplets right") uses it. An
icon-themes image identifier starts with its theme (`<theme>/<directory>/.../<name>.png`),
so the run files alone say whether the negative B of an evaluation triplet (Q, A, B) comes
from the query's own theme. For two rows (default: deep-ranking and hog) it prints, pooled
over the files, the share of test triplets both rank right, only one of them does, or
neither does (a tie, outcome 0.5, counts as not right), and each row's precision (its stored
per-triplet outcomes, 1 / 0.5 / 0) where the negative is from the query's theme and where it
is not.

Usage (needs h5py):
    python3 Results/recipes/icon_agreement.py Results/icons/seed-*.h5 [--rows deep-ranking hog]
"""
import sys

import h5py
import numpy as np


def outcomes(run, row):
    """The stored per-triplet test outcomes of `row`, whichever method made it."""
    for method in run["methods"]:
        rows = run["methods"][method]["rows"]
        if row in rows:
            return rows[row]["outcomes"][()]
    raise KeyError(f"no row '{row}' (rows: {', '.join(r for m in run['methods'] for r in run['methods'][m]['rows'])})")


def main(paths, first, second):
    a, b, same = [], [], []
    for path in paths:
        try:
            with h5py.File(path, "r") as run:
                identifiers = run["dataset/identifiers"][()].decode().split("\n")
                theme = [identifier.split("/")[0] for identifier in identifiers]
                triplets = run["evaluation/triplets"][()]
                same.append(np.array([theme[q] == theme[n] for q, _, n in triplets]))
                a.append(outcomes(run, first))
                b.append(outcomes(run, second))
        except (OSError, KeyError) as error:
            sys.exit(f"{path}: not a readable deeprank run file with rows {first} and {second} ({error})")
    a, b, same = np.concatenate(a), np.concatenate(b), np.concatenate(same)
    right_a, right_b = a > 0.5, b > 0.5
    print(f"{a.size} test triplets from {len(paths)} run files")
    for label, mask in (("both right", right_a & right_b), (f"only {first}", right_a & ~right_b),
                        (f"only {second}", ~right_a & right_b), ("neither", ~right_a & ~right_b)):
        print(f"  {label:<28} {100 * mask.mean():5.1f}%")
    for label, mask in (("negative from the query's theme", same), ("negative from another theme", ~same)):
        print(f"{label} ({100 * mask.mean():.1f}% of the triplets): "
              f"{first} {100 * a[mask].mean():.1f}%, {second} {100 * b[mask].mean():.1f}%")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    rows = ["deep-ranking", "hog"]
    if "--rows" in arguments:
        at = arguments.index("--rows")
        rows = arguments[at + 1:at + 3]
        arguments = arguments[:at] + arguments[at + 3:]
        if len(rows) != 2:
            sys.exit("--rows takes two row names")
    if not arguments:
        sys.exit(__doc__)
    main(arguments, *rows)
