"""The TOML profile: round trip, bad entries reported with their line and kept verbatim."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import Binding, Overlap
from animaze_panel.hotkeys.keys import KeyCombo
from animaze_panel.hotkeys.presets import AvatarPlacement, CameraPresetData
from animaze_panel.hotkeys.store import (
    Profile,
    ProfileStore,
    dumps,
    load_file,
    loads,
    merge,
    save_file,
)


def _profile() -> Profile:
    return Profile(
        enabled=False,
        bindings=(
            Binding(KeyCombo.parse("Ctrl+Shift+F1"), (a.Emote("Emote_Wave"),), name="Wave"),
            Binding(
                KeyCombo.parse("Ctrl+F2"),
                (a.Emote("E \"quoted\""), a.Wait(1.5), a.Pose(1), a.Wait(3), a.Idle(0)),
                overlap=Overlap.ALLOW,
                cooldown=0.0,
            ),
            Binding(KeyCombo.parse("Alt+F3"), (a.Pose(2),), release=(a.Idle(0),)),
            Binding(KeyCombo.parse("Alt+F4"), (a.Behaviour("Auto Blink", "on", {"frequency": 2}),),
                    enabled=False),
            Binding(KeyCombo.parse("Meta+Num1"), (a.ChatPal("héllo\nworld", echo=True),
                                                  a.CameraPreset("Close-up"))),
        ),
        presets=(
            CameraPresetData("Close-up", (0.0, 1.6, 0.8), (0.0, 0.0, 0.0, 1.0), 35.0),
            CameraPresetData("Wide", (1.0, 2.0, 3.0), (0.0, 0.7071, 0.0, 0.7071), 70.0,
                             AvatarPlacement((0.0, 0.0, 0.5), (0.0, 0.0, 0.0, 1.0), 1.2)),
        ),
    )


def same_presets(left: Profile, right: Profile) -> bool:
    """Presets equal up to the last bit of a normalised quaternion."""
    def flat(p: Profile) -> list[Any]:
        return [(c.name, *c.position, *c.rotation, c.fov, c.avatar is None) for c in p.presets]
    return all(
        a == pytest.approx(b) for x, y in zip(flat(left), flat(right), strict=True)
        for a, b in zip(x, y, strict=True)
    ) and len(left.presets) == len(right.presets)


def test_round_trip_is_lossless_and_human_readable() -> None:
    profile = _profile()
    text = dumps(profile)
    tomllib.loads(text)  # the whole file is valid TOML
    result = loads(text)
    assert result.problems == ()
    assert result.profile.bindings == profile.bindings
    assert result.profile.enabled == profile.enabled and same_presets(result.profile, profile)
    assert 'action = { type = "emote", name = "Emote_Wave" }' in text
    assert '  { type = "wait", seconds = 1.5 },' in text
    assert dumps(result.profile) == text  # stable


def test_file_round_trip_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "hotkeys.toml"
    assert load_file(path).profile == Profile()
    save_file(path, _profile())
    assert load_file(path).profile.bindings == _profile().bindings
    assert same_presets(load_file(path).profile, _profile())
    assert [p.name for p in tmp_path.joinpath("sub").iterdir()] == ["hotkeys.toml"]


BAD_FILE = """\
# my hotkeys
[settings]
enabled = true

[[binding]]
keys = "Ctrl+F1"
action = { type = "emote", name = "Emote_Wave" }

[[binding]]
keys = "Ctrl+F2"
# the pose is wrong
action = { type = "pose", index = -3 }

