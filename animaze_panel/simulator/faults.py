"""Fault knobs that make the simulator misbehave on purpose, settable from any thread.

Tests (and the GUI's --demo "chaos" options) flip these at runtime::

    sim.faults.set(latency=0.2, garbage_frames=2)
    sim.faults.set(drop_after=0)      # the next frame received drops its connection
    sim.faults.reset()
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FaultSettings:
    """A snapshot of the knobs.

    Attributes:
        latency: Seconds to wait before each reply.
        omit_id: Reply without echoing the request's ``id`` (the spec makes the echo optional).
        drop_after: Answer this many more frames, then abort the TCP connection (no close
            frame, like a crash) when the next one arrives, without answering it. One-shot: the
            knob resets to ``None`` once fired, so clients can reconnect.
        garbage_frames: Frames of garbage (bad JSON, binary, objects without action) sent
            before each real reply.
        stall: Record frames but never answer them.
    """

    latency: float = 0.0
    omit_id: bool = False
    drop_after: int | None = None
    garbage_frames: int = 0
    stall: bool = False


GARBAGE: tuple[str | bytes, ...] = (
    "{this is not json",
    "[1, 2, 3]",
    '{"unexpected": true}',
    b"\x00\xff\xfe binary frame",
    '"just a string"',
    '{"action": 42}',
)
"""What ``garbage_frames`` sends, in turn: nothing here is a valid response or trigger."""


class Faults:
    """Thread-safe holder of :class:`FaultSettings`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings = FaultSettings()

    @property
    def settings(self) -> FaultSettings:
        """The current knobs (an immutable snapshot)."""
        with self._lock:
            return self._settings

    def set(self, **changes: Any) -> FaultSettings:
        """Change some knobs, keeping the others.

        Args:
            **changes: Fields of :class:`FaultSettings`.

        Returns:
            The new settings.

        Raises:
            TypeError: An unknown knob name.
            ValueError: A negative latency, count or drop threshold.
        """
        with self._lock:
            new = dataclasses.replace(self._settings, **changes)
            if new.latency < 0 or new.garbage_frames < 0 or (new.drop_after or 0) < 0:
                raise ValueError(f"fault knobs must not be negative: {changes}")
            self._settings = new
            return new

    def reset(self) -> None:
        """Back to a well-behaved Animaze."""
        with self._lock:
            self._settings = FaultSettings()

    def take_drop(self) -> bool:
        """Count one received frame against ``drop_after``.

        Returns:
            ``True`` when this frame's connection must be dropped (the knob then resets).
        """
        with self._lock:
            remaining = self._settings.drop_after
            if remaining is None:
                return False
            left = None if remaining == 0 else remaining - 1
            self._settings = dataclasses.replace(self._settings, drop_after=left)
            return remaining == 0
