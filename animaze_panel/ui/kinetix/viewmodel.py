"""KinetixViewModel: the Kinetix page's state and async work, reported through Qt signals.

Widgets call plain methods (``save_key``, ``new_token``, ``submit`` ...); each starts an asyncio
task on the running qasync loop (references kept in ``_tasks``) and reports back through
signals, so no widget touches the client or JSON. Messages carry ``ok`` (success colour or error
colour) and go where the user looks:

* :class:`KinetixAuthError` -> :attr:`keyStatus` (next to the key field), from any call;
* :class:`KinetixInputError` -> :attr:`formError` (field name + message);
* anything else -> the message signal of the area that failed (token, upload, process,
  download, history). Nothing the user typed is ever cleared on error.

Tokens follow Kinetix's rules: one token makes one upload attempt (the server deletes it when
an upload presents it), so every attempt takes a fresh one, and an upload refused for a used or
expired token is retried once with a new token. A shown QR code is watched: once a phone used
it (or it expired) it is cleared and the history refreshed.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

from ...cloud.kinetix import (
    KinetixAuthError,
    KinetixClient,
    KinetixError,
    KinetixInputError,
    KinetixNotAuthorized,
    KinetixNotFound,
    KinetixTokenExpired,
    KinetixValidationDisabled,
)
from ...cloud.kinetix_models import EmoteFile, EmoteSubmission, Process, ProcessStatus, ProcessToken
from ...secrets import Secret, SecretStore, SecretStoreError, SecretStoreUnavailable
from .settings import KinetixSettings

log = logging.getLogger(__name__)

KEY_NAME = "kinetix-api-key"
_TERMINAL = (ProcessStatus.DONE, ProcessStatus.FAILED, ProcessStatus.FINAL)


class KinetixViewModel(QObject):
    """Signals and actions of the Kinetix page, over one :class:`KinetixClient`."""

    keyStatus = Signal(str, bool)  # message, ok
    keyLoaded = Signal(bool)  # a key is known (from the secret store or typed this session)
    planChanged = Signal(str)
    tokenChanged = Signal(object)  # ProcessToken | None (None: used up or expired)
    tokenMessage = Signal(str, bool)
    formError = Signal(str, str)  # field, message
    uploadProgress = Signal(int, int)  # sent, total
    uploadingChanged = Signal(bool)
    uploadMessage = Signal(str, bool)
    processChanged = Signal(object)  # Process
    processMessage = Signal(str, bool)
    filesChanged = Signal(object)  # tuple[EmoteFile, ...]
    downloadMessage = Signal(str, bool)
    downloadsDone = Signal(object, object)  # list[Path] saved, Path folder
    historyChanged = Signal(object)  # list[Process]
    historyMessage = Signal(str, bool)

    def __init__(
        self,
        client: KinetixClient,
        secrets: SecretStore,
        settings: KinetixSettings,
        poll_interval: float = 2.0,
        parent: QObject | None = None,
    ) -> None:
        """Bind the view-model to its client, secret store and settings.

        Args:
            client: The one Kinetix client of the panel (closed by :meth:`aclose`).
            secrets: Where the API key lives.
            settings: Non-secret settings and history.
            poll_interval: Seconds between process status polls (tokens: 2.5 times that).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.client = client
        self.secrets = secrets
        self.settings = settings
        self.poll_interval = poll_interval
        self.token: ProcessToken | None = None
        self.process: Process | None = None
        self.files: tuple[EmoteFile, ...] = ()
        self.review_available = True  # False once Kinetix says the validation flow is off
        self._tasks: set[asyncio.Task[Any]] = set()
        self._upload: asyncio.Task[Any] | None = None
        self._poll: asyncio.Task[Any] | None = None
        self._token_watch: asyncio.Task[Any] | None = None

    # -- task plumbing ----------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Kinetix task failed", exc_info=task.exception())

    def _report(self, error: KinetixError, area: SignalInstance) -> None:
        """Send ``error`` where the user will look for it."""
        if isinstance(error, KinetixAuthError):
            self.keyStatus.emit(str(error), False)
        if isinstance(error, KinetixInputError):
            self.formError.emit(error.field, str(error))
            return
        area.emit(str(error), False)

    async def aclose(self) -> None:
        """Cancel every task and close the HTTP client."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.client.aclose()

    # -- key, user, plan --------------------------------------------------------------------

    def load(self) -> None:
        """Read the key from the secret store; when one is found, refresh plan and history."""
        try:
            key = self.secrets.get(KEY_NAME)
        except SecretStoreUnavailable as exc:
            self.keyStatus.emit(f"{exc}. Enter the key each session.", False)
            key = None
        except SecretStoreError as exc:
            self.keyStatus.emit(str(exc), False)
            key = None
        self.historyChanged.emit(self.settings.history())
        if key:
            self.client.api_key = key
            self.keyLoaded.emit(True)
            self._spawn(self._check_key())
            if self.settings.user_id:
                self.refresh_history()

    def save_key(self, text: str) -> None:
        """Use ``text`` as the API key, store it, and check it with the plan."""
        key = Secret(text.strip())
        if not key:
            self.keyStatus.emit("Enter the game API key from the Kinetix Developer Portal", False)
            return
        self.client.api_key = key
        self.review_available = True  # another key may be another game
        self.keyLoaded.emit(True)
        saved = ""
        try:
            self.secrets.set(KEY_NAME, key)
        except SecretStoreUnavailable as exc:
            saved = f"{exc}: it is used for this session only and NOT saved. "
        except SecretStoreError as exc:
            saved = f"{exc}: it is used for this session only. "
        self._spawn(self._check_key(saved))

    def forget_key(self) -> None:
        """Remove the key from the secret store and from the client."""
        self.client.api_key = None
        self.keyLoaded.emit(False)
        try:
            self.secrets.delete(KEY_NAME)
        except SecretStoreError as exc:
            self.keyStatus.emit(str(exc), False)
            return
        self.keyStatus.emit("Key removed", True)
        self.planChanged.emit("")

    async def _check_key(self, prefix: str = "") -> None:
        try:
            plans = await self.client.get_plans()
        except KinetixError as exc:
            message = str(exc) if isinstance(exc, KinetixAuthError) else f"Cannot check: {exc}"
            self.keyStatus.emit(prefix + message, False)
            return
        self.keyStatus.emit(prefix + "Key accepted", not prefix)
        self.planChanged.emit(
            "; ".join(
                f"{p.name}: {p.muge_limit} emotes, {p.total_users_limit} players, "
                f"{p.calls_limit} calls"
                for p in plans
            )
            or "No plan"
        )

    def set_user_id(self, user_id: str) -> None:
        """Remember the player id (kept as typed, trimmed)."""
        self.settings.user_id = user_id

    def _user(self) -> str | None:
        user = self.settings.user_id
        if not user:
            self.formError.emit("user", "Enter the player id the emote is made for")
            return None
        return user

    # -- token ------------------------------------------------------------------------------

    def new_token(self) -> None:
        """Ask for a fresh token (its QR code lets a player record on a phone)."""
        if (user := self._user()) is not None:
            self._spawn(self._new_token(user))

    async def _new_token(self, user: str) -> ProcessToken | None:
        try:
            token = await self.client.create_token(user)
        except KinetixError as exc:
            self._report(exc, self.tokenMessage)
            return None
        self._set_token(token)
        return token

    def _set_token(self, token: ProcessToken | None) -> None:
        self.token = token
        self.tokenChanged.emit(token)
        if self._token_watch is not None:
            self._token_watch.cancel()
            self._token_watch = None
        if token is not None:
            self._token_watch = self._spawn(self._watch_token(token))

    async def _watch_token(self, token: ProcessToken) -> None:
        """Poll the token's status until Kinetix says it is gone (used on a phone, expired)."""
        while True:
            await asyncio.sleep(self.poll_interval * 2.5)
            try:
                await self.client.get_token_status(token)
            except KinetixTokenExpired:
                break
            except KinetixAuthError:
                return  # the key was forgotten: nothing more to learn about this token
            except KinetixError:
                continue  # transient: the countdown still shows the expiry
        if self.token is token:
            self.token = None
            self.tokenChanged.emit(None)
            self.tokenMessage.emit("That QR code was used or has expired; press New QR code "
                                   "for another", True)
            if self.settings.user_id:
                self.refresh_history()  # an emote recorded on the phone shows up

    # -- upload -----------------------------------------------------------------------------

    @property
    def uploading(self) -> bool:
        """Whether an upload is running."""
        return self._upload is not None and not self._upload.done()

    def submit(self, submission: EmoteSubmission, duration_ms: int | None) -> None:
        """Validate the form, then upload the video with a fresh token."""
        if self.uploading:
            return
        try:
            submission.validate(duration_ms)
        except KinetixInputError as exc:
            self.formError.emit(exc.field, str(exc))
            return
        if (user := self._user()) is None:
            return
        self._upload = self._spawn(self._run_upload(user, submission))

    def cancel_upload(self) -> None:
        """Abort the running upload (the form stays)."""
        if self._upload is not None:
            self._upload.cancel()

    async def _attempt(self, user: str, submission: EmoteSubmission) -> Process:
        # One token per attempt: a token an attempt presented is gone, whatever the answer.
        token = self.token
        if token is None or token.seconds_left() < 10:
            token = await self.client.create_token(user)
        self._set_token(None)
        return await self.client.create_process(
            token, submission, lambda sent, total: self.uploadProgress.emit(sent, total)
        )

    async def _run_upload(self, user: str, submission: EmoteSubmission) -> None:
        self.uploadingChanged.emit(True)
        try:
            try:
                process = await self._attempt(user, submission)
            except KinetixTokenExpired:
                # The token was used meanwhile (e.g. by a phone) or expired: one more try.
                self.uploadMessage.emit("The token had been used; uploading again with a new "
                                        "one…", True)
                process = await self._attempt(user, submission)
        except asyncio.CancelledError:
            self.uploadMessage.emit("Upload cancelled; the form is kept for another try", True)
            return
        except KinetixError as exc:
            self._report(exc, self.uploadMessage)
            return
        finally:
            self.uploadingChanged.emit(False)
        self.uploadMessage.emit("Upload complete: Kinetix is making the emote", True)
        if not process.name:
            process = Process.from_wire({**process.to_wire(), "name": submission.name})
        self._show(process)
        self.watch(process)

    # -- process ----------------------------------------------------------------------------

    def _show(self, process: Process) -> None:
        self.process = process
        self.processChanged.emit(process)
        self.historyChanged.emit(self.settings.remember(process))

    def watch(self, process: Process) -> None:
        """Show ``process`` and poll it until it is done, failed or final."""
        if self._poll is not None:
            self._poll.cancel()
        self.files = ()
        self.filesChanged.emit(())
        self.process = process
        self.processChanged.emit(process)
        self._poll = self._spawn(self._poll_process(process.uuid))

    async def _poll_process(self, uuid: str) -> None:
        while True:
            try:
                process = await self.client.get_process(uuid)
            except (KinetixAuthError, KinetixNotAuthorized, KinetixNotFound) as exc:
                self._report(exc, self.processMessage)
                return
            except KinetixError as exc:  # transient even after retries: keep watching
                self.processMessage.emit(f"{exc}; still watching", False)
                await asyncio.sleep(self.poll_interval * 2)
                continue
            if self.process is not None and self.process.name and not process.name:
                process = Process.from_wire({**process.to_wire(), "name": self.process.name})
            self._show(process)
            if process.status in _TERMINAL:
                break
            await asyncio.sleep(self.poll_interval)
        if process.status in (ProcessStatus.DONE, ProcessStatus.FINAL) and process.emote:
            await self._load_files(process.emote)

    async def _load_files(self, emote_uuid: str) -> None:
        try:
            emote = await self.client.get_emote(emote_uuid)
        except KinetixError as exc:
            self._report(exc, self.processMessage)
            return
        self.files = emote.files
        self.filesChanged.emit(emote.files)

    def validate(self) -> None:
        """Accept the current emote (validation flow)."""
        if self.process is not None:
            self._spawn(self._review(self.process.uuid, retake=False))

    def retake(self) -> None:
        """Reject the current emote and get a new token for another try."""
        if self.process is not None:
            self._spawn(self._review(self.process.uuid, retake=True))

    async def _review(self, uuid: str, retake: bool) -> None:
        try:
            if retake:
                token = await self.client.retake_process(uuid)
            else:
                self._show(await self.client.validate_process(uuid))
        except KinetixError as exc:
            # Only Kinetix's explicit "validation flow is disabled" hides the buttons; any
            # other refusal (not ready yet, a key problem, an unexplained 403) leaves them.
            if isinstance(exc, KinetixValidationDisabled):
                self.review_available = False
            self._report(exc, self.processMessage)
            if self.process is not None:
                self.processChanged.emit(self.process)
            return
        if not retake:
            self.processMessage.emit("Emote validated", True)
            return
        self._set_token(token)
        self.processMessage.emit("Retake requested: record or choose another video", True)
        try:
            self._show(await self.client.get_process(uuid))
        except KinetixError as exc:
            self._report(exc, self.processMessage)

    # -- history and downloads --------------------------------------------------------------

    def refresh_history(self) -> None:
        """Merge the server's list of the user's processes into the saved history."""
        if (user := self._user()) is not None:
            self._spawn(self._refresh_history(user))

    async def _refresh_history(self, user: str) -> None:
        try:
            listed = await self.client.list_user_processes(user)
        except KinetixError as exc:
            self._report(exc, self.historyMessage)
            return
        self.historyChanged.emit(self.settings.merge_history(listed))
        self.historyMessage.emit(f"Kinetix lists {len(listed)} emote(s) of {user}", True)

    def download(self, files: tuple[EmoteFile, ...], folder: Path) -> None:
        """Download ``files`` into ``folder``; report every file saved (or not)."""
        self.settings.download_folder = str(folder)
        self._spawn(self._download(files, folder))

    async def _download(self, files: tuple[EmoteFile, ...], folder: Path) -> None:
        saved: list[Path] = []
        failed: list[str] = []
        for index, file in enumerate(files, 1):
            self.downloadMessage.emit(f"Downloading {file.filename} ({index}/{len(files)})…",
                                      True)
            try:
                saved.append(await self.client.download(file.url, folder, file.filename))
            except (KinetixError, OSError) as exc:
                failed.append(f"{file.filename}: {exc}")
        names = ", ".join(path.name for path in saved)
        if failed:
            done = f"Saved {names} in {folder}. " if saved else ""
            self.downloadMessage.emit(f"{done}Not saved: {'; '.join(failed)}", False)
        else:
            self.downloadMessage.emit(f"Saved {len(saved)} file(s) in {folder}: {names}", True)
        self.downloadsDone.emit(saved, folder)
