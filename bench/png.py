"""Deterministic PNG pictures for the synthetic workspaces, with only ``zlib`` and ``struct``.

The benchmark must not need Pillow at run time, and its pictures must be byte-identical from
run to run so the archive cache and the timings see the same input. Each picture is a smooth
two-colour gradient with a few flat "blocks" (a chart-like or photo-like shape), which
compresses to a realistic few tens of kilobytes rather than to nothing.
"""

from __future__ import annotations

import random
import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bytes(width: int, height: int, rng: random.Random) -> bytes:
    """An RGB PNG of *width* x *height* drawn from *rng* (same seed, same bytes)."""
    top = [rng.randint(40, 230) for _ in range(3)]
    bottom = [rng.randint(40, 230) for _ in range(3)]
    blocks = []
    for _ in range(rng.randint(3, 7)):
        x0 = rng.randrange(0, width - 20)
        y0 = rng.randrange(0, height - 20)
        blocks.append(
            (
                x0,
                y0,
                x0 + rng.randint(12, width // 3),
                y0 + rng.randint(12, height // 3),
                bytes(rng.randint(0, 255) for _ in range(3)),
            )
        )
    # A little per-pixel grain keeps the file from compressing to almost nothing.
    grain = bytes(rng.randrange(0, 6) for _ in range(width * 3 + 7))
    rows = []
    for y in range(height):
        t = y / max(height - 1, 1)
        base = bytes(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        # Channels stay <= 230 + 5, so adding the rows as big integers never carries
        # from one byte into the next: a fast per-byte addition without numpy.
        offset = y % 7
        row = bytearray(
            (
                int.from_bytes(base * width, "big")
                + int.from_bytes(grain[offset : offset + width * 3], "big")
            ).to_bytes(width * 3, "big")
        )
        for x0, y0, x1, y1, colour in blocks:
            if y0 <= y < y1:
                end = min(x1, width)
                row[x0 * 3 : end * 3] = colour * (end - x0)
        rows.append(b"\x00" + bytes(row))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 6))
        + _chunk(b"IEND", b"")
    )
