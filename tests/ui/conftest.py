"""Qt test fixtures: every async test here runs on a qasync loop inside the Qt event loop.

pytest-asyncio's default loop would starve Qt timers, so the ``pytest_asyncio_loop_factories``
hook swaps in a :class:`qasync.QEventLoop` bound to pytest-qt's ``QApplication``. In async tests,
await a future connected to a signal (:func:`signal_future`) rather than calling
``qtbot.waitSignal`` from inside the running loop.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
import qasync
from PySide6.QtCore import QEventLoop, QSettings, SignalInstance
from PySide6.QtWidgets import QApplication

from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.link import AnimazeLink
from animaze_panel.animaze.requests import GetCameraFov
from animaze_panel.simulator import ReceivedFrame, SimulatorThread, frame_is
from animaze_panel.ui.session import AnimazeSession

if TYPE_CHECKING:  # the window's modules load when a test first builds one
    from animaze_panel.ui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread_only() -> Iterator[None]:
    """As in the app (ui/gc_guard.py): no cyclic collection on simulator or worker threads.

    The automatic collector is off for the whole run; each test's garbage is collected after
    it, here on the GUI thread (see :func:`_collect_after_test`).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    yield
    gc.collect()
    if was_enabled:
        gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_test() -> Iterator[None]:
    """Collect the test's reference cycles on the GUI thread once it is over."""
    yield
    gc.collect()


class _LocalLoopApp:
    """The part of the app qasync drives, running a local QEventLoop instead of ``app.exec()``.

    Each test runs its own qasync loop; every return from ``app.exec()`` emits ``aboutToQuit``,
    which shuts QtWebEngine down for the rest of the process (the next web view crashes).
    """

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._loops: list[QEventLoop] = []

    def exec(self) -> int:
        loop = QEventLoop()
        self._loops.append(loop)
        try:
            return loop.exec()
        finally:
            self._loops.pop()

    def exit(self, code: int = 0) -> None:
        if self._loops:
            self._loops[-1].exit(code)

    def eventDispatcher(self) -> Any:  # noqa: N802 (Qt name)
        return self._app.eventDispatcher()


def _qasync_loop() -> asyncio.AbstractEventLoop:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # As in the app: closing the last window must not quit Qt and stop the loop mid-test.
    QApplication.setQuitOnLastWindowClosed(False)
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(_LocalLoopApp(app))  # qasync: untyped
    return loop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> dict[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Run the async tests of tests/ui on a qasync loop."""
    return {"qasync": _qasync_loop}


def signal_future(
    signal: SignalInstance, predicate: Callable[..., bool] | None = None
) -> asyncio.Future[tuple[Any, ...]]:
    """Return a future resolved with the arguments of the next emission matching ``predicate``.

    Args:
        signal: A bound Qt signal.
        predicate: Called with the emitted arguments; ``None`` accepts the first emission.
    """
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def slot(*args: Any) -> None:
        if future.done() or (predicate is not None and not predicate(*args)):
            return
        future.set_result(args)
        try:
            signal.disconnect(slot)
        except (RuntimeError, TypeError):
            pass

    signal.connect(slot)
    return future


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Poll ``condition`` on the running loop (letting Qt process events) until true.

    Raises:
        TimeoutError: The condition stayed false for ``timeout`` seconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"condition not met within {timeout} s")
        # No QCoreApplication.processEvents() here: re-entering Qt from inside a running
        # qasync task lets other tasks step while this one is executing ("Cannot enter into
        # task"). Awaiting a sleep hands control to the Qt loop, which processes events.
        await asyncio.sleep(0.01)


# ---------------------------------------------------------------------- shell fixtures

QT_OFFSCREEN_NOISE = "This plugin does not support (propagateSizeHints|raise)"
"""The offscreen platform warns whenever a top-level window's size constraints change
(``This plugin does not support propagateSizeHints()``); harmless, so shell tests ignore it with
``pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)``."""

FAST_SPEECH = 0.002
"""Seconds per character of simulated ChatPal speech in tests (fast but still ordered)."""


@pytest.fixture
def simulator() -> Iterator[SimulatorThread]:
    """A simulator on a free port in its own thread, stopped after the test."""
    with SimulatorThread(speech_seconds_per_char=FAST_SPEECH) as sim:
        yield sim


def make_client(url: str) -> ThreadedClient:
    """The app's connection (its own I/O thread), reconnecting fast: tests restart simulators.

    Must be called on the running loop, which becomes the client's home loop.
    """
    return ThreadedClient(
        url, backoff_initial=0.05, backoff_max=0.3, request_timeout=5.0, ping_interval=None
    )


@pytest_asyncio.fixture
async def animaze_session(
    simulator: SimulatorThread, qapp: QApplication
) -> AsyncIterator[AnimazeSession]:
    """A session whose client is connected to ``simulator``."""
    client = make_client(simulator.url)
    session = AnimazeSession(client)
    client.start()
    await client.wait_connected(10)
    yield session
    await session.aclose()
    await client.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a per-test INI file (never the developer's real settings)."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest_asyncio.fixture
async def main_window(
    animaze_session: AnimazeSession, settings: QSettings, tmp_path: Path
) -> AsyncIterator[MainWindow]:
    """The real main window on a connected session, shown, icons cached in ``tmp_path``."""
    from animaze_panel.app import build_window
    from animaze_panel.ui.self_test import wait_ready

    # As in the app: closing a window must not quit the application (and stop the qasync loop
    # under the running test).
    QApplication.setQuitOnLastWindowClosed(False)
    window = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "icons")
    window.show()
    # Every dock finishes its first load before the test starts (and so before teardown).
    await wait_ready(window)
    yield window
    window.close()
    await asyncio.sleep(0)


async def sentinel(client: AnimazeLink, timeout: float = 10.0) -> None:
    """Prove absence: return once everything the panel has sent so far reached the simulator.

    One request round trip on the panel's own connection: the simulator records frames in the
    order they arrive on the socket, so every frame written before this one is recorded when
    its answer comes back. Tasks created by the last event take their first step (where they
    send) before the sentinel goes out.
    """
    await asyncio.sleep(0)
    await asyncio.wait_for(client.request(GetCameraFov()), timeout)


async def window_settled(window: MainWindow, timeout: float = 10.0) -> None:
    """Every control dock of ``window`` finished refreshing and its frames were answered."""
    from animaze_panel.ui.animaze.control_dock import ControlDock

    docks = [d for d in window.docks() if isinstance(d, ControlDock)]
    await wait_until(lambda: not any(d.refreshing for d in docks), timeout)
    await sentinel(window.session.client, timeout)
    await wait_until(lambda: not any(d.refreshing for d in docks), timeout)


async def sim_frame(
    sim: SimulatorThread,
    predicate: Callable[[ReceivedFrame], bool],
    timeout: float = 5.0,
    *,
    since: int = 0,
) -> ReceivedFrame:
    """Await, without blocking the Qt loop, a frame the simulator received."""
    return await sim.frame(predicate, timeout, since=since)


action = frame_is
"""Frame predicate: ``action("TriggerEmote", itemName=...)``."""


def count_frames(sim: SimulatorThread, name: str, since: int = 0) -> int:
    """How many ``name`` frames the simulator received since ``since``."""
    return sum(1 for f in sim.simulator.frames[since:] if f.action == name)
