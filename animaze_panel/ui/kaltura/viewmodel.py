"""KalturaViewModel: one Kaltura avatar session for the page - start, media, say, interrupt, end.

The control calls (httpx) and the keep-alive task run on the GUI thread's event loop (qasync);
the WHEP receiver runs on a :class:`~.media_thread.MediaThread`, so aiortc's network work never
waits for a repaint. Video frames go to a :class:`~..widgets.video_surface.VideoSurface`
(converted off the GUI thread), audio frames to an :class:`~..widgets.audio_player.AudioPlayer`;
both take frames from any thread. Media states come back to the GUI loop.

Start: create (KS) -> init-client -> WHEP media -> keep-alive; the KS is saved to the keyring
once Kaltura accepted it. Any failure after create ends the session again, so a paid session
never runs without the user seeing it. Errors are reported per field (:data:`FIELDS`), each a
sentence saying what went wrong and what to do; the page shows it next to that field.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from ...cloud.kaltura import (
    AvatarSession,
    KalturaAuthError,
    KalturaClient,
    KalturaConfig,
    KalturaError,
    KalturaForbidden,
    KalturaInputError,
    KalturaSessionGone,
)
from ...cloud.whep import MediaState, WhepError, WhepReceiver
from ...secrets import Secret
from ..widgets.audio_player import AudioPlayer
from ..widgets.video_surface import VideoSurface
from .ks_keeper import KsKeeper, SecretStoreLike
from .media_thread import MediaThread
from .turns import Turn, TurnStatus, split_parts

log = logging.getLogger(__name__)

FIELDS = ("ks", "avatar", "voice", "session", "media", "text", "keyring")
"""Where an error is shown: next to the KS, avatar id, voice id, start/end, video, text box,
or the KS's keyring note."""
MEDIA_STOP_TIMEOUT = 2.0
"""Seconds closing the media may take before the session is ended regardless."""
_INPUT_FIELDS = {"ks": "ks", "avatar id": "avatar", "voice speed": "voice", "text": "text"}


class Phase(enum.Enum):
    """The session's life on the page."""

    IDLE = "idle"
    STARTING = "starting"
    LIVE = "live"
    ENDING = "ending"


