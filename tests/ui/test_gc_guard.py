"""MainThreadGc: automatic collection off, due collections run on the GUI thread."""

from __future__ import annotations

import gc
import threading

from PySide6.QtWidgets import QApplication

from animaze_panel.ui.widgets.gc_guard import MainThreadGc, collect_on_this_thread


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


def test_freeze_startup_exempts_live_objects_until_stop(qapp: QApplication) -> None:
    guard = MainThreadGc(qapp)
    try:
        keep = [[i] for i in range(1000)]  # start-up objects that live on
        frozen = guard.freeze_startup()
        assert frozen >= len(keep) and gc.get_freeze_count() == frozen
        walked = {id(o) for o in gc.get_objects()}  # what a collection would look at
        assert not walked & {id(k) for k in keep}
    finally:
        guard.stop()
    assert gc.get_freeze_count() == 0  # stop gives everything back to the collector
    walked = {id(o) for o in gc.get_objects()}
    assert {id(k) for k in keep} <= walked
