"""X11Backend routed to another thread's loop: key events arrive while the GUI thread is busy."""

from __future__ import annotations

import queue
import threading

import pytest
from PySide6.QtWidgets import QApplication

from animaze_panel.animaze.loop_thread import IoThread
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.platform.x11 import X11Backend

from .conftest import wait_for, x_combo_taken, xdotool

pytestmark = pytest.mark.xvfb

CTRL_SHIFT_F1 = KeyCombo.parse("Ctrl+Shift+F1")
ALT_F2 = KeyCombo.parse("Alt+F2")
Event = tuple[str, KeyCombo, str]


def test_routed_events_are_read_on_the_lane_while_the_gui_thread_is_blocked(
    xvfb: str, focused_window: str, qapp: QApplication
) -> None:
    # This test never returns to the Qt event loop: the GUI thread blocks on the queue, as
    # it would mid-repaint. The events can only come from the lane's own reading.
    events: queue.Queue[Event] = queue.Queue()
    io = IoThread().start()
    backend = X11Backend(display_name=xvfb)
    try:
        backend.route_to(
            io.loop,
            lambda c: events.put(("press", c, threading.current_thread().name)),
            lambda c: events.put(("release", c, threading.current_thread().name)),
        )
        backend.register(CTRL_SHIFT_F1)  # grabbed from this (GUI) thread, read on the lane
        xdotool(xvfb, "key", "ctrl+shift+F1")
        assert events.get(timeout=5) == ("press", CTRL_SHIFT_F1, "animaze-io")
        assert events.get(timeout=5) == ("release", CTRL_SHIFT_F1, "animaze-io")

        # Re-registering while the lane reads (both threads on one X connection).
        for _ in range(20):
            backend.sync([ALT_F2])
            backend.sync([CTRL_SHIFT_F1, ALT_F2])
        xdotool(xvfb, "key", "alt+F2", "ctrl+shift+F1")
        got = [events.get(timeout=5) for _ in range(4)]
        assert [(kind, combo) for kind, combo, _ in got] == [
            ("press", ALT_F2), ("release", ALT_F2),
            ("press", CTRL_SHIFT_F1), ("release", CTRL_SHIFT_F1),
        ]
    finally:
        backend.close()
        # Closed on the lane's loop: the grabs go away there, a moment later.
        wait_for(lambda: not x_combo_taken(xvfb, CTRL_SHIFT_F1), 5, "the grab to be released")
        io.stop()
    assert events.empty()


def test_close_without_a_running_lane_closes_at_once(xvfb: str, qapp: QApplication) -> None:
    io = IoThread().start()
    backend = X11Backend(display_name=xvfb)
    backend.route_to(io.loop, lambda c: None, lambda c: None)
    backend.register(CTRL_SHIFT_F1)
    assert x_combo_taken(xvfb, CTRL_SHIFT_F1)
    io.stop()  # the app's I/O thread went first (quit in a hurry)
    backend.close()  # at once: the X server drops the grabs when it sees the connection go
    wait_for(lambda: not x_combo_taken(xvfb, CTRL_SHIFT_F1), 5, "the grab to be released")
