"""Conflict detection: duplicates, reserved and refused combinations, typing keys, presets."""

from __future__ import annotations

from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding
from animaze_panel.hotkeys.conflicts import Severity, conflicts_for, find_conflicts
from animaze_panel.hotkeys.keys import KeyCombo


def _b(keys: str, name: str = "", enabled: bool = True, *steps: a.Action) -> Binding:
    return Binding(KeyCombo.parse(keys), steps or (a.Calibrate(),), name=name, enabled=enabled)


def test_duplicate_combination_is_an_error_naming_both() -> None:
    bindings = [_b("Ctrl+F1", "Wave"), _b("F2"), _b("control+f1", "Dance")]
    [conflict] = find_conflicts(bindings)
    assert conflict.severity is Severity.ERROR
    assert conflict.bindings == (0, 2)
    assert "Ctrl+F1 is used by 'Wave' and 'Dance'" in conflict.message


def test_disabled_bindings_do_not_conflict() -> None:
    assert find_conflicts([_b("Ctrl+F1"), _b("Ctrl+F1", enabled=False)]) == []


def test_reserved_taken_and_typing_keys() -> None:
    bindings = [_b("Ctrl+Alt+Delete"), _b("Alt+Tab"), _b("Ctrl+F7"), _b("A"), _b("Shift+F1")]
    taken = {KeyCombo.parse("Ctrl+F7"): "taken by another program"}
    found = {(str(c.keys), c.severity) for c in find_conflicts(bindings, taken=taken)}
    assert found == {
        ("Ctrl+Alt+Delete", Severity.ERROR),
        ("Alt+Tab", Severity.WARNING),
        ("Ctrl+F7", Severity.ERROR),
        ("A", Severity.WARNING),
    }
    errors_first = find_conflicts(bindings, taken=taken)
    assert [c.severity for c in errors_first][:2] == [Severity.ERROR, Severity.ERROR]


def test_missing_camera_preset_is_a_warning() -> None:
    binding = _b("F8", "", True, a.CameraPreset("Gone"))
    [conflict] = find_conflicts([binding], presets=["Wide"])
    assert conflict.severity is Severity.WARNING and "'Gone'" in conflict.message
    assert find_conflicts([binding], presets=["gone"]) == []


def test_conflicts_for_candidate_only() -> None:
    others = [_b("Ctrl+F1", "Wave"), _b("Ctrl+F2"), _b("Ctrl+F2")]
    assert conflicts_for(_b("Ctrl+F3"), others) == []
    [conflict] = conflicts_for(_b("Ctrl+F1", "New"), others)
    assert conflict.bindings == (0, 3)
