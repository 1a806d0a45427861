"""AkoolPage: the Akool side page - account, avatars, upload, sessions, live view and chat.

Layout (fits 1280x720 without scrollbars): a tab column on the left (Session, Upload,
Sessions, Account), the live view in the middle, the chat on the right. The page owns its
:class:`~animaze_panel.cloud.akool.AkoolClient` and the session ledger; :meth:`aclose` closes
every paid session the panel opened (also those a crash left open, closed on the next start).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from ...cloud.akool import AkoolClient
from ...cloud.akool_errors import AkoolInputError
from ...cloud.akool_sessions import SessionGuard, SessionLedger
from ...secrets import SecretStore
from .account import AccountModel
from .avatar_list import AvatarList
from .catalogue import CatalogueModel
from .chat_panel import ChatPanel
from .credentials_box import CredentialsBox
from .live_link import JOIN_TIMEOUT_S
from .live_panel import LivePanel
from .live_session import LiveSessionModel, Phase
from .live_view import LiveView
from .say_target import AkoolSayTarget
from .scheme import SdkSource
from .session_form import SessionForm
from .sessions_list import SessionsList
from .tasks import TaskSet
from .upload_form import UploadForm

log = logging.getLogger(__name__)

LEFT_WIDTH = 330
RIGHT_WIDTH = 300


class AkoolPage(QWidget):
    """The whole Akool page (a :class:`~animaze_panel.ui.pages.ClosablePage` and
    :class:`~animaze_panel.ui.pages.SettlingPage`)."""

    def __init__(
        self,
        client: AkoolClient,
        store: SecretStore,
        ledger_dir: Path,
        sdk: SdkSource = SdkSource.VENDORED,
        join_timeout: float = JOIN_TIMEOUT_S,
        parent: QWidget | None = None,
    ) -> None:
        """Build the page and start loading the stored credentials.

        Args:
            client: The page's Akool client (closed by :meth:`aclose`).
            store: Where the credentials are kept.
            ledger_dir: Folder of the open-session ledger.
            sdk: The vendored Agora SDK, or the test double (tests, ``--demo``).
            join_timeout: Seconds the video call may take to join.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("akoolPage")
        self.client = client
        self.guard = SessionGuard(client, SessionLedger(ledger_dir))
        self.view = LiveView(sdk)
        self.account = AccountModel(client, store, self)
        self.catalogue = CatalogueModel(client, self.guard, self)
        self.live = LiveSessionModel(self.guard, self.view.link, join_timeout, parent=self)
        self.say_target = AkoolSayTarget(self.live)
        self._tasks = TaskSet("Akool page")
        self._closed = False

        self.credentials = CredentialsBox(self.account)
        self.avatars = AvatarList(self.catalogue)
        self.form = SessionForm(self.catalogue, self.live)
        self.upload = UploadForm(self.catalogue)
        self.sessions = SessionsList(self.catalogue)
        self.live_panel = LivePanel(self.view)
        self.chat = ChatPanel(self.live)

        session_tab = QWidget()
        session_layout = QVBoxLayout(session_tab)
        session_layout.setContentsMargins(2, 2, 2, 2)  # the page fits 1280x720 without scrolling
        session_layout.addWidget(self.avatars, 1)
        session_layout.addWidget(self.form)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("akoolTabs")
        self.tabs.addTab(session_tab, "Session")
        self.tabs.addTab(self.upload, "Upload")
        self.tabs.addTab(self.sessions, "Sessions")
        self.tabs.addTab(self.credentials, "Account")
        self.tabs.setFixedWidth(LEFT_WIDTH)
        self.chat.setFixedWidth(RIGHT_WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        layout.addWidget(self.live_panel, 1)
        layout.addWidget(self.chat)

        self.form.start_button.clicked.connect(self._start_or_stop)
        self.account.ready.connect(self._on_ready)
        self.live.phaseChanged.connect(self._on_phase)
        self.catalogue.live_session_id = lambda: self.live.session.id if self.live.session else ""
        self.catalogue.closeLiveRequested.connect(self.live.stop)
        self._first_lists: asyncio.Task[None] | None = None
        self._first_check = self.account.load()
        if self._first_check is None:
            self.tabs.setCurrentWidget(self.credentials)

    async def settled(self) -> None:
        """Return once the stored credentials were checked and, if Akool accepted them, the
        avatar, voice and language lists came in (or failed to)."""
        # asyncio.wait, not await: how a fetch ended is the page's to show, not the waiter's.
        if self._first_check is not None:
            await asyncio.wait([self._first_check])
        if self._first_lists is not None:  # set by the check, once Akool accepted the key
            await asyncio.wait([self._first_lists])

    def _on_ready(self) -> None:
        lists = self.catalogue.refresh()
        if self._first_lists is None:
            self._first_lists = lists
        self.sessions.refresh()
        self._tasks.spawn(self._recover())

    async def _recover(self) -> None:
        """Close sessions an earlier run left open (crash, power cut)."""
        results = await self.guard.recover()
        closed = [r for r in results if r.closed]
        failed = [r for r in results if not r.closed]
        if closed:
            self.form.status.show_status(
                f"Closed {len(closed)} session(s) an earlier run left open (unused time "
                "refunded).", True)
        if failed:
            self.form.status.show_status(
                f"{len(failed)} session(s) left open by an earlier run could not be closed "
                f"({failed[0].error}); the panel tries again on the next start.", False)

    def _start_or_stop(self) -> None:
        if self.live.phase in (Phase.LIVE, Phase.JOINING):
            self.live.stop()
            return
        if not self.account.accepted:
            self.form.status.show_status("Enter your Akool credentials on the Account tab "
                                         "first.", False)
            return
        avatar_id = self.avatars.selected_avatar_id()
        if not avatar_id:
            self.form.status.show_status("Pick an avatar in the list first.", False)
            return
        options = self.form.options(avatar_id)
        try:
            options.validate()
        except AkoolInputError as exc:
            self.form.status.show_status(str(exc), False)
            return
        self.live.start(options, self.form.params())

    def _on_phase(self, phase: Phase) -> None:
        if phase is Phase.IDLE:
            self.live_panel.video_label.setText("No video")
            self.sessions.refresh()

    async def aclose(self) -> None:
        """Close the live session and every other session the panel opened; free resources."""
        if self._closed:
            return
        self._closed = True
        await self._tasks.cancel_all()
        await self.live.aclose()
        await self.guard.aclose()
        await self.catalogue.aclose()
        await self.account.aclose()
        await self.client.aclose()
        self.live_panel.close_window()
        await self.view.dispose()  # WebEngine goes while the app still runs
