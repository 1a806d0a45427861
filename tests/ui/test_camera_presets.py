"""Camera presets bar in the Camera dock: save from the dock, apply, overwrite, delete, hotkey."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.geometry import euler_to_quaternion
from animaze_panel.animaze.requests import SetAvatarTransform
from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.store import Profile, load_file
from animaze_panel.simulator import ReceivedFrame, SimulatorThread
from animaze_panel.ui.animaze.camera_dock import CameraDock
from animaze_panel.ui.animaze.camera_presets_bar import CameraPresetsBar
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from . import hotkeys_support as hs

sim = cs.sim
session = cs.session
window = cs.window
backend = hs.backend
clock = hs.clock
profile_path = hs.profile_path
service = hs.service
pytestmark = cs.QT_LOG_IGNORE

POSITION = (0.25, 1.5, 2.0)
ROTATION = euler_to_quaternion(20.0, -5.0, 0.0)
FOV = 35.0


def close(got: Sequence[float], want: Sequence[float], tol: float = 1e-4) -> bool:
    return len(got) == len(want) and all(
        math.isclose(x, y, abs_tol=tol) for x, y in zip(got, want, strict=True)
    )


def camera_is(position: Sequence[float]) -> Callable[[ReceivedFrame], bool]:
    def match(frame: ReceivedFrame) -> bool:
        return (frame.action == "SetCameraTransform" and frame.message is not None
                and close(frame.message["position"], position))
    return match


async def setup(
    window: QMainWindow, session: AnimazeSession, service: HotkeyService
) -> tuple[CameraDock, CameraPresetsBar]:
    dock = CameraDock(session)
    service.camera = dock
    bar = CameraPresetsBar(service, dock, session)
    dock.add_extension(bar)
    await cs.show_refreshed(window, dock)
    return dock, bar


async def save_as(bar: CameraPresetsBar, name: str, *, avatar: bool = False) -> None:
    bar.save_as_button.click()
    assert bar.form.isVisible()
    bar.name_edit.setText(name)
    bar.avatar_check.setChecked(avatar)
    task = bar.save()
    assert task is not None
    await task


@pytest.mark.asyncio
async def test_preset_saved_from_camera_then_applied_sends_those_values(
    qtbot: QtBot,
    sim: SimulatorThread,
    session: AnimazeSession,
    window: QMainWindow,
    service: HotkeyService,
    profile_path: Path,
) -> None:
    dock, bar = await setup(window, session, service)
    dock.apply_camera(POSITION, ROTATION, FOV)
    await save_as(bar, "Close-up")
    assert bar.names() == ["Close-up"] and not bar.form.isVisible()
    preset = service.profile.preset("close-up")
    assert preset is not None and preset.avatar is None
    assert close(preset.position, POSITION) and close(preset.rotation, ROTATION)
    assert preset.fov == pytest.approx(FOV)
    (saved,) = load_file(profile_path).profile.presets  # saved to the file, at the precision
    assert saved.name == preset.name and saved.fov == preset.fov  # the panel shows
    assert close(saved.position, preset.position, 1e-3) and close(saved.rotation, preset.rotation)

    dock.apply_camera((0.0, 0.5, 5.0), (0.0, 0.0, 0.0, 1.0), 70.0)  # move away
    await cs.wait_frame(sim, camera_is((0.0, 0.5, 5.0)))
    await cs.settle(session, dock)
    since = sim.simulator.frame_count
    task = bar.apply_selected()
    assert task is not None
    await task
    frame = await cs.wait_frame(sim, camera_is(POSITION), since=since)
    assert frame.message is not None
    assert close(frame.message["rotation"], preset.rotation)
    fov = await cs.wait_frame(sim, cs.action_is("SetCameraFov"), since=since)
    assert fov.message is not None and fov.message["fov"] == pytest.approx(FOV)
    assert close(dock.current_camera()[0], POSITION)  # the dock shows the preset
    assert "Applied" in bar.status.text()


@pytest.mark.asyncio
async def test_avatar_transform_is_read_from_animaze_and_applied(
    qtbot: QtBot,
    sim: SimulatorThread,
    session: AnimazeSession,
    window: QMainWindow,
    service: HotkeyService,
) -> None:
    dock, bar = await setup(window, session, service)
    placed = SetAvatarTransform((0.3, -0.1, 0.2), euler_to_quaternion(15.0, 0.0, 0.0), 1.25)
    assert await session.call(placed) is not None
    await save_as(bar, "Side", avatar=True)
    preset = service.profile.preset("Side")
    assert preset is not None and preset.avatar is not None
    assert close(preset.avatar.position, placed.position) and preset.avatar.scale == 1.25

    assert await session.call(SetAvatarTransform()) is not None  # back to the origin
    since = sim.simulator.frame_count
    await service.apply_preset("Side")
    frame = await cs.wait_frame(sim, cs.action_is("SetAvatarTransform", scale=1.25), since=since)
    assert frame.message is not None and close(frame.message["position"], placed.position)


@pytest.mark.asyncio
async def test_overwriting_asks_first_and_delete_removes(
    qtbot: QtBot,
    sim: SimulatorThread,
    session: AnimazeSession,
    window: QMainWindow,
    service: HotkeyService,
) -> None:
    dock, bar = await setup(window, session, service)
    dock.apply_camera(POSITION, ROTATION, FOV)
    await save_as(bar, "Wide")
    dock.apply_camera((1.0, 1.0, 1.0), ROTATION, 50.0)
    bar.save_as_button.click()
    assert bar.name_edit.text() == "Wide"  # the selected preset's name, ready to overwrite
    bar.name_edit.setText("wide")
    assert bar.save() is None  # not yet: asks first
    assert bar.save_button.text() == "Replace"
    assert "already a preset “Wide”" in bar.status.text()
    old = service.profile.preset("Wide")
    assert old is not None and close(old.position, POSITION)
    task = bar.save()  # the second click replaces
    assert task is not None
    await task
    new = service.profile.preset("Wide")
    assert new is not None and close(new.position, (1.0, 1.0, 1.0)) and new.fov == 50.0
    assert len(service.profile.presets) == 1

    bar.save_as_button.click()
    bar.name_edit.setText("")
    assert bar.save() is None and "type a name" in bar.status.text()
    bar.cancel_button.click()

    bar.delete_button.click()
    assert bar.names() == [] and not bar.apply_button.isEnabled()
    assert not service.profile.presets


@pytest.mark.asyncio
async def test_camera_preset_hotkey_and_a_missing_preset(
    qtbot: QtBot,
    sim: SimulatorThread,
    session: AnimazeSession,
    window: QMainWindow,
    service: HotkeyService,
    backend: hs.RecordingBackend,
) -> None:
    dock, bar = await setup(window, session, service)
    dock.apply_camera(POSITION, ROTATION, FOV)
    await save_as(bar, "Close-up")
    dock.apply_camera((0.0, 0.5, 5.0), (0.0, 0.0, 0.0, 1.0), 70.0)
    await cs.wait_frame(sim, camera_is((0.0, 0.5, 5.0)))
    bindings = (
        Binding(KeyCombo.parse("Ctrl+F8"), (a.CameraPreset("Close-up"),)),
        Binding(KeyCombo.parse("Ctrl+F9"), (a.CameraPreset("Gone"),)),
    )
    service.set_profile(Profile(True, bindings, service.profile.presets))
    assert any("no camera preset 'Gone'" in c.message for c in service.conflicts())
    since = sim.simulator.frame_count
    backend.press("Ctrl+F8")
    await cs.wait_frame(sim, camera_is(POSITION), since=since)
    await cs.wait_frame(sim, cs.action_is("SetCameraFov", fov=FOV), since=since)

    message = cs.next_emission(service.message)
    backend.press("Ctrl+F9")
    (text,) = await message
    assert "the camera preset 'Gone' no longer exists" in text
