"""CatalogueModel: avatars (with thumbnails), voices, languages, uploads and the session list.

Each area reports into its own signal so its errors show next to it: the avatar list, the
upload form and the session list each have a status line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx
from PySide6.QtCore import QObject, Signal

from ...cloud.akool import AkoolClient
from ...cloud.akool_errors import AkoolError, AkoolInputError
from ...cloud.akool_models import (
    Avatar,
    AvatarStatus,
    AvatarUpload,
    AvatarUploadRequest,
    SessionStatus,
)
from ...cloud.akool_sessions import SessionGuard
from ..widgets.turns import Turns
from .tasks import TaskSet

log = logging.getLogger(__name__)

THUMBNAIL_LIMIT = 2_000_000  # bytes: a thumbnail larger than this is not a thumbnail
_UPLOAD_STATES = {
    AvatarStatus.QUEUEING: "Queued at Akool",
    AvatarStatus.PROCESSING: "Akool is processing the video",
    AvatarStatus.READY: "Ready",
    AvatarStatus.FAILED: "Failed",
}


class CatalogueModel(QObject):
    """Lists and forms around the live session."""

    avatarsChanged = Signal(object)  # noqa: N815  list[Avatar]
    avatarsStatus = Signal(str, bool)  # noqa: N815
    thumbnailReady = Signal(str, bytes)  # noqa: N815  avatar_id, image bytes
    voicesChanged = Signal(object)  # noqa: N815  list[Voice]
    languagesChanged = Signal(object)  # noqa: N815  list[Language]
    uploadStatus = Signal(str, bool)  # noqa: N815
    uploadField = Signal(str, str)  # noqa: N815  field, message
    uploadBusy = Signal(bool)  # noqa: N815
    sessionsChanged = Signal(object)  # noqa: N815  list[Session]
    sessionsStatus = Signal(str, bool)  # noqa: N815
    closeLiveRequested = Signal()  # noqa: N815  the list's "close" picked the live session

    def __init__(self, client: AkoolClient, guard: SessionGuard,
                 parent: QObject | None = None) -> None:
        """Work through ``client``; close sessions through ``guard`` (it keeps the ledger)."""
        super().__init__(parent)
        self.client = client
        self.guard = guard
        self.avatars: list[Avatar] = []
        self.live_session_id: Callable[[], str] = lambda: ""
        self._tasks = TaskSet("Akool catalogue")
        self._upload: asyncio.Task[None] | None = None
        self._sessions_turns = Turns()
        self._media = httpx.AsyncClient(timeout=20.0, follow_redirects=True)

    async def aclose(self) -> None:
        """Stop every task and close the thumbnail client."""
        await self._tasks.cancel_all()
        await self._media.aclose()

    # -- avatars, voices, languages ---------------------------------------------------------

    def refresh(self) -> asyncio.Task[None]:
        """Reload avatars, voices and languages."""
        return self._tasks.spawn(self.run_refresh())

    async def run_refresh(self) -> None:
        """:meth:`refresh` as a coroutine."""
        self.avatarsStatus.emit("Loading avatars, voices and languages...", True)
        try:
            page, voices, languages = await asyncio.gather(
                self.client.list_avatars(), self.client.list_voices(),
                self.client.list_languages())
        except AkoolError as exc:
            self.avatarsStatus.emit(str(exc), False)
            return
        self.avatars = list(page.avatars)
        self.avatarsChanged.emit(self.avatars)
        self.voicesChanged.emit(voices)
        self.languagesChanged.emit(languages)
        unavailable = sum(1 for a in self.avatars if not a.available)
        note = f" ({unavailable} unavailable right now)" if unavailable else ""
        self.avatarsStatus.emit(f"{len(self.avatars)} avatars{note}.", True)
        for avatar in self.avatars:
            if avatar.thumbnail_url:
                self._tasks.spawn(self._thumbnail(avatar.avatar_id, avatar.thumbnail_url))

    async def _thumbnail(self, avatar_id: str, url: str) -> None:
        try:
            response = await self._media.get(url)
        except httpx.HTTPError as exc:
            log.info("thumbnail of %s not loaded: %s", avatar_id, type(exc).__name__)
            return
        if response.status_code == 200 and len(response.content) <= THUMBNAIL_LIMIT:
            self.thumbnailReady.emit(avatar_id, response.content)

    # -- upload -----------------------------------------------------------------------------

    def upload(self, request: AvatarUploadRequest, poll_interval: float | None = None) -> None:
        """Upload an avatar video link and follow its processing until ready or failed."""
        if self._upload is not None and not self._upload.done():
            self.uploadStatus.emit("An upload is already being processed.", False)
            return
        self._upload = self._tasks.spawn(self._run_upload(request, poll_interval))

    async def _run_upload(self, request: AvatarUploadRequest, interval: float | None) -> None:
        self.uploadBusy.emit(True)
        try:
            upload = await self.client.upload_avatar(request)
            self.uploadStatus.emit(self._describe(upload), True)
            done = await self.client.wait_for_avatar(
                upload.id, lambda u: self.uploadStatus.emit(self._describe(u), True), interval)
        except AkoolInputError as exc:
            self.uploadField.emit(exc.field, str(exc))
            return
        except AkoolError as exc:
            self.uploadStatus.emit(str(exc), False)
            return
        finally:
            self.uploadBusy.emit(False)
        self.uploadStatus.emit(f"Avatar {done.avatar_id} is ready: pick it in the avatar list.",
                               True)
        await self.run_refresh()

    @staticmethod
    def _describe(upload: AvatarUpload) -> str:
        return f"{upload.avatar_id}: {_UPLOAD_STATES.get(upload.status, 'Unknown state')}"

    # -- sessions ---------------------------------------------------------------------------

    def refresh_sessions(self, status: SessionStatus | None = None) -> asyncio.Task[None]:
        """Reload the session list, optionally only sessions in ``status``."""
        return self._tasks.spawn(self._run_sessions(status))

    async def _run_sessions(self, status: SessionStatus | None, note: str = "") -> None:
        # Reloads overlap when the user flips the filter: only the newest one may show its
        # answer, or a slow unfiltered list would cover the filtered one asked for after it.
        turn = self._sessions_turns.take()
        if not note:
            self.sessionsStatus.emit("Loading sessions...", True)
        try:
            page = await self.client.list_sessions(status=status)
        except AkoolError as exc:
            if self._sessions_turns.is_newest(turn):
                self.sessionsStatus.emit(f"{note} {exc}".strip(), False)
            return
        if not self._sessions_turns.is_newest(turn):
            return
        self.sessionsChanged.emit(list(page.sessions))
        self.sessionsStatus.emit(f"{note} {page.count} sessions.".strip(), True)

    def close_session(self, session_id: str,
                      status: SessionStatus | None = None) -> asyncio.Task[None]:
        """Close a session from the list (refunds its unused time), then reload the list."""

        async def run() -> None:
            if session_id == self.live_session_id():
                self.closeLiveRequested.emit()  # the live page leaves the call and closes it
                return
            result = await self.guard.close(session_id)
            if not result.closed:
                self.sessionsStatus.emit(f"Session {session_id} was not closed: {result.error}",
                                         False)
                return
            await self._run_sessions(status, f"Session {session_id} closed.")

        return self._tasks.spawn(run())
