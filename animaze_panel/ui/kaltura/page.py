"""KalturaPage: the side page running one Kaltura avatar session live inside the panel.

Left: the session form and the say panel; right: the live picture with its controls. Fits a
1280x720 window without scroll bars. :meth:`KalturaPage.aclose` (page closed, app quitting)
ends the session, closes the media and the HTTP client.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ...cloud.kaltura import KalturaConfig
from ..widgets.audio_player import AudioPlayer
from .ks_keeper import SecretStoreLike
from .say_panel import SayPanel
from .say_target import KalturaSayTarget
from .session_form import SessionForm
from .video_panel import VideoPanel
from .viewmodel import KalturaViewModel

LEFT_WIDTH = 380
"""The form column's width: wide enough for the error sentences, narrow enough for the video."""


class KalturaPage(QWidget):
    """Session form + say panel + live video, bound to one :class:`KalturaViewModel`."""

    def __init__(
        self,
        config: KalturaConfig,
        store: SecretStoreLike,
        parent: QWidget | None = None,
        *,
        audio: AudioPlayer | None = None,
        connect_timeout: float = 15.0,
    ) -> None:
        """Build the page (no session starts until the user presses Start).

        Args:
            config: Kaltura base URL and timeouts (``--demo``: the fake server's).
            store: Where the KS is kept (the OS keyring; in memory for ``--demo``).
            parent: Qt parent.
            audio: Sound output (default: the system's default device).
            connect_timeout: Seconds the media connection may take.
        """
        super().__init__(parent)
        self.setObjectName("kalturaPageContent")
        self.model = KalturaViewModel(config, store, self, audio=audio,
                                      connect_timeout=connect_timeout)
        self.session_form = SessionForm(self.model, self)
        self.say_panel = SayPanel(self.model, self)
        self.video_panel = VideoPanel(self.model, self)
        self.say_target = KalturaSayTarget(self.model)
        left = QWidget(self)
        left.setFixedWidth(LEFT_WIDTH)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.session_form)
        column.addWidget(self.say_panel, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addWidget(self.video_panel, 1)

    async def aclose(self) -> None:
        """End the session and close everything the page holds (safe to call twice)."""
        self.video_panel.close_window()
        await self.model.aclose()
