"""The keep-alive loop of a Kaltura avatar session (used through ``KalturaClient``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from .kaltura_models import AvatarSession, KalturaAuthError, KalturaError, KalturaSessionGone

KEEP_ALIVE_INTERVAL = 10.0
"""Seconds between keep-alives ("every 10 seconds": keep-alive endpoint page; SDK ``keepAlive``)."""

KeepAliveCallback = Callable[[KalturaError | None], None]
"""Called after each keep-alive with ``None`` (it succeeded) or the error it raised."""


class _Sender(Protocol):
    async def keep_alive(self, session: AvatarSession) -> None: ...


class KeepAlive:
    """Sends a keep-alive every ``interval`` seconds (start to start) until stopped.

    Ticks missed while a call was slow are skipped, never sent in a burst. A 401/404/410 stops
    the loop (the session is unusable); any other failure is reported and the next tick tries
    again.
    """

    def __init__(
        self,
        client: _Sender,
        session: AvatarSession,
        interval: float = KEEP_ALIVE_INTERVAL,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_result: KeepAliveCallback | None = None,
    ) -> None:
        """Prepare the loop (not started).

        Args:
            client: Sends the keep-alives.
            session: The session kept alive.
            interval: Seconds between the starts of two keep-alives.
            clock: Monotonic time source, injectable for tests.
            sleep: Awaitable pause, injectable for tests.
            on_result: Called after each keep-alive with ``None`` or the error.
        """
        self.session = session
        self.interval = interval
        self.sent = 0
        self.last_error: KalturaError | None = None
        self._client = client
        self._clock = clock
        self._sleep = sleep
        self._on_result = on_result
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Whether the loop is running."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop on the running event loop."""
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name=f"kaltura-keep-alive-{self.session.session_id}"
            )

    async def stop(self) -> None:
        """Stop the loop and wait until it has stopped."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        # The task's own CancelledError is collected, not raised: only our caller's cancel is.
        await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        next_at = self._clock() + self.interval
        while True:
            await self._sleep(max(0.0, next_at - self._clock()))
            error: KalturaError | None = None
            try:
                await self._client.keep_alive(self.session)
            except KalturaError as exc:
                error = exc
            self.sent += 1
            self.last_error = error
            if self._on_result is not None:
                self._on_result(error)
            if isinstance(error, KalturaSessionGone | KalturaAuthError):
                return
            next_at += self.interval
            now = self._clock()
            if next_at <= now:
                next_at = now + self.interval
