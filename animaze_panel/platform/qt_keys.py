"""Qt key codes <-> canonical key names, for in-app shortcuts and the key recorder.

Shifted punctuation is folded back to its US-layout key (``!`` -> ``1``, ``_`` -> ``Minus``) so
recording Ctrl+Shift+1 gives ``Ctrl+Shift+1`` and not an unknown ``!`` key.
"""

from __future__ import annotations

from PySide6.QtCore import QKeyCombination, Qt
from PySide6.QtGui import QKeySequence

from ..hotkeys.keys import KeyCombo, Modifier

K = Qt.Key
_QT_KEYS: dict[str, Qt.Key] = {
    **{chr(c): K(int(K.Key_A) + c - ord("A")) for c in range(ord("A"), ord("Z") + 1)},
    **{str(d): K(int(K.Key_0) + d) for d in range(10)},
    **{f"F{n}": K(int(K.Key_F1) + n - 1) for n in range(1, 25)},
    **{f"Num{d}": K(int(K.Key_0) + d) for d in range(10)},
    "NumAdd": K.Key_Plus, "NumSubtract": K.Key_Minus, "NumMultiply": K.Key_Asterisk,
    "NumDivide": K.Key_Slash, "NumDecimal": K.Key_Period,
    "Space": K.Key_Space, "Tab": K.Key_Tab, "Enter": K.Key_Return, "Escape": K.Key_Escape,
    "Backspace": K.Key_Backspace, "Insert": K.Key_Insert, "Delete": K.Key_Delete,
    "Home": K.Key_Home, "End": K.Key_End, "PageUp": K.Key_PageUp, "PageDown": K.Key_PageDown,
    "Up": K.Key_Up, "Down": K.Key_Down, "Left": K.Key_Left, "Right": K.Key_Right,
    "Pause": K.Key_Pause, "ScrollLock": K.Key_ScrollLock, "PrintScreen": K.Key_Print,
    "Minus": K.Key_Minus, "Equal": K.Key_Equal, "Comma": K.Key_Comma, "Period": K.Key_Period,
    "Slash": K.Key_Slash, "Semicolon": K.Key_Semicolon, "Quote": K.Key_Apostrophe,
    "BracketLeft": K.Key_BracketLeft, "BracketRight": K.Key_BracketRight,
    "Backslash": K.Key_Backslash, "Grave": K.Key_QuoteLeft,
    "MediaPlay": K.Key_MediaPlay, "MediaStop": K.Key_MediaStop, "MediaNext": K.Key_MediaNext,
    "MediaPrevious": K.Key_MediaPrevious, "VolumeUp": K.Key_VolumeUp,
    "VolumeDown": K.Key_VolumeDown, "VolumeMute": K.Key_VolumeMute,
}  # fmt: skip
_NUMPAD = {name for name in _QT_KEYS if name.startswith("Num")}

_FROM_QT: dict[int, str] = {}
for _name, _key in _QT_KEYS.items():
    if _name not in _NUMPAD:
        _FROM_QT.setdefault(int(_key), _name)
_FROM_QT.update({int(K.Key_Enter): "Enter", int(K.Key_Backtab): "Tab"})
_SHIFTED = {
    K.Key_Exclam: "1", K.Key_At: "2", K.Key_NumberSign: "3", K.Key_Dollar: "4",
    K.Key_Percent: "5", K.Key_AsciiCircum: "6", K.Key_Ampersand: "7", K.Key_Asterisk: "8",
    K.Key_ParenLeft: "9", K.Key_ParenRight: "0", K.Key_Underscore: "Minus", K.Key_Plus: "Equal",
    K.Key_Less: "Comma", K.Key_Greater: "Period", K.Key_Question: "Slash",
    K.Key_Colon: "Semicolon", K.Key_QuoteDbl: "Quote", K.Key_BraceLeft: "BracketLeft",
    K.Key_BraceRight: "BracketRight", K.Key_Bar: "Backslash", K.Key_AsciiTilde: "Grave",
}  # fmt: skip
_NUMPAD_FROM_QT: dict[int, str] = {int(_QT_KEYS[n]): n for n in _NUMPAD}

_MODS = {
    Modifier.CTRL: Qt.KeyboardModifier.ControlModifier,
    Modifier.ALT: Qt.KeyboardModifier.AltModifier,
    Modifier.SHIFT: Qt.KeyboardModifier.ShiftModifier,
    Modifier.META: Qt.KeyboardModifier.MetaModifier,
}
MODIFIER_KEYS = frozenset(
    {K.Key_Control, K.Key_Shift, K.Key_Alt, K.Key_Meta, K.Key_AltGr, K.Key_Super_L,
     K.Key_Super_R, K.Key_Hyper_L, K.Key_Hyper_R, K.Key_CapsLock, K.Key_NumLock}
)  # fmt: skip


def qt_key(combo: KeyCombo) -> Qt.Key:
    """The Qt key of ``combo``'s key (numpad keys also need the keypad modifier)."""
    return _QT_KEYS[combo.key]


def to_key_sequence(combo: KeyCombo) -> QKeySequence:
    """A QKeySequence for an in-app shortcut."""
    mods = Qt.KeyboardModifier.NoModifier
    for modifier in combo.modifiers:
        mods |= _MODS[modifier]
    if combo.key in _NUMPAD:
        mods |= Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(QKeyCombination(mods, _QT_KEYS[combo.key]))


def from_qt(key: int, modifiers: Qt.KeyboardModifier) -> KeyCombo | None:
    """The combination of a Qt key event, or ``None`` (a lone modifier, an unknown key)."""
    if key in MODIFIER_KEYS or key == 0 or key == int(K.Key_unknown):
        return None
    name: str | None
    if modifiers & Qt.KeyboardModifier.KeypadModifier and key in _NUMPAD_FROM_QT:
        name = _NUMPAD_FROM_QT[key]
    else:
        name = _FROM_QT.get(int(key))
        if name is None:
            try:
                name = _SHIFTED.get(K(key))
            except ValueError:  # a key code Qt has no enum member for
                name = None
    if name is None:
        return None
    mods = frozenset(m for m, flag in _MODS.items() if modifiers & flag)
    return KeyCombo(name, mods)
