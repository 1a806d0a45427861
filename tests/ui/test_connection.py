"""Connection loss and recovery: controls disabled + banner, then the panel recovers by itself."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.observers import ConnectionState
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.connection_banner import ConnectionBanner

from .conftest import (
    FAST_SPEECH,
    QT_OFFSCREEN_NOISE,
    signal_future,
    wait_until,
    window_settled,
)

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


@pytest.mark.asyncio
async def test_simulator_stopped_then_back(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    window = main_window
    port = simulator.port
    assert not window.banner.isVisible() and window.broadcast_action.isEnabled()

    lost = signal_future(window.session.connectedChanged, lambda up: not up)
    await asyncio.get_running_loop().run_in_executor(None, simulator.stop)
    await asyncio.wait_for(lost, 10)
    await wait_until(lambda: window.banner.wanted, timeout=5)
    await wait_until(lambda: window.banner.isVisible(), timeout=5)
    text = window.banner.message
    assert f"ws://127.0.0.1:{port}" in text
    assert "Settings &gt; Animaze API" in text or "Settings > Animaze API" in text
    assert window.page_stack.geometry().contains(window.banner.geometry())  # floats over it
    assert not window.broadcast_action.isEnabled()
    assert not window.calibrate_action.isEnabled()
    assert not window.gallery.avatars.view.isEnabled()
    assert not window.quickscenes.save_button.isEnabled()
    assert "connected" not in window.state_label.property("state").replace("dis", "x")
    assert window.gallery.avatars.model.rowCount() > 0  # the last known gallery stays

    revived = SimulatorThread(port=port, speech_seconds_per_char=FAST_SPEECH).start()
    try:
        populated = signal_future(window.gallery.populated)
        client = window.session.client
        assert isinstance(client, ThreadedClient)  # the app's connection, as in the app
        await client.wait_connected(15)
        await asyncio.wait_for(populated, 10)
        await wait_until(lambda: not window.banner.isVisible(), timeout=5)
        assert window.broadcast_action.isEnabled()
        assert window.gallery.avatars.view.isEnabled()
        assert window.session.state is ConnectionState.CONNECTED
        await wait_until(lambda: bool(window.quickscenes.slots) and
                         window.quickscenes.save_button.isEnabled())
        await window_settled(window)  # the other docks finish their refresh before teardown
    finally:
        window.close()
        await window.session.aclose()
        await window.session.client.close()
        await asyncio.get_running_loop().run_in_executor(None, revived.stop)


@pytest.mark.asyncio
async def test_banner_retry_button_reconnects_now(
    animaze_session: AnimazeSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    banner = ConnectionBanner(animaze_session)
    qtbot.addWidget(banner)
    assert banner.isHidden() and not banner.wanted  # connected: hidden
    woke: list[bool] = []
    monkeypatch.setattr(animaze_session.client, "reconnect_now", lambda: woke.append(True))
    banner.retry_button.click()
    assert woke == [True]


@pytest.mark.asyncio
async def test_banner_shows_for_an_unreachable_address(qtbot: QtBot, qapp: QApplication) -> None:
    from .conftest import make_client

    client = make_client("ws://127.0.0.1:9")  # discard port: nothing listens
    session = AnimazeSession(client)
    banner = ConnectionBanner(session)
    qtbot.addWidget(banner)
    client.start()
    try:
        await wait_until(banner.isVisible, timeout=5)
        await wait_until(lambda: "Last attempt" in banner.message, timeout=5)
        assert "ws://127.0.0.1:9" in banner.message
    finally:
        await session.aclose()
        await client.close()
