"""History of the user's emote processes (saved locally, refreshed from the v2 list).

Selecting an entry shows it in the process panel and resumes watching it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix_models import Process, describe_step
from .message import MessageLabel
from .util import named
from .viewmodel import KinetixViewModel


def history_text(process: Process) -> str:
    """One line describing a process in the history list."""
    name = process.name or process.uuid[:8]
    when = process.created_at[:16].replace("T", " ")
    percent = "" if process.percent is None else f" ({process.percent}%)"
    return f"{name} — {describe_step(process.step)}{percent} — {when}".rstrip(" —")


class KinetixHistory(QGroupBox):
    """The list of past processes."""

    def __init__(self, model: KinetixViewModel, parent: QWidget | None = None) -> None:
        """Build the list over ``model``."""
        super().__init__("History", parent)
        self._model = model
        self.processes: list[Process] = []
        self.list = named(QListWidget(), "kinetixHistory")
        self.refresh_button = named(QPushButton("Refresh from Kinetix"), "kinetixRefresh")
        self.message = named(MessageLabel(), "kinetixHistoryMessage")  # two lines: names a player
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.refresh_button.clicked.connect(model.refresh_history)
        self.list.itemActivated.connect(self._open)
        self.list.itemDoubleClicked.connect(self._open)
        model.historyChanged.connect(self.show_history)
        model.historyMessage.connect(self.message.show_message)

    def show_history(self, processes: list[Process]) -> None:
        """Replace the list with ``processes`` (keeps the selection when possible)."""
        selected = self.list.currentItem()
        keep = selected.data(Qt.ItemDataRole.UserRole) if selected is not None else None
        self.processes = list(processes)
        self.list.clear()
        for process in processes:
            item = QListWidgetItem(history_text(process))
            item.setData(Qt.ItemDataRole.UserRole, process.uuid)
            self.list.addItem(item)
            if process.uuid == keep:
                self.list.setCurrentItem(item)

    def _open(self, item: QListWidgetItem) -> None:
        uuid = item.data(Qt.ItemDataRole.UserRole)
        process = next((p for p in self.processes if p.uuid == uuid), None)
        if process is not None:
            self._model.watch(process)
