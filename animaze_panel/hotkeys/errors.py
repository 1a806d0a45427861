"""Exceptions of the hotkeys model (see the package docstring for the hierarchy)."""

from __future__ import annotations


class HotkeyError(Exception):
    """Base class of everything :mod:`animaze_panel.hotkeys` raises."""


class KeyParseError(HotkeyError, ValueError):
    """A key combination could not be read.

    Attributes:
        text: What was given.
        reason: What is wrong, in words a user can act on.
    """

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


class EntryError(HotkeyError, ValueError):
    """A field of a binding, macro step or preset is missing or invalid.

    Attributes:
        field: Dotted path of the offending field, e.g. ``"macro[2].seconds"``.
        reason: What is wrong with it.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
