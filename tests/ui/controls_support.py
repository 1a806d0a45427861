"""Fixtures and helpers for the control docks' tests (emotes, camera, behaviours, ChatPal...).

Each test gets its own simulator in a background thread (:class:`SimulatorThread`) and an
:class:`AnimazeSession` over the app's connection (a :class:`ThreadedClient`) connected to it.
Test modules pull the fixtures in by assignment (``sim = controls_support.sim``), which pytest
registers and linters see as used.
"""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.control_dock import ControlDock
from animaze_panel.ui.session import AnimazeSession

from .conftest import action, make_client, sentinel, signal_future, sim_frame, wait_until

SPEECH_SECONDS_PER_CHAR = 0.004
"""Fast but measurable ChatPal speech: a 50-character reply speaks for 0.2 s."""


@pytest.fixture
def sim() -> Iterator[SimulatorThread]:
    """A simulator on a free port, in its own thread, stopped after the test.

    After stopping it, garbage is collected here, on the GUI thread: the test's qasync loop
    (closed by now) owns a QObject whose timers may still be running (cancelled
    ``call_later`` handles), and if the cyclic collector first met it on another thread (the
    next test's simulator), Qt would warn that timers cannot be stopped from another thread.
    """
    with SimulatorThread(speech_seconds_per_char=SPEECH_SECONDS_PER_CHAR) as simulator:
        yield simulator
    gc.collect()


@pytest_asyncio.fixture
async def session(sim: SimulatorThread, qapp: object) -> AsyncIterator[AnimazeSession]:
    """A session whose client is connected to ``sim`` (reconnecting quickly when dropped)."""
    client = make_client(sim.url)
    animaze = AnimazeSession(client)
    client.start()
    await client.wait_connected(10)
    yield animaze
    await animaze.aclose()
    await client.close()


wait_frame = sim_frame
"""Await (on the Qt loop, without blocking it) a frame the simulator received."""

action_is = action
"""A frame predicate: this action, with these wire fields equal."""


def frames_of(sim: SimulatorThread, action: str, since: int = 0) -> list[dict[str, Any]]:
    """Decoded frames of ``action`` received since ``since``."""
    return [f.message for f in sim.simulator.frames[since:] if f.action == action and f.message]


async def settle(session: AnimazeSession, *docks: ControlDock, timeout: float = 10.0) -> None:
    """Wait until ``docks`` finished refreshing and every frame sent so far reached the
    simulator (a sentinel round trip): counting frames afterwards sees all of them."""
    await wait_until(lambda: not any(dock.refreshing for dock in docks), timeout)
    await sentinel(session.client, timeout)


@pytest.fixture
def window(qtbot: QtBot) -> QMainWindow:
    """A main window to dock the widget under test into (kept alive for the whole test).

    A dock shown on its own is a floating tool window; docked in a window it is what the
    user sees.
    """
    host = QMainWindow()
    host.resize(560, 680)
    qtbot.addWidget(host)
    return host


QT_LOG_IGNORE = pytest.mark.qt_log_ignore("propagateSizeHints")
"""The offscreen platform warns that it cannot propagate size hints whenever a window shows."""


async def show_refreshed(window: QMainWindow, dock: ControlDock, timeout: float = 10.0) -> None:
    """Dock ``dock`` into ``window``, show it and wait until its first refresh is done."""
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.show()
    done = signal_future(dock.refreshed)
    await asyncio.wait_for(done, timeout)
    await wait_until(lambda: not dock.refreshing, timeout)


async def drop_and_wait_disconnected(sim: SimulatorThread, dock: QDockWidget) -> None:
    """Stop the simulator and wait for the dock to notice (controls disabled)."""
    await asyncio.get_running_loop().run_in_executor(None, sim.stop)
    await wait_until(lambda: not _controls(dock).isEnabled(), 10)


def _controls(dock: QDockWidget) -> QWidget:
    controls = dock.controls if isinstance(dock, ControlDock) else dock.widget()
    assert controls is not None
    return controls


def next_emission(
    signal: SignalInstance, timeout: float = 5.0
) -> Coroutine[Any, Any, tuple[Any, ...]]:
    """Return an awaitable of the next emission of ``signal``, listening from this call on."""
    return asyncio.wait_for(signal_future(signal), timeout)


def dumps(frame: dict[str, Any]) -> str:
    """Compact JSON, for assertion messages."""
    return json.dumps(frame, sort_keys=True)


@dataclass
class _Call:
    due: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeTime:
    """A controllable clock plus a scheduler running callbacks when time is advanced."""

    def __init__(self) -> None:
        self.now = 0.0
        self._calls: list[_Call] = []

    def clock(self) -> float:
        return self.now

    def schedule(self, delay: float, callback: Callable[[], None]) -> _Call:
        call = _Call(self.now + delay, callback)
        self._calls.append(call)
        return call

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while due := [c for c in self._calls if not c.cancelled and c.due <= end]:
            call = min(due, key=lambda c: c.due)
            self._calls.remove(call)
            self.now = max(self.now, call.due)
            call.callback()
        self.now = end

    @property
    def scheduled(self) -> int:
        return sum(1 for c in self._calls if not c.cancelled)
