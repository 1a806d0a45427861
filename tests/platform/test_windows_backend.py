"""WindowsBackend on any OS: VK table, modifier bits, MSG parsing, errors, and the backend logic
driven by a fake ``user32`` (the real ctypes calls are exercised only on Windows)."""

from __future__ import annotations

import ctypes
import sys

import pytest
from pytestqt.qtbot import QtBot

from animaze_panel.hotkeys.keys import KEYS, KeyCombo, Modifier
from animaze_panel.platform import windows as w
from animaze_panel.platform.base import BackendUnavailable, RegistrationError

from .conftest import Recorder

CTRL_SHIFT_F1 = KeyCombo.parse("Ctrl+Shift+F1")
ERROR_INVALID_PARAMETER = 87


class FakeUser32:
    """``RegisterHotKey`` semantics: one owner per (modifiers, vk), ids per owner, last error."""

    def __init__(self, taken: set[tuple[int, int]] | None = None) -> None:
        self.taken = taken or set()  # (MOD_* without NOREPEAT, vk) held by another program
        self.registered: dict[int, tuple[int, int]] = {}
        self.down: set[int] = set()
        self.last_error = 0
        self.calls: list[str] = []

    def RegisterHotKey(self, hwnd: int | None, id: int, modifiers: int, vk: int) -> int:  # noqa: N802, A002
        self.calls.append(f"register {id}")
        assert hwnd is None and 0 <= id <= w.MAX_HOTKEY_ID
        key = (modifiers & ~w.MOD_NOREPEAT, vk)
        if vk == 0:
            self.last_error = ERROR_INVALID_PARAMETER
            return 0
        if key in self.taken or key in {(m & ~w.MOD_NOREPEAT, v)
                                        for m, v in self.registered.values()}:
            self.last_error = w.ERROR_HOTKEY_ALREADY_REGISTERED
            return 0
        if id in self.registered:
            self.last_error = w.ERROR_HOTKEY_ALREADY_REGISTERED
            return 0
        self.registered[id] = (modifiers, vk)
        return 1

    def UnregisterHotKey(self, hwnd: int | None, id: int) -> int:  # noqa: N802, A002
        self.calls.append(f"unregister {id}")
        return 1 if self.registered.pop(id, None) is not None else 0

    def GetAsyncKeyState(self, vk: int) -> int:  # noqa: N802
        return -32768 if vk in self.down else 0  # a SHORT with bit 15 set, as ctypes gives it

    def GetLastError(self) -> int:  # noqa: N802
        return self.last_error


def post(backend: w.WindowsBackend, message: int, wparam: int,
         kind: bytes = b"windows_dispatcher_MSG") -> tuple[bool, int]:
    """Deliver a MSG to the backend's filter as Qt would (by address)."""
    msg = w.MSG(hwnd=None, message=message, wParam=wparam, lParam=0)
    return backend.filter.nativeEventFilter(kind, ctypes.addressof(msg))


def hotkey_id(fake: FakeUser32, combo: KeyCombo) -> int:
    wanted = (w.modifier_flags(combo), w.VK_CODES[combo.key])
    return next(i for i, v in fake.registered.items() if v == wanted)


def test_every_key_has_a_distinct_virtual_key() -> None:
    assert set(w.VK_CODES) == set(KEYS)
    codes = list(w.VK_CODES.values())
    assert len(set(codes)) == len(codes)
    assert all(0 < code < 0xFF for code in codes)
    assert (w.VK_CODES["A"], w.VK_CODES["0"], w.VK_CODES["F1"], w.VK_CODES["F24"]) == (
        0x41, 0x30, 0x70, 0x87)
    assert (w.VK_CODES["Num0"], w.VK_CODES["Minus"], w.VK_CODES["Grave"]) == (0x60, 0xBD, 0xC0)


def test_modifier_bits() -> None:
    assert w.modifier_flags(KeyCombo("F5")) == w.MOD_NOREPEAT
    assert w.modifier_flags(KeyCombo.parse("Ctrl+Alt+Shift+Win+F5")) == 0x400F
    assert w.modifier_flags(CTRL_SHIFT_F1) == w.MOD_CONTROL | w.MOD_SHIFT | w.MOD_NOREPEAT
    assert {m: w.MODIFIER_FLAGS[m] for m in Modifier} == {
        Modifier.ALT: 1, Modifier.CTRL: 2, Modifier.SHIFT: 4, Modifier.META: 8}


def test_msg_parsing() -> None:
    assert ctypes.sizeof(w.MSG) == (48 if ctypes.sizeof(ctypes.c_void_p) == 8 else 28)
    hot = w.MSG(message=w.WM_HOTKEY, wParam=7, lParam=(0x70 << 16) | 6)
    assert w.hotkey_id_of(ctypes.addressof(hot)) == 7
    other = w.MSG(message=0x0100, wParam=7)  # WM_KEYDOWN
    assert w.hotkey_id_of(ctypes.addressof(other)) is None
    assert w.hotkey_id_of(0) is None


def test_error_mapping() -> None:
    taken = w.registration_error(CTRL_SHIFT_F1, 1409)
    assert taken.taken and taken.reason == "taken by another program"
    assert taken.combo == CTRL_SHIFT_F1
    other = w.registration_error(CTRL_SHIFT_F1, 5)
    assert not other.taken
    assert other.reason.startswith("Windows refused it: ") and "5" in other.reason


def test_real_user32_is_unavailable_off_windows(qapp: object) -> None:
    if sys.platform == "win32":
        pytest.skip("this is Windows")
    with pytest.raises(BackendUnavailable, match="only on Windows"):
        w.WindowsBackend()


