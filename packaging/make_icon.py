"""Generate the app icon: resources/icon.svg, resources/icon.png and resources/icon.ico.

The SVG is the source of truth and is written from Python so the design stays reviewable as code.
Qt's SVG renderer (already a dependency) rasterises it; no Pillow needed. The .ico holds
16, 32 and 48 px images as classic 32-bit DIBs (what every Windows shell and NSIS's icon
replacement understand) and the 256 px image as PNG (the Vista+ convention; a 256 px DIB would
be 256 KiB).

Run: ``uv run python packaging/make_icon.py`` (output is deterministic; commit the results).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
ICO_SIZES = (16, 32, 48, 256)

# Design: a violet-to-magenta rounded tile (streaming colours) holding a white avatar face with
# two eyes and a smile, and a small "live" dot top right. Readable at 16 px: the face is a large
# white disc and the eyes are big enough to survive the downscale.
SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#6a3df0"/>
      <stop offset="1" stop-color="#e0359b"/>
    </linearGradient>
  </defs>
  <rect x="8" y="8" width="240" height="240" rx="52" ry="52" fill="url(#bg)"/>
  <circle cx="128" cy="136" r="84" fill="#ffffff"/>
  <ellipse cx="98" cy="122" rx="15" ry="21" fill="#2b1a5e"/>
  <ellipse cx="158" cy="122" rx="15" ry="21" fill="#2b1a5e"/>
  <path d="M 88 164 Q 128 204 168 164" fill="none" stroke="#2b1a5e" stroke-width="14"
        stroke-linecap="round"/>
  <circle cx="208" cy="48" r="22" fill="#ff4d4d" stroke="#ffffff" stroke-width="8"/>
</svg>
"""


def dib_entry(width: int, bgra_top_down: bytes) -> bytes:
    """Encode one square icon image as an ICO DIB (BITMAPINFOHEADER + XOR + AND mask).

    Args:
        width: Edge length in pixels.
        bgra_top_down: ``width * width * 4`` bytes of premultiplication-free BGRA, top row first.

    Returns:
        The bytes of the image as stored inside an .ico file.
    """
    row = width * 4
    rows = [bgra_top_down[i * row : (i + 1) * row] for i in range(width)]
    xor = b"".join(reversed(rows))  # DIBs are bottom-up
    # The AND mask is ignored for 32-bit images with alpha but must be present; rows are padded
    # to 32 bits. All zero = "use the alpha channel".
    and_row = ((width + 31) // 32) * 4
    and_mask = bytes(and_row * width)
    header = struct.pack(
        "<IiiHHIIiiII", 40, width, width * 2, 1, 32, 0, len(xor) + len(and_mask), 0, 0, 0, 0
    )
    return header + xor + and_mask


def build_ico(images: dict[int, bytes]) -> bytes:
    """Pack already-encoded images (DIB or PNG bytes) keyed by size into an .ico file.

    Args:
        images: Edge length in pixels -> encoded image bytes.

    Returns:
        The .ico file contents.
    """
    sizes = sorted(images)
    out = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    blobs = []
    for size in sizes:
        blob = images[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in ICONDIRENTRY
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs.append(blob)
    return out + b"".join(blobs)


def render(size: int) -> tuple[bytes, bytes]:
    """Rasterise the SVG at ``size`` px with Qt.

    Returns:
        (PNG bytes, raw top-down BGRA bytes).
    """
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(SVG.encode()))
    image = QImage(size, size, QImage.Format.Format_ARGB32)  # BGRA in memory on little-endian
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    raw = bytes(image.constBits())[: size * size * 4]
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; it wants str
    return bytes(buf.data().data()), raw


def main() -> int:
    """Write resources/icon.{svg,png,ico}."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    RESOURCES.mkdir(exist_ok=True)
    (RESOURCES / "icon.svg").write_text(SVG, encoding="utf-8")
    images: dict[int, bytes] = {}
    for size in ICO_SIZES:
        png, raw = render(size)
        images[size] = png if size >= 256 else dib_entry(size, raw)
        if size == 256:
            (RESOURCES / "icon.png").write_bytes(png)
    (RESOURCES / "icon.ico").write_bytes(build_ico(images))
    del app
    for name in ("icon.svg", "icon.png", "icon.ico"):
        print(f"{RESOURCES / name}: {(RESOURCES / name).stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
