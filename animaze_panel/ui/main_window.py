"""MainWindow: the panel's window - every dock, the toolbar, the banner, menus, saved layout.

Default layout on a 1600x1000 screen (three columns over a full-width log strip)::

    +------------------+------------------------+--------------------+
    | Gallery |Quick-  | Emotes                 | Camera | Avatar    |
    | scenes |Kinetix  +------------------------+  transform         |
    |  (tabs)          | Avatar actions         +--------------------+
    |                  +------------------------+ Behaviours         |
    |                  | ChatPal                |                    |
    +------------------+------------------------+--------------------+
    | Traffic log | App log (tabs)                                   |
    +-----------------------------------------------------------------+

Every dock is movable, closable and listed in the View menu (Alt+1...). The layout and geometry
are saved with ``saveState``/``saveGeometry`` on close and restored on start (after every dock,
including ones added later with :meth:`MainWindow.add_dock`, exists; call
:meth:`MainWindow.restore_layout`). View > Reset layout goes back to the default.

The central widget is hidden: docks own the whole window. The connection banner lives in a
full-width, fixed tool bar under the main tool bar so it never covers controls.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from ..animaze.address import LAST_URL_KEY, validate_url
from ..animaze.client import ConnectionState
from ..animaze.requests import Broadcast, CalibrateTracker
from . import messages
from .animaze.app_log_dock import AppLogDock
from .animaze.avatar_actions_dock import AvatarActionsDock
from .animaze.avatar_transform_dock import AvatarTransformDock
from .animaze.behaviours_dock import BehavioursDock
from .animaze.camera_dock import CameraDock
from .animaze.chatpal_dock import ChatPalDock
from .animaze.emotes_dock import EmotesDock
from .animaze.gallery_dock import GalleryDock
from .animaze.quickscenes_dock import QuickscenesDock
from .animaze.traffic_log_dock import TrafficLogDock
from .session import AnimazeSession
from .widgets import resources
from .widgets.connection_banner import ConnectionBanner
from .widgets.theme import ThemeManager, ThemeMode

log = logging.getLogger(__name__)

STATE_VERSION = 3
"""Bump when the default layout changes so old saved layouts are not forced onto new docks."""
DEFAULT_SIZE = QSize(1600, 1000)
GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
RECENT_URLS_KEY = "connection/recentUrls"
THEME_KEY = "view/theme"
MESSAGE_MS = 8000

_STATE_TEXT = {
    ConnectionState.CONNECTED: ("connected", "● Connected"),
    ConnectionState.CONNECTING: ("connecting", "● Connecting…"),
    ConnectionState.RECONNECTING: ("connecting", "● Reconnecting…"),
    ConnectionState.DISCONNECTED: ("disconnected", "● Disconnected"),
}


class MainWindow(QMainWindow):
    """The panel's main window (exposes :attr:`session` and :meth:`add_dock`)."""

    closed = Signal()

    def __init__(
        self,
        session: AnimazeSession,
        settings: QSettings,
        theme: ThemeManager | None = None,
        *,
        remember_url: bool = True,
        icon_cache_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the window and every dock (call :meth:`restore_layout` once docks are added).

        Args:
            session: The shared Animaze session.
            settings: Where layout, theme and the last URL are kept (tests pass an INI file).
            theme: The app's theme manager (View > Theme is hidden without one).
            remember_url: Save addresses typed in the toolbar as the last URL (off in demo).
            icon_cache_dir: Disk cache of gallery icons (platformdirs cache by default).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Animaze Panel")
        self.setWindowIcon(resources.app_icon())
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowNestedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.session = session
        self.settings = settings
        self.theme = theme
        self.remember_url = remember_url
        self._dock_list: list[QDockWidget] = []
        self._default_state: QByteArray | None = None
        self._restored = False
        self._closing = False

        placeholder = QWidget(self)
        placeholder.setObjectName("centralPlaceholder")
        self.setCentralWidget(placeholder)
        placeholder.hide()

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

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._build_status_bar()
        self._default_layout()

        session.stateChanged.connect(self._on_state)
        messages.bridge().shown.connect(self._on_message)
        self._on_state(session.state)
        if theme is not None:
            theme.changed.connect(self._on_theme_changed)
        self._on_theme_changed(True)

    # ------------------------------------------------------------------ public API

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea,
        *,
        tabify_with: QDockWidget | None = None,
    ) -> None:
        """Add ``dock`` in ``area`` with a View-menu toggle (Alt+N for the first nine).

        Args:
            dock: A dock with a stable ``objectName`` (saveState needs it).
            area: Where it goes by default.
            tabify_with: Put it as a tab next to this dock instead of splitting the area.
        """
        if not dock.objectName():
            raise ValueError("a dock needs an objectName to be saved and restored")
        if tabify_with is not None:
            self.addDockWidget(self.dockWidgetArea(tabify_with), dock)
            self.tabifyDockWidget(tabify_with, dock)
        else:
            self.addDockWidget(area, dock)
        self._register(dock)
        if self._restored:
            self.restoreDockWidget(dock)  # a saved spot for a dock added after restore

    def docks(self) -> list[QDockWidget]:
        """Every dock, in View-menu order."""
        return list(self._dock_list)

    def restore_layout(self, reset: bool = False) -> bool:
        """Remember the default layout, then restore the saved one (unless ``reset``).

        Returns:
            Whether a saved layout was applied.
        """
        self._raise_defaults()  # docks added by extensions may have taken the front
        self._default_state = self.saveState(STATE_VERSION)
        self._restored = True
        geometry = self.settings.value(GEOMETRY_KEY)
        state = self.settings.value(STATE_KEY)
        if reset or not isinstance(state, QByteArray | bytes):
            self._fit_default_geometry()
            return False
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self._fit_default_geometry()
        ok = self.restoreState(QByteArray(state), STATE_VERSION)
        self.banner.sync_visibility()
        return ok

    def reset_layout(self) -> None:
        """Go back to the default dock layout (every dock visible)."""
        if self._default_state is not None:
            self.restoreState(self._default_state, STATE_VERSION)
        self._raise_defaults()
        for dock in self._dock_list:
            dock.setVisible(True)
        self.banner.sync_visibility()
        self.statusBar().showMessage("Layout reset", MESSAGE_MS)

    def save_layout(self) -> None:
        """Persist geometry and dock layout."""
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState(STATE_VERSION))
        self.settings.sync()

    def focus_address(self) -> None:
        """Put the cursor in the Animaze address field (File > Connect to, banner button)."""
        self.main_toolbar.setVisible(True)
        self.url_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.url_edit.selectAll()

    # ------------------------------------------------------------------ building

    def _build_actions(self) -> None:
        self.reconnect_action = QAction(resources.icon("reconnect"), "&Reconnect", self)
        self.reconnect_action.setObjectName("reconnectAction")
        self.reconnect_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reconnect_action.setToolTip("Reconnect to Animaze now (F5)")
        self.reconnect_action.triggered.connect(self.session.reconnect)

        self.broadcast_action = QAction(resources.icon("broadcast"), "&Broadcast", self)
        self.broadcast_action.setObjectName("broadcastAction")
        self.broadcast_action.setCheckable(True)
        self.broadcast_action.setShortcut(QKeySequence("Ctrl+B"))
        self.broadcast_action.setToolTip("Start or stop Animaze's virtual camera (Ctrl+B)")
        self.broadcast_action.toggled.connect(self._on_broadcast_toggled)

        self.calibrate_action = QAction(resources.icon("calibrate"), "&Calibrate tracker", self)
        self.calibrate_action.setObjectName("calibrateAction")
        self.calibrate_action.setShortcut(QKeySequence("Ctrl+K"))
        self.calibrate_action.setToolTip("Re-centre the face tracker (Ctrl+K)")
        self.calibrate_action.triggered.connect(self._on_calibrate)

        self.address_action = QAction("Connect to &address…", self)
        self.address_action.setShortcut(QKeySequence("Ctrl+L"))
        self.address_action.triggered.connect(self.focus_address)

        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

        self.reset_layout_action = QAction(resources.icon("layout"), "&Reset layout", self)
        self.reset_layout_action.triggered.connect(self.reset_layout)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.address_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        animaze = bar.addMenu("&Animaze")
        for action in (self.reconnect_action, self.broadcast_action, self.calibrate_action):
            animaze.addAction(action)
        self.view_menu = bar.addMenu("&View")
        self.docks_menu = self.view_menu.addMenu("&Docks")
        self.toolbars_menu = self.view_menu.addMenu("&Tool bars")
        if self.theme is not None:
            theme_menu = self.view_menu.addMenu(resources.icon("theme"), "T&heme")
            group = QActionGroup(self)
            self.theme_actions: dict[ThemeMode, QAction] = {}
            for mode, label in (
                (ThemeMode.SYSTEM, "Follow &system"),
                (ThemeMode.DARK, "&Dark"),
                (ThemeMode.LIGHT, "&Light"),
            ):
                action = QAction(label, self, checkable=True)
                action.setObjectName(f"theme{mode.value.title()}Action")
                action.setChecked(mode is self.theme.mode)
                action.triggered.connect(lambda _c=False, m=mode: self.set_theme(m))
                group.addAction(action)
                theme_menu.addAction(action)
                self.theme_actions[mode] = action
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.reset_layout_action)
        help_menu = bar.addMenu("&Help")
        about = help_menu.addAction("&About Animaze Panel")
        about.triggered.connect(self._about)

    def _build_toolbars(self) -> None:
        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolBar")
        tb.setIconSize(QSize(20, 20))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.main_toolbar = tb
        self.state_label = QLabel(self)
        self.state_label.setObjectName("connectionIndicator")
        self.state_label.setMinimumWidth(130)
        tb.addWidget(self.state_label)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setText(self.session.url)
        self.url_edit.setMinimumWidth(220)
        self.url_edit.setMaximumWidth(320)
        self.url_edit.setToolTip("Animaze API address (Ctrl+L); Enter connects")
        self.url_edit.setPlaceholderText("ws://localhost:9000")
        recent = self.settings.value(RECENT_URLS_KEY, [])
        if isinstance(recent, list):
            self.url_edit.setCompleter(QCompleter([str(u) for u in recent], self.url_edit))
        self.url_edit.returnPressed.connect(self._on_url_entered)
        tb.addWidget(self.url_edit)
        tb.addAction(self.reconnect_action)
        tb.addSeparator()
        tb.addAction(self.broadcast_action)
        tb.addAction(self.calibrate_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbars_menu.addAction(tb.toggleViewAction())

        self.banner = ConnectionBanner(self.session, self)
        self.banner.changeAddressRequested.connect(self.focus_address)
        self.banner_bar = QToolBar("Connection", self)
        self.banner_bar.setObjectName("connectionBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.setFloatable(False)
        self.banner_bar.toggleViewAction().setVisible(False)
        self.banner_bar.setStyleSheet("QToolBar { border: 0; padding: 4px 6px; }")
        self.banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # Inside a tool bar the widget's action controls its visibility, not setVisible().
        self.banner_bar.addWidget(self.banner).setVisible(True)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.banner.set_host(self.banner_bar)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        self.status_state = QLabel(self)
        self.status_state.setObjectName("statusConnection")
        status.addPermanentWidget(self.status_state)

    def _default_layout(self) -> None:
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
        self._raise_defaults()
        self.resize(DEFAULT_SIZE)
        self.resizeDocks(
            [self.gallery, self.emotes, self.camera],
            [520, 560, 500],
            Qt.Orientation.Horizontal,
        )
        self.resizeDocks([self.emotes, self.avatar_actions, self.chatpal], [300, 250, 250],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.camera, self.behaviours], [380, 420], Qt.Orientation.Vertical)
        self.resizeDocks([self.traffic_log], [190], Qt.Orientation.Vertical)

    def _raise_defaults(self) -> None:
        for dock in (self.gallery, self.camera, self.traffic_log):
            dock.raise_()

    def _register(self, dock: QDockWidget) -> None:
        if dock in self._dock_list:
            return
        self._dock_list.append(dock)
        toggle = dock.toggleViewAction()
        number = len(self._dock_list)
        if number <= 9:
            toggle.setShortcut(QKeySequence(f"Alt+{number}"))
        self.docks_menu.addAction(toggle)

    def _fit_default_geometry(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = QSize(DEFAULT_SIZE)
        if screen is not None:
            available = screen.availableGeometry()
            size = size.boundedTo(available.size())
            self.resize(size)
            frame = self.frameGeometry()
            frame.moveCenter(available.center())
            self.move(frame.topLeft())
        else:
            self.resize(size)

    # ------------------------------------------------------------------ behaviour

    def set_theme(self, mode: ThemeMode) -> None:
        """Switch the app theme (View > Theme) and remember the choice."""
        if self.theme is None:
            return
        self.theme.set_mode(mode)
        self.settings.setValue(THEME_KEY, mode.value)
        self.theme_actions[mode].setChecked(True)

    def _on_theme_changed(self, _dark: bool) -> None:
        for name, action in (
            ("reconnect", self.reconnect_action),
            ("broadcast", self.broadcast_action),
            ("calibrate", self.calibrate_action),
            ("layout", self.reset_layout_action),
        ):
            action.setIcon(resources.icon(name, resources.text_color()))

    def _on_state(self, state: ConnectionState) -> None:
        kind, text = _STATE_TEXT[state]
        for label in (self.state_label, self.status_state):
            label.setText(text)
            label.setProperty("state", kind)
            label.style().unpolish(label)
            label.style().polish(label)
        where = f"{text[2:]} — {self.session.url}"
        self.state_label.setToolTip(where)
        self.status_state.setText(f"{text}  {self.session.url}")
        connected = state is ConnectionState.CONNECTED
        self.broadcast_action.setEnabled(connected)
        self.calibrate_action.setEnabled(connected)
        self.banner.sync_visibility()
        if connected:
            self.statusBar().showMessage(f"Connected to Animaze at {self.session.url}", 4000)

    def _on_message(self, message: messages.Message) -> None:
        warn = message.level in (messages.Level.ERROR, messages.Level.WARNING)
        self.statusBar().showMessage(f"⚠ {message.text}" if warn else message.text, MESSAGE_MS)

    def _on_broadcast_toggled(self, on: bool) -> None:
        self.session.spawn(self._broadcast(on))

    async def _broadcast(self, on: bool) -> None:
        reply = await self.session.call(Broadcast(toggle=on))
        if reply is None:
            # Animaze did not switch: show the real state again without re-sending.
            self.broadcast_action.blockSignals(True)
            self.broadcast_action.setChecked(not on)
            self.broadcast_action.blockSignals(False)
            return
        self.statusBar().showMessage(
            "Virtual camera broadcast on" if on else "Virtual camera broadcast off", MESSAGE_MS
        )

    def _on_calibrate(self) -> None:
        self.session.spawn(self._calibrate())

    async def _calibrate(self) -> None:
        if await self.session.call(CalibrateTracker()) is not None:
            self.statusBar().showMessage("Tracker calibrated", MESSAGE_MS)

    def _on_url_entered(self) -> None:
        try:
            url = validate_url(self.url_edit.text())
        except ValueError as exc:
            self.url_edit.setProperty("invalid", True)
            self.url_edit.setStyleSheet("QLineEdit { border: 1px solid #ef4444; }")
            self.url_edit.setToolTip(f"Animaze address: {exc}")
            self.statusBar().showMessage(f"⚠ Animaze address: {exc}", MESSAGE_MS)
            return  # what the user typed stays
        self.url_edit.setStyleSheet("")
        self.url_edit.setToolTip("Animaze API address (Ctrl+L); Enter connects")
        self.url_edit.setText(url)
        if self.remember_url:
            self.settings.setValue(LAST_URL_KEY, url)
            recent = self.settings.value(RECENT_URLS_KEY, [])
            urls = [url] + [u for u in (recent if isinstance(recent, list) else []) if u != url]
            self.settings.setValue(RECENT_URLS_KEY, urls[:8])
        self.statusBar().showMessage(f"Connecting to {url}…", MESSAGE_MS)
        self.session.spawn(self.session.client.set_url(url))
        self._on_state(self.session.state)

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About Animaze Panel")
        box.setIconPixmap(resources.app_icon().pixmap(64, 64))
        box.setText(
            "<b>Animaze Panel</b><br>A control panel for the Animaze avatar app over its "
            "WebSocket API.<br><br>Enable the API in Animaze: Settings &gt; Animaze API."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Save the layout, detach the log handler and tell the app to shut down."""
        if not self._closing:
            self._closing = True
            if self._restored:
                self.save_layout()
            self.app_log.detach()
            self.gallery.shutdown()
            self.closed.emit()
        super().closeEvent(event)
