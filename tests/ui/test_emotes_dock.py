"""EmotesDock against the simulator: list on connect, filter, click -> TriggerEmote."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.emotes_dock import EmotesDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from .conftest import wait_until

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


@pytest.mark.asyncio
async def test_emotes_listed_with_friendly_names_and_click_triggers(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = EmotesDock(session)
    await cs.show_refreshed(window, dock)
    expected = sorted(e.friendly_name for e in sim.simulator.world.catalogue.emotes)
    assert sorted(dock.grid.visible_labels()) == expected
    emote = dock.emotes[0]
    button = dock.grid.button_for(emote.item_name)
    assert button is not None and button.text() == emote.friendly_name

    since = sim.simulator.frame_count
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    frame = await cs.wait_frame(sim, cs.action_is("TriggerEmote"), since=since)
    assert frame.message is not None and frame.message["itemName"] == emote.item_name


@pytest.mark.asyncio
async def test_filter_narrows_grid_and_enter_plays_first_match(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = EmotesDock(session)
    await cs.show_refreshed(window, dock)
    target = dock.emotes[-1]
    qtbot.keyClicks(dock.filter_edit, target.friendly_name.upper())
    labels = dock.grid.visible_labels()
    assert target.friendly_name in labels
    assert all(target.friendly_name.casefold() in label.casefold() for label in labels)
    assert len(labels) < len(dock.emotes)

    since = sim.simulator.frame_count
    qtbot.keyClick(dock.filter_edit, Qt.Key.Key_Return)
    frame = await cs.wait_frame(sim, cs.action_is("TriggerEmote"), since=since)
    assert frame.message is not None
    assert frame.message["itemName"] == labels_first_key(dock)

    dock.filter_edit.setText("zzz-no-such-emote")
    assert dock.grid.visible_labels() == []


def labels_first_key(dock: EmotesDock) -> str:
    for item, button in zip(dock.grid.items, dock.grid.buttons(), strict=True):
        if not button.isHidden():
            return str(item.key)
    raise AssertionError("no visible emote")


@pytest.mark.asyncio
async def test_controls_disabled_while_disconnected_and_refreshed_on_reconnect(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = EmotesDock(session)
    await cs.show_refreshed(window, dock)
    assert dock.controls.isEnabled()
    dock.filter_edit.setText("al")
    sim.call_soon(sim.simulator.drop_connections)
    await wait_until(lambda: not dock.controls.isEnabled(), 10)
    assert dock.filter_edit.text() == "al"  # what the user typed stays
    refreshed = cs.next_emission(dock.refreshed, 10)
    await wait_until(lambda: dock.controls.isEnabled(), 10)
    await refreshed
    assert dock.grid.visible_labels()
