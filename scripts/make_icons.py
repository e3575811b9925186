"""Draw the extension's icons (a blue tile with a white score ring) as PNGs, with only the standard library.

Run from the repository root: python scripts/make_icons.py — writes extension/icons/icon-{16,32,48,128}.png.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZES = (16, 32, 48, 128)
TILE = (31, 95, 168)
SUPERSAMPLE = 4


def _coverage(x: float, y: float) -> tuple[float, float]:
    """(tile, ring) coverage of a point in the unit square: rounded tile; ring with a gap at the top right."""
    dx, dy = abs(x - 0.5) - 0.5 + 0.18, abs(y - 0.5) - 0.5 + 0.18
    outside = math.hypot(max(dx, 0), max(dy, 0))
    tile = 1.0 if outside <= 0.18 else 0.0
    r = math.hypot(x - 0.5, y - 0.5)
    angle = math.degrees(math.atan2(0.5 - y, x - 0.5)) % 360
    ring = 1.0 if 0.22 <= r <= 0.33 and not (20 <= angle <= 80) else 0.0
    dot = 1.0 if math.hypot(x - 0.5, y - 0.5) <= 0.08 else 0.0
    return tile, max(ring, dot)


def icon(size: int) -> bytes:
    """RGBA PNG bytes of the icon at size×size."""
    rows = []
    n = SUPERSAMPLE
    for py in range(size):
        row = bytearray([0])  # filter type: none
        for px in range(size):
            tile = ring = 0.0
            for sy in range(n):
                for sx in range(n):
                    t, r = _coverage((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)
                    tile += t
                    ring += r * t
            tile, ring = tile / n / n, ring / n / n
            color = [round(c * (1 - ring / tile) + 255 * ring / tile) if tile else 0 for c in TILE]
            row += bytes([*color, round(255 * tile)])
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "extension" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        (out / f"icon-{size}.png").write_bytes(icon(size))


if __name__ == "__main__":
    main()
