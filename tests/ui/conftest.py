"""Qt test fixtures: every async test here runs on a qasync loop inside the Qt event loop.

pytest-asyncio's default loop would starve Qt timers, so the ``pytest_asyncio_loop_factories``
hook swaps in a :class:`qasync.QEventLoop` bound to pytest-qt's ``QApplication``. In async tests,
await a future connected to a signal (:func:`signal_future`) rather than calling
``qtbot.waitSignal`` from inside the running loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, SignalInstance
from PySide6.QtWidgets import QApplication


def _qasync_loop() -> asyncio.AbstractEventLoop:
    app = QApplication.instance() or QApplication([])
    return qasync.QEventLoop(app)


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
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
        QCoreApplication.processEvents()
        await asyncio.sleep(0.01)
