"""AvatarActionsDock: the current avatar's special actions, poses and idle animations.

Each list is a tab of buttons (click or Space triggers it). The lists belong to the avatar, so
they are re-read on connect, on the AvatarChanged trigger and after a LoadAvatar/LoadQuickscene
succeeds. Those often arrive together (our own LoadAvatar answer and the trigger it causes, or a
user clicking through avatars), so refreshes are debounced by :class:`ControlDock`: a burst
costs one round of Get* requests, sent concurrently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QTabWidget, QToolButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import (
    GetCurrentAvatarInfo,
    GetIdleAnims,
    GetPoses,
    GetSpecialActions,
    Request,
    TriggerIdle,
    TriggerPose,
    TriggerSpecialAction,
)
from ...animaze.responses import AnimEntry
from ..session import AnimazeSession
from ..widgets.button_grid import ButtonGrid, GridItem
from .control_dock import ControlDock

AVATAR_SWITCHING_ACTIONS = frozenset({"LoadAvatar", "LoadQuickscene"})
"""Successful commands after which the avatar's animation lists may have changed."""


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
        self.refresh_button.clicked.connect(lambda: self.request_refresh(immediate=True))
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

        session.avatarChanged.connect(self._on_avatar_changed)
        session.commandSucceeded.connect(self._on_command_succeeded)

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

    def _on_avatar_changed(self, name: str) -> None:
        if name:
            self.avatar_label.setText(name)
        self.request_refresh()

    def _on_command_succeeded(self, action: str) -> None:
        if action in AVATAR_SWITCHING_ACTIONS:
            self.request_refresh()

    async def refresh(self) -> None:
        """Read the current avatar's name and its three animation lists, concurrently."""
        info, specials, poses, idles = await asyncio.gather(
            self.session.call(GetCurrentAvatarInfo()),
            self.session.call(GetSpecialActions()),
            self.session.call(GetPoses()),
            self.session.call(GetIdleAnims()),
        )
        if info is not None and info.avatars:
            avatar = info.avatars[0]
            self.avatar_label.setText(avatar.friendly_name or avatar.item_name)
            self.avatar_label.setToolTip(avatar.description or avatar.item_name)
        for index, (grid, reply) in enumerate(
            ((self.special_grid, specials), (self.pose_grid, poses), (self.idle_grid, idles))
        ):
            if reply is None:
                continue  # failure already reported; keep what was shown
            grid.set_items(_items(reply.items))
            self.tabs.setTabText(index, f"{grid.property('tabTitle')} ({len(reply.items)})")


def _items(entries: tuple[AnimEntry, ...]) -> list[GridItem]:
    return [
        GridItem(e.anim_name or f"#{e.index}", e.index, f"{e.anim_name} (index {e.index})")
        for e in entries
    ]
