#!/usr/bin/env python3
"""Writes the image fixtures for Tests/ImagingTests and their expected pixels.

Run from the repository root with the reference environment:

    /opt/refenv/bin/python Tests/Reference/make_image_fixtures.py

Output: Tests/Fixtures/images/*.png|*.jpg and Tests/Fixtures/images/manifest.json.

The PNGs are written by Pillow where Pillow can write the variant, and otherwise (16-bit
colour, 2- and 4-bit depths, Adam7 interlacing) by the small zlib-based writer below, which
follows the PNG specification directly and shares no code with libpng. Every PNG is read back
with Pillow and checked against the array it was made from, so the two writers vouch for each
other.

Expected pixels are what the Swift decoder must return: 8-bit, interleaved HWC, listed flat.
  - PNG: exact. Conversions (the decoder's documented contract):
      depth < 8 -> scaled to 0...255 (1-bit: v * 255, 2-bit: v * 85, 4-bit: v * 17);
      16-bit -> round(v * 255 / 65535);
      palette -> RGB, or RGBA when a tRNS chunk is present (entries past tRNS are opaque);
      gray/RGB with tRNS -> an alpha channel, 0 where the pixel equals the tRNS colour.
  - JPEG: Pillow's decoded pixels; the decoder may differ by `tolerance` levels per sample.
  - An entry with "error" must be refused with that ImageError case (e.g. CMYK JPEG).
"""

import json
import platform
import re
import struct
import zlib
from pathlib import Path

import numpy as np
import PIL
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "images"
WIDTH, HEIGHT = 13, 7  # odd sizes: partial Adam7 passes, partial JPEG MCUs, sub-byte row padding


def pattern(channels, levels, seed):
    """A (HEIGHT, WIDTH, channels) integer array of gradients plus a fixed pseudo-random part,
    with values in 0 ..< levels."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    planes = []
    for c in range(channels):
        ramp = (x * (c + 1) * 0.07 + y * 0.11 + c * 0.3) % 1.0
        noise = rng.random((HEIGHT, WIDTH)) * 0.25
        planes.append(np.floor(((ramp + noise) % 1.0) * levels))
    return np.stack(planes, axis=-1).astype(np.int64).clip(0, levels - 1)


def smooth(channels, seed):
    """A smooth 8-bit (HEIGHT, WIDTH, channels) image for JPEG (little high-frequency content)."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    planes = [40 + 170 * ((x / WIDTH) * (1 - c / 3) + (y / HEIGHT) * (c / 3)) + 10 * seed for c in range(channels)]
    return np.stack(planes, axis=-1).round().clip(0, 255).astype(np.uint8)


def scale16(v):
    """The decoder's 16 -> 8 bit rule: round(v * 255 / 65535)."""
    return (v.astype(np.int64) * 255 + 32767) // 65535


# MARK: - A PNG writer from the specification (independent of libpng)

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_row(row, depth):
    """row: (width, channels) samples -> bytes, big-endian, MSB-first for depths below 8."""
    samples = row.reshape(-1).tolist()
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    per_byte = 8 // depth
    out = bytearray()
    for i in range(0, len(samples), per_byte):
        byte = 0
        group = samples[i:i + per_byte]
        for j, s in enumerate(group):
            byte |= s << (8 - depth * (j + 1))
        out.append(byte)
    return bytes(out)


def write_png(path, samples, color_type, depth, palette=None, trns=None, interlace=False, ancillary=b""):
    height, width = samples.shape[:2]
    assert samples.shape[2] == CHANNELS[color_type]
    raw = bytearray()
    for x0, y0, dx, dy in (ADAM7 if interlace else [(0, 0, 1, 1)]):
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for row in sub:
            raw += b"\x00" + pack_row(row, depth)  # filter type 0 (None)
    data = b"\x89PNG\r\n\x1a\n"
    data += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, int(interlace)))
    data += ancillary
    if palette is not None:
        data += chunk(b"PLTE", bytes(np.asarray(palette, dtype=np.uint8).reshape(-1).tolist()))
    if trns is not None:
        data += chunk(b"tRNS", trns)
    data += chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    data += chunk(b"IEND", b"")
    path.write_bytes(data)


# MARK: - Fixtures

entries = []


def add(name, expected, tolerance=0, note=""):
    expected = np.asarray(expected)
    if expected.ndim == 2:
        expected = expected[:, :, None]
    h, w, c = expected.shape
    entries.append({
        "file": name, "width": w, "height": h, "channels": c, "tolerance": tolerance,
        "note": note, "pixels": expected.astype(np.int64).reshape(-1).tolist(),
    })


def pillow_pixels(name, mode=None):
    with Image.open(OUT / name) as im:
        if mode is not None:
            im = im.convert(mode)
        a = np.asarray(im)
    return a if a.ndim == 3 else a[:, :, None]