[[binding]]
keys = "Ctrl+F3"
action = { type = "emote", name = "Emote_Angry"

[[binding]]
keys = "Ctrl+Hyper"
action = { type = "calibrate" }

[[camera_preset]]
name = "Wide"
position = [0, 1, 2]
rotation = [0, 0, 0, 1]
fov = 250

[[binding]]
keys = "Ctrl+F5"
macro = [
  { type = "emote", name = "A" },
  { type = "wait", seconds = 1 },
  { type = "pose", index = 0 },
]

[weird]
x = 1
"""


def test_bad_entries_are_reported_with_their_line_and_skipped() -> None:
    result = loads(BAD_FILE)
    assert [str(b.keys) for b in result.profile.bindings] == ["Ctrl+F1", "Ctrl+F5"]
    assert result.profile.presets == ()
    lines = [(p.line, p.message) for p in result.problems]
    assert lines[0][0] == 12 and "action.index: must be 0 or more" in lines[0][1]
    assert lines[1][0] == 16 and "not valid TOML" in lines[1][1]
    assert lines[2][0] == 19 and "keys: unknown key 'Hyper'" in lines[2][1]
    assert lines[3][0] == 26 and "fov" in lines[3][1]
    assert lines[4][0] == 36 and "unknown section [weird]" in lines[4][1]
    assert len(lines) == 5


def test_bad_entries_are_kept_verbatim_on_save(tmp_path: Path) -> None:
    path = tmp_path / "hotkeys.toml"
    path.write_text(BAD_FILE, encoding="utf-8")
    store = ProfileStore(path)
    profile = store.load()
    assert len(store.problems) == 5
    edited = Profile(profile.enabled, profile.bindings[:1], profile.presets)
    store.save(edited)
    saved = path.read_text(encoding="utf-8")
    for snippet in (
        '[[binding]]\nkeys = "Ctrl+F2"\n# the pose is wrong\n'
        'action = { type = "pose", index = -3 }',
        'action = { type = "emote", name = "Emote_Angry"\n',
        'keys = "Ctrl+Hyper"',
        "fov = 250",
        "[weird]\nx = 1",
    ):
        assert snippet in saved
    # Loading the saved file finds the same problems and the edited profile, and saving again
    # does not duplicate anything.
    again = ProfileStore(path)
    assert again.load() == edited
    assert [p.message for p in again.problems] == [p.message for p in store.problems]
    again.save(edited)
    assert path.read_text(encoding="utf-8") == saved


def test_subtable_form_is_read() -> None:
    text = '[[binding]]\nkeys = "Ctrl+F1"\n[binding.action]\ntype = "emote"\nname = "X"\n'
    result = loads(text)
    assert result.problems == ()
    assert result.profile.bindings[0].press == (a.Emote("X"),)


def test_bad_settings_keep_the_file_section() -> None:
    result = loads("[settings]\nenabled = 'yes'\n")
    assert result.problems[0].line == 2
    assert result.profile.enabled is True
    text = dumps(result.profile, result.kept)
    assert text.count("[settings]") == 1 and "enabled = 'yes'" in text


def test_duplicate_preset_names_are_a_problem() -> None:
    preset = '[[camera_preset]]\nname = "A"\nposition = [0,0,0]\nrotation = [0,0,0,1]\nfov = 60\n'
    result = loads(preset + "\n" + preset.replace('"A"', '"a"'))
    assert len(result.profile.presets) == 1
    assert "second preset" in result.problems[0].message
    assert result.problems[0].line == 8


def test_export_import_merge(tmp_path: Path) -> None:
    exported = tmp_path / "streamer.toml"
    save_file(exported, _profile())
    imported = load_file(exported).profile
    base = Profile(True, (Binding(KeyCombo.parse("F9"), (a.Calibrate(),)),),
                   (CameraPresetData("wide", (0, 0, 0), (0, 0, 0, 1), 50),))
    merged = merge(base, imported)
    assert merged.enabled is True
    assert [str(b.keys) for b in merged.bindings][:2] == ["F9", "Ctrl+Shift+F1"]
    assert [p.name for p in merged.presets] == ["Close-up", "Wide"]
    assert merged.preset("WIDE") is not None and merged.preset("wide").fov == 70.0  # type: ignore[union-attr]


def test_numbers_are_stored_at_the_precision_shown() -> None:
    # What Animaze sends is float32: 1.7 arrives as 1.7000000476837158.
    preset = CameraPresetData(
        "Desk", (8.879000473022461, 1.7000000476837158, -0.0), (0.0, 0.0, 0.0, 1.0),
        35.20000076293945, AvatarPlacement((0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0),
                                           1.100000023841858),
    )
    binding = Binding(KeyCombo.parse("Ctrl+F6"), (a.Emote("A"), a.Wait(0.30000001192092896)))
    text = dumps(Profile(bindings=(binding,), presets=(preset,)))
    assert "position = [8.879, 1.7, 0.0]" in text
    assert "fov = 35.2" in text and "scale = 1.1" in text and "seconds = 0.3 }" in text
    assert "00000" not in text and "-0.0" not in text
    assert loads(text).problems == ()


def test_a_header_typo_does_not_swallow_the_binding_before_it() -> None:
    text = """\
[[binding]]
keys = "Ctrl+F1"
action = { type = "emote", name = "Emote_Wave" }

[[binding]
keys = "Ctrl+F2"
action = { type = "calibrate" }

[[binding]]
keys = "Ctrl+F3"
action = { type = "broadcast" }

[camera_preset
name = "x"
"""
    result = loads(text)
    assert [str(b.keys) for b in result.profile.bindings] == ["Ctrl+F1", "Ctrl+F3"]
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "the header '[[binding]' has unmatched brackets: write [[binding]]"),
        (13, "the header '[camera_preset' has unmatched brackets: write [[camera_preset]]"),
    ]
    assert result.kept[0].startswith("[[binding]\nkeys = \"Ctrl+F2\"")  # kept as written
