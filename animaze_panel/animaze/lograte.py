"""Rate-limited warnings: a flood of the same problem is logged once, then summarised.

A broken or hostile peer can send thousands of bad frames a second; logging each would fill
the disk and bury the one line that matters. :class:`RateLimitedLog` logs the first of each
kind, counts the rest, and logs one summary per kind at most every ``interval`` seconds.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

_DETAIL = re.compile(r"(:.*$)|('[^']*')|(\d+)")


def kind_of(reason: str) -> str:
    """A problem's kind: its text without the specifics (positions, names, quoted values)."""
    return _DETAIL.sub("", reason).strip()[:80]


class RateLimitedLog:
    """Logs a warning once per kind, then at most one summary per ``interval`` per kind."""

    def __init__(self, logger: logging.Logger, interval: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, max_kinds: int = 64) -> None:
        """Create the limiter.

        Args:
            logger: Where to log.
            interval: Seconds between summaries of one kind.
            clock: Monotonic seconds.
            max_kinds: Kinds remembered (more collapse into one "other" kind).
        """
        self._log = logger
        self._interval = interval
        self._clock = clock
        self._max = max_kinds
        self._next: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    def warning(self, kind: str, message: str, *args: object) -> bool:
        """Log ``message % args`` if ``kind`` is due; returns whether it was logged."""
        if kind not in self._next and len(self._next) >= self._max:
            kind = "other"
        now = self._clock()
        due = self._next.get(kind)
        if due is not None and now < due:
            self._suppressed[kind] = self._suppressed.get(kind, 0) + 1
            return False
        skipped = self._suppressed.pop(kind, 0)
        self._next[kind] = now + self._interval
        if skipped:
            self._log.warning(message + " (and %d more like it since the last report)",
                              *args, skipped)
        else:
            self._log.warning(message, *args)
        return True
