"""Rate-limit a stream of live values (slider drags) without ever losing the last one.

A :class:`Coalescer` sits between a control and the command it sends. The first value after a
quiet period goes out at once (so the avatar reacts immediately); values arriving faster than
``min_interval`` replace each other and only the latest is sent when the interval has passed
(trailing edge), so the final value of a drag is always sent. :meth:`Coalescer.flush` sends a
pending value right away (slider released, spin box edited).

The logic has no Qt in it: time and timers are injected (``clock``, ``schedule``), so tests
drive it with a fake clock. Widgets pass a :class:`QtScheduler` (one single-shot ``QTimer`` owned
by the widget, so it stops with it); :func:`loop_scheduler` uses the running asyncio loop.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer

T = TypeVar("T")

DEFAULT_RATE = 30.0
"""Messages per second a live drag may send at most."""


class Cancellable(Protocol):
    """What a scheduler returns: something whose scheduled call can be cancelled."""

    def cancel(self) -> object:
        """Cancel the call if it has not run yet."""


Scheduler = Callable[[float, Callable[[], None]], Cancellable]
"""``schedule(delay_seconds, callback)`` runs ``callback`` once after ``delay_seconds``."""


def loop_scheduler(delay: float, callback: Callable[[], None]) -> Cancellable:
    """Schedule ``callback`` on the running asyncio loop (the qasync loop in the app)."""
    return asyncio.get_running_loop().call_later(delay, callback)


class QtScheduler:
    """A :data:`Scheduler` backed by one reusable single-shot ``QTimer``.

    It holds a single outstanding call, which is all a :class:`Coalescer` ever needs:
    scheduling again replaces the previous call.
    """

    def __init__(self, parent: QObject) -> None:
        """Create the timer as a child of ``parent`` (it dies with it)."""
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._fire)
        self._callback: Callable[[], None] | None = None

    def __call__(self, delay: float, callback: Callable[[], None]) -> QtScheduler:
        """Run ``callback`` after ``delay`` seconds (rounded up to whole milliseconds)."""
        self._callback = callback
        self._timer.start(max(0, math.ceil(delay * 1000)))
        return self

    def cancel(self) -> None:
        """Forget the outstanding call."""
        self._timer.stop()
        self._callback = None

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


class Coalescer(Generic[T]):
    """Send at most one value per ``min_interval``, always ending with the latest value."""

    def __init__(
        self,
        send: Callable[[T], object],
        *,
        min_interval: float = 1.0 / DEFAULT_RATE,
        clock: Callable[[], float] = time.monotonic,
        schedule: Scheduler = loop_scheduler,
    ) -> None:
        """Create the coalescer.

        Args:
            send: Called with each value that goes out.
            min_interval: Minimum seconds between two sends.
            clock: Monotonic time source in seconds.
            schedule: Runs a callback after a delay; see :data:`Scheduler`.
        """
        if min_interval < 0:
            raise ValueError("min_interval must not be negative")
        self._send = send
        self._interval = min_interval
        self._clock = clock
        self._schedule = schedule
        self._last_sent: float | None = None
        self._pending: tuple[T] | None = None  # a 1-tuple so that None can be a value
        self._timer: Cancellable | None = None

    @property
    def pending(self) -> bool:
        """Whether a value is waiting to be sent."""
        return self._pending is not None

    def submit(self, value: T) -> None:
        """Offer a new value: sent now if the interval has passed, else held (replacing older)."""
        self._pending = (value,)
        if self._timer is not None:
            return  # the trailing send is already scheduled and will take this value
        now = self._clock()
        wait = 0.0 if self._last_sent is None else self._last_sent + self._interval - now
        if wait <= 0:
            self._send_pending(now)
        else:
            self._timer = self._schedule(wait, self._on_timer)

    def flush(self) -> None:
        """Send the pending value now, ignoring the interval (e.g. the slider was released)."""
        self._cancel_timer()
        if self._pending is not None:
            self._send_pending(self._clock())

    def cancel(self) -> None:
        """Drop the pending value without sending it (e.g. the link went down)."""
        self._cancel_timer()
        self._pending = None

    def _on_timer(self) -> None:
        self._timer = None
        if self._pending is not None:
            self._send_pending(self._clock())

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _send_pending(self, now: float) -> None:
        assert self._pending is not None
        (value,) = self._pending
        self._pending = None
        self._last_sent = now
        self._send(value)
