"""Run Python's cyclic garbage collector on the GUI thread only.

The panel has Python threads besides the GUI thread: the built-in simulator of ``--demo``,
the icon decoders, Kinetix file I/O. CPython runs the cyclic collector in whichever thread
happens to allocate when a generation fills up; if that collection frees a reference cycle
that holds a Qt object (a widget, a ``QTimer`` of the qasync loop), Qt destroys the object on
the wrong thread: "Timers cannot be stopped from another thread" at best, a crash at worst.

:class:`MainThreadGc` switches the automatic collector off and runs the same generational
collections from a ``QTimer`` on the GUI thread, with the interpreter's own thresholds (the
pattern Calibre, Camelot and Spyder use). :func:`collect_on_this_thread` does the same for code
without a running Qt event loop (tests).
"""

from __future__ import annotations

import gc
import logging
import time

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

INTERVAL_MS = 250
"""Often enough that memory never piles up between checks; a check that collects nothing
costs microseconds."""


def collect_on_this_thread() -> int:
    """Run the collections the interpreter's thresholds call for, now, on this thread.

    Returns:
        The oldest generation collected (-1: nothing was due).
    """
    threshold = gc.get_threshold()
    counts = gc.get_count()
    collected = -1
    for generation in range(3):
        if counts[generation] <= threshold[generation]:
            break
        collected = generation
    if collected >= 0:
        gc.collect(collected)
    return collected


class MainThreadGc(QObject):
    """Owns the collector while it lives: automatic collection off, GUI-thread timer on."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        """Disable the automatic collector and start collecting from a GUI-thread timer.

        Args:
            parent: Qt parent (the application); create it on the GUI thread.
            interval_ms: How often to check the generation counts.
        """
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.slowest = 0.0  # seconds, the longest collection so far (diagnostics)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Collect what is due (the timer calls this)."""
        start = time.perf_counter()
        generation = collect_on_this_thread()
        if generation >= 0:
            elapsed = time.perf_counter() - start
            if elapsed > self.slowest:
                self.slowest = elapsed
                log.debug("gc generation %d took %.1f ms", generation, elapsed * 1000)

    def freeze_startup(self) -> int:
        """Collect once, then exempt everything alive now from later collections.

        Call it when start-up is done (modules imported, window built): those objects live
        until quit, yet every full collection would walk them again, holding the GIL the whole
        time - and the hotkey lane needs the GIL to send a key press.

        Returns:
            How many objects were frozen.
        """
        gc.collect()
        gc.freeze()
        return gc.get_freeze_count()

    def stop(self) -> None:
        """Stop the timer, collect once more and give the collector back to the interpreter."""
        self._timer.stop()
        gc.unfreeze()
        gc.collect()
        if self._was_enabled:
            gc.enable()
