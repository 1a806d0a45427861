"""CameraDock against the simulator: sliders send the right quaternion, live drags coalesce."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.geometry import euler_to_quaternion
from animaze_panel.animaze.requests import GetCameraFov, GetCameraTransform, SetCameraTransform
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.camera_dock import CameraDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


def close(a: tuple[float, ...] | list[float], b: tuple[float, ...], tol: float = 1e-6) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, abs_tol=tol) for x, y in zip(a, b, strict=False)
    )


def same_rotation(a: tuple[float, ...] | list[float], b: tuple[float, ...]) -> bool:
    """Quaternions q and -q are the same rotation."""
    return close(a, b) or close(a, tuple(-c for c in b))


@pytest.mark.asyncio
async def test_reads_camera_on_connect(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    position, rotation = sim.simulator.world.camera
    got_position, got_rotation, fov = dock.current_camera()
    assert close(got_position, position)
    assert same_rotation(got_rotation, rotation)
    assert fov == pytest.approx(sim.simulator.world.fov)
    assert dock.editor.spin("y").value() == pytest.approx(1.7)


@pytest.mark.asyncio
async def test_yaw_slider_sends_expected_quaternion(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    position = dock.editor.position()
    since = sim.simulator.frame_count
    dock.editor.slider("yaw").setFocus()
    dock.editor.slider("yaw").setValue(300)  # 30.0 degrees
    frame = await cs.wait_frame(sim, cs.action_is("SetCameraTransform"), since=since)
    assert frame.message is not None
    expected = euler_to_quaternion(30.0, 0.0, 0.0)
    assert close(expected, (0.0, math.sin(math.radians(15)), 0.0, math.cos(math.radians(15))))
    assert same_rotation(frame.message["rotation"], expected)
    assert close(frame.message["position"], position)
    assert dock.editor.spin("yaw").value() == pytest.approx(30.0)

    # Animaze now reports what the dock sent.
    reply = await session.call(GetCameraTransform())
    assert reply is not None and same_rotation(reply.rotation, expected)


@pytest.mark.asyncio
async def test_keyboard_on_pitch_slider_and_typed_position(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    since = sim.simulator.frame_count
    qtbot.keyClick(dock.editor.slider("pitch"), Qt.Key.Key_PageUp)  # +10 degrees
    frame = await cs.wait_frame(sim, cs.action_is("SetCameraTransform"), since=since)
    assert frame.message is not None
    assert same_rotation(frame.message["rotation"], euler_to_quaternion(0.0, 10.0, 0.0))

    since = sim.simulator.frame_count
    spin = dock.editor.spin("x")
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "1.25")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    frame = await cs.wait_frame(sim, cs.action_is("SetCameraTransform"), since=since)
    assert frame.message is not None and frame.message["position"][0] == pytest.approx(1.25)


@pytest.mark.asyncio
async def test_spin_box_range_makes_invalid_numbers_impossible(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    dock.editor.spin("fov").setValue(500)
    assert dock.editor.value("fov") == pytest.approx(179.0)
    dock.editor.spin("pitch").setValue(-400)
    assert dock.editor.euler()[1] == pytest.approx(-90.0)


@pytest.mark.asyncio
async def test_fov_slider_sends_set_camera_fov(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    since = sim.simulator.frame_count
    dock.editor.slider("fov").setValue(750)
    frame = await cs.wait_frame(sim, cs.action_is("SetCameraFov"), since=since)
    assert frame.message is not None and frame.message["fov"] == pytest.approx(75.0)
    reply = await session.call(GetCameraFov())
    assert reply is not None and reply.fov == pytest.approx(75.0)
    assert not cs.frames_of(sim, "SetCameraTransform", since)


@pytest.mark.asyncio
async def test_drag_is_coalesced_and_final_value_sent_on_release(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    slider = dock.editor.slider("roll")
    since = sim.simulator.frame_count
    slider.setSliderDown(True)
    for tenth in range(0, 451, 5):  # 91 positions within one event-loop turn
        slider.setValue(tenth)
    slider.setSliderDown(False)  # release: the final value goes out now
    final = euler_to_quaternion(0.0, 0.0, 45.0)
    await cs.wait_frame(
        sim,
        lambda f: (
            f.action == "SetCameraTransform"
            and f.message is not None
            and same_rotation(f.message["rotation"], final)
        ),
        since=since,
    )
    await cs.settle(session, dock)
    sent = cs.frames_of(sim, "SetCameraTransform", since)
    assert len(sent) == 2  # the leading value and the final one; nothing in between
    assert same_rotation(sent[-1]["rotation"], final)


@pytest.mark.asyncio
async def test_apply_and_current_camera_round_trip_exactly(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    position = (0.123456, 1.5, -2.25)
    rotation = euler_to_quaternion(12.345, -7.5, 3.25)
    since = sim.simulator.frame_count
    dock.apply_camera(position, rotation, 42.5)
    shown_position, shown_rotation, shown_fov = dock.current_camera()
    assert shown_position == position and shown_rotation == pytest.approx(rotation)
    assert shown_fov == 42.5
    transform = await cs.wait_frame(sim, cs.action_is("SetCameraTransform"), since=since)
    fov = await cs.wait_frame(sim, cs.action_is("SetCameraFov"), since=since)
    assert transform.message is not None and fov.message is not None
    assert close(transform.message["position"], position)
    assert same_rotation(transform.message["rotation"], rotation)
    assert fov.message["fov"] == 42.5


@pytest.mark.asyncio
async def test_read_button_fills_controls_from_animaze(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    await cs.show_refreshed(window, dock)
    rotation = euler_to_quaternion(-40.0, 20.0, 0.0)
    assert await session.call(SetCameraTransform((1.0, 2.0, 3.0), rotation)) is not None
    refreshed = cs.next_emission(dock.refreshed)
    qtbot.mouseClick(dock.read_button, Qt.MouseButton.LeftButton)
    await refreshed
    assert dock.editor.position() == (1.0, 2.0, 3.0)
    assert dock.editor.spin("yaw").value() == pytest.approx(-40.0)
    assert dock.editor.spin("pitch").value() == pytest.approx(20.0)


@pytest.mark.asyncio
async def test_extension_disabled_with_controls_while_disconnected(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = CameraDock(session)
    extension = QLabel("presets")
    dock.add_extension(extension)
    await cs.show_refreshed(window, dock)
    assert extension.isEnabled()
    dock.editor.spin("x").setValue(0.5)
    await cs.drop_and_wait_disconnected(sim, dock)
    assert not extension.isEnabled()
    assert not dock.editor.slider("yaw").isEnabled()
    assert dock.editor.value("x") == 0.5  # what was set stays
