"""AnimazeSession: the Qt view-model over the one shared Animaze connection.

Every dock talks to Animaze through this object, never to the client or to JSON directly:

* state: :attr:`stateChanged` (a :class:`ConnectionState`) and :attr:`connectedChanged`
  (bool; docks enable/disable their controls on it);
* triggers as signals: :attr:`triggerReceived`, :attr:`avatarChanged`,
  :attr:`speechStarted`, :attr:`speechEnded`;
* traffic: :attr:`frameLogged` for the traffic log;
* commands: every user action reaches Animaze through :meth:`AnimazeSession.send` (raises)
  or :meth:`AnimazeSession.call` (returns the typed response or ``None`` after reporting the
  failure once through :mod:`.messages` - status bar + app log, no modal storm - and
  :attr:`commandFailed`); :meth:`fire` does the same from a plain click handler and keeps a
  reference to the task. Accepted commands are announced with :attr:`sent`.

The connection is an :class:`~..animaze.link.AnimazeLink`, in the app (and the tests) a
:class:`~..animaze.io_thread.ThreadedClient` (socket on its own thread, so a repainting window
never delays a hotkey). Its callbacks arrive on the loop that created the session, i.e. on the
GUI thread, so signals are emitted directly.

:attr:`AnimazeSession.model` is the shared :class:`~.animaze_state.AnimazeState`: what Animaze
is (catalogue, current items, camera, broadcast as last set), fed by every command sent here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..animaze import errors
from ..animaze.errors import AnimazeError
from ..animaze.link import AnimazeLink
from ..animaze.messages import AvatarChanged, ChatbotSpeechEnded, ChatbotSpeechStarted, Trigger
from ..animaze.observers import ConnectionState, Direction
from ..animaze.requests import Request
from ..animaze.responses import Response
from . import messages
from .animaze_state import AnimazeState

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Response)
T = TypeVar("T")


def describe_error(error: AnimazeError, url: str) -> str:
    """Turn an Animaze error into one sentence a streamer can act on (the panel retries).

    Args:
        error: The error raised by the client.
        url: The Animaze URL, to say where the panel is trying to connect.
    """
    return errors.describe_error(error, url, reconnects=True)


class AnimazeSession(QObject):
    """Signals and async helpers for the docks, bound to one Animaze connection."""

    stateChanged = Signal(object)  # ConnectionState
    connectedChanged = Signal(bool)
    triggerReceived = Signal(object)  # Trigger
    avatarChanged = Signal(str)  # new avatar item name
    speechStarted = Signal()
    speechEnded = Signal()
    frameLogged = Signal(object, str)  # Direction, frame text
    commandFailed = Signal(str, str)  # action, readable message
    commandSucceeded = Signal(str)  # action
    sent = Signal(object, object)  # Request, Response: a command Animaze accepted

    def __init__(self, client: AnimazeLink, parent: QObject | None = None) -> None:
        """Bind to ``client`` (which may or may not be started yet)."""
        super().__init__(parent)
        self._client = client
        self._tasks: set[asyncio.Task[Any]] = set()
        self.model = AnimazeState(self, self)
        """The shared model of Animaze's state (catalogue, current items, camera...)."""
        self._removers = [
            client.add_state_listener(self._on_state),
            client.subscribe(self._on_trigger),
            client.add_frame_listener(self._on_frame),
        ]

    @property
    def client(self) -> AnimazeLink:
        """The underlying client (for wiring code, not for docks)."""
        return self._client

    @property
    def url(self) -> str:
        """Where the panel connects."""
        return self._client.url

    @property
    def state(self) -> ConnectionState:
        """The current connection state."""
        return self._client.state

    @property
    def connected(self) -> bool:
        """Whether commands can be sent now."""
        return self._client.connected

    async def send(self, request: Request[R], *, timeout: float | None = None) -> R:
        """Send ``request`` and return Animaze's answer; the one road to the wire for the UI.

        Every accepted command is announced with :attr:`sent` (and :attr:`commandSucceeded`),
        so the shared state model sees what the panel changed whoever sent it. Failures are
        raised, not reported: use :meth:`call` to have them reported.

        Raises:
            AnimazeError: Not connected, refused, timed out or an unreadable answer.
        """
        self.model.note_sending(request)
        response = await self._client.request(request, timeout=timeout)
        self.note_sent(request, response)
        return response

    async def call(
        self, request: Request[R], *, timeout: float | None = None, done: str = ""
    ) -> R | None:
        """Send ``request``; report a failure through the message channel.

        Args:
            request: A validated request.
            timeout: Seconds to wait, defaulting to the client's request timeout.
            done: A sentence reported as a success once Animaze accepted it ("" for none).

        Returns:
            The typed response, or ``None`` if the command failed (already reported once in
            the status bar and the log, and through :attr:`commandFailed`).
        """
        try:
            response = await self.send(request, timeout=timeout)
        except AnimazeError as exc:
            self.report_failure(request.ACTION, exc)
            return None
        if done:
            messages.success(done)
        return response

    def report_failure(self, action: str, error: AnimazeError) -> str:
        """Report a failed command (status bar, log, :attr:`commandFailed`).

        Returns:
            The sentence shown.
        """
        message = describe_error(error, self._client.url)
        messages.error(message)
        self.commandFailed.emit(action, message)
        return message

    def note_sent(self, request: Request[Any], response: Response) -> None:
        """Announce a command Animaze accepted (also for ones sent on the hotkey lane)."""
        self.model.note_sent(request)
        self.commandSucceeded.emit(request.ACTION)
        self.sent.emit(request, response)

    def fire(self, request: Request[Any]) -> asyncio.Task[Any]:
        """Send ``request`` in the background (for click handlers); failures are reported.

        Returns:
            The task, also kept by the session until it finishes.
        """
        return self.spawn(self.call(request))

    def spawn(self, coro: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
        """Run a coroutine as a task the session keeps a reference to until it is done."""
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # A bug in a dock's coroutine: into the log panel instead of "never retrieved".
            log.error("Background task failed", exc_info=task.exception())

    def reconnect(self) -> None:
        """Try to connect now instead of waiting for the backoff delay."""
        self._client.reconnect_now()

    async def aclose(self) -> None:
        """Detach from the client and cancel outstanding tasks."""
        for remove in self._removers:
            remove()
        self.model.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    # ------------------------------------------------------------ client callbacks

    def _on_state(self, state: ConnectionState) -> None:
        self.stateChanged.emit(state)
        self.connectedChanged.emit(state is ConnectionState.CONNECTED)

    def _on_trigger(self, trigger: Trigger) -> None:
        self.triggerReceived.emit(trigger)
        if isinstance(trigger, AvatarChanged):
            self.avatarChanged.emit(trigger.new_avatar)
        elif isinstance(trigger, ChatbotSpeechStarted):
            self.speechStarted.emit()
        elif isinstance(trigger, ChatbotSpeechEnded):
            self.speechEnded.emit()

    def _on_frame(self, direction: Direction, text: str) -> None:
        self.frameLogged.emit(direction, text)
