"""Conflict detection, run by the editor before saving and by the service after registering.

Kinds of conflict (each a :class:`Conflict` naming the combination and why):

* the same combination on two enabled bindings (error: only the first would fire);
* a combination the OS keeps for itself (Ctrl+Alt+Delete: error; Alt+Tab, Alt+F4...: warning);
* a combination another program has registered (error, reported by the OS backend);
* a typing key without Ctrl/Alt/Meta (warning: it would stop that key working in chat/games);
* a camera-preset action whose preset does not exist (warning).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .actions import CameraPreset
from .bindings import Binding
from .keys import KeyCombo, Modifier

C, A, S, M = Modifier.CTRL, Modifier.ALT, Modifier.SHIFT, Modifier.META


class Severity(enum.Enum):
    """How bad a conflict is: errors block saving, warnings are shown."""

    ERROR = "error"
    WARNING = "warning"


def _combo(key: str, *mods: Modifier) -> KeyCombo:
    return KeyCombo(key, frozenset(mods))


SYSTEM_ONLY: dict[KeyCombo, str] = {
    _combo("Delete", C, A): "Windows keeps Ctrl+Alt+Delete for itself",
}
RESERVED: dict[KeyCombo, str] = {
    _combo("Tab", A): "switches windows",
    _combo("Tab", A, S): "switches windows",
    _combo("F4", A): "closes the focused window",
    _combo("Escape", C): "opens the Start menu",
    _combo("Escape", C, S): "opens the Task Manager",
    _combo("L", M): "locks the computer",
    _combo("D", M): "shows the desktop",
    _combo("R", M): "opens Run",
    _combo("E", M): "opens the file manager",
    _combo("Tab", M): "opens the task view",
}
"""Combinations desktops use; binding them works on some systems but surprises the user."""


@dataclass(frozen=True)
class Conflict:
    """A problem with a combination.

    Attributes:
        keys: The combination.
        severity: Error (blocks saving / will not work) or warning.
        message: One sentence for the user.
        bindings: Indices of the bindings involved (in the list checked).
    """

    keys: KeyCombo
    severity: Severity
    message: str
    bindings: tuple[int, ...] = ()


def find_conflicts(
    bindings: Sequence[Binding],
    *,
    taken: Mapping[KeyCombo, str] | None = None,
    presets: Sequence[str] | None = None,
) -> list[Conflict]:
    """Every conflict among ``bindings`` (disabled ones are skipped).

    Args:
        bindings: The profile's bindings, in order.
        taken: Combinations the OS refused, with its reason (from the backend).
        presets: Names of existing camera presets (``None``: do not check preset actions).

    Returns:
        Conflicts, errors first, in binding order.
    """
    out: list[Conflict] = []
    by_combo: dict[KeyCombo, list[int]] = {}
    known = None if presets is None else {name.casefold() for name in presets}
    for i, binding in enumerate(bindings):
        if not binding.enabled:
            continue
        keys = binding.keys
        by_combo.setdefault(keys, []).append(i)
        if keys in SYSTEM_ONLY:
            out.append(Conflict(keys, Severity.ERROR, f"{keys}: {SYSTEM_ONLY[keys]}", (i,)))
        elif keys in RESERVED:
            out.append(Conflict(keys, Severity.WARNING,
                                f"{keys} {RESERVED[keys]} on most systems", (i,)))
        if taken and keys in taken:
            out.append(Conflict(keys, Severity.ERROR, f"{keys}: {taken[keys]}", (i,)))
        if keys.is_typing_key:
            out.append(Conflict(keys, Severity.WARNING,
                                f"{keys} without Ctrl/Alt/Meta stops that key working while "
                                "you type in chat or play", (i,)))
        if known is not None:
            for step in (*binding.press, *binding.release):
                if isinstance(step, CameraPreset) and step.name.casefold() not in known:
                    out.append(Conflict(keys, Severity.WARNING,
                                        f"{keys}: there is no camera preset {step.name!r}", (i,)))
    for keys, indices in by_combo.items():
        if len(indices) > 1:
            names = " and ".join(repr(bindings[i].label) for i in indices)
            out.append(Conflict(keys, Severity.ERROR,
                                f"{keys} is used by {names}; only the first would fire",
                                tuple(indices)))
    out.sort(key=lambda c: (c.severity is not Severity.ERROR, min(c.bindings, default=0)))
    return out


def conflicts_for(
    candidate: Binding,
    others: Sequence[Binding],
    *,
    taken: Mapping[KeyCombo, str] | None = None,
    presets: Sequence[str] | None = None,
) -> list[Conflict]:
    """The conflicts involving ``candidate`` if it joined ``others`` (the editor's check).

    Args:
        candidate: The binding being edited.
        others: Every other binding of the profile.
        taken: Combinations the OS refused.
        presets: Existing camera preset names.
    """
    everything = [*others, candidate]
    me = len(others)
    return [c for c in find_conflicts(everything, taken=taken, presets=presets)
            if me in c.bindings]
