"""AnimazeLink: what the GUI needs of a connection to Animaze, whichever runs it.

Two classes satisfy it: :class:`~.client.AnimazeClient` (the client on the caller's own loop,
as in tests and benchmarks) and :class:`~.io_thread.ThreadedClient` (the same client on its own
thread: the app's). The GUI is typed against this protocol so that either can be given to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from .errors import AnimazeError
from .observers import ConnectionState, FrameListener, StateListener, TriggerListener
from .request_base import Request
from .responses import Response

R = TypeVar("R", bound=Response)


class AnimazeLink(Protocol):
    """What the GUI needs of a connection.

    Satisfied by :class:`~.client.AnimazeClient` and :class:`~.io_thread.ThreadedClient`.
    """

    @property
    def url(self) -> str:
        """Where it connects."""

    @property
    def state(self) -> ConnectionState:
        """The connection state."""

    @property
    def connected(self) -> bool:
        """Whether requests can be sent."""

    @property
    def last_error(self) -> AnimazeError | None:
        """Why the last connection attempt failed (``None`` after a success)."""

    def add_state_listener(self, callback: StateListener) -> Callable[[], None]:
        """Observe state changes; returns a remover."""

    def subscribe(self, callback: TriggerListener) -> Callable[[], None]:
        """Observe triggers; returns a remover."""

    def add_frame_listener(self, callback: FrameListener) -> Callable[[], None]:
        """Observe frames; returns a remover."""

    def start(self) -> None:
        """Start connecting in the background."""

    def reconnect_now(self) -> None:
        """Skip the backoff delay."""

    async def set_url(self, url: str) -> None:
        """Switch to another Animaze."""

    async def request(self, request: Request[R], *, timeout: float | None = None) -> R:
        """Send a request and wait for its typed response."""

    async def close(self) -> None:
        """Close the link for good."""
