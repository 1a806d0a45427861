"""AnimazePage: the Animaze side page - every Animaze dock, freely dockable inside the page.

An inner ``QMainWindow`` (its central widget hidden, so docks own the whole page) hosts the docks.
Default layout, three columns, laid out for the show rather than for debugging::

    +------------------+---------------------------+--------------------+
    | Gallery |Quick-  | Emotes (a deck of tiles)  | Camera | Avatar    |
    | scenes (tabs)    |                           | transform |        |
    |                  |                           | Behaviours (tabs)  |
    |                  +---------------------------+--------------------+
    |                  | Avatar actions (deck)     | ChatPal            |
    +------------------+---------------------------+--------------------+

The traffic log and the app log are docked in the bottom area but closed by default (View > Docks
or Alt+9 / Alt+0 opens them). The main window saves and restores :meth:`saveState` of this page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..session import AnimazeSession
from ..widgets.button_grid import ButtonGrid
from ..widgets.icon_cache import IconCache, default_cache_dir
from ..widgets.tile_size import MAX_TILE, TileSize
from .app_log_dock import AppLogDock
from .avatar_actions_dock import AvatarActionsDock
from .avatar_transform_dock import AvatarTransformDock
from .behaviours_dock import BehavioursDock
from .camera_dock import CameraDock
from .chatpal_dock import ChatPalDock
from .emotes_dock import EmotesDock
from .gallery_dock import GalleryDock
from .quickscenes_dock import QuickscenesDock
from .traffic_log_dock import TrafficLogDock

STATE_VERSION = 4
"""Bump when the default layout changes so old saved layouts are not forced onto new docks."""


class AnimazePage(QMainWindow):
    """The Animaze page (objectName ``animazePage``)."""

    dockAdded = Signal(QDockWidget)

    def __init__(
        self,
        session: AnimazeSession,
        *,
        icon_cache_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build every Animaze dock in the default layout.

        Args:
            session: The shared Animaze session.
            icon_cache_dir: Disk cache of item icons (platformdirs cache by default).
            parent: Qt parent (the main window's page stack).
        """
        super().__init__(parent)
        self.setObjectName("animazePage")
        # A page, not a top-level window: no menu bar or status bar of its own.
        self.setWindowFlags(Qt.WindowType.Widget)
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )
        placeholder = QWidget(self)
        placeholder.setObjectName("centralPlaceholder")
        self.setCentralWidget(placeholder)
        placeholder.hide()
        self._docks: list[QDockWidget] = []
        self._default_state: QByteArray | None = None
        self._size_defaults_on_show = True

        self.gallery = GalleryDock(session, self, cache_dir=icon_cache_dir)
        self.quickscenes = QuickscenesDock(session, self)
        self.emotes = EmotesDock(session, self)
        self.avatar_actions = AvatarActionsDock(session, self)
        self.camera = CameraDock(session, self)
        self.avatar_transform = AvatarTransformDock(session, self)
        self.behaviours = BehavioursDock(session, self)
        self.chatpal = ChatPalDock(session, self)
        self.traffic_log = TrafficLogDock(session, self)
        self.app_log = AppLogDock(session, self)

        # One tile size for every deck; deck icons are cached apart from the gallery's
        # thumbnails (another size under the same item names).
        self.tile_size = TileSize(parent=self)
        deck_dir = (icon_cache_dir if icon_cache_dir is not None else default_cache_dir()) / "deck"
        self.deck_icons = IconCache(
            session, deck_dir, size=round(MAX_TILE * self.devicePixelRatioF()), parent=self
        )
        for grid in self.findChildren(ButtonGrid):
            grid.bind_tile_size(self.tile_size)
        self.emotes.grid.set_icon_cache(self.deck_icons)

    def build_default_layout(self) -> None:
        """Place the built-in docks (call once, after :attr:`dockAdded` is connected)."""
        left, right, bottom = (
            Qt.DockWidgetArea.LeftDockWidgetArea,
            Qt.DockWidgetArea.RightDockWidgetArea,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.setCorner(Qt.Corner.BottomLeftCorner, bottom)
        self.setCorner(Qt.Corner.BottomRightCorner, bottom)
        self.addDockWidget(left, self.gallery)
        self.addDockWidget(left, self.emotes)
        self.addDockWidget(right, self.camera)
        self.addDockWidget(bottom, self.traffic_log)
        # Split first, tabify last: splitting a dock that already has tabs adds a tab instead.
        self.splitDockWidget(self.gallery, self.emotes, Qt.Orientation.Horizontal)
        self.splitDockWidget(self.emotes, self.avatar_actions, Qt.Orientation.Vertical)
        self.splitDockWidget(self.camera, self.chatpal, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.gallery, self.quickscenes)
        self.tabifyDockWidget(self.camera, self.avatar_transform)
        self.tabifyDockWidget(self.avatar_transform, self.behaviours)
        self.tabifyDockWidget(self.traffic_log, self.app_log)
        for dock in (
            self.gallery, self.quickscenes, self.emotes, self.avatar_actions, self.camera,
            self.avatar_transform, self.behaviours, self.chatpal, self.traffic_log, self.app_log,
        ):
            self._register(dock)
        self.raise_defaults()
        self.apply_default_sizes()
        self.resizeDocks([self.traffic_log], [190], Qt.Orientation.Vertical)
        # The logs are one click away (View > Docks), not a fifth of the window by default.
        self.traffic_log.hide()
        self.app_log.hide()

    def apply_default_sizes(self) -> None:
        """Share the page between the default columns and rows, in proportion to its size.

        The decks in the middle get the most room: they are what a streamer presses.
        """
        width = max(self.width(), 960)
        height = max(self.height(), 480)
        self.resizeDocks(
            [self.gallery, self.emotes, self.camera],
            [width * 26 // 100, width * 42 // 100, width * 32 // 100],
            Qt.Orientation.Horizontal,
        )
        rows = [height * 58 // 100, height * 42 // 100]
        self.resizeDocks([self.emotes, self.avatar_actions], rows, Qt.Orientation.Vertical)
        self.resizeDocks([self.camera, self.chatpal], rows, Qt.Orientation.Vertical)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """On the first show of the default layout, size the columns to the real page size."""
        super().showEvent(event)
        if self._size_defaults_on_show:
            self._size_defaults_on_show = False
            QTimer.singleShot(0, self.apply_default_sizes)

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea,
        *,
        tabify_with: QDockWidget | None = None,
    ) -> None:
        """Add ``dock`` in ``area`` (or as a tab beside ``tabify_with``).

        Raises:
            ValueError: The dock has no ``objectName`` (``saveState`` needs one).
        """
        if not dock.objectName():
            raise ValueError("a dock needs an objectName to be saved and restored")
        if tabify_with is not None:
            self.addDockWidget(self.dockWidgetArea(tabify_with), dock)
            self.tabifyDockWidget(tabify_with, dock)
        else:
            self.addDockWidget(area, dock)
        self._register(dock)
        if self._default_state is not None:
            self.restoreDockWidget(dock)  # a saved spot for a dock added after restore

    def docks(self) -> list[QDockWidget]:
        """Every dock, in View-menu order."""
        return list(self._docks)

    def remember_default(self) -> None:
        """Take the current arrangement as the default (View > Reset layout goes back to it)."""
        self.raise_defaults()  # docks added by extensions may have taken the front
        self._default_state = self.saveState(STATE_VERSION)

    def reset(self) -> None:
        """Go back to the default arrangement (the logs closed, every other dock visible)."""
        if self._default_state is not None:
            self.restoreState(self._default_state, STATE_VERSION)
        self.raise_defaults()
        for dock in self._docks:
            dock.setVisible(dock not in (self.traffic_log, self.app_log))
        self.apply_default_sizes()

    def restore(self, state: QByteArray) -> bool:
        """Apply a saved arrangement (its sizes win over the default proportions)."""
        self._size_defaults_on_show = False
        return self.restoreState(state, STATE_VERSION)

    def shutdown(self) -> None:
        """Stop fetching icons (on close)."""
        self.gallery.shutdown()
        self.deck_icons.shutdown()

    def raise_defaults(self) -> None:
        """Bring the default tab of each tab group to the front."""
        for dock in (self.gallery, self.camera, self.traffic_log):
            dock.raise_()

    def _register(self, dock: QDockWidget) -> None:
        if dock not in self._docks:
            self._docks.append(dock)
            self.dockAdded.emit(dock)
