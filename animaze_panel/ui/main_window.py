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
View > Reset layout goes back to the default. The menu bar is built in :mod:`.window_menus`,
the saved layout read and written in :mod:`.window_layout`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from ..animaze.observers import ConnectionState
from . import messages
from .about_box import open_about_box
from .animaze.app_log_dock import AppLogDock
from .animaze.avatar_actions_dock import AvatarActionsDock
from .animaze.avatar_transform_dock import AvatarTransformDock
from .animaze.behaviours_dock import BehavioursDock
from .animaze.camera_dock import CameraDock
from .animaze.chatpal_dock import ChatPalDock
from .animaze.emotes_dock import EmotesDock
from .animaze.gallery_dock import GalleryDock
from .animaze.page import AnimazePage
from .animaze.quickscenes_dock import QuickscenesDock
from .animaze.traffic_log_dock import TrafficLogDock
from .connection_bar import STATE_TEXT, ConnectionBar
from .page_area import PAGE_CLOSE_TIMEOUT, PageArea
from .pages import PageKey
from .say import SayRouter
from .session import AnimazeSession
from .widgets import resources
from .widgets.connection_banner import ConnectionBanner
from .widgets.on_air import OnAirLabel
from .widgets.say_box import SayBox
from .widgets.theme import ThemeManager, ThemeMode, set_tone
from .window_layout import DEFAULT_SIZE, restore_layout, save_layout
from .window_menus import build_menus

log = logging.getLogger(__name__)

