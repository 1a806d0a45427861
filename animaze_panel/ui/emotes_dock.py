"""EmotesDock: Emotes dock (work in progress stub; full version follows)."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from .session import AnimazeSession


class EmotesDock(QDockWidget):
    """The Emotes dock."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__("Emotes", parent)
        self.setObjectName("emotesDock")
        self._session = session
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self._layout.addWidget(QLabel("Emotes", body))
        self.setWidget(body)
