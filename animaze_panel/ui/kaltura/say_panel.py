"""SayPanel: the turns sent to the Kaltura avatar, a text box, Send and Interrupt.

Every message is a new turn; the list shows each one's state (sending part n/m, said, not said
and why, interrupted). Ctrl+Enter sends; the text stays in the box until Kaltura accepted it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .error_label import ERROR_COLOUR, ErrorLabel
from .turns import TurnStatus
from .viewmodel import KalturaViewModel, Phase


class SayPanel(QGroupBox):
    """Turn list + text box + Send / Interrupt bound to the view-model."""

    def __init__(self, model: KalturaViewModel, parent: QWidget | None = None) -> None:
        """Build the panel bound to ``model``."""
        super().__init__("Say", parent)
        self.setObjectName("kalturaSayPanel")
        self.model = model
        self._tasks: set[asyncio.Task[Any]] = set()
        self.turn_list = QListWidget(self)
        self.turn_list.setObjectName("kalturaTurns")
        self.turn_list.setWordWrap(True)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("kalturaText")
        self.text_edit.setPlaceholderText("What the avatar says (Ctrl+Enter sends)")
        self.text_edit.setFixedHeight(72)
        self.send_button = QPushButton("Say it", self)
        self.send_button.setObjectName("kalturaSay")
        self.interrupt_button = QPushButton("Interrupt", self)
        self.interrupt_button.setObjectName("kalturaInterrupt")
        self.interrupt_button.setToolTip("Stop what the avatar is saying now")
        self.error = ErrorLabel("kalturaError_text", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.interrupt_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.turn_list, 1)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.send_button.clicked.connect(self.send_current)
        self.interrupt_button.clicked.connect(lambda: self._run(model.interrupt()))
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.text_edit)
        shortcut.activated.connect(self.send_current)
        model.turnsChanged.connect(self._show_turns)
        model.errorChanged.connect(self._on_error)
        model.phaseChanged.connect(lambda _v: self._sync())
        self._sync()

    def send_current(self) -> None:
        """Send the box's text as a new turn; the box is emptied once Kaltura took it."""
        text = self.text_edit.toPlainText()
        self._run(self._say(text))

    async def _say(self, text: str) -> None:
        if await self.model.say(text) and self.text_edit.toPlainText() == text:
            self.text_edit.clear()

    def _run(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_error(self, name: str, message: str) -> None:
        if name == "text":
            self.error.show_error(message)

    def _show_turns(self) -> None:
        turns = self.model.turns
        for index, turn in enumerate(turns):
            text = f"{turn.text}\n    \u2014 {turn.describe()}"
            if index < self.turn_list.count():
                item = self.turn_list.item(index)
                if item.text() == text:
                    continue
                item.setText(text)
            else:
                item = QListWidgetItem(text)
                self.turn_list.addItem(item)
            item.setToolTip(f"turnId {turn.turn_id}" if turn.turn_id else "")
            if turn.status is TurnStatus.FAILED:
                item.setForeground(QColor(ERROR_COLOUR))
        self.turn_list.scrollToBottom()

    def _sync(self) -> None:
        live = self.model.phase is Phase.LIVE
        self.send_button.setEnabled(live)
        self.interrupt_button.setEnabled(live)
