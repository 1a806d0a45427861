"""AnimazePage: the Animaze side page - every Animaze dock, freely dockable inside the page.

An inner ``QMainWindow`` (its central widget hidden, so docks own the whole page) hosts the docks.
Default layout, three columns, laid out for the show rather than for debugging::

    +------------------+------------------------+--------------------+
    | Gallery |Quick-  | Emotes                 | Camera | Avatar    |
    | scenes (tabs)    +------------------------+  transform         |
    |                  | Avatar actions         +--------------------+
    |                  +------------------------+ Behaviours         |
    |                  | ChatPal                |                    |
    +------------------+------------------------+--------------------+

The traffic log and the app log are docked in the bottom area but closed by default (View > Docks
or Alt+9 / Alt+0 opens them). The main window saves and restores :meth:`saveState` of this page.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..session import AnimazeSession
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
        self.splitDockWidget(self.avatar_actions, self.chatpal, Qt.Orientation.Vertical)
        self.splitDockWidget(self.camera, self.behaviours, Qt.Orientation.Vertical)
        self.tabifyDockWidget(self.gallery, self.quickscenes)
        self.tabifyDockWidget(self.camera, self.avatar_transform)
        self.tabifyDockWidget(self.traffic_log, self.app_log)
        for dock in (
            self.gallery, self.quickscenes, self.emotes, self.avatar_actions, self.chatpal,
            self.camera, self.avatar_transform, self.behaviours, self.traffic_log, self.app_log,
        ):
            self._register(dock)
        self.raise_defaults()
        self.resizeDocks(
            [self.gallery, self.emotes, self.camera], [520, 560, 500], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.emotes, self.avatar_actions, self.chatpal], [300, 250, 250],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.camera, self.behaviours], [380, 420], Qt.Orientation.Vertical)
        self.resizeDocks([self.traffic_log], [190], Qt.Orientation.Vertical)
        # The logs are one click away (View > Docks), not a fifth of the window by default.
        self.traffic_log.hide()
        self.app_log.hide()

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

    def raise_defaults(self) -> None:
        """Bring the default tab of each tab group to the front."""
        for dock in (self.gallery, self.camera, self.traffic_log):
            dock.raise_()

    def _register(self, dock: QDockWidget) -> None:
        if dock not in self._docks:
            self._docks.append(dock)
            self.dockAdded.emit(dock)
