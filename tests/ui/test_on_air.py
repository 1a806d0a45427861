"""ON AIR: shown in the tool bar and the status bar once Animaze accepted Broadcast on."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from animaze_panel.animaze.requests import Broadcast
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.main_window import MainWindow

from .conftest import QT_OFFSCREEN_NOISE, action, sim_frame, wait_until

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


def shown(window: MainWindow) -> tuple[bool, bool]:
    return window.on_air_label.isVisible(), window.status_on_air.isVisible()


def reddest(window: MainWindow) -> QColor:
    image = window.on_air_label.grab().toImage()
    return max(
        (image.pixelColor(x, y) for x in range(0, image.width(), 2)
         for y in range(0, image.height(), 2)),
        key=lambda c: c.red() - (c.green() + c.blue()) / 2,
    )


@pytest.mark.asyncio
async def test_on_air_follows_what_animaze_accepted(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    assert shown(main_window) == (False, False)
    since = simulator.simulator.frame_count
    main_window.broadcast_action.trigger()
    await sim_frame(simulator, action("Broadcast", toggle=True), since=since)
    await wait_until(lambda: shown(main_window) == (True, True))
    assert simulator.simulator.world.broadcasting and main_window.on_air
    red = reddest(main_window)
    assert red.red() > 150 and red.green() < 120 and red.blue() < 120  # unmistakably red
    assert "last set by this panel" in main_window.on_air_label.toolTip()

    main_window.broadcast_action.trigger()
    await wait_until(lambda: shown(main_window) == (False, False))
    assert not simulator.simulator.world.broadcasting


@pytest.mark.asyncio
async def test_refused_broadcast_never_shows_on_air(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    simulator.faults.set(drop_after=0)  # Animaze goes away instead of answering
    main_window.broadcast_action.trigger()
    await wait_until(lambda: not main_window.broadcast_action.isChecked(), timeout=10)
    assert shown(main_window) == (False, False) and not main_window.on_air
    assert not simulator.simulator.world.broadcasting


@pytest.mark.asyncio
async def test_broadcast_sent_elsewhere_in_the_panel_shows_on_air(main_window: MainWindow) -> None:
    # A hotkey or a macro step sends through the session too: the toolbar follows the model.
    assert await main_window.session.call(Broadcast(toggle=True)) is not None
    assert main_window.broadcast_action.isChecked()
    await wait_until(lambda: shown(main_window) == (True, True))  # tool bars lay out later
    assert await main_window.session.call(Broadcast(toggle=False)) is not None
    assert not main_window.broadcast_action.isChecked()
    await wait_until(lambda: shown(main_window) == (False, False))
