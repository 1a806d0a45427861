"""install_say_box: the say box in its tool bar, with ChatPal as its first target.

The app makes one :class:`~.say.SayRouter`; this puts a :class:`~.widgets.say_box.SayBox` in a
"Say" tool bar along the bottom of the window (View > Toolbars hides it), registers Animaze
ChatPal (live while Animaze is connected), hands the router to the hotkey service (the "say"
action) and shows the router's reports on the app's message line (:mod:`.messages`). Cloud
pages register their own targets with the same router.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from . import messages
from .animaze.chatpal_say import ChatPalSayTarget
from .hotkeys.hotkeys_install import HotkeysExtension
from .hotkeys.hotkeys_service import HotkeyService
from .say import SayRouter
from .widgets.say_box import SayBox

if TYPE_CHECKING:
    from .main_window import MainWindow


def install_say_box(window: MainWindow, router: SayRouter,
                    hotkeys: HotkeyService | None = None) -> SayBox:
    """Add the say box in its tool bar to ``window`` and register ChatPal.

    Args:
        window: The :class:`~.main_window.MainWindow`.
        router: The app's router.
        hotkeys: The hotkey service, whose "say" action goes through ``router``.

    Returns:
        The box (also ``window.say_box``).
    """
    router.register(ChatPalSayTarget(window.chatpal))
    window.session.connectedChanged.connect(lambda _c: router.notify_live_changed())
    box = SayBox(router, window)
    # Its own tool bar along the bottom, like a chat input: the main tool bar has no room for
    # it at 1280 px, and a box pushed into the overflow menu is a box nobody finds.
    bar = QToolBar("Say", window)
    bar.setObjectName("sayToolBar")
    bar.addWidget(box)
    window.addToolBar(Qt.ToolBarArea.BottomToolBarArea, bar)
    window.toolbars_menu.addAction(bar.toggleViewAction())
    window.say_box = box
    window.say_bar = bar
    window.say_router = router  # pages built later register their targets here
    if hotkeys is not None:
        hotkeys.say_router = router

    def report(level: str, text: str) -> None:  # the app's one message line (and log)
        (messages.error if level == "error" else messages.success)(f"Say: {text}")

    router.reported.connect(report)
    return box


def say_extension(router: SayRouter, hotkeys: HotkeysExtension | None = None
                  ) -> Callable[[MainWindow], None]:
    """A ``build_window`` extension adding the say box (run it after the hotkeys one)."""

    def extend(window: MainWindow) -> None:
        feature = hotkeys.feature if hotkeys is not None else None
        install_say_box(window, router, feature.service if feature is not None else None)

    return extend
