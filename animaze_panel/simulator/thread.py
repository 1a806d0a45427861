"""Run a :class:`~.server.Simulator` on its own event loop in a background thread.

The GUI's ``--demo`` mode and the Qt tests use this: the Qt (qasync) loop and the simulator's
loop stay independent, so a busy GUI never delays the simulator and vice versa::

    with SimulatorThread() as sim:      # returns once listening
        client = AnimazeClient(sim.url)
        sim.faults.set(latency=0.5)     # knobs are thread-safe
        sim.wait_for_frame(lambda f: f.action == "LoadAvatar", timeout=5)
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar

from .faults import Faults
from .server import FramePredicate, ReceivedFrame, Simulator

T = TypeVar("T")


class SimulatorThread:
    """A simulator in a daemon thread. Arguments are those of :class:`~.server.Simulator`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        """Create the simulator (not started).

        Args:
            host: Interface to listen on.
            port: TCP port (0 picks a free one).
            **options: Keyword options of :class:`~.server.Simulator`.
        """
        self.simulator = Simulator(host, port, **options)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        """``ws://host:port`` of the running simulator."""
        return self.simulator.url

    @property
    def port(self) -> int:
        """The TCP port listened on."""
        return self.simulator.port

    @property
    def faults(self) -> Faults:
        """The fault knobs (thread-safe)."""
        return self.simulator.faults

    def start(self, timeout: float = 10.0) -> Self:
        """Start the thread and return once the simulator is listening.

        Raises:
            OSError: The port could not be bound.
            TimeoutError: The simulator did not come up within ``timeout``.
        """
        if self._thread is not None:
            raise RuntimeError("the simulator thread is already started")
        self._thread = threading.Thread(target=self._run, name="animaze-simulator", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"the simulator did not start within {timeout:g} s")
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self.simulator.start())
        except BaseException as exc:  # handed to start()'s caller
            self._error = exc
            self._ready.set()
            loop.close()
            return
        self._loop = loop
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()

    def run(self, call: Callable[[Simulator], Coroutine[Any, Any, T]], timeout: float = 10.0) -> T:
        """Run ``call(simulator)`` on the simulator's loop and return its result.

        Example: ``sim.run(lambda s: s.change_avatar("AvatarBomb"))``.
        """
        loop = self._require_loop()
        return asyncio.run_coroutine_threadsafe(call(self.simulator), loop).result(timeout)

    def call_soon(self, function: Callable[[], object]) -> None:
        """Run a plain function on the simulator's loop, e.g. ``simulator.drop_connections``."""
        self._require_loop().call_soon_threadsafe(function)

    def wait_for_frame(
        self, predicate: FramePredicate, timeout: float = 5.0, *, since: int = 0
    ) -> ReceivedFrame:
        """Block until a received frame matches ``predicate`` (see ``Simulator.wait_for_frame``).

        Raises:
            TimeoutError: No such frame within ``timeout``.
        """
        return self.simulator.wait_for_frame_blocking(predicate, timeout, since=since)

    async def frame(
        self, predicate: FramePredicate, timeout: float = 5.0, *, since: int = 0
    ) -> ReceivedFrame:
        """Await, from another event loop (e.g. the GUI's), a frame matching ``predicate``.

        Unlike :meth:`wait_for_frame` this does not block the calling loop.

        Raises:
            TimeoutError: No such frame within ``timeout``.
        """
        coro = self.simulator.wait_for_frame(predicate, timeout, since=since)
        future = asyncio.run_coroutine_threadsafe(coro, self._require_loop())
        return await asyncio.wrap_future(future)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the simulator and join the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        self._thread = self._loop = None
        try:
            asyncio.run_coroutine_threadsafe(self.simulator.stop(), loop).result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("the simulator thread is not running")
        return self._loop

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
