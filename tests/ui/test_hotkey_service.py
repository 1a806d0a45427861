"""HotkeyService against the simulator: presses become frames, in order, with clear failures."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from animaze_panel.animaze import requests as rq
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from tests.fake_clock import FakeClock

from . import controls_support as cs
from . import hotkeys_support as hs
from .conftest import signal_future

sim = cs.sim
session = cs.session
backend = hs.backend
clock = hs.clock
profile_path = hs.profile_path
service = hs.service
pytestmark = cs.QT_LOG_IGNORE


def pose_and_idle(sim: SimulatorThread) -> tuple[int, int]:
    """A pose index and an idle index the simulator's current avatar has."""
    avatar = sim.simulator.world.avatar
    return avatar.poses[-1].index, avatar.idles[-1].index


@pytest.mark.asyncio
async def test_emote_binding_sends_trigger_emote(
    sim: SimulatorThread, service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+Shift+F1", "Emote_Confetti", "Party"))
    service.load()
    assert KeyCombo.parse("Ctrl+Shift+F1") in backend.registered
    since = sim.simulator.frame_count
    fired = signal_future(service.fired)
    backend.press("Ctrl+Shift+F1")
    (binding,) = await asyncio.wait_for(fired, 5)
    assert binding.label == "Party"
    frame = await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Confetti"),
                                since=since)
    assert frame.message is not None
    backend.release("Ctrl+Shift+F1")


@pytest.mark.asyncio
async def test_macro_sends_emote_wait_pose_in_order(
    sim: SimulatorThread,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
    clock: FakeClock,
) -> None:
    pose, _idle = pose_and_idle(sim)
    hs.write_profile(profile_path, f"""
[[binding]]
keys = "Ctrl+F2"
macro = [
  {{ type = "emote", name = "Emote_Applause" }},
  {{ type = "wait", seconds = 1.5 }},
  {{ type = "pose", index = {pose} }},
]
""")
    service.load()
    assert service.profile.bindings[0].is_macro
    since = sim.simulator.frame_count
    finished = signal_future(service.runFinished)
    backend.press("Ctrl+F2")
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Applause"), since=since)
    await clock.advance(1.0)
    assert cs.frames_of(sim, "TriggerPose", since) == []  # still waiting
    await clock.advance(0.5)
    await cs.wait_frame(sim, cs.action_is("TriggerPose", index=pose), since=since)
    await asyncio.wait_for(finished, 5)
    order = [f.action for f in sim.simulator.frames[since:]
             if f.action in ("TriggerEmote", "TriggerPose")]
    assert order == ["TriggerEmote", "TriggerPose"]


@pytest.mark.asyncio
async def test_hold_sends_press_action_then_release_action(
    sim: SimulatorThread, service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    pose, idle = pose_and_idle(sim)
    hs.write_profile(profile_path, f"""
[[binding]]
keys = "Ctrl+F3"
action = {{ type = "pose", index = {pose} }}
release = {{ type = "idle", index = {idle} }}
""")
    service.load()
    since = sim.simulator.frame_count
    backend.press("Ctrl+F3")
    await cs.wait_frame(sim, cs.action_is("TriggerPose", index=pose), since=since)
    assert cs.frames_of(sim, "TriggerIdle", since) == []
    backend.release("Ctrl+F3")
    await cs.wait_frame(sim, cs.action_is("TriggerIdle", index=idle), since=since)
    order = [f.action for f in sim.simulator.frames[since:]
             if f.action in ("TriggerPose", "TriggerIdle")]
    assert order == ["TriggerPose", "TriggerIdle"]


@pytest.mark.asyncio
async def test_master_switch_off_registers_nothing_and_is_saved(
    service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F5", "Emote_Cool"))
    service.load()
    assert backend.registered == {KeyCombo.parse("Ctrl+F5")}
    fired: list[Any] = []
    service.fired.connect(fired.append)
    service.set_enabled(False)
    assert backend.registered == frozenset()
    assert "enabled = false" in profile_path.read_text(encoding="utf-8")
    backend.press("Ctrl+F5")  # a stray press from the OS goes nowhere: nothing is registered
    assert fired == []
    service.set_enabled(True)
    assert backend.registered == {KeyCombo.parse("Ctrl+F5")}


@pytest.mark.asyncio
async def test_missing_emote_gives_a_clear_message(
    sim: SimulatorThread,
    service: HotkeyService,
    backend: hs.RecordingBackend,
    profile_path: Path,
    clock: FakeClock,
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F6", "Emote_Removed", "Old emote"))
    service.load()
    message = signal_future(service.message)
    backend.press("Ctrl+F6")
    (text,) = await asyncio.wait_for(message, 5)
    assert "Ctrl+F6" in text and "Old emote" in text
    assert "the emote 'Emote_Removed' is not available any more" in text
    # The service keeps working afterwards.
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+F6", "Emote_Cool"))
    service.load()
    since = sim.simulator.frame_count
    backend.release("Ctrl+F6")
    await clock.advance(1.0)  # past the cooldown
    backend.press("Ctrl+F6")
    await cs.wait_frame(sim, cs.action_is("TriggerEmote", itemName="Emote_Cool"), since=since)


@pytest.mark.asyncio
async def test_refused_combination_is_reported_with_its_reason(
    service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    hs.write_profile(profile_path, hs.emote_binding("Ctrl+Alt+F12", "Emote_Cool", "Cool")
                     + hs.emote_binding("Ctrl+F7", "Emote_Fire"))
    messages: list[str] = []
    service.message.connect(messages.append)
    service.load()
    combo = KeyCombo.parse("Ctrl+Alt+F12")
    assert service.refused == {combo: "taken by another program"}
    assert backend.registered == {KeyCombo.parse("Ctrl+F7")}
    assert any("Ctrl+Alt+F12 (Cool) could not be registered: taken by another program" in m
               for m in messages)
    assert any("taken by another program" in c.message for c in service.conflicts())


@pytest.mark.asyncio
async def test_broadcast_toggle_follows_the_one_state(
    sim: SimulatorThread, service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    hs.write_profile(profile_path, '[[binding]]\nkeys = "Ctrl+F4"\n'
                                   'action = { type = "broadcast" }\n')
    service.load()
    model = service.session.model
    # Switched on elsewhere in the panel (the toolbar): the hotkey's toggle turns it off.
    assert await service.session.call(rq.Broadcast(True)) is not None
    assert model.broadcast
    since = sim.simulator.frame_count
    off = signal_future(model.broadcastChanged)
    backend.press("Ctrl+F4")
    backend.release("Ctrl+F4")
    assert await asyncio.wait_for(off, 5) == (False,)
    await cs.wait_frame(sim, cs.action_is("Broadcast", toggle=False), since=since)
    assert sim.simulator.world.broadcasting is False
