"""A layout that stays put: the connection banner never moves a dock, over many reconnects."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings

from animaze_panel.animaze.observers import ConnectionState
from animaze_panel.animaze.requests import GetEmotes
from animaze_panel.app import build_window
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.page import STATE_VERSION
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.pages import PageKey
from animaze_panel.ui.self_test import wait_ready
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.window_layout import GEOMETRY_KEY, STATE_KEY

from .conftest import FAST_SPEECH, QT_OFFSCREEN_NOISE, signal_future, wait_until

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)

CYCLES = 10


def geometries(window: MainWindow) -> dict[str, tuple[bool, QRect]]:
    return {d.objectName(): (d.isVisible(), d.geometry()) for d in window.docks()}


async def in_thread(stop: SimulatorThread) -> None:
    await asyncio.get_running_loop().run_in_executor(None, stop.stop)


@pytest.mark.asyncio
async def test_docks_keep_their_geometry_over_ten_reconnects(
    animaze_session: AnimazeSession, simulator: SimulatorThread, settings: QSettings,
    tmp_path: Path,
) -> None:
    window: MainWindow = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "i")
    window.resize(1280, 720)
    window.show()
    await wait_ready(window)
    await wait_until(lambda: window.size().width() == 1280)
    before = geometries(window)
    state = window.animaze_page.saveState(STATE_VERSION)
    geometry = window.saveGeometry()
    port = simulator.port
    current = simulator
    session = window.session
    try:
        for cycle in range(CYCLES):
            lost = signal_future(session.connectedChanged, lambda up: not up)
            await in_thread(current)
            await asyncio.wait_for(lost, 10)
            await wait_until(window.banner.isVisible, timeout=5)
            # The banner floats over the page: while it shows, nothing moved either.
            assert geometries(window) == before, f"cycle {cycle}: docks moved for the banner"
            assert window.page_stack.geometry().contains(window.banner.geometry())
            back = signal_future(session.stateChanged, lambda s: s is ConnectionState.CONNECTED)
            current = SimulatorThread(port=port, speech_seconds_per_char=FAST_SPEECH).start()
            await asyncio.wait_for(back, 15)
            await wait_until(lambda: not window.banner.isVisible(), timeout=5)
            assert geometries(window) == before, f"cycle {cycle}: docks moved after reconnect"
            # Let the reconnect's reads finish: stopping the simulator in the middle of sending
            # a burst of icons can hold its close handshake for its whole close timeout.
            await wait_ready(window)
            await animaze_session.call(GetEmotes())
        assert window.animaze_page.saveState(STATE_VERSION) == state
        window.close()  # saves the layout: the one from before the reconnects
        assert settings.value(STATE_KEY) == state
        assert settings.value(GEOMETRY_KEY) == geometry
    finally:
        window.close()
        if current is not simulator:
            await in_thread(current)


@pytest.mark.asyncio
async def test_banner_shows_on_the_animaze_page_only_and_can_be_dismissed(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QLabel

    main_window.add_page(PageKey.KINETIX, "Kinetix", QIcon(), QLabel("cloud"))
    await in_thread(simulator)
    await wait_until(main_window.banner.isVisible, timeout=10)
    main_window.show_page(PageKey.KINETIX)
    assert not main_window.banner.isVisible() and main_window.banner.wanted
    main_window.show_page(PageKey.ANIMAZE)
    assert main_window.banner.isVisible()
    main_window.banner.dismiss_button.click()
    assert not main_window.banner.isVisible()
    assert main_window.state_label.property("state") != "connected"  # still said up there
