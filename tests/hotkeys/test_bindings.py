"""Binding/action parsing from TOML tables: every action kind, hold, macro, field errors."""

from __future__ import annotations

from typing import Any

import pytest

from animaze_panel.animaze import requests as rq
from animaze_panel.hotkeys import actions as a
from animaze_panel.hotkeys.bindings import DEFAULT_COOLDOWN, Binding, Overlap
from animaze_panel.hotkeys.errors import EntryError
from animaze_panel.hotkeys.keys import KeyCombo


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"type": "emote", "name": "Emote_Wave"}, rq.TriggerEmote("Emote_Wave")),
        ({"type": "special_action", "index": 1}, rq.TriggerSpecialAction(1)),
        ({"type": "pose", "index": 2}, rq.TriggerPose(2)),
        ({"type": "idle", "index": 0}, rq.TriggerIdle(0)),
        ({"type": "load_avatar", "name": "AvatarBomb"}, rq.LoadAvatar("AvatarBomb")),
        ({"type": "load_scene", "name": "Stream"}, rq.LoadScene("Stream")),
        ({"type": "quickscene", "index": 3}, rq.LoadQuickscene(3)),
        ({"type": "broadcast", "state": "on"}, rq.Broadcast(True)),
        ({"type": "broadcast", "state": "off"}, rq.Broadcast(False)),
        ({"type": "calibrate"}, rq.CalibrateTracker()),
        ({"type": "behaviour", "name": "auto blink", "state": "on",
          "params": {"frequency": 0.5}}, rq.SetOverride("Auto Blink", True, {"frequency": 0.5})),
        ({"type": "chatpal", "message": "hi"}, rq.ChatbotSendMessage("hi")),
        ({"type": "chatpal", "message": "hi", "echo": True}, rq.ChatbotSendMessage("-echo hi")),
    ],
)
def test_each_action_kind_maps_to_its_request(table: dict[str, Any], expected: Any) -> None:
    action = a.action_from_dict(table)
    assert action.request() == expected
    assert a.action_from_dict(action.to_dict()) == action


def test_fire_time_actions_have_no_fixed_request() -> None:
    assert a.action_from_dict({"type": "broadcast"}).request() is None  # toggle
    assert a.Behaviour("Auto Blink").request() is None
    assert a.Behaviour("Auto Blink").set_request(False) == rq.SetOverride("Auto Blink", False)
    assert a.action_from_dict({"type": "camera_preset", "name": "Wide"}).request() is None
    assert a.action_from_dict({"type": "wait", "seconds": 1.5}) == a.Wait(1.5)


@pytest.mark.parametrize(
    ("table", "field", "reason"),
    [
        ({"type": "dance"}, "action.type", "unknown action type 'dance'"),
        ({"name": "x"}, "action.type", "missing"),
        ({"type": "emote"}, "action.name", "missing"),
        ({"type": "emote", "name": " "}, "action.name", "must not be empty"),
        ({"type": "emote", "nmae": "x"}, "action.nmae", "unknown field"),
        ({"type": "pose", "index": -1}, "action.index", "0 or more"),
        ({"type": "pose", "index": 1.5}, "action.index", "whole number"),
        ({"type": "broadcast", "state": "maybe"}, "action.state", "one of on, off, toggle"),
        ({"type": "behaviour", "name": "Moonwalk"}, "action.name", "unknown behaviour"),
        ({"type": "behaviour", "name": "Auto Blink", "params": {"speed": 1}},
         "action.params.speed", "has no parameter"),
        ({"type": "wait", "seconds": -1}, "action.seconds", "at least 0"),
        ({"type": "wait", "seconds": 5000}, "action.seconds", "at most 600"),
    ],
)
def test_action_errors_name_the_field(table: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(EntryError) as info:
        a.action_from_dict(table)
    assert info.value.field == field
    assert reason in info.value.reason


def test_binding_single_action_defaults() -> None:
    b = Binding.from_dict({"keys": "ctrl+shift+f1", "action": {"type": "emote", "name": "E"}})
    assert b.keys == KeyCombo.parse("Ctrl+Shift+F1")
    assert b.press == (a.Emote("E"),)
    assert (b.release, b.enabled, b.cooldown, b.overlap) == ((), True, DEFAULT_COOLDOWN,
                                                             Overlap.IGNORE)
    assert not b.is_macro and not b.is_hold
    assert b.label == "Emote E"
    assert b.to_dict() == {"keys": "Ctrl+Shift+F1", "action": {"type": "emote", "name": "E"}}


def test_binding_macro_hold_and_options_round_trip() -> None:
    table = {
        "keys": "Ctrl+F2",
        "name": "Wave then pose",
        "enabled": False,
        "macro": [
            {"type": "emote", "name": "E"},
            {"type": "wait", "seconds": 1.5},
            {"type": "pose", "index": 1},
        ],
        "release": {"type": "idle", "index": 0},
        "cooldown": 1.0,
        "overlap": "restart",
    }
    b = Binding.from_dict(table)
    assert b.is_macro and b.is_hold
    assert b.press == (a.Emote("E"), a.Wait(1.5), a.Pose(1))
    assert b.release == (a.Idle(0),)
    assert b.overlap is Overlap.RESTART
    assert Binding.from_dict(b.to_dict()) == b


@pytest.mark.parametrize(
    ("table", "field", "reason"),
    [
        ({"action": {"type": "calibrate"}}, "keys", "missing"),
        ({"keys": "Ctrl+Hyper", "action": {"type": "calibrate"}}, "keys", "unknown key"),
        ({"keys": "Ctrl+A"}, "action", "missing"),
        ({"keys": "Ctrl+A", "action": {"type": "calibrate"}, "macro": []}, "macro", "not both"),
        ({"keys": "Ctrl+A", "macro": []}, "macro", "non-empty list"),
        ({"keys": "Ctrl+A", "macro": [{"type": "wait", "seconds": 1}]}, "macro", "only waits"),
        ({"keys": "Ctrl+A", "macro": [{"type": "calibrate"}, {"type": "pose"}]},
         "macro[1].index", "missing"),
        ({"keys": "Ctrl+A", "action": {"type": "calibrate"}, "cooldown": "1"}, "cooldown",
         "must be a number"),
        ({"keys": "Ctrl+A", "action": {"type": "calibrate"}, "overlap": "queue"}, "overlap",
         "one of ignore, restart, allow"),
        ({"keys": "Ctrl+A", "action": {"type": "calibrate"}, "colour": 1}, "colour",
         "unknown field"),
    ],
)
def test_binding_errors_name_the_field(table: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(EntryError) as info:
        Binding.from_dict(table)
    assert info.value.field == field
    assert reason in info.value.reason
