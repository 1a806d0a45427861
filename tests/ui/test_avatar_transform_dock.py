"""AvatarTransformDock against the simulator: live SetAvatarTransform, per-avatar read-back."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.geometry import euler_to_quaternion
from animaze_panel.animaze.requests import GetAvatarTransform, SetAvatarTransform
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.avatar_transform_dock import AvatarTransformDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


def same_rotation(a: tuple[float, ...] | list[float], b: tuple[float, ...]) -> bool:
    def close(u: tuple[float, ...] | list[float], v: tuple[float, ...]) -> bool:
        return all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(u, v, strict=True))

    return close(a, b) or close(a, tuple(-c for c in b))


@pytest.mark.asyncio
async def test_scale_and_yaw_send_set_avatar_transform(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarTransformDock(session)
    await cs.show_refreshed(window, dock)
    assert dock.editor.value("scale") == pytest.approx(1.0)

    since = sim.simulator.frame_count
    dock.editor.slider("yaw").setValue(-900)  # -90 degrees
    frame = await cs.wait_frame(sim, cs.action_is("SetAvatarTransform"), since=since)
    assert frame.message is not None
    assert same_rotation(frame.message["rotation"], euler_to_quaternion(-90.0, 0.0, 0.0))
    assert frame.message["scale"] == pytest.approx(1.0)

    since = sim.simulator.frame_count
    dock.editor.slider("scale").setValue(150)  # 1.5x
    frame = await cs.wait_frame(sim, cs.action_is("SetAvatarTransform"), since=since)
    assert frame.message is not None and frame.message["scale"] == pytest.approx(1.5)
    assert same_rotation(frame.message["rotation"], euler_to_quaternion(-90.0, 0.0, 0.0))

    reply = await session.call(GetAvatarTransform())
    assert reply is not None and reply.scale == pytest.approx(1.5)
    assert same_rotation(reply.rotation, euler_to_quaternion(-90.0, 0.0, 0.0))


@pytest.mark.asyncio
async def test_scale_cannot_reach_zero(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarTransformDock(session)
    await cs.show_refreshed(window, dock)
    dock.editor.spin("scale").setValue(0.0)
    assert dock.editor.value("scale") == pytest.approx(0.01)


@pytest.mark.asyncio
async def test_avatar_change_reads_new_avatars_transform(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarTransformDock(session)
    await cs.show_refreshed(window, dock)
    # Place the current avatar, then switch: the new avatar has its own (default) placement.
    rotation = euler_to_quaternion(45.0, 0.0, 0.0)
    assert await session.call(SetAvatarTransform((0.5, 0.0, -1.0), rotation, 2.0)) is not None
    refreshed = cs.next_emission(dock.refreshed)
    qtbot.mouseClick(dock.read_button, Qt.MouseButton.LeftButton)
    await refreshed
    assert dock.editor.position() == (0.5, 0.0, -1.0)
    assert dock.editor.value("scale") == 2.0
    assert same_rotation(dock.editor.rotation(), rotation)

    other = sim.simulator.world.catalogue.avatars[1].item_name
    refreshed = cs.next_emission(dock.refreshed, 10)
    sim.run(lambda s: s.change_avatar(other))
    await refreshed
    assert dock.editor.position() == (0.0, 0.0, 0.0)
    assert dock.editor.value("scale") == 1.0


@pytest.mark.asyncio
async def test_reset_sends_identity(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarTransformDock(session)
    await cs.show_refreshed(window, dock)
    dock.editor.spin("z").setValue(3.0)
    since = sim.simulator.frame_count
    qtbot.mouseClick(dock.reset_button, Qt.MouseButton.LeftButton)
    frame = await cs.wait_frame(
        sim,
        lambda f: (
            f.action == "SetAvatarTransform"
            and f.message is not None
            and f.message["position"] == [0.0, 0.0, 0.0]
        ),
        since=since,
    )
    assert frame.message is not None
    assert frame.message["scale"] == 1.0
    assert same_rotation(frame.message["rotation"], (0.0, 0.0, 0.0, 1.0))


@pytest.mark.asyncio
async def test_disabled_while_disconnected(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = AvatarTransformDock(session)
    await cs.show_refreshed(window, dock)
    await cs.drop_and_wait_disconnected(sim, dock)
    assert not dock.editor.spin("scale").isEnabled()
    assert not dock.read_button.isEnabled()