THEME_KEY = "view/theme"
MESSAGE_MS = 8000

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
        # Extension points filled by the hotkeys extension (ui/hotkeys/hotkeys_install.py).
        self.hotkeys: QDockWidget | None = None
        self.camera_presets: QWidget | None = None
        # Filled by the say box's installer (ui/say_install.py).
        self.say_box: SayBox | None = None
        self.say_bar: QToolBar | None = None
        self.say_router: SayRouter | None = None

        menus = build_menus(self)  # the menu bar: see window_menus.py
        self.menus = menus
        self.address_action, self.quit_action = menus.address_action, menus.quit_action
        self.bigger_tiles_action = menus.bigger_tiles_action
        self.smaller_tiles_action = menus.smaller_tiles_action
        self.reset_layout_action, self.about_action = menus.reset_layout_action, menus.about_action
        self.animaze_menu, self.view_menu = menus.animaze_menu, menus.view_menu
        self.pages_menu, self.docks_menu = menus.pages_menu, menus.docks_menu
        self.toolbars_menu, self.settings_menu = menus.toolbars_menu, menus.settings_menu
        self._page_actions = menus.page_actions
        self.theme_actions = menus.theme_actions
        self._build_toolbars()
        for action in (self.reconnect_action, self.broadcast_action, self.calibrate_action):
            self.animaze_menu.addAction(action)
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
        self.page_area.add_page(key, title, icon, widget)
        action = self._page_actions[key]
        action.setText(f"&{key.number} {title}")
        action.setIcon(icon)
        action.setVisible(True)
        action.setEnabled(True)

    def page(self, key: PageKey) -> QWidget | None:
        """The page added for ``key``, or ``None`` if it does not exist (yet)."""
        return self.page_area.page(key)

    def pages(self) -> list[PageKey]:
        """The pages that exist, in side-bar order."""
        return self.page_area.keys()

    def page_action(self, key: PageKey) -> QAction:
        """View > Pages' action for ``key`` (hidden and disabled until the page is added)."""
        return self._page_actions[key]

    def current_page(self) -> PageKey:
        """The page on screen."""
        return self.page_area.current()

    def show_page(self, key: PageKey) -> None:
        """Bring ``key``'s page to the front (ignored for a page that does not exist)."""
        self.page_area.show_page(key)

    async def close_pages(self, timeout: float = PAGE_CLOSE_TIMEOUT) -> None:
        """Await ``aclose()`` of every page that has one (on quit), each within ``timeout``."""
        await self.page_area.close_pages(timeout)

    def _on_page_shown(self, key: PageKey) -> None:
        self._page_actions[key].setChecked(True)
        # Cloud pages do not need Animaze: the tool bar's state is enough there.
        self.banner.set_allowed(key is PageKey.ANIMAZE)

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
        self._restored = True
        return restore_layout(self, reset)  # see window_layout.py

    def reset_layout(self) -> None:
        """Go back to the default dock layout (logs closed, every other dock visible)."""
        self.animaze_page.reset()
        self.show_page(PageKey.ANIMAZE)
        self.banner.sync_visibility()
        messages.info("Layout reset")

    def save_layout(self) -> None:
        """Persist geometry, tool bars, the dock layout, the page on screen and the tile size."""
        save_layout(self)

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
        self.main_toolbar.focus_address()

    # ------------------------------------------------------------------ building

    def _build_toolbars(self) -> None:
        bar = ConnectionBar(self.session, self.settings, remember_url=self.remember_url,
                            parent=self)
        self.main_toolbar = bar
        self.state_label = bar.state_label
        self.url_edit = bar.url_edit
        self.on_air_label = bar.on_air_label
        self.reconnect_action = bar.reconnect_action
        self.broadcast_action = bar.broadcast_action
        self.calibrate_action = bar.calibrate_action
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbars_menu.addAction(bar.toggleViewAction())

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
        self.page_area = PageArea(self)
        self.side_bar = self.page_area.side_bar
        self.page_stack = self.page_area.stack
        self.page_area.pageShown.connect(self._on_page_shown)
        self.setCentralWidget(self.page_area)
        # The banner floats over the bottom of the page area (see connection_banner.py).
        self.banner = ConnectionBanner(self.session, self.page_area)
        self.banner.changeAddressRequested.connect(self.focus_address)
        self.banner.overlay(self.page_stack)
        self.add_page(PageKey.ANIMAZE, "Animaze", resources.icon("avatar"), self.animaze_page)

    def _register(self, dock: QDockWidget) -> None:
        toggle = dock.toggleViewAction()
        number = len(self.animaze_page.docks())
        if number <= 9:
            toggle.setShortcut(QKeySequence(f"Alt+{number}"))
        self.docks_menu.addAction(toggle)
        # Opening a dock from another page shows it where it lives: on the Animaze page.
        toggle.triggered.connect(lambda checked, d=dock: self._on_dock_toggled(d, checked))

    def _on_dock_toggled(self, dock: QDockWidget, checked: bool) -> None:
        if checked and not dock.isFloating():
            self.show_page(PageKey.ANIMAZE)

    # ------------------------------------------------------------------ behaviour

    def set_theme(self, mode: ThemeMode) -> None:
        """Switch the app theme (View > Theme) and remember the choice."""
        if self.theme is None:
            return
        self.theme.set_mode(mode)
        self.settings.setValue(THEME_KEY, mode.value)
        self.theme_actions[mode].setChecked(True)

    def _on_theme_changed(self, _dark: bool) -> None:
        self.main_toolbar.recolor_icons()
        self.reset_layout_action.setIcon(resources.icon("layout", resources.text_color()))

    def _on_state(self, state: ConnectionState) -> None:
        self.main_toolbar.show_state(state)
        kind, text = STATE_TEXT[state]
        self.status_state.setText(f"{text}  {self.session.url}")
        self.status_state.setProperty("state", kind)
        self.status_state.style().unpolish(self.status_state)
        self.status_state.style().polish(self.status_state)
        self.banner.sync_visibility()
        if state is ConnectionState.CONNECTED:
            messages.success(f"Connected to Animaze at {self.session.url}")

    def _on_message(self, message: messages.Message) -> None:
        # Coloured by meaning from the theme (no glyphs: fonts without them draw boxes).
        set_tone(self.statusBar(), message.level.tone)
        self.statusBar().showMessage(message.text, MESSAGE_MS)

    @property
    def on_air(self) -> bool:
        """Whether the ON AIR marks are shown (broadcast on, as last set by this panel)."""
        return self.status_on_air.isVisibleTo(self)

    def _show_broadcast(self, on: bool) -> None:
        """Show broadcast as the state model has it (set here, by a hotkey or a macro)."""
        self.main_toolbar.show_broadcast(on)
        self.status_on_air.setVisible(on)

    def show_about(self) -> None:
        """Open Help > About (kept in ``about_box`` while it is open)."""
        self.about_box = open_about_box(self)

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
