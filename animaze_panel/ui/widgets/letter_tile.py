"""Lettered tiles: the picture shown for an item until (or instead of) its real icon.

A rounded square in a colour derived from the item's name, with its initial. The same name
always gets the same colour, so a streamer learns the tiles even before the icons arrive.
"""

from __future__ import annotations

import hashlib
from functools import cache

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap


def initial(name: str) -> str:
    """The letter (or digit) a tile shows for ``name``; ``?`` when it has none."""
    return next((c for c in name if c.isalnum()), "?").upper()


@cache
def placeholder(text: str, size: int, seed: str = "") -> QPixmap:
    """A tinted ``size`` px tile showing ``text`` (one or two characters).

    Args:
        text: What the tile shows (usually :func:`initial`).
        size: Side in pixels.
        seed: Picks the colour (defaults to ``text``; pass the full name for variety).
    """
    digest = hashlib.sha1((seed or text).encode("utf-8"), usedforsecurity=False).digest()
    color = QColor.fromHsv(digest[0] * 360 // 256, 90, 150)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(color)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRect(0, 0, size, size), size / 8, size / 8)
    font = QFont()
    font.setPixelSize(max(6, size // 2))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(255, 255, 255, 220))
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, text.upper())
    painter.end()
    return pixmap


@cache
def placeholder_icon(text: str, size: int, seed: str = "") -> QIcon:
    """:func:`placeholder` as an icon (views scale icons to their icon size)."""
    return QIcon(placeholder(text, size, seed))
