"""FakeClock: a :class:`~animaze_panel.hotkeys.macro.Clock` tests move by hand.

The hotkey engine times macro waits through an injected clock; with this one a test steps
through a 1.5 s wait without sleeping. :class:`LaneClock` does the same for an engine that
runs on another thread's loop (the app's hotkey lane).
"""

from __future__ import annotations

import asyncio


class FakeClock:
    """A clock tests move by hand: :meth:`advance` wakes the sleepers in deadline order."""

    def __init__(self, start: float = 0.0) -> None:
        """Start at ``start`` seconds."""
        self._now = start
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def now(self) -> float:
        """The fake time."""
        return self._now

    async def sleep_until(self, deadline: float) -> None:
        """Wait for :meth:`advance` to reach ``deadline``."""
        if deadline <= self._now:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((deadline, future))
        await future

    async def advance(self, seconds: float) -> None:
        """Move time forward, waking each sleeper at its own deadline and letting it run."""
        target = self._now + seconds
        while True:
            await _settle()
            due = [s for s in self._sleepers if s[0] <= target and not s[1].done()]
            if not due:
                break
            deadline, future = min(due, key=lambda s: s[0])
            self._now = max(self._now, deadline)
            self._sleepers.remove((deadline, future))
            future.set_result(None)
        self._sleepers = [s for s in self._sleepers if not s[1].done()]
        self._now = target
        await _settle()


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


class LaneClock(FakeClock):
    """A :class:`FakeClock` for an engine on another loop: time moves on that loop.

    Set :attr:`lane` to the engine's loop before the first :meth:`advance`.
    """

    def __init__(self, start: float = 0.0) -> None:
        """Start at ``start`` seconds, with no lane yet."""
        super().__init__(start)
        self.lane: asyncio.AbstractEventLoop | None = None

    async def advance(self, seconds: float) -> None:
        """Move time forward on the lane's loop and wait until the sleepers there have run."""
        assert self.lane is not None, "set LaneClock.lane to the engine's loop first"
        moved = asyncio.run_coroutine_threadsafe(FakeClock.advance(self, seconds), self.lane)
        await asyncio.wrap_future(moved)
