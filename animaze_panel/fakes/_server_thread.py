"""A fake server in a daemon thread with its own asyncio loop, so a GUI loop never serves HTTP.

Shared by :class:`~.kinetix_server.FakeKinetixThread` and
:class:`~.akool_server.FakeAkoolThread`: the server is built by the caller, started and stopped
on the thread's loop, and configured there through :meth:`ServerThread.call`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

JOIN_TIMEOUT = 10.0
"""Seconds any step on the server's loop (start, stop, a call) may take."""


class FakeServer(Protocol):
    """What :class:`ServerThread` needs of a fake: an async start and stop."""

    async def start(self, port: int = 0) -> str:
        """Listen on ``port`` (0 = a free one) and return the base URL."""

    async def stop(self) -> None:
        """Close the server."""


S = TypeVar("S", bound=FakeServer)


class ServerThread(Generic[S]):
    """Run ``server`` in a daemon thread with its own event loop."""

    def __init__(self, server: S, name: str) -> None:
        """Prepare (not start) the thread.

        Args:
            server: The fake, built but not started.
            name: The thread's name (shown in debuggers and thread dumps).
        """
        self.server = server
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=name, daemon=True)

    def start(self, port: int = 0) -> str:
        """Start the thread and the server; return the base URL."""
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self.server.start(port), self._loop)
        return future.result(timeout=JOIN_TIMEOUT)

    def stop(self) -> None:
        """Stop the server and the thread."""
        if not self._thread.is_alive():
            return
        stopping = asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop)
        stopping.result(timeout=JOIN_TIMEOUT)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=JOIN_TIMEOUT)
        self._loop.close()

    def call(self, fn: Callable[[S], Any]) -> Any:
        """Run ``fn(server)`` on the server's loop (thread-safe configuration/inspection)."""

        async def run() -> Any:
            return fn(self.server)

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout=JOIN_TIMEOUT)
