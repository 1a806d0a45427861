"""End to end under a private Xvfb: the real panel process, a hotkeys.toml profile, another window
with the focus, ``xdotool key`` -> the simulator receives the bound request.

Also: a hold binding (pose while held, idle on release) and a combination another X client
grabbed before the panel started, which the panel reports as taken and never fires.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.platform.x11 import X11Backend
from animaze_panel.simulator import ReceivedFrame, SimulatorThread

from .conftest import PanelProcess, wait_for, x_combo_taken, xdotool

pytestmark = pytest.mark.xvfb

EMOTE, HOLD, TAKEN = (KeyCombo.parse(k) for k in ("Ctrl+Shift+F1", "Ctrl+Shift+F2",
                                                  "Ctrl+Shift+F3"))
PROFILE = """\
[[binding]]
keys = "Ctrl+Shift+F1"
name = "Hearts"
action = { type = "emote", name = "Emote_Hearts" }

[[binding]]
keys = "Ctrl+Shift+F2"
name = "Pose while held"
action = { type = "pose", index = 1 }
release = { type = "idle", index = 0 }

[[binding]]
keys = "Ctrl+Shift+F3"
name = "Fire"
action = { type = "emote", name = "Emote_Fire" }
"""
TIMEOUT = 30.0  # generous: two shared cores, a Qt process starting


def _is(action: str, **fields: object) -> Callable[[ReceivedFrame], bool]:
    def predicate(frame: ReceivedFrame) -> bool:
        message = frame.message or {}
        return frame.action == action and all(message.get(k) == v for k, v in fields.items())

    return predicate


def test_global_hotkeys_fire_while_another_window_has_the_focus(
    xvfb: str, focused_window: str, panel_home: Path, qapp: QApplication
) -> None:
    other = X11Backend(display_name=xvfb)  # another program, holding Ctrl+Shift+F3 first
    other.register(TAKEN)
    with SimulatorThread(speech_seconds_per_char=0.0005) as sim:
        panel = PanelProcess(panel_home, xvfb, sim.url)
        panel.profile_path.write_text(PROFILE, "utf-8")
        panel.start()
        try:
            def ready() -> bool:
                if not panel.alive():
                    raise AssertionError(f"the panel exited early:\n{panel.log()[-3000:]}")
                return sim.simulator.connection_count > 0 and x_combo_taken(xvfb, EMOTE)

            wait_for(ready, 90, "the panel to connect and grab Ctrl+Shift+F1")
            assert x_combo_taken(xvfb, HOLD)
            refused = ("Hotkey Ctrl+Shift+F3 (Fire) could not be registered: "
                       "taken by another program")
            wait_for(lambda: refused in panel.log(), TIMEOUT, "the refusal in the panel's log")

            # The panel's window may have taken the focus when it appeared: give it back.
            xdotool(xvfb, "windowfocus", "--sync", focused_window)
            assert xdotool(xvfb, "getwindowfocus") == focused_window

            since = sim.simulator.frame_count
            xdotool(xvfb, "key", "ctrl+shift+F3", "ctrl+shift+F1")
            frame = sim.wait_for_frame(_is("TriggerEmote"), TIMEOUT, since=since)
            assert frame.message is not None
            assert frame.message.get("itemName") == "Emote_Hearts"  # F3 went to its owner

            since = sim.simulator.frame_count
            xdotool(xvfb, "keydown", "ctrl+shift+F2")
            sim.wait_for_frame(_is("TriggerPose", index=1), TIMEOUT, since=since)
            assert not [f for f in sim.simulator.frames[since:] if f.action == "TriggerIdle"]
            xdotool(xvfb, "keyup", "ctrl+shift+F2")
            sim.wait_for_frame(_is("TriggerIdle", index=0), TIMEOUT, since=since)
            assert xdotool(xvfb, "getwindowfocus") == focused_window
        finally:
            status = panel.stop()
            other.close()
        assert status == 0, panel.log()[-3000:]
        assert not x_combo_taken(xvfb, EMOTE)  # grabs went with the panel
