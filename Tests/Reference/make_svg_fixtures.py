#!/usr/bin/env python3
"""Writes the reference renderings of the SVG fixtures for Tests/ImagingTests/SVGRenderingTests.

Run from the repository root (needs rsvg-convert: apt-get install librsvg2-bin; the Python
standard library only):

    python3 Tests/Reference/make_svg_fixtures.py

Input: the hand-written Tests/Fixtures/svg/*.svg. Output: Tests/Fixtures/svg/<name>-<side>.png
and Tests/Fixtures/svg/manifest.json, which records the rsvg-convert version and each
rendering's command line.

The reference is the rsvg-convert program: its own sizing and page layout code around
librsvg, writing the PNG through cairo (straight alpha). The Swift renderer fits a document
into a side x side square, proportionally and centred; rsvg-convert is told the same with
explicit numbers: a square document at `-w side -h side`, a 2:1 one at `-w side -h side/2` on a
side x side page with `--top side/4` (1:2 likewise with `--left`). The sides are chosen so that
the margins are whole pixels.
"""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "svg"

# (document, side, rsvg-convert arguments that place it as the Swift renderer must)
RENDERINGS = [
    ("square.svg", 32, ["-w", "32", "-h", "32"]),
    ("square.svg", 13, ["-w", "13", "-h", "13"]),
    ("wide.svg", 32, ["-w", "32", "-h", "16", "--page-width", "32", "--page-height", "32", "--top", "8"]),
    ("tall.svg", 32, ["-w", "16", "-h", "32", "--page-width", "32", "--page-height", "32", "--left", "8"]),
]


def main():
    version = subprocess.run(["rsvg-convert", "--version"], check=True, capture_output=True, text=True).stdout.strip()
    entries = []
    for document, side, arguments in RENDERINGS:
        output = f"{Path(document).stem}-{side}.png"
        command = ["rsvg-convert", *arguments, document, "-o", output]
        subprocess.run(command, check=True, cwd=FIXTURES)
        entries.append({"svg": document, "side": side, "png": output, "command": " ".join(command)})
    manifest = {
        "generator": "Tests/Reference/make_svg_fixtures.py",
        "reference": version,
        "renderings": entries,
    }
    (FIXTURES / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(entries)} renderings by {version} in {FIXTURES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
