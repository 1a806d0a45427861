"""SayBox: one line in the toolbar that any live avatar says (through a :class:`SayRouter`).

A chooser (every live avatar, or one of them; avatars that are off air are marked) and an input;
Enter or the button sends. The input is cleared only when every chosen avatar took the line;
otherwise the line stays (unless the user has typed a new one meanwhile) and the reason is shown
beside it and reported on the app's message line by the router.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from ..say import ALL_LIVE, SayOutcome, SayRouter

MAX_STATUS_CHARS = 70
STATUS_WIDTH = 420


class SayBox(QWidget):
    """Target chooser + input + button bound to a :class:`SayRouter`."""

    def __init__(self, router: SayRouter, parent: QWidget | None = None) -> None:
        """Build the box bound to ``router``."""
        super().__init__(parent)
        self.setObjectName("sayBox")
        self.router = router
        self._tasks: set[asyncio.Task[SayOutcome]] = set()
        self.target_box = QComboBox(self)
        self.target_box.setObjectName("sayTarget")
        self.target_box.setToolTip("Which avatar says the line")
        self.target_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.input = QLineEdit(self)
        self.input.setObjectName("sayInput")
        self.input.setClearButtonEnabled(True)
        self.input.setMinimumWidth(260)
        self.input.setPlaceholderText("Say\u2026 (Enter: the avatar says it)")
        self.button = QPushButton("Say", self)
        self.button.setObjectName("sayButton")
        self.button.setAutoDefault(False)
        self.status = QLabel(self)
        self.status.setObjectName("sayStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setMaximumWidth(STATUS_WIDTH)  # the whole text is in its tool tip
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.target_box)
        layout.addWidget(self.input, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.status)
        self.input.returnPressed.connect(self.send_current)
        self.button.clicked.connect(self.send_current)
        self.input.textEdited.connect(lambda _t: self._show_status(""))
        self.target_box.activated.connect(self._on_chosen)
        router.targetsChanged.connect(self._rebuild)
        router.choiceChanged.connect(lambda _key: self._rebuild())
        self._rebuild()

    @property
    def busy(self) -> bool:
        """Whether a line is being sent."""
        return bool(self._tasks)

    def send_current(self) -> None:
        """Send what is in the input to the chosen target(s)."""
        text = self.input.text().strip()
        if not text:
            self._show_status("Type something to say.", error=True)
            return
        self._show_status("Sending\u2026")
        task = asyncio.get_running_loop().create_task(self._send(text))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, text: str) -> SayOutcome:
        outcome = await self.router.send(text)
        current = self.input.text().strip()
        if outcome.ok:
            if current == text:
                self.input.clear()
            self._show_status(outcome.describe())
        else:
            if not current:
                self.input.setText(text)  # what they typed stays
            self._show_status(outcome.describe(), error=True)
        return outcome

    def _show_status(self, text: str, *, error: bool = False) -> None:
        short = text if len(text) <= MAX_STATUS_CHARS else text[:MAX_STATUS_CHARS - 1] + "\u2026"
        self.status.setText(short)
        self.status.setToolTip(text)
        self.status.setProperty("error", error)
        colour = self.palette().color(self.palette().ColorRole.PlaceholderText).name()
        self.status.setStyleSheet("color: #c0392b;" if error else f"color: {colour};")

    def _rebuild(self) -> None:
        box = self.target_box
        box.blockSignals(True)
        box.clear()
        box.addItem("Every live avatar", ALL_LIVE)
        live = self.router.live_targets()
        for target in self.router.targets():
            box.addItem(target.title if target in live else f"{target.title} (off)", target.key)
        index = box.findData(self.router.choice)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)

    def _on_chosen(self, index: int) -> None:
        key = self.target_box.itemData(index)
        if isinstance(key, str):
            self.router.set_choice(key)
