"""Bindings: a key combination -> one action or a macro, with hold/release, cooldown, overlap.

TOML shape (one ``[[binding]]`` table per binding)::

    [[binding]]
    keys = "Ctrl+Shift+F1"
    name = "Wave"                                   # optional label
    action = { type = "emote", name = "Emote_Wave" }

    [[binding]]
    keys = "Ctrl+F2"
    macro = [
      { type = "emote", name = "Emote_Wave" },
      { type = "wait", seconds = 1.5 },
      { type = "pose", index = 1 },
    ]
    overlap = "ignore"      # ignore | restart | allow: pressing again while the macro runs
    cooldown = 0.25         # seconds; presses closer than this are dropped

    [[binding]]
    keys = "Ctrl+F3"
    action = { type = "pose", index = 2 }           # while held...
    release = { type = "idle", index = 0 }          # ...back to the default idle on release
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import fields as f
from .actions import Action, Wait, action_from_dict
from .errors import EntryError, KeyParseError
from .keys import KeyCombo

DEFAULT_COOLDOWN = 0.25
MAX_COOLDOWN = 3600.0
BINDING_FIELDS = ("keys", "name", "enabled", "action", "macro", "release", "cooldown", "overlap")


class Overlap(enum.Enum):
    """What a press does while the binding's previous run (a macro) is still going."""

    IGNORE = "ignore"  # the running macro finishes; the press is dropped
    RESTART = "restart"  # the running macro is cancelled and starts again
    ALLOW = "allow"  # runs side by side (interleaved steps)


Steps = tuple[Action, ...]


@dataclass(frozen=True)
class Binding:
    """One hotkey.

    Attributes:
        keys: The key combination.
        press: Steps run on press (one action, or a macro with :class:`Wait` steps).
        release: Steps run on release (empty: nothing; makes this a hold binding).
        name: Optional label shown in the editor.
        enabled: Disabled bindings stay in the file but are not registered.
        cooldown: Seconds after a press during which further presses are dropped.
        overlap: What a press does while the previous run is going.
    """

    keys: KeyCombo
    press: Steps
    release: Steps = ()
    name: str = ""
    enabled: bool = True
    cooldown: float = DEFAULT_COOLDOWN
    overlap: Overlap = Overlap.IGNORE

    def __post_init__(self) -> None:
        if not self.press:
            raise EntryError("action", "a binding needs an action or a macro")
        if all(isinstance(step, Wait) for step in self.press):
            raise EntryError("macro", "a macro of only waits does nothing")
        cooldown = f.number({"cooldown": self.cooldown}, "cooldown", "", minimum=0.0,
                            maximum=MAX_COOLDOWN)
        object.__setattr__(self, "cooldown", cooldown)

    @property
    def is_macro(self) -> bool:
        """Whether the press runs more than one step."""
        return len(self.press) > 1

    @property
    def is_hold(self) -> bool:
        """Whether something happens on release."""
        return bool(self.release)

    @property
    def label(self) -> str:
        """The name, or a description of what it does."""
        return self.name or describe_steps(self.press)

    def to_dict(self) -> dict[str, Any]:
        """The TOML table (defaults left out so hand-written files stay short)."""
        out: dict[str, Any] = {"keys": str(self.keys)}
        if self.name:
            out["name"] = self.name
        if not self.enabled:
            out["enabled"] = False
        if self.is_macro:
            out["macro"] = [step.to_dict() for step in self.press]
        else:
            out["action"] = self.press[0].to_dict()
        if self.release:
            released = [step.to_dict() for step in self.release]
            out["release"] = released[0] if len(released) == 1 else released
        if self.cooldown != DEFAULT_COOLDOWN:
            out["cooldown"] = self.cooldown
        if self.overlap is not Overlap.IGNORE:
            out["overlap"] = self.overlap.value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Binding:
        """Build a binding from its TOML table.

        Raises:
            EntryError: The first problem found, naming its field.
        """
        t = f.table(data, "binding")
        f.no_extra(t, BINDING_FIELDS, "")
        text = f.text(t, "keys", "")
        try:
            keys = KeyCombo.parse(text)
        except KeyParseError as exc:
            raise EntryError("keys", exc.reason) from exc
        if "action" in t and "macro" in t:
            raise EntryError("macro", "give either action or macro, not both")
        if "action" in t:
            press: Steps = (action_from_dict(t["action"], "action"),)
        elif "macro" in t:
            press = _steps(t["macro"], "macro")
        else:
            raise EntryError("action", "missing (give action = { type = ... } or macro = [...])")
        release = _steps(t["release"], "release") if "release" in t else ()
        overlap = f.choice(t, "overlap", "", tuple(o.value for o in Overlap), "ignore")
        return cls(
            keys=keys,
            press=press,
            release=release,
            name=f.text(t, "name", "", default=""),
            enabled=f.flag(t, "enabled", "", True),
            cooldown=f.number(t, "cooldown", "", DEFAULT_COOLDOWN, minimum=0.0,
                              maximum=MAX_COOLDOWN),
            overlap=Overlap(overlap),
        )


def _steps(value: Any, path: str) -> Steps:
    if isinstance(value, Mapping):
        return (action_from_dict(value, path),)
    if not isinstance(value, list) or not value:
        raise EntryError(path, "must be a table { type = ... } or a non-empty list of them")
    return tuple(action_from_dict(item, f"{path}[{i}]") for i, item in enumerate(value))


def describe_steps(steps: Steps) -> str:
    """``"Emote Emote_Wave, Wait 1.5 s, Pose #1"``."""
    return ", ".join(step.describe() for step in steps)
