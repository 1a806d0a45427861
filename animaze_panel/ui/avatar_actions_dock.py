"""AvatarActionsDock: Avatar actions dock (work in progress stub; full version follows)."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from .session import AnimazeSession


class AvatarActionsDock(QDockWidget):
    """The Avatar actions dock."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__("Avatar actions", parent)
        self.setObjectName("avatarActionsDock")
        self._session = session
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self._layout.addWidget(QLabel("Avatar actions", body))
        self.setWidget(body)
