"""LiveSessionModel: one paid Akool session from start to close, and everything said in it.

Start: the session is created through the :class:`~animaze_panel.cloud.akool_sessions.SessionGuard`
(recorded on disk before anything else, so even a crash cannot leave it open for long), the
page joins the video call with its own timeout, then the chosen voice, language, mode and
background are sent as ``set-params``. While live, a countdown shows the paid time left.

Chat, interrupt and ``set-params`` go out as stream messages built by
:mod:`animaze_panel.cloud.akool_stream`, one at a time and paced to the data channel's budget.
Received messages become transcript lines (bot answers grow chunk by chunk), command
confirmations and the speaking indicator.

The session is closed (at Akool, refunding the unused time) when the user stops it, when its
time is over, and whenever it can no longer be used: join failed or timed out, the video token
expired, the connection dropped, the avatar left. Each of these says what happened and what to
do next in :attr:`LiveSessionModel.message`.
"""

from __future__ import annotations

import asyncio
import enum
import itertools
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from ...cloud import akool_stream as stream
from ...cloud.akool_errors import AkoolError
from ...cloud.akool_models import AgoraCredentials, Session, SessionOptions
from ...cloud.akool_sessions import SessionGuard
from .bridge import LiveError
from .live_link import JOIN_TIMEOUT_S, LiveLink
from .tasks import TaskSet

log = logging.getLogger(__name__)

ACK_TIMEOUT_S = 10.0
CREDENTIALS_TIMEOUT_S = 30.0


class Phase(enum.Enum):
    """Where the session is."""

    IDLE = "idle"
    STARTING = "starting"  # creating the session at Akool
    JOINING = "joining"  # joining the video call
    LIVE = "live"
    STOPPING = "stopping"


class NotLive(RuntimeError):
    """Something was to be said or changed without a live session."""


