"""Icons from ``resources/``: found in a checkout and inside the installed wheel.

In a checkout the SVGs live in ``<repo>/resources/``; the wheel ships the same folder as
``animaze_panel/resources/`` (see ``pyproject.toml``). The toolbar icons are monochrome line
drawings using ``currentColor``; :func:`icon` paints them in the current palette's text colour so
they read well in the dark and the light theme (call :func:`clear_cache` after a theme switch).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SIZES = (16, 24, 32, 48)


@cache
def resources_dir() -> Path:
    """The folder holding the SVG icons (installed package first, then the checkout).

    Raises:
        FileNotFoundError: Neither location exists (a broken install).
    """
    package = Path(__file__).resolve().parents[2]  # animaze_panel/
    for candidate in (package / "resources", package.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the panel's resources/ folder is missing")


NEUTRAL = "#8b8fa0"
"""Default icon colour: readable on the dark and the light palette alike."""


def text_color() -> QColor:
    """The palette's text colour (for icons that should match the text, e.g. the tool bar)."""
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app.palette().color(QPalette.ColorRole.WindowText)
    return QColor("#444444")


@cache
def _render(name: str, color: str) -> QIcon:
    path = resources_dir() / f"{name}.svg"
    svg = path.read_text(encoding="utf-8").replace("currentColor", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    if not renderer.isValid():
        return result
    disabled = QColor(color)
    disabled.setAlphaF(0.35)
    faded = QSvgRenderer(QByteArray(svg.replace(color, disabled.name()).encode("utf-8")))
    for size in _SIZES:
        for mode, source in ((QIcon.Mode.Normal, renderer), (QIcon.Mode.Disabled, faded)):
            pixmap = QPixmap(QSize(size, size))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            if mode is QIcon.Mode.Disabled:
                painter.setOpacity(0.4)
            source.render(painter)
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """Return the icon ``resources/<name>.svg`` painted in ``color``.

    Args:
        name: File name without ``.svg`` (``"broadcast"``, ``"reconnect"``...).
        color: Stroke colour; :data:`NEUTRAL` by default (use :func:`text_color` for icons that
            are re-made on theme changes).

    Returns:
        The icon (an empty ``QIcon`` if the file is missing, so a typo never crashes the UI).
    """
    if isinstance(color, QColor):
        color = color.name()
    color = color or NEUTRAL
    try:
        return _render(name, color)
    except OSError:
        return QIcon()


def app_icon() -> QIcon:
    """The application icon (``resources/icon.png`` made by the installer build)."""
    for name in ("icon.svg", "icon.png"):
        path = resources_dir() / name
        if path.exists():
            return QIcon(str(path))
    return QIcon()


def clear_cache() -> None:
    """Forget rendered icons (after a theme switch, so new ones use the new colours)."""
    _render.cache_clear()
