"""VideoWindow: a video in its own top-level window of a fixed size, for OBS window capture.

OBS's window capture finds a window by its title and captures its client area, so the window
keeps one stable title and a fixed size the streamer chooses (the picture is letterboxed into
it). Closing the window only hides it; the owner decides when it goes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .video_surface import VideoSurface
from .video_view import VideoView


@dataclass(frozen=True)
class WindowSize:
    """A capture size offered to the streamer.

    Attributes:
        label: What the chooser shows.
        size: Client-area size in logical pixels.
    """

    label: str
    size: QSize


WINDOW_SIZES: tuple[WindowSize, ...] = (
    WindowSize("1280 x 720 (16:9)", QSize(1280, 720)),
    WindowSize("960 x 540 (16:9)", QSize(960, 540)),
    WindowSize("1920 x 1080 (16:9)", QSize(1920, 1080)),
    WindowSize("720 x 720 (square)", QSize(720, 720)),
    WindowSize("512 x 512 (square)", QSize(512, 512)),
)


class VideoWindow(QWidget):
    """A fixed-size window showing a video surface."""

    closed = Signal()
    """The user closed the window (it is hidden, not destroyed)."""

    def __init__(
        self,
        surface: VideoSurface,
        title: str,
        size: QSize,
        *,
        object_name: str = "videoWindow",
        placeholder: str = "No video",
    ) -> None:
        """Build the window (not shown).

        Args:
            surface: The video to show.
            title: The stable window title OBS finds it by.
            size: The fixed client-area size.
            object_name: Qt objectName (tests and stylesheets find it by this).
            placeholder: Text shown while there is no picture.
        """
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.view = VideoView(surface, self, placeholder=placeholder)
        self.view.setObjectName(f"{object_name}View")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.set_capture_size(size)

    def set_capture_size(self, size: QSize) -> None:
        """Fix the window's client area at ``size``."""
        self.view.setMinimumSize(QSize(1, 1))
        self.setFixedSize(size)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        event.accept()
        self.view.detach()
        self.closed.emit()