class LiveSessionModel(QObject):
    """Signals and actions of the live session."""

    phaseChanged = Signal(object)  # noqa: N815  Phase
    message = Signal(str, bool)  # text, ok (False: an error, with what to do)
    countdown = Signal(int)  # seconds of paid time left
    transcriptLine = Signal(str, str, str, bool)  # noqa: N815  speaker, mid, text so far, final
    chatMessage = Signal(str, bool)  # noqa: N815  status of sending chat
    paramsStatus = Signal(str, bool)  # noqa: N815  set-params sent / confirmed / refused
    speakingChanged = Signal(bool)  # noqa: N815
    micChanged = Signal(bool)  # noqa: N815
    micMessage = Signal(str)  # noqa: N815

    def __init__(
        self,
        guard: SessionGuard,
        link: LiveLink,
        join_timeout: float = JOIN_TIMEOUT_S,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        """Bind to the session guard (Akool REST) and the live page (video + data channel).

        Args:
            guard: Opens and closes sessions (and remembers them on disk).
            link: The live-view page.
            join_timeout: Seconds the page may take to join the call.
            clock: Monotonic clock of the countdown.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.guard = guard
        self.link = link
        self.join_timeout = join_timeout
        self._clock = clock
        self.phase = Phase.IDLE
        self.session: Session | None = None
        self.speaking = False
        self.mic_on = False
        self.applied = stream.AvatarParams()
        self._deadline = 0.0
        self._tasks = TaskSet("Akool session")
        self._send_lock = asyncio.Lock()
        self._pacer = stream.Pacer()
        self._assembler = stream.ChatAssembler()
        self._acks: dict[str, asyncio.Future[stream.CommandAck]] = {}
        self._mids = itertools.count()
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        link.messageReceived.connect(self._on_message)
        link.tokenExpiring.connect(lambda: self.message.emit(
            "The video pass of this session expires in 30 seconds.", True))
        link.tokenExpired.connect(lambda: self._lost(
            "The session's video pass expired, so the avatar cannot be reached any more. "
            "The session was closed; start a new one."))
        link.connectionChanged.connect(self._on_connection)
        link.rendererGone.connect(lambda: self._lost(
            "The live view stopped unexpectedly, so the session was closed. Start a new one."))
        link.remoteLeft.connect(lambda reason: self._lost(
            "The avatar left the call (its session ended). Start a new session to go on."))

    # -- start / stop -----------------------------------------------------------------------

    @property
    def live(self) -> bool:
        """Whether a session is joined and usable."""
        return self.phase is Phase.LIVE

    def in_phase(self, phase: Phase) -> bool:
        """Whether the session is in ``phase`` (re-read after every await)."""
        return self.phase is phase

    def seconds_left(self) -> int:
        """Paid seconds left (0 when not live)."""
        return max(0, round(self._deadline - self._clock())) if self.live else 0

    def _set_phase(self, phase: Phase) -> None:
        self.phase = phase
        self.phaseChanged.emit(phase)

    def start(self, options: SessionOptions, params: stream.AvatarParams) -> asyncio.Task[None]:
        """Open a session with ``options``, join it, then apply ``params``."""
        return self._tasks.spawn(self.run_start(options, params))

    async def run_start(self, options: SessionOptions, params: stream.AvatarParams) -> None:
        """:meth:`start` as a coroutine (errors are reported, never raised)."""
        if self.phase is not Phase.IDLE:
            self.message.emit("A session is already running: stop it first.", False)
            return
        self._set_phase(Phase.STARTING)
        self.message.emit(f"Starting a {options.duration // 60} min {options.duration % 60} s "
                          "session (paid from now on)...", True)
        try:
            self.session = await self.guard.create_session(options)
        except AkoolError as exc:
            self._set_phase(Phase.IDLE)
            self.message.emit(str(exc), False)
            return
        if not self.in_phase(Phase.STARTING):  # stopped while it was being created
            await self._end("Session closed; the unused time is refunded.", True)
            return
        try:
            credentials = await self._credentials(self.session)
            self._set_phase(Phase.JOINING)
            self.message.emit("Joining the avatar's video call...", True)
            await self.link.join(credentials.to_wire(), self.join_timeout)
        except (AkoolError, LiveError) as exc:
            await self._end(f"{exc} The session was closed (unused time is refunded).", False)
            return
        self._deadline = self._clock() + options.duration
        self._pacer = stream.Pacer()
        self._set_phase(Phase.LIVE)
        self._timer.start()
        self._tick()
        self.message.emit("Live: the avatar is listening.", True)
        if params.to_wire():
            await self.run_set_params(params)

    async def _credentials(self, session: Session) -> AgoraCredentials:
        deadline = self._clock() + CREDENTIALS_TIMEOUT_S
        while True:
            credentials = session.credentials
            if isinstance(credentials, AgoraCredentials):
                return credentials
            if credentials is not None:
                raise LiveError(f"This session uses {session.stream_type.value}, which the panel "
                                "cannot show; choose the Agora stream type.")
            if not session.status.is_open or self._clock() > deadline:
                raise LiveError("Akool did not hand out the video call details in time. "
                                "Try again in a minute.")
            await asyncio.sleep(1.0)  # queueing sessions get their credentials a bit later
            session = await self.guard.client.get_session(session.id)

    def stop(self) -> asyncio.Task[None]:
        """Close the session on the user's request."""
        return self._tasks.spawn(self._end("Session closed; the unused time is refunded.", True))

    def _lost(self, why: str) -> None:
        if self.phase in (Phase.LIVE, Phase.JOINING):
            self._tasks.spawn(self._end(why, False))

    def _on_connection(self, state: str, reason: str) -> None:
        if state == "DISCONNECTED" and reason != "LEAVE" and self.live:
            self._lost(f"The connection to the avatar was lost ({reason or 'no reason given'}). "
                       "The session was closed: check the internet connection and start a new "
                       "one.")

    def _tick(self) -> None:
        left = self.seconds_left()
        self.countdown.emit(left)
        if self.live and left <= 0:
            self._tasks.spawn(self._end("The paid time is over; the session has ended.", True))

    async def _end(self, text: str, ok: bool) -> None:
        """Leave the call and close the session at Akool (idempotent)."""
        if self.phase in (Phase.IDLE, Phase.STOPPING) and self.session is None:
            return
        if self.phase is Phase.STARTING and self.session is None:
            self._set_phase(Phase.STOPPING)  # run_start closes the session once it exists
            return
        session, self.session = self.session, None
        self._set_phase(Phase.STOPPING)
        self._timer.stop()
        self.countdown.emit(0)
        for future in self._acks.values():
            if not future.done():
                future.cancel()
        self._acks.clear()
        await self.link.leave()
        if self.mic_on:
            self.mic_on = False
            self.micChanged.emit(False)
        if self.speaking:
            self.speaking = False
            self.speakingChanged.emit(False)
        if session is not None:
            result = await self.guard.close(session.id)
            if not result.closed:
                text += (f" Closing it at Akool failed ({result.error}); the panel will try "
                         "again on the next start.")
                ok = False
        self._set_phase(Phase.IDLE)
        self.message.emit(text, ok)

    async def aclose(self) -> None:
        """Close the live session (if any) and stop every task."""
        await self._tasks.cancel_all()
        if self.session is not None:
            await self._end("Session closed.", True)

    # -- talking ----------------------------------------------------------------------------

    def _mid(self) -> str:
        return f"{stream.new_mid(int(time.time() * 1000))}-{next(self._mids)}"

    def _require_live(self) -> None:
        if not self.live:
            raise NotLive("No live Akool session: start a session on the Akool page first.")

    async def _send_all(self, messages: list[stream.Outgoing]) -> None:
        """Send ``messages`` in order, paced to the data channel's budget."""
        loop = asyncio.get_running_loop()
        async with self._send_lock:
            for out in messages:
                at = self._pacer.reserve(out.size, loop.time())
                delay = at - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                await self.link.send(out.text)

    async def say(self, text: str) -> None:
        """Have the avatar answer (dialogue) or repeat (retell) ``text``.

        Raises:
            NotLive: No live session.
            ValueError: ``text`` is empty.
            LiveError: The message could not be sent.
        """
        self._require_live()
        if not text.strip():
            raise ValueError("Type something for the avatar first.")
        mid = self._mid()
        self.transcriptLine.emit("user", mid, text, True)
        await self._send_all(stream.chat_messages(text, mid))

    def send_chat(self, text: str) -> asyncio.Task[bool]:
        """:meth:`say` from the chat box; reports in :attr:`chatMessage`, True when sent."""

        async def run() -> bool:
            try:
                await self.say(text)
            except (NotLive, ValueError, LiveError) as exc:
                self.chatMessage.emit(str(exc), False)
                return False
            self.chatMessage.emit("", True)
            return True

        return self._tasks.spawn(run())

    async def _command(self, out: stream.Outgoing, what: str) -> stream.CommandAck:
        future: asyncio.Future[stream.CommandAck] = asyncio.get_running_loop().create_future()
        self._acks[out.mid] = future
        try:
            await self._send_all([out])
            return await asyncio.wait_for(future, ACK_TIMEOUT_S)
        except TimeoutError as exc:
            raise LiveError(f"Akool did not confirm {what}. Try again.") from exc
        finally:
            self._acks.pop(out.mid, None)

    def interrupt(self) -> asyncio.Task[None]:
        """Stop the avatar's current answer."""

        async def run() -> None:
            try:
                self._require_live()
                ack = await self._command(stream.interrupt_message(self._mid()), "the interrupt")
            except (NotLive, LiveError) as exc:
                self.chatMessage.emit(str(exc), False)
                return
            if not ack.ok:
                self.chatMessage.emit(f"Akool refused the interrupt ({ack.code}: {ack.msg}).",
                                      False)

        return self._tasks.spawn(run())

    def set_params(self, params: stream.AvatarParams) -> asyncio.Task[None]:
        """Change voice/language/mode/background; confirmed from Akool's ack."""
        return self._tasks.spawn(self.run_set_params(params))

    async def run_set_params(self, params: stream.AvatarParams) -> None:
        """:meth:`set_params` as a coroutine (errors are reported, never raised)."""
        changes = ", ".join(f"{k}={v}" for k, v in params.to_wire().items())
        if not changes:
            return
        self.paramsStatus.emit(f"Sending {changes}...", True)
        try:
            self._require_live()
            ack = await self._command(stream.set_params_message(self._mid(), params),
                                      "the settings change")
        except (NotLive, LiveError, stream.StreamMessageError) as exc:
            self.paramsStatus.emit(str(exc), False)
            return
        if ack.ok:
            merged = {**self.applied.to_wire(), **params.to_wire()}
            self.applied = stream.AvatarParams(**merged)
            self.paramsStatus.emit(f"Applied: {changes}", True)
        else:
            self.paramsStatus.emit(
                f"Akool refused {changes} (code {ack.code}: {ack.msg or 'no reason given'}). "
                "Pick another value.", False)

    def set_mic(self, on: bool) -> asyncio.Task[None]:
        """Push-to-talk: publish (True) or mute (False) the microphone."""

        async def run() -> None:
            try:
                self._require_live()
                await self.link.set_mic(on)
            except (NotLive, LiveError) as exc:
                if on:
                    self.micMessage.emit(str(exc))
                return
            self.mic_on = on
            self.micChanged.emit(on)
            self.micMessage.emit("")

        return self._tasks.spawn(run())

    # -- received ---------------------------------------------------------------------------

    def _on_message(self, text: str) -> None:
        received = stream.parse_message(text)
        if isinstance(received, stream.ChatReceived):
            line, final = self._assembler.add(received)
            speaker = received.speaker.value if received.speaker is not stream.Speaker.UNKNOWN \
                else "bot"
            self.transcriptLine.emit(speaker, received.mid, line, final)
        elif isinstance(received, stream.CommandAck):
            future = self._acks.get(received.mid)
            if future is not None and not future.done():
                future.set_result(received)
        elif isinstance(received, stream.AudioEvent):
            speaking = received.kind is stream.AudioEventKind.AUDIO_START
            if speaking != self.speaking:
                self.speaking = speaking
                self.speakingChanged.emit(speaking)
        else:
            log.debug("stream message ignored: %s", received.reason)
