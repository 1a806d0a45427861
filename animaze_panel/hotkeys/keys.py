"""Key combinations: a set of modifiers plus one key, e.g. ``Ctrl+Shift+F1``.

The text form is what the TOML file and the editor show. Parsing is forgiving (any case,
spaces around ``+``, aliases such as ``Control``, ``Win``, ``Esc``, ``PgUp``, ``-``);
formatting is canonical (modifiers in the order Ctrl, Alt, Shift, Meta; key names from
:data:`KEYS`), so two spellings of one combination compare equal.

Key names are layout-neutral *positions* on a US keyboard for punctuation (``Minus``,
``BracketLeft``...); each OS backend maps them to its own codes (X11 keysyms, Windows virtual
keys).
"""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass

from .errors import KeyParseError


class Modifier(enum.Enum):
    """A modifier key; the value is its canonical spelling."""

    CTRL = "Ctrl"
    ALT = "Alt"
    SHIFT = "Shift"
    META = "Meta"  # the Windows / Super / Command key


MODIFIER_ORDER: tuple[Modifier, ...] = (Modifier.CTRL, Modifier.ALT, Modifier.SHIFT, Modifier.META)

_MODIFIER_ALIASES: dict[str, Modifier] = {
    "ctrl": Modifier.CTRL, "control": Modifier.CTRL, "ctl": Modifier.CTRL,
    "alt": Modifier.ALT, "option": Modifier.ALT, "opt": Modifier.ALT,
    "shift": Modifier.SHIFT,
    "meta": Modifier.META, "win": Modifier.META, "windows": Modifier.META,
    "super": Modifier.META, "cmd": Modifier.META, "command": Modifier.META,
}  # fmt: skip


def _build_keys() -> dict[str, tuple[str, ...]]:
    keys: dict[str, tuple[str, ...]] = {}
    for letter in string.ascii_uppercase:
        keys[letter] = ()
    for digit in string.digits:
        keys[digit] = ()
    for n in range(1, 25):
        keys[f"F{n}"] = ()
    for digit in string.digits:
        keys[f"Num{digit}"] = (f"Numpad{digit}", f"KP{digit}", f"KP_{digit}")
    keys.update(
        {
            "NumAdd": ("NumPlus", "KP_Add", "Numpad+"),
            "NumSubtract": ("NumMinus", "KP_Subtract", "Numpad-"),
            "NumMultiply": ("NumStar", "KP_Multiply", "Numpad*"),
            "NumDivide": ("NumSlash", "KP_Divide", "Numpad/"),
            "NumDecimal": ("NumDot", "KP_Decimal", "Numpad."),
            "Space": (" ",),
            "Tab": (),
            "Enter": ("Return",),
            "Escape": ("Esc",),
            "Backspace": (),
            "Insert": ("Ins",),
            "Delete": ("Del",),
            "Home": (),
            "End": (),
            "PageUp": ("PgUp", "Prior"),
            "PageDown": ("PgDown", "PgDn", "Next"),
            "Up": ("ArrowUp",),
            "Down": ("ArrowDown",),
            "Left": ("ArrowLeft",),
            "Right": ("ArrowRight",),
            "Pause": ("Break",),
            "ScrollLock": (),
            "PrintScreen": ("Print", "PrtSc", "SysRq"),
            "Minus": ("-",),
            "Equal": ("=",),
            "Comma": (",",),
            "Period": (".",),
            "Slash": ("/",),
            "Semicolon": (";",),
            "Quote": ("'", "Apostrophe"),
            "BracketLeft": ("[",),
            "BracketRight": ("]",),
            "Backslash": ("\\",),
            "Grave": ("`", "Backquote"),
            "MediaPlay": ("MediaPlayPause", "PlayPause"),
            "MediaStop": (),
            "MediaNext": ("MediaNextTrack",),
            "MediaPrevious": ("MediaPrev", "MediaPreviousTrack"),
            "VolumeUp": (),
            "VolumeDown": (),
            "VolumeMute": ("Mute",),
        }
    )
    return keys


