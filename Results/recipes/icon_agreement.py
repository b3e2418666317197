#!/usr/bin/env python3
"""Which icon-themes test triplets two rows get right, and by whose theme the negative is.

The README's icon section ("The networks and HOG get different triplets right") uses it. An
icon-themes image identifier starts with its theme (`<theme>/<directory>/.../<name>.png`),
so the run files alone say whether the negative B of an evaluation triplet (Q, A, B) comes
from the query's own theme. For two rows (default: deep-ranking and hog) it prints, pooled
over the files, the share of test triplets both rank right, only one of them does, or
neither does (a tie, outcome 0.5, counts as not right), and each row's precision (its stored
per-triplet outcomes, 1 / 0.5 / 0) where the negative is from the query's theme and where it
is not, with the p-value of the two rows' difference there: the report's exact paired
sign-flip test (Sources/Reporting/Statistics/SignFlipTest.swift) on the per-triplet
differences of outcomes, pooled over the files.

Usage (needs h5py):
    python3 Results/recipes/icon_agreement.py Results/icons/seed-*.h5 [--rows deep-ranking hog]
"""
import sys
from math import comb

import h5py
import numpy as np


def outcomes(run, row):
    """The stored per-triplet test outcomes of `row`, whichever method made it."""
    for method in run["methods"]:
        rows = run["methods"][method]["rows"]
        if row in rows:
            return rows[row]["outcomes"][()]
    raise KeyError(f"no row '{row}' (rows: {', '.join(r for m in run['methods'] for r in run['methods'][m]['rows'])})")


def sign_flip_p(a, b):
    """Two-sided exact sign-flip p-value of sum(a - b) over paired outcomes (1, 0.5, 0)."""
    d = np.rint(2 * (a - b)).astype(int)
    n1, n2, observed = int((np.abs(d) == 1).sum()), int((np.abs(d) == 2).sum()), abs(int(d.sum()))
    if observed == 0:
        return 1.0
    pmf1 = [comb(n1, k) / 2 ** n1 for k in range(n1 + 1)]
    total = 0.0
    for b2 in range(n2 + 1):
        x2 = 2 * (2 * b2 - n2)  # S = (2 B1 - n1) + x2
        total += comb(n2, b2) / 2 ** n2 * sum(p for k, p in enumerate(pmf1) if abs(2 * k - n1 + x2) >= observed)
    return min(1.0, total)


def p_text(p):
    """As the reports write a p-value."""
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


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
              f"{first} {100 * a[mask].mean():.1f}%, {second} {100 * b[mask].mean():.1f}% "
              f"(p {p_text(sign_flip_p(a[mask], b[mask]))})")


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
