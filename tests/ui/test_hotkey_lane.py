"""The hotkey lane: with a ThreadedClient the engine runs on the I/O loop, not the GUI thread.

The key test blocks the GUI thread (a blocking wait on the simulator, as a long repaint would)
right after the press: the frame still reaches the simulator. The rest checks that what the
service reports back (fired, messages, a preset shown in the Camera dock, stopped macros)
arrives on the GUI thread, and that quitting winds the lane down.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from PySide6.QtCore import SignalInstance

from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.presets import CameraPresetData
from animaze_panel.hotkeys.store import Profile, ProfileStore
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from . import hotkeys_support as hs
from .conftest import signal_future, wait_until

sim = cs.sim
session = cs.session
backend = hs.backend
profile_path = hs.profile_path
pytestmark = cs.QT_LOG_IGNORE

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@pytest_asyncio.fixture
async def lane_service(
    session: AnimazeSession, backend: hs.RecordingBackend, profile_path: Path
) -> AsyncIterator[HotkeyService]:
    """A service with the real clock (the engine's waits run on the lane's loop)."""
    svc = HotkeyService(session, backend, ProfileStore(profile_path))
    yield svc
    await svc.aclose()


class Camera:
    """A camera target recording what it was asked to show, and on which thread."""

    def __init__(self) -> None:
        self.shown: list[tuple[Vec3, Quat, float, str]] = []
        self.applied = 0

    def apply_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        self.applied += 1

    def show_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        self.shown.append((position, rotation, fov, threading.current_thread().name))


def on_gui_thread(signal: SignalInstance) -> asyncio.Future[str]:
    """The name of the thread the next emission of ``signal`` reached its slot on."""
    future: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def slot(*_args: Any) -> None:
        if not future.done():
            future.set_result(threading.current_thread().name)

    signal.connect(slot)
    return future


@pytest.mark.asyncio
async def test_a_press_reaches_animaze_while_the_gui_thread_is_blocked(
    sim: SimulatorThread, lane_service: HotkeyService, backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+Shift+F1", "Emote_Confetti", "Party")
                     + "cooldown = 0\n")
    lane_service.load()
    assert lane_service.lane_loop is not asyncio.get_running_loop()
    fired = on_gui_thread(lane_service.fired)
    for _ in range(3):
        since = sim.simulator.frame_count
        backend.press("Ctrl+Shift+F1")
        # Blocking, on the GUI thread: no Qt event and no callback of this loop runs until the
        # frame has arrived, so only the lane can have sent it.
        frame = sim.wait_for_frame(cs.action_is("TriggerEmote", itemName="Emote_Confetti"),
                                   5, since=since)
        assert frame.message is not None
        backend.release("Ctrl+Shift+F1")
    assert await asyncio.wait_for(fired, 5) == threading.main_thread().name


@pytest.mark.asyncio
async def test_failures_are_reported_on_the_gui_thread(
    sim: SimulatorThread, lane_service: HotkeyService, backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F3", "Emote_Gone", "Old emote"))
    lane_service.load()
    message = signal_future(lane_service.message)
    thread = on_gui_thread(lane_service.message)
    backend.press("Ctrl+F3")
    (text,) = await asyncio.wait_for(message, 5)
    assert text.startswith("Hotkey Ctrl+F3 (Old emote): the emote 'Emote_Gone' is not available")
    assert await thread == threading.main_thread().name


@pytest.mark.asyncio
async def test_hold_macro_and_stop_from_the_gui(
    sim: SimulatorThread, lane_service: HotkeyService, backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    avatar = sim.simulator.world.avatar
    pose, idle = avatar.poses[-1].index, avatar.idles[-1].index
    hs.write_profile(profile_path, f"""
[[binding]]
keys = "Ctrl+F4"
name = "Hold pose"
action = {{ type = "pose", index = {pose} }}
release = {{ type = "idle", index = {idle} }}

[[binding]]
keys = "Ctrl+F5"
name = "Long show"
macro = [{{ type = "emote", name = "Emote_Cool" }}, {{ type = "wait", seconds = 30 }},
         {{ type = "emote", name = "Emote_Fire" }}]
""")
    lane_service.load()
    since = sim.simulator.frame_count
    backend.press("Ctrl+F4")
    backend.release("Ctrl+F4")
    await cs.wait_frame(sim, cs.action_is("TriggerIdle", index=idle), since=since)
    order = [f.action for f in sim.simulator.frames[since:]]
    assert order == ["TriggerPose", "TriggerIdle"]

    finished = signal_future(lane_service.runFinished, lambda b: b.label == "Long show")
    backend.press("Ctrl+F5")
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Cool"), since=since)
    stopped: asyncio.Future[tuple[int, str]] = asyncio.get_running_loop().create_future()
    lane_service.stop_macros(
        lambda n: stopped.set_result((n, threading.current_thread().name)))
    assert await asyncio.wait_for(stopped, 5) == (1, threading.main_thread().name)
    await asyncio.wait_for(finished, 5)
    assert [f["itemName"] for f in cs.frames_of(sim, "TriggerEmote", since)] == ["Emote_Cool"]


@pytest.mark.asyncio
async def test_camera_preset_hotkey_sends_from_the_lane_and_shows_on_the_gui(
    sim: SimulatorThread, lane_service: HotkeyService, backend: hs.RecordingBackend,
) -> None:
    camera = Camera()
    lane_service.camera = camera
    preset = CameraPresetData("Close-up", (0.1, 1.6, 0.8), (0.0, 0.0, 0.0, 1.0), 35.0)
    binding = Binding(KeyCombo.parse("Ctrl+F8"), (a.CameraPreset("Close-up"),))
    lane_service.set_profile(Profile(True, (binding,), (preset,)), save=False)
    since = sim.simulator.frame_count
    backend.press("Ctrl+F8")
    await cs.wait_frame(sim, cs.action_is("SetCameraFov", fov=35.0), since=since)
    assert [f.action for f in sim.simulator.frames[since:]] == [
        "SetCameraTransform", "SetCameraFov"]
    await wait_until(lambda: bool(camera.shown))
    assert camera.shown == [((0.1, 1.6, 0.8), (0.0, 0.0, 0.0, 1.0), 35.0,
                             threading.main_thread().name)]
    assert camera.applied == 0  # the dock only shows it; it was sent once, by the lane


@pytest.mark.asyncio
async def test_master_switch_and_close_reach_the_lane(
    sim: SimulatorThread, session: AnimazeSession, backend: hs.RecordingBackend,
    profile_path: Path,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F6", "Emote_Hearts"))
    service = HotkeyService(session, backend, ProfileStore(profile_path))
    service.load()
    service.set_enabled(False)
    assert backend.registered == frozenset()
    service.press(KeyCombo.parse("Ctrl+F6"))  # a stray press (in-app path): engine is off
    service.set_enabled(True)
    since = sim.simulator.frame_count
    service.press(KeyCombo.parse("Ctrl+F6"))
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Hearts"), since=since)
    assert len(cs.frames_of(sim, "TriggerEmote", 0)) == 1
    await service.aclose()
    assert backend.registered == frozenset()
    assert not service.engine.running()
