"""EmotesDock: every emote as a big tile (its icon and name); click (or Space) triggers it.

The list is the shared :class:`AnimazeState`'s emotes (read once per connect, again with the
refresh button); a filter box narrows the grid as you type, and Enter in the filter triggers
the first match, so an emote is two keys away.
"""

from __future__ import annotations

from collections.abc import Hashable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import TriggerEmote
from ...animaze.responses import Emote
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.button_grid import ButtonGrid, GridItem
from .control_dock import ControlDock


class EmotesDock(ControlDock):
    """Filterable grid of emote buttons."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Emotes", "emotesDock", parent)
        self._emotes: tuple[Emote, ...] = ()
        self.filter_edit = QLineEdit(self.controls)
        self.filter_edit.setPlaceholderText("Filter emotes\u2026  (Enter plays the first match)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.filter_edit.returnPressed.connect(self._trigger_first)
        self.refresh_button = QToolButton(self.controls)
        self.refresh_button.setText("\u21bb")
        self.refresh_button.setToolTip("Reload the emote list from Animaze")
        self.refresh_button.clicked.connect(lambda: self.read_again(Part.EMOTES))
        self.count_label = QLabel("", self.controls)
        self.count_label.setEnabled(False)
        self.grid = ButtonGrid("No emotes yet", self.controls)
        self.grid.activated.connect(self._trigger)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        self.setFocusProxy(self.filter_edit)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self._focus_filter)
        session.model.changed.connect(self._on_model_changed)

    @property
    def emotes(self) -> tuple[Emote, ...]:
        """The emotes last read from Animaze."""
        return self._emotes

    async def refresh(self) -> None:
        """Show the emote list (read once it is known to the shared state)."""
        await self.session.model.settled(Part.EMOTES)
        if not self.session.model.loaded(Part.EMOTES):
            return  # the read failed (reported): keep what is shown
        emotes = self.session.model.emotes
        self._emotes = tuple(sorted(emotes, key=lambda e: e.friendly_name.casefold()))
        self.grid.set_items(
            GridItem(
                e.friendly_name or e.item_name,
                e.item_name,
                f"{e.friendly_name or e.item_name}\n{e.item_name}",
                icon_name=e.item_name,
            )
            for e in self._emotes
        )
        self._update_count()

    def _on_model_changed(self, part: Part) -> None:
        if part is Part.EMOTES:
            self.request_refresh()

    def _focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _on_filter(self, text: str) -> None:
        self.grid.set_filter(text)
        self._update_count()

    def _update_count(self) -> None:
        shown = len(self.grid.visible_labels())
        total = len(self._emotes)
        self.count_label.setText(f"{shown}/{total}" if shown != total else f"{total}")

    def _trigger_first(self) -> None:
        for item, button in zip(self.grid.items, self.grid.buttons(), strict=True):
            if not button.isHidden():
                self._trigger(item.key)
                return

    def _trigger(self, key: Hashable) -> None:
        try:
            request = TriggerEmote(str(key))
        except ValidationError as exc:  # an emote without a name: nothing sensible to send
            self.count_label.setText(exc.reason)
            return
        self.session.fire(request)