def check(name, pillow, expected):
    assert np.array_equal(np.asarray(pillow, dtype=np.int64), np.asarray(expected, dtype=np.int64)), name


def png_fixtures():
    # 8-bit gray, gray+alpha, RGB, RGBA by Pillow (adaptive row filters).
    for name, mode, channels in [("gray8.png", "L", 1), ("gray_alpha8.png", "LA", 2),
                                 ("rgb8.png", "RGB", 3), ("rgba8.png", "RGBA", 4)]:
        a = pattern(channels, 256, seed=channels).astype(np.uint8)
        Image.fromarray(a[:, :, 0] if channels == 1 else a).save(OUT / name)
        check(name, pillow_pixels(name), a)
        add(name, a, note=f"Pillow {mode}")

    # 16-bit gray by Pillow (mode I;16).
    g16 = pattern(1, 65536, seed=16)[:, :, 0].astype(np.uint16)
    Image.fromarray(g16).save(OUT / "gray16.png")
    with Image.open(OUT / "gray16.png") as im:
        check("gray16.png", np.asarray(im), g16)
    add("gray16.png", scale16(g16), note="Pillow I;16; expected round(v * 255 / 65535)")

    # Gray and RGB with a tRNS colour key (Pillow `transparency=`).
    g = pattern(1, 256, seed=21)[:, :, 0].astype(np.uint8)
    key = int(g[3, 5])
    Image.fromarray(g).save(OUT / "gray_trns8.png", transparency=key)
    check("gray_trns8.png", pillow_pixels("gray_trns8.png", "RGBA")[:, :, 3], np.where(g == key, 0, 255))
    add("gray_trns8.png", np.stack([g, np.where(g == key, 0, 255)], axis=-1), note=f"Pillow L, tRNS gray {key}")

    rgb = pattern(3, 256, seed=22).astype(np.uint8)
    rgb[2, 4] = rgb[5, 9] = (10, 200, 30)
    key3 = (10, 200, 30)
    Image.fromarray(rgb).save(OUT / "rgb_trns8.png", transparency=key3)
    mask = np.all(rgb == np.array(key3, dtype=np.uint8), axis=-1)
    expected = np.concatenate([rgb, np.where(mask, 0, 255)[:, :, None]], axis=-1)
    check("rgb_trns8.png", pillow_pixels("rgb_trns8.png", "RGBA"), expected)
    add("rgb_trns8.png", expected, note="Pillow RGB, tRNS colour (10, 200, 30)")

    # 8-bit palettes by Pillow, without and with transparency.
    rng = np.random.default_rng(8)
    palette = rng.integers(0, 256, size=(40, 3), dtype=np.uint8)
    index = pattern(1, 40, seed=9)[:, :, 0].astype(np.uint8)
    p = Image.frombytes("P", (WIDTH, HEIGHT), index.tobytes())
    p.putpalette(palette.reshape(-1).tolist())
    p.save(OUT / "palette8.png")
    check("palette8.png", pillow_pixels("palette8.png", "RGB"), palette[index])
    add("palette8.png", palette[index], note="Pillow P, 40 colours")

    alpha = rng.integers(0, 256, size=40, dtype=np.uint8)
    p.save(OUT / "palette_trns8.png", transparency=bytes(alpha.tolist()))
    expected = np.concatenate([palette[index], alpha[index][:, :, None]], axis=-1)
    check("palette_trns8.png", pillow_pixels("palette_trns8.png", "RGBA"), expected)
    add("palette_trns8.png", expected, note="Pillow P with a tRNS alpha per entry")

    # 1-bit gray by Pillow (mode 1).
    bits = (pattern(1, 2, seed=1)[:, :, 0]).astype(bool)
    Image.fromarray(bits).save(OUT / "gray1.png")
    check("gray1.png", pillow_pixels("gray1.png", "L"), np.where(bits, 255, 0)[:, :, None])
    add("gray1.png", np.where(bits, 255, 0), note="Pillow mode 1; expected v * 255")

    # Sub-byte gray and palette depths by the specification writer.
    for depth in (2, 4):
        levels = 1 << depth
        s = pattern(1, levels, seed=30 + depth)
        name = f"gray{depth}.png"
        write_png(OUT / name, s, color_type=0, depth=depth)
        scale = 255 // (levels - 1)
        check(name, pillow_pixels(name, "L"), s * scale)
        add(name, s * scale, note=f"spec writer; expected v * {scale}")

    pal4 = rng.integers(0, 256, size=(16, 3), dtype=np.uint8)
    trns4 = rng.integers(0, 256, size=10, dtype=np.uint8)  # shorter than the palette
    idx4 = pattern(1, 16, seed=44)
    write_png(OUT / "palette4_trns.png", idx4, color_type=3, depth=4, palette=pal4, trns=bytes(trns4.tolist()))
    alpha4 = np.concatenate([trns4, np.full(6, 255, dtype=np.uint8)])
    expected = np.concatenate([pal4[idx4[:, :, 0]], alpha4[idx4[:, :, 0]][:, :, None]], axis=-1)
    check("palette4_trns.png", pillow_pixels("palette4_trns.png", "RGBA"), expected)
    add("palette4_trns.png", expected, note="spec writer, 4-bit palette, tRNS for 10 of 16 entries")

    pal2 = rng.integers(0, 256, size=(4, 3), dtype=np.uint8)
    idx2 = pattern(1, 4, seed=42)
    write_png(OUT / "palette2.png", idx2, color_type=3, depth=2, palette=pal2)
    check("palette2.png", pillow_pixels("palette2.png", "RGB"), pal2[idx2[:, :, 0]])
    add("palette2.png", pal2[idx2[:, :, 0]], note="spec writer, 2-bit palette")

    # 16-bit colour by the specification writer (Pillow reads these truncated to the high byte).
    for name, color_type, channels in [("gray_alpha16.png", 4, 2), ("rgb16.png", 2, 3), ("rgba16.png", 6, 4)]:
        s = pattern(channels, 65536, seed=160 + channels)
        write_png(OUT / name, s, color_type=color_type, depth=16)
        pillow = pillow_pixels(name).astype(np.int64)
        if channels == 2:  # Pillow opens 16-bit gray+alpha as RGBA
            pillow = pillow[:, :, [0, 3]]
        check(name, pillow, s >> 8)
        add(name, scale16(s), note="spec writer; expected round(v * 255 / 65535)")

    # A gAMA chunk of 1.0 (linear): the decoder ignores gamma, so the stored values come back.
    s = pattern(3, 256, seed=80)
    write_png(OUT / "gamma_linear8.png", s, color_type=2, depth=8, ancillary=chunk(b"gAMA", struct.pack(">I", 100000)))
    check("gamma_linear8.png", pillow_pixels("gamma_linear8.png"), s)
    add("gamma_linear8.png", s, note="spec writer, gAMA 1.0 that the decoder does not apply")

    # Adam7 interlacing by the specification writer.
    s = pattern(3, 256, seed=70)
    write_png(OUT / "interlaced_rgb8.png", s, color_type=2, depth=8, interlace=True)
    check("interlaced_rgb8.png", pillow_pixels("interlaced_rgb8.png"), s)
    add("interlaced_rgb8.png", s, note="spec writer, Adam7")

    s = pattern(1, 2, seed=71)
    write_png(OUT / "interlaced_gray1.png", s, color_type=0, depth=1, interlace=True)
    check("interlaced_gray1.png", pillow_pixels("interlaced_gray1.png", "L"), s * 255)
    add("interlaced_gray1.png", s * 255, note="spec writer, Adam7, 1-bit")

    s = pattern(4, 65536, seed=72)
    write_png(OUT / "interlaced_rgba16.png", s, color_type=6, depth=16, interlace=True)
    check("interlaced_rgba16.png", pillow_pixels("interlaced_rgba16.png").astype(np.int64), s >> 8)
    add("interlaced_rgba16.png", scale16(s), note="spec writer, Adam7, 16-bit")


