"""AvatarActionsDock: the current avatar's special actions, poses and idle animations.

Each list is a tab of buttons (click or Space triggers it). The lists belong to the avatar; the
shared :class:`AnimazeState` re-reads them on connect, on the AvatarChanged trigger and after a
LoadAvatar/LoadQuickscene succeeds. Those often arrive together (our own LoadAvatar answer and
the trigger it causes, or a user clicking through avatars); the state debounces its re-reads, so
a burst costs one round of Get* requests, and this dock only shows what the state holds.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import Request, TriggerIdle, TriggerPose, TriggerSpecialAction
from ...animaze.responses import AnimEntry
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.button_grid import ButtonGrid, GridItem
from .control_dock import ControlDock

SHOWN = (Part.AVATAR, Part.SPECIAL_ACTIONS, Part.POSES, Part.IDLES)


class AvatarActionsDock(ControlDock):
    """Special actions, poses and idles of the current avatar, as tabs of buttons."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Avatar actions", "avatarActionsDock", parent)
        self.avatar_label = QLabel("No avatar", self.controls)
        self.avatar_label.setToolTip("The avatar these animations belong to")
        font = self.avatar_label.font()
        font.setBold(True)
        self.avatar_label.setFont(font)
        self.refresh_button = QToolButton(self.controls)
        self.refresh_button.setText("\u21bb")
        self.refresh_button.setToolTip("Reload the current avatar's animations")
        self.refresh_button.clicked.connect(lambda: self.read_again(*SHOWN))
        self.tabs = QTabWidget(self.controls)
        self.tabs.setDocumentMode(True)
        self.special_grid = self._add_tab("Actions", "No special actions", TriggerSpecialAction)
        self.pose_grid = self._add_tab("Poses", "No poses", TriggerPose)
        self.idle_grid = self._add_tab("Idles", "No idle animations", TriggerIdle)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.avatar_label, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        session.model.changed.connect(self._on_model_changed)

    def _add_tab(
        self, title: str, empty: str, trigger: Callable[[int], Request[Any]]
    ) -> ButtonGrid:
        grid = ButtonGrid(empty, self.tabs)
        grid.setProperty("tabTitle", title)
        grid.activated.connect(lambda key: self._trigger(trigger, key))
        self.tabs.addTab(grid, title)
        return grid

    def _trigger(self, trigger: Callable[[int], Request[Any]], key: Hashable) -> None:
        if not isinstance(key, int):
            return
        try:
            request = trigger(key)
        except ValidationError as exc:
            self.avatar_label.setToolTip(exc.reason)
            return
        self.session.fire(request)

    def _on_model_changed(self, part: Part) -> None:
        if part in SHOWN:
            self.request_refresh()

    async def refresh(self) -> None:
        """Show the current avatar's name and its three animation lists."""
        model = self.session.model
        await model.settled(*SHOWN)
        avatar = model.avatar
        if avatar is not None:
            self.avatar_label.setText(avatar.friendly_name or avatar.item_name)
            self.avatar_label.setToolTip(avatar.description or avatar.item_name)
        for index, (grid, part) in enumerate(
            (
                (self.special_grid, Part.SPECIAL_ACTIONS),
                (self.pose_grid, Part.POSES),
                (self.idle_grid, Part.IDLES),
            )
        ):
            if not model.loaded(part):
                continue  # the read failed (reported); keep what was shown
            entries: tuple[AnimEntry, ...] = getattr(model, part.value)
            grid.set_items(_items(entries))
            self.tabs.setTabText(index, f"{grid.property('tabTitle')} ({len(entries)})")


def _items(entries: tuple[AnimEntry, ...]) -> list[GridItem]:
    return [
        GridItem(e.anim_name or f"#{e.index}", e.index, f"{e.anim_name} (index {e.index})")
        for e in entries
    ]
