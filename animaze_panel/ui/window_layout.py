"""The main window's saved layout: what is kept in ``QSettings`` on close and restored on start.

Kept: the window's geometry, its tool bars, the Animaze page's dock layout, the page on screen
and the deck's tile size. Without a saved dock layout (first start, View > Reset layout,
``--reset-layout``) the window gets its default size, fitted to and centred on its screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow

from .animaze.page import STATE_VERSION
from .pages import PageKey

if TYPE_CHECKING:
    from .main_window import MainWindow

DEFAULT_SIZE = QSize(1600, 1000)
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
"""The Animaze page's dock layout."""
BARS_KEY = "window/bars"
"""The main window's own state (its tool bars)."""
PAGE_KEY = "window/page"
"""The side page on screen when the panel last closed."""
TILE_SIZE_KEY = "view/tileSize"
"""The deck's icon size in pixels."""


def restore_layout(window: MainWindow, reset: bool) -> bool:
    """Remember the default dock layout, then restore the saved one (unless ``reset``).

    Also shows the page that was on screen when the panel last closed.

    Returns:
        Whether a saved dock layout was applied.
    """
    page, settings = window.animaze_page, window.settings
    page.remember_default()
    stored_tile = settings.value(TILE_SIZE_KEY)
    if stored_tile is not None and str(stored_tile).isdigit():
        page.tile_size.set(int(str(stored_tile)))
    last = PageKey.parse(settings.value(PAGE_KEY))
    window.show_page(last if last is not None and not reset else PageKey.ANIMAZE)
    geometry = settings.value(GEOMETRY_KEY)
    state = settings.value(STATE_KEY)
    if reset or not isinstance(state, QByteArray | bytes):
        fit_default_geometry(window)
        return False
    if isinstance(geometry, QByteArray | bytes):
        window.restoreGeometry(QByteArray(geometry))
    else:
        fit_default_geometry(window)
    bars = settings.value(BARS_KEY)
    if isinstance(bars, QByteArray | bytes):
        window.restoreState(QByteArray(bars), STATE_VERSION)
    return page.restore(QByteArray(state))


def save_layout(window: MainWindow) -> None:
    """Persist geometry, tool bars, the dock layout, the page on screen and the tile size."""
    settings = window.settings
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(BARS_KEY, window.saveState(STATE_VERSION))
    settings.setValue(STATE_KEY, window.animaze_page.saveState(STATE_VERSION))
    settings.setValue(PAGE_KEY, window.current_page().value)
    settings.setValue(TILE_SIZE_KEY, window.animaze_page.tile_size.value)
    settings.sync()


def fit_default_geometry(window: QMainWindow) -> None:
    """Give ``window`` its default size, bounded by its screen and centred on it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    size = QSize(DEFAULT_SIZE)
    if screen is not None:
        available = screen.availableGeometry()
        size = size.boundedTo(available.size())
        window.resize(size)
        frame = window.frameGeometry()
        frame.moveCenter(available.center())
        window.move(frame.topLeft())
    else:
        window.resize(size)
