"""X11Backend against a real X server (Xvfb): grabs, presses from xdotool, refusals, locks."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QApplication

from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.platform.base import RegistrationError
from animaze_panel.platform.x11 import KEYSYM_NAMES, X11Backend

from .conftest import xdotool

pytestmark = pytest.mark.xvfb

CTRL_SHIFT_F1 = KeyCombo.parse("Ctrl+Shift+F1")


class Events:
    """The backend's route on this test's loop: presses and releases as they come."""

    def __init__(self, backend: X11Backend) -> None:
        self.queue: asyncio.Queue[tuple[str, KeyCombo]] = asyncio.Queue()
        backend.route_to(asyncio.get_running_loop(),
                         lambda c: self.queue.put_nowait(("press", c)),
                         lambda c: self.queue.put_nowait(("release", c)))

    async def next(self, timeout: float = 5.0) -> tuple[str, KeyCombo]:
        return await asyncio.wait_for(self.queue.get(), timeout)


@pytest.mark.asyncio
async def test_press_and_release_reach_the_backend(xvfb: str, focused_window: str,
                                                   qapp: QApplication) -> None:
    backend = X11Backend(display_name=xvfb)
    events = Events(backend)
    try:
        backend.register(CTRL_SHIFT_F1)
        await asyncio.to_thread(xdotool, xvfb, "key", "ctrl+shift+F1")
        assert await events.next() == ("press", CTRL_SHIFT_F1)
        assert await events.next() == ("release", CTRL_SHIFT_F1)
        # CapsLock / NumLock on: still the same hotkey (grabbed with every lock variant).
        await asyncio.to_thread(xdotool, xvfb, "key", "Num_Lock", "Caps_Lock")
        await asyncio.to_thread(xdotool, xvfb, "key", "ctrl+shift+F1")
        assert await events.next() == ("press", CTRL_SHIFT_F1)
        assert await events.next() == ("release", CTRL_SHIFT_F1)
        # An unregistered combination does not fire; a registered one right after does.
        backend.unregister(CTRL_SHIFT_F1)
        backend.register(KeyCombo.parse("Alt+F2"))
        await asyncio.to_thread(xdotool, xvfb, "key", "ctrl+shift+F1", "alt+F2")
        assert await events.next() == ("press", KeyCombo.parse("Alt+F2"))
    finally:
        backend.close()


def test_combination_held_by_another_program_is_refused(xvfb: str, qapp: QApplication) -> None:
    other = X11Backend(display_name=xvfb)  # its own X connection: another client
    ours = X11Backend(display_name=xvfb)
    try:
        other.register(CTRL_SHIFT_F1)
        with pytest.raises(RegistrationError) as info:
            ours.register(CTRL_SHIFT_F1)
        assert info.value.taken and info.value.reason == "taken by another program"
        assert CTRL_SHIFT_F1 not in ours.registered
        refused = ours.sync([CTRL_SHIFT_F1, KeyCombo.parse("Ctrl+F5")])
        assert refused == {CTRL_SHIFT_F1: "taken by another program"}
        assert ours.registered == {KeyCombo.parse("Ctrl+F5")}
        other.close()  # released: now ours can have it
        ours.register(CTRL_SHIFT_F1)
    finally:
        other.close()
        ours.close()


def test_every_key_has_a_keysym_on_a_standard_keyboard(xvfb: str, qapp: QApplication) -> None:
    backend = X11Backend(display_name=xvfb)
    try:
        # Xvfb's default map is a plain 105-key keyboard: no media keys and no F13-F24.
        extended = {f"F{n}" for n in range(13, 25)}
        missing = [k for k in KEYSYM_NAMES if not k.startswith(("Media", "Volume"))
                   and k not in extended and not backend.keycode(KeyCombo(k))]
        assert missing == []
        absent = [k for k in sorted(extended) if not backend.keycode(KeyCombo(k))]
        if absent:  # a key the keyboard lacks is refused with a sentence, not an X error
            with pytest.raises(RegistrationError) as info:
                backend.register(KeyCombo(absent[0]))
            assert info.value.reason == f"this keyboard has no {absent[0]} key"
            assert not info.value.taken
    finally:
        backend.close()
