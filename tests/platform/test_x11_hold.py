"""Hold bindings hold: under Xvfb with key auto-repeat on, a held key is one press, one release.

The whole path the app runs: X11Backend -> HotkeyService (engine on the I/O loop) ->
ThreadedClient -> simulator. The key is held until the X server has auto-repeated it several
times (the backend counts the repeats it drops; no fixed sleep), while another process keeps a
core busy; then a sentinel hotkey pressed after the release proves every event before it was
handled, and the simulator must have received exactly one pose and one idle per hold. Both
ways of recognising a repeat are exercised: XKB detectable auto-repeat (what the app uses) and
the held-back release servers without XKB need.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtWidgets import QApplication

from animaze_panel.hotkeys.store import ProfileStore
from animaze_panel.platform.x11 import X11Backend
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.session import AnimazeSession
from tests.ui.conftest import count_frames, make_client, sim_frame, wait_until

from .conftest import xdotool

pytestmark = pytest.mark.xvfb

PROFILE = """\
[[binding]]
keys = "Ctrl+Shift+F5"
name = "Pose while held"
action = { type = "pose", index = 1 }
release = { type = "idle", index = 0 }

[[binding]]
keys = "Ctrl+Shift+F6"
name = "Sentinel"
action = { type = "emote", name = "Emote_Hearts" }
"""
HOLDS = 3
REPEATS = 4  # auto-repeats the server must have sent before the key goes up


@pytest.fixture
def sim() -> Iterator[SimulatorThread]:
    with SimulatorThread() as simulator:
        yield simulator


@pytest.fixture
def busy() -> Iterator[None]:
    """Another process spinning on a core while the keys are held (a busy streaming PC)."""
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        proc.kill()
        proc.wait(10)


def auto_repeat_on(display: str) -> bool:
    """Turn the server's key auto-repeat on (as ``xset r on``); returns whether it is on."""
    from Xlib import X
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display)
    try:
        conn.change_keyboard_control(auto_repeat_mode=X.AutoRepeatModeOn)
        conn.sync()
        return bool(conn.get_keyboard_control().global_auto_repeat)
    finally:
        conn.close()


@pytest_asyncio.fixture
async def session(sim: SimulatorThread, qapp: QApplication) -> AsyncIterator[AnimazeSession]:
    client = make_client(sim.url)
    animaze = AnimazeSession(client)
    client.start()
    await client.wait_connected(10)
    yield animaze
    await animaze.aclose()
    await client.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("detectable", [True, False], ids=["xkb-detectable", "held-back"])
async def test_a_held_key_is_one_press_and_one_release(
    xvfb: str, focused_window: str, sim: SimulatorThread, session: AnimazeSession,
    tmp_path: Path, busy: None, detectable: bool,
) -> None:
    assert auto_repeat_on(xvfb)
    backend = X11Backend(display_name=xvfb, detectable_repeat=detectable)
    assert backend.detectable_repeat is detectable  # Xvfb has XKB
    profile = tmp_path / "hotkeys.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    service = HotkeyService(session, backend, ProfileStore(profile))
    try:
        service.load()
        assert len(backend.registered) == 2
        since = sim.simulator.frame_count
        for hold in range(HOLDS):
            seen = backend.repeats_ignored
            await asyncio.to_thread(xdotool, xvfb, "keydown", "ctrl+shift+F5")
            # Held until the server auto-repeated it (or a repeat got through as a new press).
            def repeated(seen: int = seen, hold: int = hold) -> bool:
                return (backend.repeats_ignored >= seen + REPEATS
                        or count_frames(sim, "TriggerPose", since) > hold + 1)

            await wait_until(repeated, 20)
            await asyncio.to_thread(xdotool, xvfb, "keyup", "F5", "shift", "ctrl")
            # The sentinel: pressed after the release, so its emote reaching the simulator
            # means every key event before it went through the engine.
            mark = sim.simulator.frame_count
            await asyncio.to_thread(xdotool, xvfb, "key", "ctrl+shift+F6")
            await sim_frame(sim, lambda f: f.action == "TriggerEmote", since=mark, timeout=20)
            # Without XKB the release is held back on purpose (to see whether a repeat's press
            # follows), so it may still be on its way when the sentinel arrives: wait for it.
            def released(hold: int = hold) -> bool:
                return count_frames(sim, "TriggerIdle", since) > hold

            await wait_until(released, 20)
            poses = count_frames(sim, "TriggerPose", since)
            idles = count_frames(sim, "TriggerIdle", since)
            assert (poses, idles) == (hold + 1, hold + 1), (
                f"hold {hold + 1}: {poses} poses, {idles} idles after "
                f"{backend.repeats_ignored} auto-repeats")
        order = [f.action for f in sim.simulator.frames[since:]
                 if f.action in ("TriggerPose", "TriggerIdle")]
        assert order == ["TriggerPose", "TriggerIdle"] * HOLDS
    finally:
        await service.aclose()
        backend.close()
