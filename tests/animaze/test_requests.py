"""Requests: every action builds the spec's frame; bad values are refused before sending."""

from __future__ import annotations

import math
from typing import Any

import pytest

from animaze_panel.animaze import requests as q
from animaze_panel.animaze.errors import ValidationError
from animaze_panel.animaze.overrides import BEHAVIOURS, find_behaviour

# One valid instance of each of the 29 actions, with the frame the spec shows for it.
EXAMPLES: list[tuple[q.Request[Any], dict[str, Any]]] = [
    (q.LoadAvatar("Avatar03"), {"name": "Avatar03"}),
    (q.LoadScene("customization01_scene"), {"name": "customization01_scene"}),
    (q.GetAvatars(), {}),
    (q.GetCurrentAvatarInfo(), {}),
    (q.GetScenes(), {}),
    (q.GetCurrentSceneInfo(), {}),
    (q.GetItemIcon("customization01_scene"), {"name": "customization01_scene"}),
    (q.GetEmotes(), {}),
    (q.TriggerEmote("Emote_Alarm"), {"itemName": "Emote_Alarm"}),
    (q.GetSpecialActions(), {}),
    (q.TriggerSpecialAction(1), {"index": 1}),
    (q.GetPoses(), {}),
    (q.TriggerPose(0), {"index": 0}),
    (q.GetIdleAnims(), {}),
    (q.TriggerIdle(2), {"index": 2}),
    (q.GetQuickscenes(), {}),
    (q.LoadQuickscene(3), {"index": 3}),
    (q.SaveQuickscene(4), {"index": 4}),
    (q.CalibrateTracker(), {}),
    (q.Broadcast(True), {"toggle": True}),
    (
        q.SetCameraTransform((0, 1.7, 1), (0, 0, 0, 1)),
        {"position": [0.0, 1.7, 1.0], "rotation": [0.0, 0.0, 0.0, 1.0]},
    ),
    (q.GetCameraTransform(), {}),
    (q.SetCameraFov(60), {"fov": 60.0}),
    (q.GetCameraFov(), {}),
    (
        q.SetAvatarTransform((1, 2, 3), (0, 0, 0, 1), 1.5),
        {"position": [1.0, 2.0, 3.0], "rotation": [0.0, 0.0, 0.0, 1.0], "scale": 1.5},
    ),
    (q.GetAvatarTransform(), {}),
    (q.SetOverride("Auto Blink", True), {"behavior": "Auto Blink", "value": True}),
    (q.GetOverride("Auto Blink"), {"behavior": "Auto Blink"}),
    (q.ChatbotSendMessage("hello"), {"message": "hello"}),
]


def test_there_are_29_actions_and_each_has_an_example() -> None:
    assert len(q.REQUEST_TYPES) == 29
    assert {type(req) for req, _ in EXAMPLES} == set(q.REQUEST_TYPES)


@pytest.mark.parametrize(("request_", "fields"), EXAMPLES, ids=lambda v: getattr(v, "ACTION", ""))
def test_to_wire_matches_spec(request_: q.Request[Any], fields: dict[str, Any]) -> None:
    assert request_.to_wire("abc") == {"action": request_.ACTION, "id": "abc", **fields}
    assert request_.to_wire() == {"action": request_.ACTION, **fields}


@pytest.mark.parametrize(("request_", "fields"), EXAMPLES, ids=lambda v: getattr(v, "ACTION", ""))
def test_parse_request_round_trips_any_casing(request_: q.Request[Any], fields: Any) -> None:
    frame = request_.to_wire("x")
    frame["action"] = frame["action"].upper()
    assert q.parse_request(frame) == request_


def test_extra_fields_are_sent_but_never_override_typed_ones() -> None:
    req = q.ChatbotSendMessage("hi", extra={"priority": 2, "message": "spoof"})
    assert req.to_wire("1") == {"action": "ChatbotSendMessage", "id": "1", "message": "hi",
                                "priority": 2}
    parsed = q.parse_request({"action": "ChatbotSendMessage", "message": "hi", "priority": 2})
    assert parsed.extra == {"priority": 2}


