"""Akool data: round trips, and any answer shape either parses or is a protocol error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from animaze_panel.cloud.akool_errors import AkoolProtocolError
from animaze_panel.cloud.akool_models import (
    AgoraCredentials,
    Avatar,
    AvatarPage,
    AvatarStatus,
    AvatarUpload,
    Language,
    Session,
    SessionPage,
    SessionStatus,
    StreamType,
    Voice,
)
from animaze_panel.cloud.akool_wire import parse

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=12,
)
FIELDS = ["_id", "id", "session_id", "status", "stream_type", "credentials", "avatar_id",
          "duration", "agora_uid", "agora_app_id", "agora_channel", "agora_token", "name",
          "voice_id", "available", "from", "type", "count", "result", "data", "lang_code",
          "lang_name", "url", "thumbnailUrl", "msg"]
shaped = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
DECODERS: list[Callable[[dict[str, Any]], Any]] = [
    Session.from_wire, SessionPage.from_wire, Avatar.from_wire, AvatarPage.from_wire,
    AvatarUpload.from_wire, Voice.from_wire, Language.from_wire, AgoraCredentials.from_wire,
]


@settings(max_examples=200, deadline=None)
@example(body={"_id": "x", "status": float("inf")}, decoder=Session.from_wire)
@example(body={"_id": "x", "duration": float("nan")}, decoder=Session.from_wire)
@example(body={"avatar_id": "a", "type": float("-inf")}, decoder=Avatar.from_wire)
@given(body=shaped | json_values, decoder=st.sampled_from(DECODERS))
def test_any_answer_parses_or_is_a_protocol_error(
    body: Any, decoder: Callable[[dict[str, Any]], Any]
) -> None:
    try:
        parse(decoder, body)
    except AkoolProtocolError:
        pass


def test_round_trips() -> None:
    session = Session("abc", SessionStatus.PROCESSING, StreamType.AGORA,
                      AgoraCredentials("app", "chan", "tok", 7), "av", 60)
    assert Session.from_wire(session.to_wire()) == session
    page = SessionPage(1, (session,))
    assert SessionPage.from_wire(page.to_wire()) == page
    avatar = Avatar("a1", "A", "v", "u", "t", "female", False, 2, 3)
    assert Avatar.from_wire(avatar.to_wire()) == avatar
    assert AvatarPage.from_wire(AvatarPage(1, (avatar,)).to_wire()) == AvatarPage(1, (avatar,))
    upload = AvatarUpload("r1", "a1", AvatarStatus.PROCESSING, "u", "n")
    assert AvatarUpload.from_wire(upload.to_wire()) == upload
    voice = Voice("v1", "V", "Male", "English", "US", "d", "p")
    assert Voice.from_wire(voice.to_wire()) == voice
    assert Language.from_wire(Language("en", "English").to_wire()) == Language("en", "English")


@pytest.mark.parametrize("value", [None, "x", 9, 2.5, float("inf"), [], True])
def test_unknown_statuses_are_unknown_not_errors(value: Any) -> None:
    assert SessionStatus.of(value) is SessionStatus.UNKNOWN
    assert AvatarStatus.of(value) is AvatarStatus.UNKNOWN


def test_known_statuses() -> None:
    assert SessionStatus.of("2") is SessionStatus.PROCESSING and SessionStatus.of(1.0).is_open
    assert not SessionStatus.of(3).is_open and AvatarStatus.of(3) is AvatarStatus.READY


def test_session_list_accepts_both_shapes_and_a_bare_list() -> None:
    item = {"_id": "s1", "status": 3}
    for body in ({"count": 1, "data": [item]}, {"count": 1, "result": [item]}, [item]):
        assert [s.id for s in SessionPage.from_wire(body).sessions] == ["s1"]


def test_unknown_transport_is_listed_without_credentials() -> None:
    session = Session.from_wire({"_id": "s", "status": 2, "stream_type": "webrtc9",
                                 "credentials": {"whatever": 1}})
    assert session.stream_type is StreamType.OTHER and session.credentials is None
    assert Session.from_wire({"_id": "s"}).stream_type is StreamType.AGORA
