"""The main window's menu bar: File, Animaze, View, Settings and Help, with their actions.

View holds Pages (Ctrl+1..4; a page's action stays hidden and disabled until the page is
added), Docks (filled as the Animaze page's docks are added), Tool bars, Theme (only with a
theme manager), the tile size and Reset layout. Animaze and Settings start empty: the tool
bar's actions and each feature's settings are added by their owners. Every action calls a
method of the :class:`~.main_window.MainWindow` it was built for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu

from .pages import PageKey
from .widgets import resources
from .widgets.theme import ThemeMode

if TYPE_CHECKING:
    from .main_window import MainWindow


@dataclass(frozen=True)
class WindowMenus:
    """The menus and actions of one main window (``theme_actions`` is empty without a theme)."""

    address_action: QAction
    quit_action: QAction
    bigger_tiles_action: QAction
    smaller_tiles_action: QAction
    reset_layout_action: QAction
    about_action: QAction
    animaze_menu: QMenu
    view_menu: QMenu
    pages_menu: QMenu
    docks_menu: QMenu
    toolbars_menu: QMenu
    settings_menu: QMenu
    page_actions: dict[PageKey, QAction]
    theme_actions: dict[ThemeMode, QAction]


def build_menus(window: MainWindow) -> WindowMenus:
    """Fill ``window``'s menu bar and return its menus and actions.

    Args:
        window: The main window; its Animaze page must exist (the tile-size actions use it).
    """
    address_action = QAction("Connect to &address…", window)
    address_action.setShortcut(QKeySequence("Ctrl+L"))
    address_action.triggered.connect(window.focus_address)

    quit_action = QAction("&Quit", window)
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    quit_action.triggered.connect(window.close)

    bigger = QAction("&Bigger tiles", window)
    bigger.setObjectName("biggerTilesAction")
    bigger.setShortcut(QKeySequence.StandardKey.ZoomIn)
    bigger.setToolTip("Bigger emote and action tiles (also Ctrl+wheel)")
    bigger.triggered.connect(lambda: window.animaze_page.tile_size.step(1))
    smaller = QAction("&Smaller tiles", window)
    smaller.setObjectName("smallerTilesAction")
    smaller.setShortcut(QKeySequence.StandardKey.ZoomOut)
    smaller.triggered.connect(lambda: window.animaze_page.tile_size.step(-1))

    reset_layout_action = QAction(resources.icon("layout"), "&Reset layout", window)
    reset_layout_action.triggered.connect(window.reset_layout)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(address_action)
    file_menu.addSeparator()
    file_menu.addAction(quit_action)
    animaze_menu = bar.addMenu("&Animaze")
    view_menu = bar.addMenu("&View")
    pages_menu = view_menu.addMenu("&Pages")
    page_actions = _page_actions(window, pages_menu)
    docks_menu = view_menu.addMenu("&Docks")
    toolbars_menu = view_menu.addMenu("&Tool bars")
    theme_actions: dict[ThemeMode, QAction] = {}
    if window.theme is not None:
        theme_menu = view_menu.addMenu(resources.icon("theme"), "T&heme")
        theme_actions = _theme_actions(window, window.theme.mode, theme_menu)
    view_menu.addSeparator()
    view_menu.addAction(bigger)
    view_menu.addAction(smaller)
    view_menu.addSeparator()
    view_menu.addAction(reset_layout_action)
    settings_menu = bar.addMenu("&Settings")  # features add their settings here
    help_menu = bar.addMenu("&Help")
    about_action = help_menu.addAction("&About Animaze Panel")
    about_action.setObjectName("aboutAction")
    about_action.triggered.connect(window.show_about)
    return WindowMenus(
        address_action, quit_action, bigger, smaller, reset_layout_action, about_action,
        animaze_menu, view_menu, pages_menu, docks_menu, toolbars_menu, settings_menu,
        page_actions, theme_actions,
    )


def _page_actions(window: MainWindow, menu: QMenu) -> dict[PageKey, QAction]:
    group = QActionGroup(window)
    actions: dict[PageKey, QAction] = {}
    for key in PageKey:
        action = QAction(key.value.title(), window, checkable=True)
        action.setObjectName(f"page{key.value.title()}Action")
        action.setShortcut(QKeySequence(f"Ctrl+{key.number}"))
        action.triggered.connect(lambda _c=False, k=key: window.show_page(k))
        action.setVisible(False)  # until the page is added
        action.setEnabled(False)
        group.addAction(action)
        menu.addAction(action)
        actions[key] = action
    return actions


def _theme_actions(window: MainWindow, current: ThemeMode, menu: QMenu) -> dict[ThemeMode, QAction]:
    group = QActionGroup(window)
    actions: dict[ThemeMode, QAction] = {}
    for mode, label in (
        (ThemeMode.SYSTEM, "Follow &system"),
        (ThemeMode.DARK, "&Dark"),
        (ThemeMode.LIGHT, "&Light"),
    ):
        action = QAction(label, window, checkable=True)
        action.setObjectName(f"theme{mode.value.title()}Action")
        action.setChecked(mode is current)
        action.triggered.connect(lambda _c=False, m=mode: window.set_theme(m))
        group.addAction(action)
        menu.addAction(action)
        actions[mode] = action
    return actions
