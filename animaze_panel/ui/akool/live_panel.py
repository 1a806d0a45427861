"""LivePanel: the live view inside the page, with its pop-out button and video state.

"Pop out" moves the very same view (the call keeps running) into :class:`LiveWindow`; closing
that window, or "Pop in", moves it back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .live_view import LiveView
from .live_window import LiveWindow


class LivePanel(QWidget):
    """Hosts the :class:`LiveView` (16:9) unless it is popped out."""

    def __init__(self, view: LiveView, parent: QWidget | None = None) -> None:
        """Host ``view``."""
        super().__init__(parent)
        self.setObjectName("akoolLivePanel")
        self.view = view
        self.window_: LiveWindow | None = None
        self.placeholder = QLabel("The avatar is shown in its own window\n"
                                  "(\"Animaze Panel - Akool avatar\").")
        self.placeholder.setObjectName("akoolPoppedOut")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.hide()
        self.pop_button = QPushButton("Pop out")
        self.pop_button.setObjectName("akoolPopOut")
        self.pop_button.setToolTip("Show the avatar in a fixed 1280x720 window for OBS capture")
        self.video_label = QLabel("No video")
        self.video_label.setObjectName("akoolVideoState")
        self.video_label.setProperty("role", "muted")
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        view.setMinimumSize(320, 180)

        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(view, 1)
        self.layout_.addWidget(self.placeholder, 1)
        row = QHBoxLayout()
        row.addWidget(self.video_label, 1)
        row.addWidget(self.pop_button)
        self.layout_.addLayout(row)

        self.pop_button.clicked.connect(self.toggle)
        view.link.videoPlaying.connect(lambda: self.video_label.setText("Video playing"))

    @property
    def popped_out(self) -> bool:
        """Whether the view is in its own window."""
        return self.window_ is not None

    def toggle(self) -> None:
        """Pop the view out, or back in."""
        if self.window_ is None:
            self.pop_out()
        else:
            self.window_.close()

    def pop_out(self) -> LiveWindow:
        """Move the view into its own fixed-size window and show it."""
        if self.window_ is not None:
            return self.window_
        window = LiveWindow()
        window.closed.connect(self._pop_in)
        self.layout_.removeWidget(self.view)
        window.host(self.view)
        self.placeholder.show()
        self.pop_button.setText("Pop in")
        self.window_ = window
        window.show()
        return window

    def _pop_in(self) -> None:
        window, self.window_ = self.window_, None
        if window is None:
            return
        window.layout_.removeWidget(self.view)
        self.view.setParent(self)
        self.layout_.insertWidget(0, self.view, 1)
        self.view.show()
        self.placeholder.hide()
        self.pop_button.setText("Pop out")
        window.deleteLater()

    def close_window(self) -> None:
        """Put the view back and close the window (page shutting down)."""
        if self.window_ is not None:
            self.window_.close()
