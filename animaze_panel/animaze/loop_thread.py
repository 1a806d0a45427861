"""IoThread: an asyncio event loop running in a daemon thread.

Generic: it knows nothing of Animaze. :class:`~.io_thread.ThreadedClient` runs its client on
one, and the hotkey backends' tests run a lane on one. Anything submitted from another thread
goes through :meth:`IoThread.submit`; stopping cancels what is left on the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

JOIN_TIMEOUT = 5.0
"""Seconds :meth:`IoThread.stop` waits for the thread (its loop has nothing long to finish)."""


class IoThread:
    """An asyncio event loop running in a daemon thread."""

    def __init__(self, name: str = "animaze-io") -> None:
        """Create the thread (not started)."""
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The thread's loop.

        Raises:
            RuntimeError: The thread is not running.
        """
        if self._loop is None:
            raise RuntimeError("the I/O thread is not running")
        return self._loop

    @property
    def running(self) -> bool:
        """Whether the thread and its loop are up."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> IoThread:
        """Start the thread and return once its loop runs. Idempotent.

        Returns:
            ``self``, for chaining.
        """
        if self._thread is None:
            self._thread = threading.Thread(target=self._main, name=self._name, daemon=True)
            self._thread.start()
            self._ready.wait()
        return self

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Run ``coro`` on the thread's loop (callable from any thread).

        Raises:
            RuntimeError: The thread is not running (``coro`` is closed, never awaited).
        """
        if not self.running:
            coro.close()
            raise RuntimeError("the I/O thread is not running")
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self) -> None:
        """Cancel what is left on the loop, stop it and join the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
            thread.join(JOIN_TIMEOUT)
        self._thread = self._loop = None

    def _main(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        loop.call_soon(self._ready.set)
        try:
            loop.run_forever()
        finally:
            tasks = asyncio.all_tasks(loop)
            for task in tasks:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
