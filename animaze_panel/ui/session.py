"""AnimazeSession: the Qt view-model over the one shared Animaze connection.

Every dock talks to Animaze through this object, never to the client or to JSON directly:

* state: :attr:`stateChanged` (a :class:`ConnectionState`) and :attr:`connectedChanged`
  (bool; docks enable/disable their controls on it);
* triggers as signals: :attr:`triggerReceived`, :attr:`avatarChanged`,
  :attr:`speechStarted`, :attr:`speechEnded`;
* traffic: :attr:`frameLogged` for the traffic log;
* commands: ``await session.call(request)`` returns the typed response or ``None`` after
  reporting the failure once through :attr:`commandFailed` (status bar + log, no modal storm);
  :meth:`fire` does the same from a plain click handler and keeps a reference to the task.

The connection is an :class:`~..animaze.io_thread.AnimazeLink`: in the app a
:class:`~..animaze.io_thread.ThreadedClient` (socket on its own thread, so a repainting window
never delays a hotkey), in many tests a plain :class:`~..animaze.client.AnimazeClient` on the
test loop. Either way its callbacks arrive on the loop that created the session, i.e. on the
GUI thread, so signals are emitted directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from ..animaze.client import ConnectionState, Direction
from ..animaze.errors import (
    AnimazeCommandError,
    AnimazeDisconnected,
    AnimazeError,
    AnimazeTimeout,
    ProtocolError,
)
from ..animaze.io_thread import AnimazeLink
from ..animaze.messages import AvatarChanged, ChatbotSpeechEnded, ChatbotSpeechStarted, Trigger
from ..animaze.requests import Request
from ..animaze.responses import Response

log = logging.getLogger(__name__)
R = TypeVar("R", bound=Response)
T = TypeVar("T")


def describe_error(error: AnimazeError, url: str) -> str:
    """Turn an Animaze error into one sentence a streamer can act on.

    Args:
        error: The error raised by the client.
        url: The Animaze URL, to say where the panel is trying to connect.
    """
    if isinstance(error, AnimazeCommandError):
        return f"Animaze refused {error.action}: {error.message}"
    if isinstance(error, AnimazeTimeout):
        return f"Animaze did not answer {error.action} within {error.timeout:g} s"
    if isinstance(error, AnimazeDisconnected):
        return f"Not connected to Animaze at {url}; the panel reconnects by itself"
    if isinstance(error, ProtocolError):
        return f"Animaze sent an answer the panel cannot read ({error})"
    return str(error)


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

    def __init__(self, client: AnimazeLink, parent: QObject | None = None) -> None:
        """Bind to ``client`` (which may or may not be started yet)."""
        super().__init__(parent)
        self._client = client
        self._tasks: set[asyncio.Task[Any]] = set()
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

    async def call(self, request: Request[R], *, timeout: float | None = None) -> R | None:
        """Send ``request``; report a failure through :attr:`commandFailed`.

        Args:
            request: A validated request.
            timeout: Seconds to wait, defaulting to the client's request timeout.

        Returns:
            The typed response, or ``None`` if the command failed (already reported).
        """
        try:
            response = await self._client.request(request, timeout=timeout)
        except AnimazeError as exc:
            message = describe_error(exc, self._client.url)
            log.warning("%s", message)
            self.commandFailed.emit(request.ACTION, message)
            return None
        self.commandSucceeded.emit(request.ACTION)
        return response

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
