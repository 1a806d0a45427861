"""Video chooser with a QtMultimedia preview that reports the video's duration.

Unsupported types are refused before anything else happens. The preview degrades to a
message when QtMultimedia or its backend cannot load the file; the duration is then unknown
(``None``) and the end time is only checked against the start time.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...cloud.kinetix import KinetixInputError
from ...cloud.kinetix_models import VIDEO_SUFFIXES, check_video_path, format_timestamp
from ..widgets.theme import Tone, set_tone
from .message import MessageLabel
from .util import named

log = logging.getLogger(__name__)

MEDIA_ERROR: str | None = None
"""Why QtMultimedia could not load (``None`` when it did)."""

try:  # The multimedia backend is optional: the page must work without a preview.
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget
except ImportError as exc:  # pragma: no cover - depends on the system's libraries
    # Typically a system library QtMultimedia links is missing, e.g. "libpulse.so.0: cannot
    # open shared object file" (Debian/Ubuntu package libpulse0).
    MEDIA_ERROR = str(exc)
    QMediaPlayer = None  # type: ignore[assignment,misc]
    QVideoWidget = None  # type: ignore[assignment,misc]

FILTER = "Videos ({});;All files (*)".format(" ".join(f"*{s}" for s in VIDEO_SUFFIXES))


class KinetixVideoPicker(QWidget):
    """Pick a video, preview it, learn its duration."""

    videoChanged = Signal(object)  # Path | None
    durationChanged = Signal(object)  # int milliseconds | None

    def __init__(self, start_folder: str = "", parent: QWidget | None = None) -> None:
        """Build the picker; ``start_folder`` is where the file dialog opens."""
        super().__init__(parent)
        self.start_folder = start_folder
        self.video: Path | None = None
        self.duration_ms: int | None = None
        self.pick_button = named(QPushButton("Choose video…"), "kinetixPickVideo")
        self.path_label = named(QLabel("No video chosen"), "kinetixVideoPath")
        # A long file name must not widen the page: it is cut, and whole in the tooltip.
        self.path_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error_label = named(MessageLabel(), "kinetixVideoError")
        self.duration_label = named(QLabel(), "kinetixDuration")
        self.duration_label.setWordWrap(True)
        self.play_button = named(QPushButton("Play"), "kinetixPlay")
        self.play_button.setEnabled(False)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(self.pick_button)
        row.addWidget(self.path_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self._player: QMediaPlayer | None = None
        self._view: QWidget | None = None
        self._screen: QStackedWidget | None = None
        if QMediaPlayer is not None and QVideoWidget is not None:
            # Until a video is chosen the preview area says what it is for (an empty box
            # half the column high looked broken).
            placeholder = named(QLabel("The chosen video plays here"), "kinetixPreviewHint")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placeholder.setWordWrap(True)
            set_tone(placeholder, Tone.MUTED)
            self._view = QVideoWidget()
            self._screen = named(QStackedWidget(), "kinetixPreview")
            self._screen.setFrameShape(QFrame.Shape.StyledPanel)
            self._screen.setMinimumHeight(90)
            self._screen.addWidget(placeholder)
            self._screen.addWidget(self._view)
            layout.addWidget(self._screen, 1)
        else:
            missing = named(QLabel(
                f"No video preview: Qt's multimedia library could not load ({MEDIA_ERROR}). "
                "Installing the missing system library (e.g. libpulse0) brings it back; "
                "uploading works without it."), "kinetixNoPreview")
            missing.setWordWrap(True)
            layout.addWidget(missing, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.play_button)
        row2.addWidget(self.duration_label, 1)
        layout.addLayout(row2)
        self.pick_button.clicked.connect(self._choose)
        self.play_button.clicked.connect(self._toggle_play)

    def _ensure_player(self) -> QMediaPlayer | None:
        if self._player is None and QMediaPlayer is not None and self._view is not None:
            self._player = QMediaPlayer(self)
            self._player.setVideoOutput(self._view)
            self._player.durationChanged.connect(self._duration)
            self._player.errorOccurred.connect(self._media_error)
        return self._player

    def _choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a video", self.start_folder, FILTER)
        if name:
            self.set_video(Path(name))

    def set_video(self, path: Path) -> bool:
        """Use ``path`` if it is a supported video; otherwise say why and keep the old one.

        Returns:
            Whether the video was accepted.
        """
        try:
            check_video_path(path)
        except KinetixInputError as exc:
            self.error_label.show_message(str(exc), False)
            return False
        self.error_label.clear()
        self.video = path
        self.start_folder = str(path.parent)
        self.path_label.setText(path.name)
        self.path_label.setToolTip(str(path))
        self.duration_ms = None
        self.duration_label.setText("Reading the video…")
        self.videoChanged.emit(path)
        self.durationChanged.emit(None)
        player = self._ensure_player()
        if player is None:
            self.duration_label.setText("Duration unknown (no video preview): the end time is "
                                        "only checked against the start")
            return True
        player.stop()
        if self._screen is not None and self._view is not None:
            self._screen.setCurrentWidget(self._view)
        player.setSource(QUrl.fromLocalFile(str(path)))
        return True

    def _duration(self, millis: int) -> None:
        if millis <= 0:
            return
        self.duration_ms = millis
        self.duration_label.setText(f"Duration {format_timestamp(millis)}")
        self.play_button.setEnabled(True)
        self.durationChanged.emit(millis)

    def _media_error(self, error: object, text: str) -> None:
        self.duration_ms = None
        self.play_button.setEnabled(False)
        self.duration_label.setText(
            f"Cannot preview this video ({text or error}); its duration is unknown, so the "
            "end time is only checked against the start"
        )
        self.durationChanged.emit(None)

    def _toggle_play(self) -> None:
        player = self._player
        if player is None:
            return
        if player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            player.pause()
            self.play_button.setText("Play")
        else:
            player.play()
            self.play_button.setText("Pause")

    def release(self) -> None:
        """Stop playback and free the media file."""
        if self._player is not None:
            self._player.stop()
            self._player.setSource(QUrl())
