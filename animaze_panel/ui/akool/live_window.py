"""LiveWindow: the avatar's video in a window of its own, for OBS window capture.

Fixed size and a stable title, so a capture source set up once keeps finding it and never
rescales. Closing the window puts the video back into the page.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

WINDOW_TITLE = "Animaze Panel - Akool avatar"
WINDOW_SIZE = QSize(1280, 720)


class LiveWindow(QWidget):
    """A top-level window hosting the live view while it is popped out."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        """Create the (hidden) window."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("akoolLiveWindow")
        self.setWindowTitle(WINDOW_TITLE)
        self.setFixedSize(WINDOW_SIZE)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def host(self, view: QWidget) -> None:
        """Show ``view`` filling the window."""
        self.layout_.addWidget(view)
        view.show()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Give the view back before closing."""
        self.closed.emit()
        super().closeEvent(event)
