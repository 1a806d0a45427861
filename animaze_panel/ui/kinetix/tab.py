"""KinetixTab: turn a video into a User-Generated Emote, end to end.

Embedding (on the running qasync loop)::

    from animaze_panel.cloud.kinetix import KinetixConfig
    from animaze_panel.secrets import SecretStore
    from animaze_panel.ui.kinetix.settings import KinetixSettings
    from animaze_panel.ui.kinetix.tab import KinetixTab

    tab = KinetixTab(KinetixConfig(), SecretStore(), KinetixSettings(settings))
    tab.start()                                     # reads the key from the secret store
    ...
    await tab.aclose()                              # on quit: cancels work, closes httpx

For ``--demo`` the app serves the fake API from its own thread (the Qt loop never serves HTTP)
and passes an in-memory secret store holding the demo key, scratch settings, and
``demo_key`` so the page shows that key and a button that fills it in.

Layout, made for 1280x720 and up without scrollbars: the account box across the top; below,
three columns: the "new emote" form with the video preview; the phone QR code above the
upload/progress panel; the emote's files above the history. All state and network work live in
:class:`KinetixViewModel`; the widgets only display it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ...cloud.kinetix import KinetixClient, KinetixConfig
from ...cloud.kinetix_models import EmoteSubmission
from ...secrets import SecretStore
from .account import KinetixAccountBox
from .files import KinetixFilesPanel
from .form import KinetixEmoteForm
from .history import KinetixHistory
from .process import KinetixProcessPanel
from .settings import KinetixSettings
from .token import KinetixTokenPanel
from .viewmodel import KinetixViewModel

ClientFactory = Callable[[KinetixConfig], KinetixClient]


class KinetixTab(QWidget):
    """The Kinetix tab widget (objectName ``kinetixTab``)."""

    def __init__(
        self,
        config: KinetixConfig,
        secrets: SecretStore,
        settings: KinetixSettings,
        client_factory: ClientFactory = KinetixClient,
        poll_interval: float = 2.0,
        demo_key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the tab; call :meth:`start` once the qasync loop runs.

        Args:
            config: Kinetix base URL, timeouts and retries (the fake server's URL in demo).
            secrets: Secret store holding the API key (in-memory in ``--demo``).
            settings: Non-secret settings and the process history.
            client_factory: Makes the one :class:`KinetixClient` from ``config``.
            poll_interval: Seconds between status polls of a running process.
            demo_key: In ``--demo``, the fake server's key, shown with a "use it" button.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("kinetixTab")
        self.model = KinetixViewModel(client_factory(config), secrets, settings,
                                      poll_interval, self)
        self.account = KinetixAccountBox(self.model, demo_key)
        self.form = KinetixEmoteForm(settings.video_folder)
        self.token_panel = KinetixTokenPanel(self.model)
        self.process_panel = KinetixProcessPanel(self.model)
        self.files_panel = KinetixFilesPanel(self.model)
        self.history = KinetixHistory(self.model)
        self._closing: asyncio.Task[Any] | None = None
        self._closed = False

        middle = QVBoxLayout()
        middle.addWidget(self.token_panel)
        middle.addWidget(self.process_panel, 1)
        right = QVBoxLayout()
        right.addWidget(self.files_panel, 1)
        right.addWidget(self.history, 1)
        columns = QHBoxLayout()
        columns.addWidget(self.form, 1)
        columns.addLayout(middle, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.account)
        layout.addLayout(columns, 1)

        if demo_key is not None and not settings.user_id:
            settings.user_id = "demo-player"  # demo: everything is ready to try
            self.account.user_edit.setText(settings.user_id)
        self.form.submitted.connect(self._submit)
        self.form.picker.videoChanged.connect(self._video_picked)
        self.model.formError.connect(self.form.show_error)
        self.model.uploadingChanged.connect(self.form.set_uploading)
        self.model.uploadMessage.connect(self.form.upload_message.show_message)

    def start(self) -> None:
        """Load the key from the secret store and the saved history (needs the running loop)."""
        self.model.load()

    def _submit(self, submission: EmoteSubmission, duration_ms: int | None) -> None:
        self.model.set_user_id(self.account.user_edit.text())
        self.model.submit(submission, duration_ms)

    def _video_picked(self, path: object) -> None:
        picked = self.form.picker.video
        if picked is not None:
            self.model.settings.video_folder = str(picked.parent)

    async def aclose(self) -> None:
        """Stop timers and media, cancel running work and close the HTTP client (once)."""
        if self._closed:
            return
        self._closed = True
        self.token_panel.shutdown()
        self.form.picker.release()
        await self.model.aclose()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Closing the widget also closes its client (when a loop is running)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is not None and not self._closed and self._closing is None:
            self._closing = loop.create_task(self.aclose())
        super().closeEvent(event)
