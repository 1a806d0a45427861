"""Qt pieces of the reliability tests: a qasync loop inside Qt, and a signal as a future."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop inside Qt (as the app runs); no cyclic GC off the GUI thread meanwhile."""
    QApplication.setQuitOnLastWindowClosed(False)
    was_enabled = gc.isenabled()
    gc.disable()
    loop = qasync.QEventLoop(qapp)
    try:
        yield loop
    finally:
        loop.close()
        gc.collect()
        if was_enabled:
            gc.enable()


def next_emission(signal: SignalInstance, accept: Callable[..., bool]) -> asyncio.Future[Any]:
    """A future resolved with the arguments of the first emission ``accept`` takes."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def slot(*args: Any) -> None:
        if not future.done() and accept(*args):
            future.set_result(args)

    signal.connect(slot)
    return future
