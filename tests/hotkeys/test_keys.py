"""Key combinations: parsing (forgiving), formatting (canonical), errors naming the problem."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from animaze_panel.hotkeys.errors import KeyParseError
from animaze_panel.hotkeys.keys import KEYS, KeyCombo, Modifier


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Ctrl+Shift+F1", "Ctrl+Shift+F1"),
        ("shift+ctrl+f1", "Ctrl+Shift+F1"),
        (" Control + Alt + a ", "Ctrl+Alt+A"),
        ("Win+Esc", "Meta+Escape"),
        ("super+pgup", "Meta+PageUp"),
        ("Ctrl+-", "Ctrl+Minus"),
        ("Ctrl++", "Ctrl+Equal"),
        ("Alt+Numpad5", "Alt+Num5"),
        ("F13", "F13"),
        ("Ctrl+Return", "Ctrl+Enter"),
        ("cmd+option+K", "Alt+Meta+K"),
    ],
)
def test_parse_and_format(text: str, canonical: str) -> None:
    combo = KeyCombo.parse(text)
    assert str(combo) == canonical
    assert KeyCombo.parse(canonical) == combo


def test_parse_fields() -> None:
    combo = KeyCombo.parse("Ctrl+Shift+F1")
    assert combo.key == "F1"
    assert combo.modifiers == {Modifier.CTRL, Modifier.SHIFT}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty key combination"),
        ("Ctrl+", "empty part"),
        ("Ctrl+Shift", "modifiers alone"),
        ("Ctrl+Hyper", "unknown key 'Hyper'"),
        ("Ctrl+A+B", "two keys"),
        ("Ctrl+Control+A", "Ctrl appears twice"),
    ],
)
def test_parse_errors_say_why(text: str, reason: str) -> None:
    with pytest.raises(KeyParseError) as info:
        KeyCombo.parse(text)
    assert reason in info.value.reason


def test_typing_keys_without_strong_modifier() -> None:
    assert KeyCombo.parse("A").is_typing_key
    assert KeyCombo.parse("Shift+A").is_typing_key
    assert not KeyCombo.parse("Ctrl+A").is_typing_key
    assert not KeyCombo.parse("F1").is_typing_key


@given(
    key=st.sampled_from(sorted(KEYS)),
    mods=st.sets(st.sampled_from(list(Modifier))),
)
def test_round_trip_any_combo(key: str, mods: set[Modifier]) -> None:
    combo = KeyCombo(key, frozenset(mods))
    assert KeyCombo.parse(str(combo)) == combo