def jpeg_fixtures():
    for name, mode, options in [
        ("baseline_rgb.jpg", "RGB", dict(quality=90)),  # 4:2:0 chroma subsampling
        ("baseline_rgb444.jpg", "RGB", dict(quality=90, subsampling=0)),
        ("baseline_gray.jpg", "L", dict(quality=90)),
        ("progressive_rgb.jpg", "RGB", dict(quality=90, progressive=True)),
    ]:
        a = smooth(1 if mode == "L" else 3, seed=len(entries))
        Image.fromarray(a[:, :, 0] if mode == "L" else a).save(OUT / name, **options)
        add(name, pillow_pixels(name), tolerance=2, note=f"Pillow {mode} {options}; expected Pillow's decode")

    cmyk = np.concatenate([smooth(3, seed=1), np.full((HEIGHT, WIDTH, 1), 20, np.uint8)], axis=-1)
    Image.frombytes("CMYK", (WIDTH, HEIGHT), cmyk.tobytes()).save(OUT / "cmyk.jpg", quality=90)
    entries.append({"file": "cmyk.jpg", "error": "unsupported", "note": "Pillow CMYK (Adobe APP14)"})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    png_fixtures()
    jpeg_fixtures()
    manifest = {
        "generator": "Tests/Reference/make_image_fixtures.py",
        "python": platform.python_version(),
        "pillow": PIL.__version__,
        "numpy": np.__version__,
        "images": entries,
    }
    text = json.dumps(manifest, indent=1)
    # One line per pixel list keeps the manifest small and diffable.
    text = re.sub(r"\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]", lambda m: "[" + re.sub(r"\s+", "", m.group(1)) + "]", text)
    (OUT / "manifest.json").write_text(text + "\n")
    print(f"wrote {len(entries)} fixtures to {OUT}")


if __name__ == "__main__":
    main()