class KalturaViewModel(QObject):
    """State and actions of the Kaltura page (GUI thread only)."""

    phaseChanged = Signal(str)
    """The new :class:`Phase` value."""
    mediaStateChanged = Signal(str)
    """The new :class:`~animaze_panel.cloud.whep.MediaState` value."""
    errorChanged = Signal(str, str)
    """``(field, message)``; an empty message clears the field's error."""
    turnsChanged = Signal()
    ksStoredChanged = Signal()
    keepAliveChanged = Signal(str)
    """A line about the keep-alive (last success, or what failed)."""

    def __init__(
        self,
        config: KalturaConfig,
        store: SecretStoreLike,
        parent: QObject | None = None,
        *,
        audio: AudioPlayer | None = None,
        connect_timeout: float = 15.0,
    ) -> None:
        """Prepare (nothing is sent until :meth:`start`).

        Args:
            config: Kaltura base URL and timeouts.
            store: Where the KS is kept (the OS keyring; in-memory in ``--demo`` and tests).
            parent: Qt parent.
            audio: The sound output (default: a new player on the default device).
            connect_timeout: Seconds the media connection may take.
        """
        super().__init__(parent)
        self.config = config
        self._ks = KsKeeper(store, lambda message: self._error("keyring", message))
        self._ks_stored: bool | None = None
        self._client = KalturaClient(config)
        self.surface = VideoSurface(self)
        self._media = MediaThread("kaltura-media")
        self.audio = audio if audio is not None else AudioPlayer(self)
        self.connect_timeout = connect_timeout
        self.phase = Phase.IDLE
        self.media_state = MediaState.IDLE
        self.session: AvatarSession | None = None
        self.receiver: WhepReceiver | None = None
        self.turns: list[Turn] = []
        self.errors: dict[str, str] = {}
        self._say_lock = asyncio.Lock()
        self._start_task: asyncio.Task[bool] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False

    # ------------------------------------------------------------------ KS in the keyring

    def ks_stored(self) -> bool:
        """Whether a KS is saved in the keyring (read once, then kept up to date here: the
        keyring may be slow or ask to be unlocked, so it is not asked on every repaint)."""
        if self._ks_stored is None:
            self._ks_stored = self._ks.stored()
        return self._ks_stored

    def forget_ks(self) -> None:
        """Delete the saved KS from the keyring."""
        if self._ks.forget():
            self._ks_stored = False
            self.ksStoredChanged.emit()

    # ------------------------------------------------------------------ session

    @property
    def live(self) -> bool:
        """Whether a session is running (the avatar can speak)."""
        return self.phase is Phase.LIVE

    async def start(self, ks_text: str, avatar_id: str, voice_id: str = "") -> bool:
        """Create a session, connect its media and keep it alive.

        Args:
            ks_text: A KS typed now ("" uses the saved one).
            avatar_id: The avatar id.
            voice_id: Optional voice id.

        Returns:
            Whether the session is live; otherwise the errors say why.
        """
        if self.phase is not Phase.IDLE or self._closed:
            return False
        for name in ("ks", "avatar", "voice", "session", "media"):
            self._error(name, "")
        ks = self._ks.resolve(ks_text)
        if ks is None:
            self._error("ks", "Paste your Kaltura Session (KS); it is saved in the system "
                              "keyring, never in a file.")
            return False
        if not avatar_id.strip():
            self._error("avatar", "Enter the avatar id to start a session.")
            return False
        self._set_phase(Phase.STARTING)
        task = asyncio.get_running_loop().create_task(self._start(ks, avatar_id, voice_id))
        self._start_task = task
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            if not task.done():
                raise
            return False
        finally:
            self._start_task = None

    async def _start(self, ks: Secret, avatar_id: str, voice_id: str) -> bool:
        self._client.ks = ks
        create = asyncio.get_running_loop().create_task(
            self._client.create_session(avatar_id, voice_id or None))
        try:
            session = await asyncio.shield(create)
        except KalturaError as exc:
            self._show_kaltura_error(exc, default="session")
            self._set_phase(Phase.IDLE)
            return False
        except asyncio.CancelledError:
            # Cancelled mid-create: Kaltura may still open the session; end it when it comes.
            self._spawn(self._end_when_created(create))
            self._set_phase(Phase.IDLE)
            raise
        self.session = session
        if self._ks.save_if_new(ks):
            self._ks_stored = True
            self.ksStoredChanged.emit()
        try:
            init = await self._client.init_client(session)
            gui = asyncio.get_running_loop()

            def on_state(state: MediaState) -> None:  # on the media thread
                gui.call_soon_threadsafe(self._on_media_state, state)

            receiver = WhepReceiver(
                init.whep_url, init.turn, connect_timeout=self.connect_timeout,
                on_video=self.surface.push, on_audio=self.audio.push, on_state=on_state,
            )
            self.receiver = receiver
            self.audio.start()
            await self._media.run(receiver.start())
        except (KalturaError, WhepError) as exc:
            field = "media" if isinstance(exc, WhepError) else "session"
            await self._teardown(end_remote=True)
            self._error(field, f"{exc} The session was ended so it does not keep running.")
            self._set_phase(Phase.IDLE)
            return False
        except asyncio.CancelledError:
            await self._teardown(end_remote=True)
            self._set_phase(Phase.IDLE)
            raise
        self._client.start_keep_alive(session, self._on_keep_alive)
        self.keepAliveChanged.emit("Keep-alive every "
                                   f"{self.config.keep_alive_interval:g} s")
        self._set_phase(Phase.LIVE)
        return True

    async def _end_when_created(self, create: asyncio.Task[AvatarSession]) -> None:
        try:
            session = await create
        except KalturaError:
            return  # nothing was opened
        await self._end_remote(session)

    async def end(self) -> None:
        """End the session (or abandon a start in progress); the media is closed first."""
        start = self._start_task
        if start is not None and not start.done():
            start.cancel()
            await asyncio.gather(start, return_exceptions=True)
            return
        if self.phase is not Phase.LIVE:
            return
        self._set_phase(Phase.ENDING)
        await self._teardown(end_remote=True)
        self._set_phase(Phase.IDLE)

    async def _teardown(self, *, end_remote: bool) -> None:
        # Sound first (instant), then the media (WHEP DELETE), then the paid session;
        # the media gets a short budget so that, when quitting, the end is never starved.
        self.audio.stop()
        receiver, self.receiver = self.receiver, None
        session, self.session = self.session, None
        try:
            await asyncio.wait_for(self._stop_media(receiver), MEDIA_STOP_TIMEOUT)
        except TimeoutError:
            log.warning("Closing the Kaltura media took over %g s; ending the session anyway",
                        MEDIA_STOP_TIMEOUT)
        self.surface.clear()  # after the receiver stopped: no late frame paints it again
        await self._end_remote(session if end_remote else None)
        if self.media_state not in (MediaState.IDLE, MediaState.CLOSED):
            self._on_media_state(MediaState.CLOSED)

    async def _stop_media(self, receiver: WhepReceiver | None) -> None:
        if receiver is None:
            return
        try:
            await self._media.run(receiver.stop())  # DELETEs the WHEP resource
        except Exception:
            log.exception("Stopping the Kaltura media failed")

    async def _end_remote(self, session: AvatarSession | None) -> None:
        if session is None:
            return
        try:
            await self._client.end_session(session)
        except KalturaError as exc:
            self._error("session", f"Ending the session failed: {exc} It expires on "
                                   "Kaltura's side when its keep-alives stop.")

    def _on_media_state(self, state: MediaState) -> None:
        self.media_state = state
        self.mediaStateChanged.emit(state.value)
        if state is MediaState.CONNECTED:
            self._error("media", "")
        elif state is MediaState.RECONNECTING:
            self._error("media", "The video connection dropped; reconnecting\u2026")
        elif state is MediaState.FAILED and self.phase is Phase.LIVE:
            receiver = self.receiver
            reason = str(receiver.error) if receiver and receiver.error else "it was lost"
            self._error("media", f"The video could not be restored ({reason}). The session "
                                 "was ended so it does not keep running; start a new one.")
            self._spawn(self.end())

    def _on_keep_alive(self, error: KalturaError | None) -> None:
        if error is None:
            self.keepAliveChanged.emit("Keep-alive OK")
            return
        self.keepAliveChanged.emit(f"Keep-alive failed: {error}")
        if isinstance(error, KalturaSessionGone | KalturaAuthError) and self.phase is Phase.LIVE:
            self._error("session", f"Kaltura ended the session: {error}")
            self._set_phase(Phase.ENDING)
            self._spawn(self._lost_remote())

    async def _lost_remote(self) -> None:
        await self._teardown(end_remote=False)
        self._set_phase(Phase.IDLE)

    # ------------------------------------------------------------------ say / interrupt

    async def say(self, text: str) -> bool:
        """Send ``text`` as a new turn (in parts when long); the turn list shows progress.

        Returns:
            Whether Kaltura accepted every part.
        """
        text = text.strip()
        if not text:
            self._error("text", "Type something for the avatar to say.")
            return False
        session = self.session
        if session is None or self.phase is not Phase.LIVE:
            self._error("text", "Start a session first; the text stays here.")
            return False
        self._error("text", "")
        parts = split_parts(text)
        index = len(self.turns)
        self.turns.append(Turn("", text, parts=len(parts)))
        self.turnsChanged.emit()
        async with self._say_lock:  # parts and turns go out in order
            turn_id = ""
            for number, part in enumerate(parts, start=1):
                try:
                    said = await self._client.say_text(
                        session, part, turn_id or None, is_final=number == len(parts))
                except KalturaError as exc:
                    self._update_turn(index, status=TurnStatus.FAILED, error=str(exc))
                    self._show_kaltura_error(exc, default="text")
                    return False
                turn_id = said.turn_id
                self._update_turn(index, turn_id=turn_id, parts_sent=number)
        self._update_turn(index, status=TurnStatus.SAID)
        return True

    async def interrupt(self) -> bool:
        """Stop the avatar's current speech (and what is queued on Kaltura's side)."""
        session = self.session
        if session is None or self.phase is not Phase.LIVE:
            return False
        try:
            await self._client.interrupt(session)
        except KalturaError as exc:
            self._show_kaltura_error(exc, default="text")
            return False
        # Only the newest turn can still be playing; older ones were heard already or were
        # cut short by it, and the list must not claim more than is known.
        if self.turns and self.turns[-1].status is TurnStatus.SAID:
            self._update_turn(len(self.turns) - 1, status=TurnStatus.INTERRUPTED)
        return True

    def _update_turn(self, index: int, **changes: Any) -> None:
        turn = self.turns[index]
        status = changes.pop("status", turn.status)
        error = changes.pop("error", turn.error)
        fields = {"turn_id": turn.turn_id, "parts_sent": turn.parts_sent, **changes}
        self.turns[index] = Turn(fields["turn_id"], turn.text, status, fields["parts_sent"],
                                 turn.parts, error)
        self.turnsChanged.emit()

    # ------------------------------------------------------------------ closing

    async def aclose(self) -> None:
        """End any session (page closed or app quitting), then close the client."""
        if self._closed:
            return
        self._closed = True
        await self.end()
        await self._teardown(end_remote=True)
        await self._client.aclose()  # ends anything still live, bounded by its timeout
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.surface.close()
        self._media.close()
        self._set_phase(Phase.IDLE)

    # ------------------------------------------------------------------ helpers

    def _show_kaltura_error(self, exc: KalturaError, *, default: str) -> None:
        if isinstance(exc, KalturaInputError):
            field = _INPUT_FIELDS.get(exc.field, default)
        elif isinstance(exc, KalturaAuthError | KalturaForbidden) and self.session is None:
            field = "ks"  # on create: the KS itself
        elif isinstance(exc, KalturaSessionGone):
            field = "session"
        else:
            field = default
        self._error(field, str(exc))

    def _error(self, field: str, message: str) -> None:
        if self.errors.get(field, "") == message:
            return
        if message:
            self.errors[field] = message
        else:
            self.errors.pop(field, None)
        self.errorChanged.emit(field, message)

    def _set_phase(self, phase: Phase) -> None:
        if phase is not self.phase:
            self.phase = phase
            self.phaseChanged.emit(phase.value)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
