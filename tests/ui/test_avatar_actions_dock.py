"""AvatarActionsDock against the simulator: lists follow the avatar, buttons trigger."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.requests import LoadAvatar
from animaze_panel.simulator import Simulator, SimulatorThread
from animaze_panel.simulator.catalogue import AvatarSpec
from animaze_panel.ui.animaze.avatar_actions_dock import AvatarActionsDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from .conftest import wait_until

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


def assert_shows(dock: AvatarActionsDock, avatar: AvatarSpec) -> None:
    assert dock.special_grid.visible_labels() == [e.anim_name for e in avatar.special_actions]
    assert dock.pose_grid.visible_labels() == [e.anim_name for e in avatar.poses]
    assert dock.idle_grid.visible_labels() == [e.anim_name for e in avatar.idles]
    assert dock.avatar_label.text() == avatar.friendly_name


def other_avatar(sim: SimulatorThread) -> AvatarSpec:
    current = sim.simulator.world.avatar
    return next(
        a
        for a in sim.simulator.world.catalogue.avatars
        if a.item_name != current.item_name and a.poses != current.poses
    )


@pytest.mark.asyncio
async def test_lists_shown_and_buttons_trigger(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarActionsDock(session)
    await cs.show_refreshed(window, dock)
    avatar = sim.simulator.world.avatar
    assert_shows(dock, avatar)

    for grid, entries, action in (
        (dock.special_grid, avatar.special_actions, "TriggerSpecialAction"),
        (dock.pose_grid, avatar.poses, "TriggerPose"),
        (dock.idle_grid, avatar.idles, "TriggerIdle"),
    ):
        entry = entries[-1]
        button = grid.button_for(entry.index)
        assert button is not None
        dock.tabs.setCurrentWidget(grid)
        since = sim.simulator.frame_count
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        await cs.wait_frame(sim, cs.action_is(action, index=entry.index), since=since)


@pytest.mark.asyncio
async def test_avatar_changed_trigger_refreshes_lists(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarActionsDock(session)
    await cs.show_refreshed(window, dock)
    target = other_avatar(sim)
    refreshed = cs.next_emission(dock.refreshed, 10)
    sim.run(lambda s: s.change_avatar(target.item_name))  # as if the user switched in Animaze
    await refreshed
    assert_shows(dock, target)


@pytest.mark.asyncio
async def test_burst_of_avatar_changes_costs_one_refresh(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarActionsDock(session)
    await cs.show_refreshed(window, dock)
    avatars = sim.simulator.world.catalogue.avatars
    since = sim.simulator.frame_count

    async def burst(s: Simulator) -> None:
        for avatar in (*avatars[1:5], avatars[5]):
            await s.change_avatar(avatar.item_name)

    refreshed = cs.next_emission(dock.refreshed, 10)
    sim.run(burst)
    await refreshed
    await cs.settle(session, dock)
    for action in ("GetSpecialActions", "GetPoses", "GetIdleAnims"):
        assert len(cs.frames_of(sim, action, since)) == 1, action
    assert_shows(dock, avatars[5])


@pytest.mark.asyncio
async def test_load_avatar_refreshes_once(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarActionsDock(session)
    await cs.show_refreshed(window, dock)
    target = other_avatar(sim)
    since = sim.simulator.frame_count
    refreshed = cs.next_emission(dock.refreshed, 10)
    assert await session.call(LoadAvatar(target.item_name)) is not None
    await refreshed
    await cs.settle(session, dock)
    # The LoadAvatar answer and the AvatarChanged trigger it caused merge into one refresh.
    assert len(cs.frames_of(sim, "GetPoses", since)) == 1
    assert_shows(dock, target)


@pytest.mark.asyncio
async def test_disabled_while_disconnected(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarActionsDock(session)
    await cs.show_refreshed(window, dock)
    shown = dock.pose_grid.visible_labels()
    await cs.drop_and_wait_disconnected(sim, dock)
    assert not dock.pose_grid.isEnabled()
    assert dock.pose_grid.visible_labels() == shown  # last lists stay visible, greyed out
    await wait_until(lambda: not dock.refreshing)
