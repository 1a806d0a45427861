"""MainWindow: the panel's window - side bar and pages, tool bar, banner, menus, saved layout.

::

    +------+-----------------------------------------------------------+
    | tool bar: connection, address, reconnect, broadcast (ON AIR)...  |
    +------+-----------------------------------------------------------+
    | Ani- |                                                           |
    | maze |  the current page: the Animaze page (every Animaze dock,  |
    | Kine-|  see ui/animaze/page.py) or a cloud page, which gets the   |
    | tix  |  whole area                                               |
    | ...  |                                                           |
    +------+-----------------------------------------------------------+
    | status bar                                                        |
    +------------------------------------------------------------------+

Pages are switched from the side bar, View > Pages or Ctrl+1..4; cloud pages join with
:meth:`MainWindow.add_page` (a page that is not built does not get a tab). Every Animaze dock is
movable, closable and listed in View > Docks (Alt+1...). Geometry, tool bars, the dock layout
and the page on screen are saved on close and restored on start (after every dock and page,
including ones added by extensions, exists; call :meth:`MainWindow.restore_layout`).
View > Reset layout goes back to the default.
"""

from __future__ import annotations

import asyncio
import logging
import platform
from html import escape
from pathlib import Path

import PySide6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal, qVersion
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QIcon,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QCompleter,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from .. import __version__
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
from .animaze.page import STATE_VERSION, AnimazePage
from .animaze.quickscenes_dock import QuickscenesDock
from .animaze.traffic_log_dock import TrafficLogDock
from .pages import ClosablePage, PageKey
from .session import AnimazeSession
from .side_bar import SideBar
from .widgets import resources
from .widgets.connection_banner import ConnectionBanner
from .widgets.on_air import OnAirLabel
from .widgets.theme import ThemeManager, ThemeMode

