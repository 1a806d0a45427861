"""VideoPanel: the avatar's live picture, its sound controls, media state and a pop-out window.

The pop-out is a separate window with a fixed size chosen here and the stable title
:data:`WINDOW_TITLE`, so OBS's window capture finds it again every session. The picture shows
in one place at a time: while popped out, the page says so instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from ...cloud.whep import MediaState
from ..widgets.video_view import VideoView
from ..widgets.video_window import WINDOW_SIZES, VideoWindow
from .error_label import ErrorLabel
from .viewmodel import KalturaViewModel

WINDOW_TITLE = "Animaze Panel - Kaltura avatar"
"""The pop-out window's title (OBS window capture matches on it: never change it at run time)."""
_MEDIA_TEXT = {
    MediaState.IDLE: "Media: not connected",
    MediaState.CONNECTING: "Media: connecting\u2026",
    MediaState.CONNECTED: "Media: connected",
    MediaState.RECONNECTING: "Media: reconnecting\u2026",
    MediaState.FAILED: "Media: failed",
    MediaState.CLOSED: "Media: closed",
}


class VideoPanel(QWidget):
    """Live view + pop-out + volume/mute + media state and figures."""

    def __init__(self, model: KalturaViewModel, parent: QWidget | None = None) -> None:
        """Build the panel bound to ``model``."""
        super().__init__(parent)
        self.setObjectName("kalturaVideoPanel")
        self.model = model
        self.view = VideoView(model.surface, self, placeholder="Start a session to see the avatar")
        self.view.setObjectName("kalturaVideo")
        self.pop_window: VideoWindow | None = None
        self.pop_button = QPushButton("Pop out", self)
        self.pop_button.setObjectName("kalturaPopOut")
        self.pop_button.setCheckable(True)
        self.pop_button.setToolTip(f"Show the avatar in its own window \u201c{WINDOW_TITLE}\u201d "
                                   "for OBS window capture")
        self.size_box = QComboBox(self)
        self.size_box.setObjectName("kalturaWindowSize")
        self.size_box.setToolTip("Size of the pop-out window")
        for choice in WINDOW_SIZES:
            self.size_box.addItem(choice.label, choice.size)
        self.mute_box = QCheckBox("Mute", self)
        self.mute_box.setObjectName("kalturaMute")
        self.volume = QSlider(self)
        self.volume.setObjectName("kalturaVolume")
        self.volume.setOrientation(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMaximumWidth(120)
        self.volume.setToolTip("Volume of the avatar's voice")
        self.media_label = QLabel(self)
        self.media_label.setObjectName("kalturaMediaState")
        self.figures = QLabel(self)
        self.figures.setObjectName("kalturaMediaFigures")
        self.sound_label = QLabel(self)
        self.sound_label.setObjectName("kalturaSound")
        self.sound_label.setWordWrap(True)
        self.error = ErrorLabel("kalturaError_media", self)

        controls = QHBoxLayout()
        controls.addWidget(self.pop_button)
        controls.addWidget(self.size_box)
        controls.addStretch(1)
        controls.addWidget(QLabel("Volume", self))
        controls.addWidget(self.volume)
        controls.addWidget(self.mute_box)
        state = QHBoxLayout()
        state.addWidget(self.media_label)
        state.addStretch(1)
        state.addWidget(self.figures)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        layout.addLayout(controls)
        layout.addLayout(state)
        layout.addWidget(self.sound_label)

        self.pop_button.toggled.connect(self.set_popped_out)
        self.size_box.currentIndexChanged.connect(self._on_size)
        self.volume.valueChanged.connect(model.audio.set_perceived_volume)
        self.mute_box.toggled.connect(model.audio.set_muted)
        model.audio.set_perceived_volume(self.volume.value())
        model.audio.statusChanged.connect(self._show_sound)
        model.mediaStateChanged.connect(lambda _v: self._show_media())
        model.errorChanged.connect(self._on_error)
        self._show_sound(model.audio.status)
        self._show_media()
        self._last_converted = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._update_figures)
        self._timer.start()

    def set_popped_out(self, popped: bool) -> None:
        """Show the picture in the pop-out window (``True``) or back on the page."""
        if popped:
            if self.pop_window is None:
                self.pop_window = VideoWindow(
                    self.model.surface, WINDOW_TITLE, self.size_box.currentData(),
                    object_name="kalturaVideoWindow", placeholder="No Kaltura session")
                self.pop_window.closed.connect(lambda: self.pop_button.setChecked(False))
            self.pop_window.show()
            self.pop_window.raise_()
            self.view.hide()
        else:
            if self.pop_window is not None and self.pop_window.isVisible():
                self.pop_window.close()
            self.view.show()
        if self.pop_button.isChecked() != popped:
            self.pop_button.setChecked(popped)

    def close_window(self) -> None:
        """Close and delete the pop-out window (the page is going away)."""
        window, self.pop_window = self.pop_window, None
        if window is not None:
            window.closed.disconnect()
            window.close()
            window.deleteLater()

    def _on_size(self, _index: int) -> None:
        if self.pop_window is not None:
            self.pop_window.set_capture_size(self.size_box.currentData())

    def _on_error(self, name: str, message: str) -> None:
        if name == "media":
            self.error.show_error(message)

    def _show_sound(self, text: str) -> None:
        self.sound_label.setText(f"Sound: {text}" if text else "")

    def _show_media(self) -> None:
        self.media_label.setText(_MEDIA_TEXT[self.model.media_state])

    def _update_figures(self) -> None:
        if self.model.media_state is not MediaState.CONNECTED:
            self.figures.clear()
            return
        stats = self.model.surface.stats
        source = self.model.surface.source_size
        fps = max(0, stats.converted - self._last_converted)  # the timer ticks once a second
        self._last_converted = stats.converted
        audio = self.model.audio
        sound = (f", sound delay {audio.delay_ms():.0f} ms, underruns {audio.underruns}"
                 if audio.playing else "")
        self.figures.setText(f"{source.width()}x{source.height()}, {fps} fps{sound}")
