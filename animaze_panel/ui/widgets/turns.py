"""Turns: only the newest of overlapping user requests may show its answer.

A user flips a filter twice or cancels a slow save and starts another: both requests are in
flight and may answer in either order. Each request takes a turn when it starts; when it ends it
shows its outcome only if its turn is still the newest, so an old answer never covers a newer
one. No Qt: a plain counter on the GUI thread.
"""

from __future__ import annotations


class Turns:
    """Numbers requests as they start; :meth:`is_newest` tells an answer whether it may show."""

    def __init__(self) -> None:
        """Start before the first turn."""
        self._newest = 0

    def take(self) -> int:
        """Start a new turn and return its number; every older turn stops being the newest."""
        self._newest += 1
        return self._newest

    def is_newest(self, turn: int) -> bool:
        """Whether ``turn`` (from :meth:`take`) is still the newest one."""
        return turn == self._newest
