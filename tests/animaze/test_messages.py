"""Responses and triggers: typed parsing, tolerance for what real Animaze builds send."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animaze_panel.animaze import responses as r
from animaze_panel.animaze.errors import AnimazeError, ProtocolError
from animaze_panel.animaze.messages import (
    AvatarChanged,
    ChatbotSpeechEnded,
    ChatbotSpeechStarted,
    Trigger,
    UnknownTrigger,
    parse_frame,
)


def frame(**fields: Any) -> str:
    return json.dumps(fields)


def test_spec_examples_parse_to_typed_results() -> None:
    info = parse_frame(
        '{"action":"GetCurrentAvatarInfo","avatars":[{"animStandard":"AnimazeStandard_1_0",'
        '"description":"A spiffy and adorable red panda.","friendlyName":"Fluffo",'
        '"isCustomized":true,"itemName":"avatar01_BS_Full","itemType":"Avatar3D","numProps":3,'
        '"props":["crown_king","greenGlasses","headphones"]}],"id":"MyDevName","numAvatars":1}'
    )
    assert isinstance(info, r.CurrentAvatarInfo)
    assert info.id == "MyDevName" and info.num_avatars == 1
    avatar = info.avatars[0]
    assert (avatar.friendly_name, avatar.item_name, avatar.is_customized) == (
        "Fluffo", "avatar01_BS_Full", True)
    assert avatar.props == ("crown_king", "greenGlasses", "headphones")

    emotes = parse_frame(
        '{"action":"GetEmotes","emotes":[{"friendlyName":"Alarm","itemName":"Emote_Alarm"}]}'
    )
    assert isinstance(emotes, r.EmoteList) and emotes.id is None
    assert emotes.emotes == (r.Emote("Alarm", "Emote_Alarm"),)

    poses = parse_frame('{"action":"GetPoses","poseList":[{"animName":"Puff Cheeks","index":0}]}')
    assert isinstance(poses, r.PoseList) and poses.items == (r.AnimEntry("Puff Cheeks", 0),)

    cam = parse_frame('{"action":"GetCameraTransform","position":[0.0,1.7000000476837158,1.0],'
                      '"rotation":[0.0,0.0,0.0,1.0]}')
    assert isinstance(cam, r.CameraTransform) and cam.rotation == (0.0, 0.0, 0.0, 1.0)

    fov = parse_frame('{"action":"GetCameraFov","fov":60.000003814697266}')
    assert isinstance(fov, r.CameraFov) and fov.fov == pytest.approx(60)


def test_unknown_fields_are_kept_not_rejected() -> None:
    resp = parse_frame(frame(action="GetAvatars", avatars=["a"], id="1", shiny=True))
    assert isinstance(resp, r.AvatarList)
    assert resp.extra == {"shiny": True}
    assert resp.to_wire() == {"action": "GetAvatars", "id": "1", "avatars": ["a"], "shiny": True}


def test_action_names_match_case_insensitively() -> None:
    resp = parse_frame(frame(action="GetCameraFOV", fov=45))
    assert isinstance(resp, r.CameraFov) and resp.action == "GetCameraFOV"


def test_quickslots_with_name_image_or_both() -> None:
    resp = parse_frame(frame(action="GetQuickscenes", quickslots=[
        {"index": 0, "image": "aGk="}, {"index": 1, "name": "Stream"},
        {"index": 2, "image": "aGk=", "name": "Both"}]))
    assert isinstance(resp, r.QuickscenesList)
    assert resp.quickslots == (r.Quickslot(0, "aGk="), r.Quickslot(1, None, "Stream"),
                               r.Quickslot(2, "aGk=", "Both"))


def test_override_state_accepts_either_spelling() -> None:
    for key in ("mouthSmoothTme", "mouthSmoothTime"):
        resp = parse_frame(frame(action="GetOverride", behavior="Sound to Mouth Open", value=True,
                                 soundSensitivity=0.4, **{key: 0.25}))
        assert isinstance(resp, r.OverrideState)
        assert resp.params == {"mouth_smooth_time": 0.25, "sound_sensitivity": 0.4}
        assert resp.to_wire()["mouthSmoothTme"] == 0.25


def test_override_state_with_a_parameter_the_catalogue_lacks_round_trips() -> None:
    state = r.OverrideState(action="GetOverride", behavior="Auto Blink", value=True,
                            params={"frequency": 0.3, "newerBuildKnob": 2.0})
    wire = state.to_wire()
    assert wire["newerBuildKnob"] == 2.0 and wire["frequency"] == 0.3
    again = parse_frame(json.dumps(wire))
    assert isinstance(again, r.OverrideState)
    assert again.params == {"frequency": 0.3} and again.extra["newerBuildKnob"] == 2.0


def test_error_reply() -> None:
    resp = parse_frame(frame(action="LoadAvatar", id="7", error="Avatar not found"))
    assert isinstance(resp, r.ErrorReply) and resp.error == "Avatar not found"


def test_item_icon_decodes_and_rejects_garbage() -> None:
    icon = parse_frame(frame(action="GetItemIcon", image=base64.b64encode(b"\x89PNG").decode()))
    assert isinstance(icon, r.ItemIcon) and icon.image_bytes() == b"\x89PNG"
    bad = r.ItemIcon(action="GetItemIcon", image="not base64!!")
    with pytest.raises(ProtocolError):
        bad.image_bytes()


@pytest.mark.parametrize(
    "text",
    [
        '{"event":"AvatarChanged","new_avatar":"AvatarBomb"}',
        '{"action":"AvatarChanged","event":{"new_avatar":"AvatarBomb"}}',
        '{"event":{"new_avatar":"AvatarBomb"}}',
        '{"event":"avatarchanged","new_avatar":"AvatarBomb"}',
    ],
)
def test_avatar_changed_in_every_shape_seen(text: str) -> None:
    assert parse_frame(text) == AvatarChanged(new_avatar="AvatarBomb")


def test_speech_and_unknown_triggers() -> None:
    assert isinstance(parse_frame('{"event":"ChatbotSpeechStarted"}'), ChatbotSpeechStarted)
    assert isinstance(parse_frame('{"event":"ChatbotSpeechEnded"}'), ChatbotSpeechEnded)
    other = parse_frame('{"event":"SceneChanged","new_scene":"x"}')
    assert isinstance(other, UnknownTrigger) and other.event == "SceneChanged"
    assert other.extra == {"new_scene": "x"}


@pytest.mark.parametrize(
    "text",
    ["", "nope", "[1,2]", "42", '"s"', "{}", '{"action":5}', '{"event":7}',
     '{"action":"GetAvatars","avatars":"x"}', '{"action":"GetCameraFov","fov":"wide"}',
     '{"action":"GetPoses","poseList":[{"animName":1,"index":0}]}', b"\xff\xfe"],
)
def test_malformed_frames_raise_protocol_error(text: str | bytes) -> None:
    with pytest.raises(ProtocolError):
        parse_frame(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(["action", "event", "id", "error", "avatars", "emotes", "fov", "position",
                        "rotation", "scale", "quickslots", "poseList", "new_avatar", "behavior",
                        "value", "image", "response", "specialActions", "idleList", "x"])
actions = st.sampled_from(["GetAvatars", "GetCameraFov", "getcamerafov", "GetQuickscenes",
                           "GetOverride", "GetCurrentAvatarInfo", "AvatarChanged", "LoadAvatar",
                           "GetEmotes", "GetPoses", "GetItemIcon", "Nope", ""])
frames = st.dictionaries(keys, json_values | actions, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60) | frames.map(json.dumps))
def test_any_text_frame_parses_or_raises_protocol_error(text: str) -> None:
    try:
        result = parse_frame(text)
    except ProtocolError:
        return
    assert isinstance(result, r.Response | Trigger)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40))
def test_any_bytes_frame_parses_or_raises_protocol_error(data: bytes) -> None:
    try:
        parse_frame(data)
    except AnimazeError as exc:
        assert isinstance(exc, ProtocolError)
