"""Sans-I/O correlation: strings in, events out."""

from __future__ import annotations

import json

from animaze_panel.animaze import protocol as p
from animaze_panel.animaze import responses as r
from animaze_panel.animaze.errors import AnimazeCommandError, ProtocolError
from animaze_panel.animaze.messages import AvatarChanged
from animaze_panel.animaze.requests import GetCameraFov, GetEmotes, LoadAvatar, TriggerEmote


def sent(proto: p.AnimazeProtocol) -> list[dict[str, object]]:
    return [json.loads(t) for t in proto.data_to_send()]


def test_send_request_queues_one_frame_with_a_fresh_id() -> None:
    proto = p.AnimazeProtocol(id_prefix="t")
    a = proto.send_request(GetCameraFov())
    b = proto.send_request(GetCameraFov())
    assert a != b
    assert sent(proto) == [{"action": "GetCameraFov", "id": a}, {"action": "GetCameraFov", "id": b}]
    assert proto.data_to_send() == []
    assert list(proto.pending) == [a, b]


def test_response_with_id_answers_that_request_even_out_of_order() -> None:
    proto = p.AnimazeProtocol()
    a = proto.send_request(GetCameraFov())
    b = proto.send_request(GetCameraFov())
    [event] = proto.receive_data(json.dumps({"action": "GetCameraFov", "id": b, "fov": 30}))
    assert isinstance(event, p.ResponseReceived) and event.request_id == b
    assert isinstance(event.response, r.CameraFov) and event.response.fov == 30
    assert list(proto.pending) == [a]


def test_response_without_id_answers_oldest_pending_of_same_action() -> None:
    proto = p.AnimazeProtocol()
    emotes = proto.send_request(GetEmotes())
    first = proto.send_request(GetCameraFov())
    second = proto.send_request(GetCameraFov())
    [event] = proto.receive_data('{"action":"GetCameraFOV","fov":10}')
    assert isinstance(event, p.ResponseReceived) and event.request_id == first
    [event] = proto.receive_data('{"action":"GetEmotes","emotes":[]}')
    assert isinstance(event, p.ResponseReceived) and event.request_id == emotes
    assert list(proto.pending) == [second]


def test_trigger_between_request_and_response_is_not_taken_for_the_response() -> None:
    proto = p.AnimazeProtocol()
    rid = proto.send_request(LoadAvatar("AvatarBomb"))
    [trig] = proto.receive_data('{"event":"AvatarChanged","new_avatar":"AvatarBomb"}')
    assert trig == p.TriggerReceived(AvatarChanged(new_avatar="AvatarBomb"))
    assert list(proto.pending) == [rid]
    answer = {"action": "LoadAvatar", "id": rid, "name": "AvatarBomb"}
    [resp] = proto.receive_data(json.dumps(answer))
    assert isinstance(resp, p.ResponseReceived) and resp.request_id == rid


def test_nested_avatar_changed_with_action_key_is_a_trigger_not_a_response() -> None:
    proto = p.AnimazeProtocol()
    proto.send_request(LoadAvatar("X"))
    [event] = proto.receive_data('{"action":"AvatarChanged","event":{"new_avatar":"X"}}')
    assert isinstance(event, p.TriggerReceived)
    assert len(proto.pending) == 1


def test_error_reply_fails_the_request_with_command_error() -> None:
    proto = p.AnimazeProtocol()
    rid = proto.send_request(LoadAvatar("Nobody"))
    [event] = proto.receive_data(
        json.dumps({"action": "LoadAvatar", "id": rid, "error": "Avatar not found"})
    )
    assert isinstance(event, p.RequestFailed) and event.request_id == rid
    assert isinstance(event.error, AnimazeCommandError)
    assert (event.error.action, event.error.message) == ("LoadAvatar", "Avatar not found")
    assert proto.pending == {}


def test_error_reply_without_action_fails_the_request_its_id_names() -> None:
    proto = p.AnimazeProtocol()
    first = proto.send_request(GetCameraFov())
    rid = proto.send_request(LoadAvatar("Nobody"))
    [event] = proto.receive_data(json.dumps({"id": rid, "error": "Malformed request"}))
    assert isinstance(event, p.RequestFailed) and event.request_id == rid
    assert isinstance(event.error, AnimazeCommandError)
    assert (event.error.action, event.error.message) == ("LoadAvatar", "Malformed request")
    assert list(proto.pending) == [first]
    # With neither action nor id nothing ties it to a request: reported, never guessed.
    [event] = proto.receive_data(json.dumps({"error": "Malformed request"}))
    assert isinstance(event, p.UnsolicitedResponse)
    assert isinstance(event.response, r.ErrorReply) and list(proto.pending) == [first]


def test_unparseable_answer_fails_its_request_instead_of_hanging() -> None:
    proto = p.AnimazeProtocol()
    rid = proto.send_request(GetCameraFov())
    [event] = proto.receive_data(json.dumps({"action": "GetCameraFov", "id": rid, "fov": "x"}))
    assert isinstance(event, p.RequestFailed) and isinstance(event.error, ProtocolError)
    assert proto.pending == {}


def test_unknown_id_is_unsolicited_and_never_steals_a_pending_request() -> None:
    proto = p.AnimazeProtocol()
    rid = proto.send_request(GetCameraFov())
    [event] = proto.receive_data('{"action":"GetCameraFov","id":"late-1","fov":1}')
    assert isinstance(event, p.UnsolicitedResponse)
    assert list(proto.pending) == [rid]


def test_malformed_frames_are_rejected_without_touching_pending() -> None:
    proto = p.AnimazeProtocol()
    proto.send_request(TriggerEmote("Emote_Alarm"))
    garbage_frames: list[str | bytes] = ["", "{", "[]", '{"id":"1"}', "\x00\x01", b"\xff"]
    for garbage in garbage_frames:
        [event] = proto.receive_data(garbage)
        assert isinstance(event, p.FrameRejected)
    assert len(proto.pending) == 1


def test_forget_and_fail_all() -> None:
    proto = p.AnimazeProtocol()
    a = proto.send_request(GetCameraFov())
    b = proto.send_request(GetEmotes())
    proto.forget(a)
    assert list(proto.pending) == [b]
    assert proto.fail_all() == [b]
    assert proto.pending == {} and proto.data_to_send() == []


def test_preview_shortens_large_frames() -> None:
    text = '{"image":"' + "A" * 10_000 + '"}'
    short = p.preview(text, limit=50)
    assert len(short) < 80 and short.endswith(f"({len(text)} chars)")