log = logging.getLogger(__name__)

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
PAGE_CLOSE_TIMEOUT = 5.0
"""Seconds each page may take to close its cloud session on quit."""
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
    """The panel's main window: side bar, pages, toolbar, menus, status bar, saved layout."""

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
        """Build the window, the Animaze page and its docks (call :meth:`restore_layout` last).

        Args:
            session: The shared Animaze session.
            settings: Where layout, theme and the last URL are kept (tests pass an INI file).
            theme: The app's theme manager (View > Theme is hidden without one).
            remember_url: Save addresses typed in the toolbar as the last URL (off in demo).
            icon_cache_dir: Disk cache of item icons (platformdirs cache by default).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Animaze Panel")
        self.setWindowIcon(resources.app_icon())
        self.session = session
        self.settings = settings
        self.theme = theme
        self.remember_url = remember_url
        self._restored = False
        self._closing = False
        self.about_box: QMessageBox | None = None
        self._pages: dict[PageKey, QWidget] = {}
        self._page_actions: dict[PageKey, QAction] = {}

        self.animaze_page = AnimazePage(session, icon_cache_dir=icon_cache_dir)
        page = self.animaze_page
        self.gallery: GalleryDock = page.gallery
        self.quickscenes: QuickscenesDock = page.quickscenes
        self.emotes: EmotesDock = page.emotes
        self.avatar_actions: AvatarActionsDock = page.avatar_actions
        self.camera: CameraDock = page.camera
        self.avatar_transform: AvatarTransformDock = page.avatar_transform
        self.behaviours: BehavioursDock = page.behaviours
        self.chatpal: ChatPalDock = page.chatpal
        self.traffic_log: TrafficLogDock = page.traffic_log
        self.app_log: AppLogDock = page.app_log

        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._build_status_bar()
        self._build_pages()
        page.dockAdded.connect(self._register)
        page.build_default_layout()
        self.resize(DEFAULT_SIZE)

        session.stateChanged.connect(self._on_state)
        messages.bridge().shown.connect(self._on_message)
        session.model.broadcastChanged.connect(self._show_broadcast)
        self._on_state(session.state)
        if theme is not None:
            theme.changed.connect(self._on_theme_changed)
        self._on_theme_changed(True)

    # ------------------------------------------------------------------ pages

    def add_page(self, key: PageKey, title: str, icon: QIcon, widget: QWidget) -> None:
        """Add a side page (it gets the whole area right of the side bar; Ctrl+number shows it).

        Args:
            key: Which page; each key can be added once.
            title: The side-bar label (short: one word).
            icon: The side-bar icon.
            widget: The page; if it implements :class:`~.pages.ClosablePage` it is closed by
                :meth:`close_pages` on quit.

        Raises:
            ValueError: ``key`` already has a page.
        """
        if key in self._pages:
            raise ValueError(f"the {key.value} page exists already")
        if not widget.objectName():
            widget.setObjectName(f"{key.value}Page")
        self._pages[key] = widget
        self.page_stack.addWidget(widget)
        self.side_bar.add_page(key, title, icon)
        action = self._page_actions[key]
        action.setText(f"&{key.number} {title}")
        action.setIcon(icon)
        action.setVisible(True)
        action.setEnabled(True)

    def page(self, key: PageKey) -> QWidget | None:
        """The page added for ``key``, or ``None`` if it does not exist (yet)."""
        return self._pages.get(key)

    def pages(self) -> list[PageKey]:
        """The pages that exist, in side-bar order."""
        return self.side_bar.keys()

    def page_action(self, key: PageKey) -> QAction:
        """View > Pages' action for ``key`` (hidden and disabled until the page is added)."""
        return self._page_actions[key]

    def current_page(self) -> PageKey:
        """The page on screen."""
        for key, widget in self._pages.items():
            if widget is self.page_stack.currentWidget():
                return key
        return PageKey.ANIMAZE

    def show_page(self, key: PageKey) -> None:
        """Bring ``key``'s page to the front (ignored for a page that does not exist)."""
        widget = self._pages.get(key)
        if widget is None:
            return
        self.page_stack.setCurrentWidget(widget)
        self.side_bar.set_current(key)
        self._page_actions[key].setChecked(True)
        # Cloud pages do not need Animaze: the tool bar's state is enough there.
        self.banner.set_allowed(key is PageKey.ANIMAZE)

    async def close_pages(self, timeout: float = PAGE_CLOSE_TIMEOUT) -> None:
        """Await :meth:`~.pages.ClosablePage.aclose` of every page that has one (on quit).

        Each page gets ``timeout`` seconds; a page that fails or hangs is logged and skipped so
        the others still close their sessions.
        """
        for key, widget in self._pages.items():
            if not isinstance(widget, ClosablePage):
                continue
            try:
                await asyncio.wait_for(widget.aclose(), timeout)
            except TimeoutError:
                log.error("The %s page did not close within %g s", key.value, timeout)
            except Exception:
                log.exception("Closing the %s page failed", key.value)

    # ------------------------------------------------------------------ docks and layout

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea,
        *,
        tabify_with: QDockWidget | None = None,
    ) -> None:
        """Add ``dock`` to the Animaze page with a View-menu toggle (Alt+N for the first nine).

        Args:
            dock: A dock with a stable ``objectName`` (saveState needs it).
            area: Where it goes by default.
            tabify_with: Put it as a tab next to this dock instead of splitting the area.

        Raises:
            ValueError: The dock has no ``objectName``.
        """
        self.animaze_page.add_dock(dock, area, tabify_with=tabify_with)

    def docks(self) -> list[QDockWidget]:
        """Every dock of the Animaze page, in View-menu order."""
        return self.animaze_page.docks()

    def restore_layout(self, reset: bool = False) -> bool:
        """Remember the default layout, then restore the saved one (unless ``reset``).

        Also shows the page that was on screen when the panel last closed.

        Returns:
            Whether a saved dock layout was applied.
        """
        page = self.animaze_page
        page.remember_default()
        self._restored = True
        stored_tile = self.settings.value(TILE_SIZE_KEY)
        if stored_tile is not None and str(stored_tile).isdigit():
            self.animaze_page.tile_size.set(int(str(stored_tile)))
        last = PageKey.parse(self.settings.value(PAGE_KEY))
        self.show_page(last if last is not None and not reset else PageKey.ANIMAZE)
        geometry = self.settings.value(GEOMETRY_KEY)
        state = self.settings.value(STATE_KEY)
        if reset or not isinstance(state, QByteArray | bytes):
            self._fit_default_geometry()
            return False
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self._fit_default_geometry()
        bars = self.settings.value(BARS_KEY)
        if isinstance(bars, QByteArray | bytes):
            self.restoreState(QByteArray(bars), STATE_VERSION)
        return page.restore(QByteArray(state))

    def reset_layout(self) -> None:
        """Go back to the default dock layout (logs closed, every other dock visible)."""
        self.animaze_page.reset()
        self.show_page(PageKey.ANIMAZE)
        self.statusBar().showMessage("Layout reset", MESSAGE_MS)

    def save_layout(self) -> None:
        """Persist geometry, tool bars, the dock layout and the page on screen."""
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(BARS_KEY, self.saveState(STATE_VERSION))
        self.settings.setValue(STATE_KEY, self.animaze_page.saveState(STATE_VERSION))
        self.settings.setValue(PAGE_KEY, self.current_page().value)
        self.settings.setValue(TILE_SIZE_KEY, self.animaze_page.tile_size.value)
        self.settings.sync()

    def bring_to_front(self) -> None:
        """Show the window on top (a second ``animaze-panel`` start asked for it)."""
        log.info("Another start of the panel asked for this window: bringing it to the front")
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

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
        self.broadcast_action.setToolTip(
            "Start or stop Animaze's virtual camera (Ctrl+B). Animaze does not report it: "
            "the button shows what this panel last set."
        )
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

        self.bigger_tiles_action = QAction("&Bigger tiles", self)
        self.bigger_tiles_action.setObjectName("biggerTilesAction")
        self.bigger_tiles_action.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.bigger_tiles_action.setToolTip("Bigger emote and action tiles (also Ctrl+wheel)")
        self.bigger_tiles_action.triggered.connect(lambda: self.animaze_page.tile_size.step(1))
        self.smaller_tiles_action = QAction("&Smaller tiles", self)
        self.smaller_tiles_action.setObjectName("smallerTilesAction")
        self.smaller_tiles_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.smaller_tiles_action.triggered.connect(lambda: self.animaze_page.tile_size.step(-1))

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
        self.pages_menu = self.view_menu.addMenu("&Pages")
        group = QActionGroup(self)
        for key in PageKey:
            action = QAction(key.value.title(), self, checkable=True)
            action.setObjectName(f"page{key.value.title()}Action")
            action.setShortcut(QKeySequence(f"Ctrl+{key.number}"))
            action.triggered.connect(lambda _c=False, k=key: self.show_page(k))
            action.setVisible(False)  # until the page is added
            action.setEnabled(False)
            group.addAction(action)
            self.pages_menu.addAction(action)
            self._page_actions[key] = action
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
        self.view_menu.addAction(self.bigger_tiles_action)
        self.view_menu.addAction(self.smaller_tiles_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.reset_layout_action)
        self.settings_menu = bar.addMenu("&Settings")  # features add their settings here
        help_menu = bar.addMenu("&Help")
        self.about_action = help_menu.addAction("&About Animaze Panel")
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self._about)

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
        self.on_air_label = OnAirLabel("onAirIndicator", self)
        self.on_air_toolbar_action = tb.addWidget(self.on_air_label)
        self.on_air_toolbar_action.setVisible(False)
        tb.addAction(self.calibrate_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbars_menu.addAction(tb.toggleViewAction())

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        status.setObjectName("statusBar")
        self.status_state = QLabel(self)
        self.status_state.setObjectName("statusConnection")
        self.status_on_air = OnAirLabel("statusOnAir", self)
        self.status_on_air.setVisible(False)
        status.addPermanentWidget(self.status_on_air)
        status.addPermanentWidget(self.status_state)

    def _build_pages(self) -> None:
        central = QWidget(self)
        central.setObjectName("pagesArea")
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.side_bar = SideBar(central)
        self.side_bar.pageRequested.connect(self.show_page)
        self.page_stack = QStackedWidget(central)
        self.page_stack.setObjectName("pageStack")
        row.addWidget(self.side_bar)
        row.addWidget(self.page_stack, 1)
        self.setCentralWidget(central)
        # The banner floats over the bottom of the page area (see connection_banner.py).
        self.banner = ConnectionBanner(self.session, central)
        self.banner.changeAddressRequested.connect(self.focus_address)
        self.banner.overlay(self.page_stack)
        self.add_page(PageKey.ANIMAZE, "Animaze", resources.icon("avatar"), self.animaze_page)

    def _register(self, dock: QDockWidget) -> None:
        toggle = dock.toggleViewAction()
        number = len(self.animaze_page.docks())
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
        done = "Virtual camera broadcast on" if on else "Virtual camera broadcast off"
        if await self.session.call(Broadcast(toggle=on), done=done) is None:
            # Animaze did not switch: show the state as last set again without re-sending.
            self._show_broadcast(self.session.model.broadcast)

    @property
    def on_air(self) -> bool:
        """Whether the ON AIR marks are shown (broadcast on, as last set by this panel)."""
        return self.status_on_air.isVisibleTo(self)

    def _show_broadcast(self, on: bool) -> None:
        """Show broadcast as the state model has it (set here, by a hotkey or a macro).

        Animaze cannot report it, so this follows the Broadcast requests it accepted.
        """
        self.on_air_toolbar_action.setVisible(on)
        self.status_on_air.setVisible(on)
        if self.broadcast_action.isChecked() != on:
            self.broadcast_action.blockSignals(True)
            self.broadcast_action.setChecked(on)
            self.broadcast_action.blockSignals(False)

    def _on_calibrate(self) -> None:
        self.session.spawn(self.session.call(CalibrateTracker(), done="Tracker calibrated"))

    def _on_url_entered(self) -> None:
        try:
            url = validate_url(self.url_edit.text())
        except ValueError as exc:
            self._mark_invalid(True)
            self.url_edit.setToolTip(f"Animaze address: {exc}")
            self.statusBar().showMessage(f"⚠ Animaze address: {exc}", MESSAGE_MS)
            return  # what the user typed stays
        self._mark_invalid(False)
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

    def _mark_invalid(self, invalid: bool) -> None:
        """Frame the address field in the theme's error colour (style sheet rule)."""
        self.url_edit.setProperty("invalid", invalid)
        self.url_edit.style().unpolish(self.url_edit)
        self.url_edit.style().polish(self.url_edit)

    def about_text(self) -> str:
        """Help > About's text: what the panel is and the versions a bug report needs."""
        return (
            f"<b>Animaze Panel {escape(__version__)}</b><br>A control panel for the Animaze "
            "avatar app over its WebSocket API.<br><br>Enable the API in Animaze: Settings "
            "&gt; Animaze API.<br><br>"
            f"Qt {escape(qVersion())} · PySide6 {escape(PySide6.__version__)} · "
            f"Python {escape(platform.python_version())}<br>"
            f"{escape(platform.system())} {escape(platform.release())} "
            f"({escape(QGuiApplication.platformName())})"
        )

    def _about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About Animaze Panel")
        box.setIconPixmap(resources.app_icon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_box = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Save the layout, detach the log handler and tell the app to shut down."""
        if not self._closing:
            self._closing = True
            if self._restored:
                self.save_layout()
            self.app_log.detach()
            self.animaze_page.shutdown()
            self.closed.emit()
        super().closeEvent(event)
