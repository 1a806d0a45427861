"""MainThreadGc: automatic collection off, due collections run on the GUI thread."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication

from animaze_panel.ui.gc_guard import MainThreadGc, collect_on_this_thread


class _Node:
    """A reference cycle that records on which thread it was freed."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Node.freed_on.append(threading.current_thread().name)


def _make_cycles(count: int) -> None:
    for _ in range(count):
        _Node()


def test_cycles_made_on_a_worker_thread_are_freed_on_the_gui_thread(qapp: QApplication) -> None:
    guard = MainThreadGc(qapp, interval_ms=10_000)
    try:
        assert not gc.isenabled()
        gc.collect()
        _Node.freed_on.clear()
        worker = threading.Thread(target=_make_cycles, args=(gc.get_threshold()[0] * 3,),
                                  name="worker")
        worker.start()
        worker.join(10)
        assert _Node.freed_on == []  # the worker allocated well past the threshold: no GC ran
        guard.check()
        assert _Node.freed_on and set(_Node.freed_on) == {threading.current_thread().name}
    finally:
        guard.stop()


def test_nothing_due_collects_nothing() -> None:
    gc.collect()
    assert collect_on_this_thread() == -1


def test_stop_restores_the_collector_as_it_was(qapp: QApplication) -> None:
    before = gc.isenabled()
    gc.enable()
    try:
        guard = MainThreadGc(qapp)
        assert not gc.isenabled()
        guard.stop()
        assert gc.isenabled()
    finally:
        if not before:
            gc.disable()