KEYS: dict[str, tuple[str, ...]] = _build_keys()
"""Canonical key name -> accepted aliases."""

_KEY_LOOKUP: dict[str, str] = {}
for _name, _aliases in KEYS.items():
    for _spelling in (_name, *_aliases):
        _KEY_LOOKUP[_spelling.casefold()] = _name

TYPING_KEYS = frozenset(
    [*string.ascii_uppercase, *string.digits, "Space", "Tab", "Enter", "Backspace", "Minus",
     "Equal", "Comma", "Period", "Slash", "Semicolon", "Quote", "BracketLeft", "BracketRight",
     "Backslash", "Grave", "Delete", "Up", "Down", "Left", "Right", "Home", "End"]
)  # fmt: skip
"""Keys that type or edit text: bound without Ctrl/Alt/Meta they would break chat typing."""


def canonical_key(name: str) -> str | None:
    """Return the canonical name of a key, or ``None`` if it is not a known key.

    Args:
        name: Any accepted spelling, e.g. ``"esc"``, ``"PgUp"``, ``"-"``.
    """
    return _KEY_LOOKUP.get(name.strip().casefold()) if name.strip() else _KEY_LOOKUP.get(name)


def modifier_from_name(name: str) -> Modifier | None:
    """Return the modifier called ``name`` (any alias, any case), or ``None``."""
    return _MODIFIER_ALIASES.get(name.strip().casefold())


@dataclass(frozen=True, order=False)
class KeyCombo:
    """Modifiers + one key. Build with :meth:`parse` or directly with canonical names.

    Attributes:
        key: Canonical key name (a key of :data:`KEYS`).
        modifiers: The modifiers held with it.
    """

    key: str
    modifiers: frozenset[Modifier] = frozenset()

    def __post_init__(self) -> None:
        if self.key not in KEYS:
            raise KeyParseError(self.key, "unknown key")

    @classmethod
    def parse(cls, text: str) -> KeyCombo:
        """Read ``"Ctrl+Shift+F1"`` and friends.

        ``+`` itself is not a key name here (use ``Equal`` or ``NumAdd``); ``"Ctrl++"`` is read
        as Ctrl+Equal, the key that carries ``+`` on a US keyboard.

        Raises:
            KeyParseError: Empty, unknown key or modifier, two keys, or a repeated modifier.
        """
        if not isinstance(text, str) or not text.strip():
            raise KeyParseError(str(text), "empty key combination")
        raw = text.strip()
        if raw.endswith("++"):
            raw = raw[:-1] + "Equal"
        parts = [p.strip() for p in raw.split("+")]
        if any(not p for p in parts):
            raise KeyParseError(text, "empty part between '+' signs")
        modifiers: set[Modifier] = set()
        key: str | None = None
        for part in parts:
            modifier = modifier_from_name(part)
            if modifier is not None:
                if modifier in modifiers:
                    raise KeyParseError(text, f"{modifier.value} appears twice")
                modifiers.add(modifier)
                continue
            name = canonical_key(part)
            if name is None:
                raise KeyParseError(text, f"unknown key {part!r}")
            if key is not None:
                raise KeyParseError(text, f"two keys ({key} and {name}); use one key")
            key = name
        if key is None:
            raise KeyParseError(text, "modifiers alone are not a hotkey; add a key")
        return cls(key, frozenset(modifiers))

    def __str__(self) -> str:
        return "+".join([*(m.value for m in MODIFIER_ORDER if m in self.modifiers), self.key])

    def sort_key(self) -> tuple[int, str]:
        """Sort by modifier count, then text (stable order for lists)."""
        return (len(self.modifiers), str(self))

    @property
    def is_typing_key(self) -> bool:
        """Whether this would swallow ordinary typing (no Ctrl/Alt/Meta on a text key)."""
        strong = self.modifiers - {Modifier.SHIFT}
        return not strong and self.key in TYPING_KEYS
