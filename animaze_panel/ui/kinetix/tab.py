"""KinetixTab: turn a video into a User-Generated Emote, end to end.

Embedding (in the main window, on the running qasync loop)::

    from animaze_panel.cloud.kinetix import KinetixConfig
    from animaze_panel.secrets import SecretStore
    from animaze_panel.ui.kinetix.settings import KinetixSettings
    from animaze_panel.ui.kinetix.tab import KinetixTab

    config = KinetixConfig()                        # real API
    tab = KinetixTab(config, SecretStore(), KinetixSettings())
    tabs.addTab(tab, "Kinetix")
    tab.start()                                     # reads the key from the keyring
    ...
    await tab.aclose()                              # on quit: cancels work, closes httpx

For ``--demo``, serve the fake API from its own thread (the Qt loop never serves HTTP) and
hand the tab the demo key for the session only (the keyring is not touched)::

    from animaze_panel.fakes.kinetix_server import DEMO_API_KEY, FakeKinetixThread

    fake = FakeKinetixThread(api_key=DEMO_API_KEY, step_seconds=1.5)
    tab = KinetixTab(KinetixConfig(base_url=fake.start()), SecretStore(), KinetixSettings())
    tab.start()
    tab.use_session_key(DEMO_API_KEY)
    ...
    await tab.aclose(); fake.stop()

Layout: the account box (key, user id, plan) on top; below, the "new emote" form with the
video preview, the phone-recording QR panel, the upload/progress panel and the history. All
state and network work live in :class:`KinetixViewModel`; the widgets only display it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...cloud.kinetix import KinetixClient, KinetixConfig
from ...cloud.kinetix_models import EmoteSubmission
from ...secrets import Secret, SecretStore
from .account import KinetixAccountBox
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
        parent: QWidget | None = None,
    ) -> None:
        """Build the tab; call :meth:`start` once the qasync loop runs.

        Args:
            config: Kinetix base URL, timeouts and retries (the fake server's URL in demo).
            secrets: Keyring store holding the API key.
            settings: Non-secret settings and the process history.
            client_factory: Makes the one :class:`KinetixClient` from ``config``.
            poll_interval: Seconds between status polls of a running process.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("kinetixTab")
        self.model = KinetixViewModel(client_factory(config), secrets, settings,
                                      poll_interval, self)
        self.account = KinetixAccountBox(self.model)
        self.form = KinetixEmoteForm(settings.video_folder)
        self.token_panel = KinetixTokenPanel(self.model)
        self.process_panel = KinetixProcessPanel(self.model)
        self.history = KinetixHistory(self.model)
        self._closing: asyncio.Task[Any] | None = None
        self._closed = False

        middle = QSplitter(Qt.Orientation.Vertical)
        middle.addWidget(self.token_panel)
        middle.addWidget(self.process_panel)
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(self.form)
        columns.addWidget(middle)
        columns.addWidget(self.history)
        columns.setStretchFactor(0, 3)
        columns.setStretchFactor(1, 2)
        columns.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.account)
        layout.addWidget(columns, 1)

        self.form.submitted.connect(self._submit)
        self.form.picker.videoChanged.connect(self._video_picked)
        self.model.formError.connect(self.form.show_error)
        self.model.uploadingChanged.connect(self.form.set_uploading)

    def start(self) -> None:
        """Load the key from the keyring and the saved history (needs the running loop)."""
        self.model.load()

    def use_session_key(self, key: str) -> None:
        """Use ``key`` for this session without saving it (demo mode)."""
        self.model.use_session_key(Secret(key))
        if not self.account.user_edit.text():
            self.account.user_edit.setText("demo-player")
            self.model.set_user_id("demo-player")

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