def test_register_press_release_unregister(qapp: object, qtbot: QtBot,
                                           recorder: Recorder) -> None:
    fake = FakeUser32()
    backend = w.WindowsBackend(user32=fake)
    recorder.attach(backend)
    try:
        backend.register(CTRL_SHIFT_F1)
        ident = hotkey_id(fake, CTRL_SHIFT_F1)
        # Other messages and other ids pass through untouched.
        assert post(backend, 0x0100, ident) == (False, 0)
        assert post(backend, w.WM_HOTKEY, ident + 100) == (False, 0)
        assert post(backend, w.WM_HOTKEY, ident, b"xcb_generic_event_t") == (False, 0)
        recorder.sentinel(qtbot)
        assert recorder.events == []
        # Held: the press is reported at once; the release when the key is seen up.
        fake.down.add(w.VK_CODES["F1"])
        assert post(backend, w.WM_HOTKEY, ident, b"windows_generic_MSG") == (True, 0)
        recorder.wait(qtbot, 1)
        assert recorder.events == [("press", CTRL_SHIFT_F1)]
        for _ in range(2):  # polled while held: still down, no release
            with qtbot.waitSignal(backend._poll.timeout, timeout=2000):
                pass
        recorder.sentinel(qtbot)
        assert recorder.of("release") == []
        fake.down.discard(w.VK_CODES["F1"])
        recorder.wait(qtbot, 2)
        assert recorder.of("release") == [CTRL_SHIFT_F1]
        # A quick tap (up before the first poll) is a press then a release.
        post(backend, w.WM_HOTKEY, ident)
        recorder.wait(qtbot, 4)
        assert recorder.events == [("press", CTRL_SHIFT_F1), ("release", CTRL_SHIFT_F1)] * 2
        # Unregistered: the id is given back to Windows and no longer fires.
        backend.unregister(CTRL_SHIFT_F1)
        assert fake.registered == {} and f"unregister {ident}" in fake.calls
        assert post(backend, w.WM_HOTKEY, ident) == (False, 0)
        recorder.sentinel(qtbot)
        assert len(recorder.events) == 4
    finally:
        backend.close()


def test_a_held_key_is_one_press_and_one_release(qapp: object, qtbot: QtBot,
                                                 recorder: Recorder) -> None:
    fake = FakeUser32()
    backend = w.WindowsBackend(user32=fake)
    recorder.attach(backend)
    try:
        backend.register(CTRL_SHIFT_F1)
        flags, _vk = next(iter(fake.registered.values()))
        assert flags & w.MOD_NOREPEAT  # Windows sends no WM_HOTKEY per auto-repeat
        ident = hotkey_id(fake, CTRL_SHIFT_F1)
        fake.down.add(w.VK_CODES["F1"])
        post(backend, w.WM_HOTKEY, ident)
        for _ in range(5):  # held through several release polls
            with qtbot.waitSignal(backend._poll.timeout, timeout=2000):
                pass
        fake.down.discard(w.VK_CODES["F1"])
        recorder.wait(qtbot, 2)
        recorder.sentinel(qtbot)
        assert recorder.events == [("press", CTRL_SHIFT_F1), ("release", CTRL_SHIFT_F1)]
    finally:
        backend.close()


def test_second_press_before_the_poll_saw_the_release(qapp: object, qtbot: QtBot,
                                                      recorder: Recorder) -> None:
    fake = FakeUser32()
    backend = w.WindowsBackend(user32=fake)
    recorder.attach(backend)
    try:
        backend.register(CTRL_SHIFT_F1)
        fake.down.add(w.VK_CODES["F1"])
        ident = hotkey_id(fake, CTRL_SHIFT_F1)
        post(backend, w.WM_HOTKEY, ident)
        post(backend, w.WM_HOTKEY, ident)  # MOD_NOREPEAT: only after an up and a down
        recorder.wait(qtbot, 3)
        assert recorder.events == [("press", CTRL_SHIFT_F1), ("release", CTRL_SHIFT_F1),
                                   ("press", CTRL_SHIFT_F1)]
    finally:
        backend.close()


def test_taken_and_invalid_combinations_are_refused(qapp: object,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeUser32(taken={(w.MOD_CONTROL | w.MOD_SHIFT, w.VK_CODES["F1"])})
    backend = w.WindowsBackend(user32=fake)
    try:
        with pytest.raises(RegistrationError) as info:
            backend.register(CTRL_SHIFT_F1)
        assert info.value.taken and info.value.reason == "taken by another program"
        refused = backend.sync([CTRL_SHIFT_F1, KeyCombo.parse("Ctrl+F5")])
        assert refused == {CTRL_SHIFT_F1: "taken by another program"}
        assert backend.registered == {KeyCombo.parse("Ctrl+F5")}
        # Another failure keeps Windows' own reason and is not "taken".
        with monkeypatch.context() as patch:
            patch.setitem(w.VK_CODES, "F9", 0)  # the fake refuses vk 0 as invalid
            with pytest.raises(RegistrationError) as info:
                backend.register(KeyCombo.parse("Alt+F9"))
        assert not info.value.taken and "error 87" in info.value.reason
        # Ids are not reused while registered, and close() gives every one back.
        backend.register(KeyCombo.parse("Alt+F9"))
        assert len(set(fake.registered)) == 2
    finally:
        backend.close()
    assert fake.registered == {}
    backend.close()  # idempotent


def test_closed_backend_ignores_hotkeys(qapp: object) -> None:
    fake = FakeUser32()
    backend = w.WindowsBackend(user32=fake)
    backend.register(CTRL_SHIFT_F1)
    backend.close()
    # After close the filter (also removed from the app) ignores even our old id.
    assert post(backend, w.WM_HOTKEY, 1) == (False, 0)
