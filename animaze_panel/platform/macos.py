"""macOS global hotkeys: a pynput keyboard listener, matched against the registered combinations.

macOS has no ``RegisterHotKey`` reachable from Python without a native helper; pynput (a
darwin-only dependency, imported when the backend is created) runs a Quartz event tap on its own
thread. Each key event is named there (:func:`key_name`) and handed to the GUI thread through a
queued Qt signal; :class:`ComboMatcher` tracks the held modifiers and reports presses/releases of
registered combinations, which go to the backend's route (the hotkey lane) like every backend's.
A held key is one press: macOS repeats key-downs of a held key, and the matcher drops them.

Limits, stated to the user by the editor:

* **Permission**: the tap sees keys only once the user allows the app (or the terminal running
  it) under System Settings > Privacy & Security > Accessibility (and Input Monitoring). When
  pynput reports the process as not trusted, the backend is unavailable with that explanation
  and the panel falls back to in-app shortcuts.
* **Listening, not grabbing**: the key also reaches the focused app, and a combination another
  program uses cannot be detected, so nothing is ever refused as "taken".

Keys are named by their macOS virtual key code (a position on the ANSI keyboard, as the names in
:data:`~..hotkeys.keys.KEYS` are) so Option/Shift changing the typed character does not matter.
Tested on Linux with synthetic events and a fake pynput module (tests/platform/test_macos_backend);
NOT tested here: the real pynput listener, ``IS_TRUSTED`` and the key codes on a real Mac.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ..hotkeys.keys import KeyCombo, Modifier, canonical_key
from .base import BackendUnavailable, HotkeyBackend

PERMISSION_TEXT = (
    "macOS has not allowed the panel to see the keyboard: open System Settings > Privacy & "
    "Security > Accessibility (and Input Monitoring), allow Animaze Panel (or the terminal that "
    "starts it), then restart the panel"
)

MODIFIER_NAMES: dict[str, Modifier] = {
    "ctrl": Modifier.CTRL, "ctrl_l": Modifier.CTRL, "ctrl_r": Modifier.CTRL,
    "alt": Modifier.ALT, "alt_l": Modifier.ALT, "alt_r": Modifier.ALT, "alt_gr": Modifier.ALT,
    "shift": Modifier.SHIFT, "shift_l": Modifier.SHIFT, "shift_r": Modifier.SHIFT,
    "cmd": Modifier.META, "cmd_l": Modifier.META, "cmd_r": Modifier.META,
}  # fmt: skip
"""pynput ``Key`` member name -> modifier."""

SPECIAL_NAMES: dict[str, str] = {
    **{f"f{n}": f"F{n}" for n in range(1, 25)},
    "space": "Space", "tab": "Tab", "enter": "Enter", "esc": "Escape",
    "backspace": "Backspace", "insert": "Insert", "delete": "Delete", "home": "Home",
    "end": "End", "page_up": "PageUp", "page_down": "PageDown", "up": "Up", "down": "Down",
    "left": "Left", "right": "Right", "pause": "Pause", "scroll_lock": "ScrollLock",
    "print_screen": "PrintScreen", "media_play_pause": "MediaPlay",
    "media_next": "MediaNext", "media_previous": "MediaPrevious",
    "media_volume_up": "VolumeUp", "media_volume_down": "VolumeDown",
    "media_volume_mute": "VolumeMute",
}  # fmt: skip
"""pynput ``Key`` member name -> canonical key name."""

MAC_KEY_CODES: dict[int, str] = {
    0x00: "A", 0x01: "S", 0x02: "D", 0x03: "F", 0x04: "H", 0x05: "G", 0x06: "Z", 0x07: "X",
    0x08: "C", 0x09: "V", 0x0B: "B", 0x0C: "Q", 0x0D: "W", 0x0E: "E", 0x0F: "R", 0x10: "Y",
    0x11: "T", 0x12: "1", 0x13: "2", 0x14: "3", 0x15: "4", 0x16: "6", 0x17: "5", 0x18: "Equal",
    0x19: "9", 0x1A: "7", 0x1B: "Minus", 0x1C: "8", 0x1D: "0", 0x1E: "BracketRight",
    0x1F: "O", 0x20: "U", 0x21: "BracketLeft", 0x22: "I", 0x23: "P", 0x25: "L", 0x26: "J",
    0x27: "Quote", 0x28: "K", 0x29: "Semicolon", 0x2A: "Backslash", 0x2B: "Comma",
    0x2C: "Slash", 0x2D: "N", 0x2E: "M", 0x2F: "Period", 0x32: "Grave",
    0x41: "NumDecimal", 0x43: "NumMultiply", 0x45: "NumAdd", 0x4B: "NumDivide",
    0x4E: "NumSubtract", 0x52: "Num0", 0x53: "Num1", 0x54: "Num2", 0x55: "Num3", 0x56: "Num4",
    0x57: "Num5", 0x58: "Num6", 0x59: "Num7", 0x5B: "Num8", 0x5C: "Num9",
}  # fmt: skip
"""macOS virtual key code (``kVK_ANSI_*``, HIToolbox Events.h) -> canonical key name, for the
character keys; the others arrive as pynput ``Key`` members (:data:`SPECIAL_NAMES`)."""


def key_name(key: Any) -> str | Modifier | None:
    """Name a pynput key: a :class:`Modifier`, a canonical key name, or ``None`` (ignored key).

    Args:
        key: A pynput ``Key`` member (has ``.name``) or ``KeyCode`` (``.vk``, ``.char``).
    """
    if key is None:
        return None
    member = getattr(key, "name", None)
    if isinstance(member, str):
        if member in MODIFIER_NAMES:
            return MODIFIER_NAMES[member]
        return SPECIAL_NAMES.get(member)
    vk = getattr(key, "vk", None)
    if isinstance(vk, int) and vk in MAC_KEY_CODES:
        return MAC_KEY_CODES[vk]
    char = getattr(key, "char", None)
    if isinstance(char, str) and len(char) == 1 and char.isprintable():
        return canonical_key(char)
    return None


class ComboMatcher:
    """Turns a stream of key downs/ups into presses/releases of registered combinations.

    Pure logic (no Qt, no pynput): held modifiers are tracked; a key down with exactly the held
    modifiers of a registered combination is a press; auto-repeat downs of a held key are
    dropped; the key's up releases the combination (even if the modifiers went up first).
    """

    def __init__(self) -> None:
        """Start with nothing registered or held."""
        self.combos: set[KeyCombo] = set()
        self.modifiers: set[Modifier] = set()
        self._down: dict[str, KeyCombo | None] = {}  # held key -> the combination it pressed

    def key_down(self, name: str | Modifier) -> KeyCombo | None:
        """A key went down; returns the combination pressed, if any."""
        if isinstance(name, Modifier):
            self.modifiers.add(name)
            return None
        if name in self._down:  # auto-repeat
            return None
        combo = KeyCombo(name, frozenset(self.modifiers))
        hit = combo if combo in self.combos else None
        self._down[name] = hit
        return hit

    def key_up(self, name: str | Modifier) -> KeyCombo | None:
        """A key went up; returns the combination released, if any."""
        if isinstance(name, Modifier):
            self.modifiers.discard(name)
            return None
        return self._down.pop(name, None)


class MacBackend(HotkeyBackend):
    """Global hotkeys on macOS through pynput (needs the Accessibility permission)."""

    NAME = "macos"
    IS_GLOBAL = True
    SUPPORTS_RELEASE = True
    DESCRIPTION = "Global hotkeys (macOS; the keys also reach the focused app)"

    _key_event = Signal(object, bool)  # key name or Modifier, down?; emitted on pynput's thread

    def __init__(self, parent: QObject | None = None, *, keyboard: Any = None) -> None:
        """Start the pynput listener.

        Args:
            parent: Qt parent.
            keyboard: Stand-in for ``pynput.keyboard`` (tests); ``None`` imports pynput.

        Raises:
            BackendUnavailable: pynput is missing, the listener cannot start, or macOS has not
                granted the Accessibility permission.
        """
        super().__init__(parent)
        if keyboard is None:
            try:  # by name: pynput is a darwin-only dependency, absent elsewhere
                keyboard = importlib.import_module("pynput.keyboard")
            except ImportError as exc:  # also raised when pynput finds no usable backend
                raise BackendUnavailable(f"pynput cannot be used: {exc}") from exc
        self._matcher = ComboMatcher()
        self._closed = False
        # Queued: the slot runs on the GUI thread whatever thread emits.
        self._key_event.connect(self._on_key, Qt.ConnectionType.QueuedConnection)
        try:
            self._listener: Any = keyboard.Listener(on_press=self._from_listener_down,
                                                    on_release=self._from_listener_up)
            self._listener.start()
            self._listener.wait()  # until the tap is installed (or failed)
        except Exception as exc:  # pynput raises assorted errors when the tap cannot be made
            raise BackendUnavailable(f"{PERMISSION_TEXT} ({exc})") from exc
        if getattr(self._listener, "IS_TRUSTED", True) is False or not self._listener.is_alive():
            self._listener.stop()
            raise BackendUnavailable(PERMISSION_TEXT)

    # pynput's thread: name the key, queue it; nothing else is touched there.
    def _from_listener_down(self, key: Any) -> None:
        name = key_name(key)
        if name is not None:
            self._key_event.emit(name, True)

    def _from_listener_up(self, key: Any) -> None:
        name = key_name(key)
        if name is not None:
            self._key_event.emit(name, False)

    def _on_key(self, name: str | Modifier, down: bool) -> None:
        if self._closed:
            return
        if down:
            combo = self._matcher.key_down(name)
            if combo is not None:
                self._emit_pressed(combo)
        else:
            combo = self._matcher.key_up(name)
            if combo is not None:
                self._emit_released(combo)

    def _grab(self, combo: KeyCombo) -> None:
        self._matcher.combos.add(combo)  # listening cannot be refused (see the docstring)

    def _ungrab(self, combo: KeyCombo) -> None:
        self._matcher.combos.discard(combo)

    def close(self) -> None:
        """Stop the listener thread. Idempotent."""
        if self._closed:
            return
        super().close()
        self._closed = True
        self._listener.stop()
