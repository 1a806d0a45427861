"""MacBackend on any OS: key naming and combination matching with synthetic pynput-like events,
and the listener-thread -> GUI-thread hand-over with a fake pynput ``keyboard`` module."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from animaze_panel.hotkeys.keys import KEYS, KeyCombo, Modifier
from animaze_panel.platform import macos as m
from animaze_panel.platform.base import BackendUnavailable

from .conftest import Recorder


class Key(enum.Enum):
    """Like ``pynput.keyboard.Key`` (members have a ``.name``)."""

    ctrl = 1
    ctrl_r = 2
    shift = 3
    alt = 4
    cmd = 5
    f1 = 6
    space = 7
    caps_lock = 8
    media_play_pause = 9


@dataclass(frozen=True)
class KeyCode:
    """Like ``pynput.keyboard.KeyCode`` (no ``.name``)."""

    vk: int | None = None
    char: str | None = None


A, ONE, MINUS = KeyCode(0x00, "a"), KeyCode(0x12, "1"), KeyCode(0x1B, "-")


def test_key_names() -> None:
    assert m.key_name(Key.ctrl_r) is Modifier.CTRL and m.key_name(Key.cmd) is Modifier.META
    assert m.key_name(Key.f1) == "F1" and m.key_name(Key.space) == "Space"
    assert m.key_name(Key.media_play_pause) == "MediaPlay"
    assert m.key_name(Key.caps_lock) is None
    # By key code: what Shift/Option type does not matter (Shift+1 types "!", Option+A "å").
    assert m.key_name(KeyCode(0x12, "!")) == "1" and m.key_name(KeyCode(0x00, "å")) == "A"
    assert m.key_name(KeyCode(0x1B, "_")) == "Minus" and m.key_name(KeyCode(0x5C)) == "Num9"
    # No known code: fall back to the character; nothing usable: ignored.
    assert m.key_name(KeyCode(None, "q")) == "Q" and m.key_name(KeyCode(None, "\x01")) is None
    assert m.key_name(None) is None
    assert set(m.MAC_KEY_CODES.values()) | set(m.SPECIAL_NAMES.values()) <= set(KEYS)
    assert len(set(m.MAC_KEY_CODES.values())) == len(m.MAC_KEY_CODES)


def test_matcher_presses_releases_repeats_and_modifiers() -> None:
    matcher = m.ComboMatcher()
    ctrl_shift_a = KeyCombo.parse("Ctrl+Shift+A")
    matcher.combos |= {ctrl_shift_a, KeyCombo.parse("F1")}
    assert matcher.key_down("A") is None  # no modifiers: not registered
    assert matcher.key_up("A") is None
    for mod in (Modifier.CTRL, Modifier.SHIFT):
        assert matcher.key_down(mod) is None
    assert matcher.key_down("A") == ctrl_shift_a
    assert matcher.key_down("A") is None  # auto-repeat
    assert matcher.key_down(Modifier.SHIFT) is None  # repeated modifier down: harmless
    assert matcher.key_up(Modifier.SHIFT) is None
    assert matcher.key_up("A") == ctrl_shift_a  # modifiers up first: still released
    assert matcher.key_down("A") is None  # now only Ctrl is held
    assert matcher.key_up("A") is None
    matcher.key_up(Modifier.CTRL)
    assert matcher.key_down("F1") == KeyCombo("F1") and matcher.key_up("F1") == KeyCombo("F1")
    # Extra modifiers make it a different combination.
    matcher.key_down(Modifier.ALT)
    assert matcher.key_down("F1") is None


class FakeListener:
    """Like ``pynput.keyboard.Listener``: calls back on its own thread."""

    instances: list[FakeListener] = []
    trusted = True

    def __init__(self, on_press: Callable[[Any], None], on_release: Callable[[Any], None]) -> None:
        self.on_press, self.on_release = on_press, on_release
        self.IS_TRUSTED = False  # set by the thread once it runs, as pynput does
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        FakeListener.instances.append(self)

    def _run(self) -> None:
        self.IS_TRUSTED = FakeListener.trusted
        self._ready.set()
        self._stop.wait(30)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        self._ready.wait(5)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()

    def type_from_thread(self, events: list[tuple[Any, bool]]) -> None:
        """Play key events on another thread (as the event tap's thread would)."""

        def play() -> None:
            for key, down in events:
                (self.on_press if down else self.on_release)(key)

        thread = threading.Thread(target=play)
        thread.start()
        thread.join(5)


class FakeKeyboard:
    Listener = FakeListener


@pytest.fixture(autouse=True)
def _reset() -> Any:
    FakeListener.instances.clear()
    FakeListener.trusted = True
    yield
    for listener in FakeListener.instances:
        listener.stop()


def test_backend_reports_to_its_route(qapp: object, qtbot: QtBot, recorder: Recorder) -> None:
    backend = m.MacBackend(keyboard=FakeKeyboard)
    recorder.attach(backend)
    try:
        combo = KeyCombo.parse("Ctrl+Shift+F1")
        assert backend.sync([combo]) == {}  # never refused: listening cannot be "taken"
        listener = FakeListener.instances[0]
        listener.type_from_thread([
            (Key.ctrl, True), (Key.shift, True), (A, True), (A, False),  # not bound
            (Key.f1, True), (Key.f1, True), (Key.f1, True),  # held: macOS repeats key-downs
            (Key.shift, False), (Key.f1, False), (Key.ctrl, False),
        ])
        recorder.wait(qtbot, 2)
        backend.unregister(combo)
        backend.register(KeyCombo("Space"))
        listener.type_from_thread([
            (Key.ctrl, True), (Key.shift, True), (Key.f1, True), (Key.f1, False),
            (Key.shift, False), (Key.ctrl, False), (Key.space, True),
        ])
        recorder.wait(qtbot, 3)  # events are queued in order
        recorder.sentinel(qtbot)
        # A held key is one press and one release; the unregistered combination stayed silent.
        assert recorder.events == [("press", combo), ("release", combo),
                                   ("press", KeyCombo("Space"))]
    finally:
        backend.close()
    assert FakeListener.instances[0]._stop.is_set()


def test_untrusted_process_explains_the_permission(qapp: object) -> None:
    FakeListener.trusted = False
    with pytest.raises(BackendUnavailable) as info:
        m.MacBackend(keyboard=FakeKeyboard)
    assert "Accessibility" in str(info.value) and "System Settings" in str(info.value)
    assert FakeListener.instances[0]._stop.is_set()


def test_without_pynput_the_backend_is_unavailable(qapp: object) -> None:
    try:
        import pynput  # noqa: F401
    except ImportError:
        with pytest.raises(BackendUnavailable, match="pynput"):
            m.MacBackend()
    else:
        pytest.skip("pynput is installed here")
