"""The Qt async harness itself: Qt timers fire while a test awaits on the qasync loop."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QTimer

from .conftest import signal_future


@pytest.mark.asyncio
async def test_qt_timer_fires_while_awaiting(qapp: object) -> None:
    timer = QTimer()
    timer.setSingleShot(True)
    fired = signal_future(timer.timeout)
    timer.start(10)
    assert await asyncio.wait_for(fired, 5) == ()


@pytest.mark.asyncio
async def test_loop_is_qasync() -> None:
    loop = asyncio.get_running_loop()
    assert type(loop).__module__.startswith("qasync")