def test_echo_prefix() -> None:
    assert q.ChatbotSendMessage.echo("Hello chat").message == "-echo Hello chat"


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: q.LoadAvatar(""), "name", "empty"),
        (lambda: q.LoadAvatar("   "), "name", "empty"),
        (lambda: q.TriggerEmote(""), "item_name", "empty"),
        (lambda: q.TriggerPose(-1), "index", "0 or more"),
        (lambda: q.TriggerIdle(1.5), "index", "whole number"),  # type: ignore[arg-type]
        (lambda: q.TriggerIdle(True), "index", "whole number"),
        (lambda: q.Broadcast(1), "toggle", "true or false"),  # type: ignore[arg-type]
        (lambda: q.SetCameraFov(0), "fov", "between 0 and 180"),
        (lambda: q.SetCameraFov(180), "fov", "between 0 and 180"),
        (lambda: q.SetCameraFov(math.nan), "fov", "finite"),
        (lambda: q.SetCameraFov("60"), "fov", "number"),  # type: ignore[arg-type]
        (lambda: q.SetCameraTransform((0, 1), (0, 0, 0, 1)), "position", "3 numbers"),  # type: ignore[arg-type]
        (lambda: q.SetCameraTransform((0, math.inf, 1), (0, 0, 0, 1)), "position[1]", "finite"),
        (lambda: q.SetCameraTransform((0, 0, 0), (0, 0, 0)), "rotation", "4 numbers"),  # type: ignore[arg-type]
        (lambda: q.SetCameraTransform((0, 0, 0), (0, 0, 0, 0)), "rotation", "zero length"),
        (lambda: q.SetAvatarTransform((0, 0, 0), (0, 0, 0, 1), 0), "scale", "greater than 0"),
        (lambda: q.SetAvatarTransform((0, 0, 0), (0, 0, 0, 1), -2), "scale", "greater than 0"),
        (lambda: q.SetOverride("Moonwalk", True), "behavior", "unknown"),
        (lambda: q.SetOverride("Auto Blink", True, {"range": 1.0}), "range", "no parameter"),
        (lambda: q.SetOverride("Auto Blink", "yes"), "value", "true or false"),  # type: ignore[arg-type]
        (lambda: q.SetOverride("Auto Blink", True, {"frequency": math.nan}), "frequency", "finite"),
        (lambda: q.GetOverride(""), "behavior", "empty"),
        (lambda: q.ChatbotSendMessage(""), "message", "empty"),
    ],
)
def test_validation_names_the_field(build: Any, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.field == field
    assert words in info.value.reason
    assert str(info.value).startswith(f"{field}: ")


def test_quaternion_is_normalised() -> None:
    req = q.SetCameraTransform((0, 0, 0), (0, 2, 0, 2))
    assert req.rotation == pytest.approx((0, math.sqrt(0.5), 0, math.sqrt(0.5)))


def test_unknown_action_and_missing_fields_are_refused() -> None:
    with pytest.raises(ValidationError, match="unknown action 'Dance'"):
        q.parse_request({"action": "Dance"})
    with pytest.raises(ValidationError, match="missing"):
        q.parse_request({"action": "LoadAvatar"})
    with pytest.raises(ValidationError, match="action"):
        q.parse_request({"name": "x"})


def test_catalogue_has_19_behaviours_with_unique_names() -> None:
    assert len(BEHAVIOURS) == 19
    assert len({b.name for b in BEHAVIOURS}) == 19
    assert find_behaviour("  auto BLINK ") is find_behaviour("Auto Blink")


@pytest.mark.parametrize("behaviour", BEHAVIOURS, ids=lambda b: b.name)
def test_every_override_sends_every_parameter_under_its_spec_spelling(behaviour: Any) -> None:
    params = {p.name: p.default for p in behaviour.params}
    frame = q.SetOverride(behaviour.name, True, params).to_wire()
    assert frame["behavior"] == behaviour.name and frame["value"] is True
    for p in behaviour.params:
        assert frame[p.wire] == p.default
    assert q.parse_request(frame) == q.SetOverride(behaviour.name, True, params)


def test_odd_spellings_are_sent_as_the_spec_writes_them_and_both_are_parsed() -> None:
    frame = q.SetOverride("Sound to Mouth Open", True, {"mouth_smooth_time": 0.2}).to_wire()
    assert frame["mouthSmoothTme"] == 0.2 and "mouthSmoothTime" not in frame
    frame = q.SetOverride("Mouse Keyboard Behavior", False, {"z_axis_offset": 0.1}).to_wire()
    assert frame["zAxisOffset "] == 0.1 and "zAxisOffset" not in frame
    for spelling in ("zAxisOffset", "zAxisOffset "):
        parsed = q.parse_request(
            {"action": "SetOverride", "behavior": "Mouse Keyboard Behavior", "value": True,
             spelling: 0.3}
        )
        assert isinstance(parsed, q.SetOverride) and parsed.params == {"z_axis_offset": 0.3}
