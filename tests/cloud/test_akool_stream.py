"""Akool stream messages: chunking and pacing properties (Hypothesis), building and parsing."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from animaze_panel.cloud.akool_stream import (
    BYTES_PER_SECOND,
    MAX_MESSAGE_BYTES,
    AudioEvent,
    AudioEventKind,
    AvatarParams,
    ChatAssembler,
    ChatReceived,
    CommandAck,
    Ignored,
    Pacer,
    Speaker,
    StreamMessageError,
    chat_messages,
    interrupt_message,
    new_mid,
    parse_message,
    plan,
    set_params_message,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one grapheme, five code points
THUMB = "\U0001f44d\U0001f3fd"  # thumbs up + skin tone
mids = st.integers(min_value=0, max_value=10**15).map(new_mid)
texts = st.text(min_size=1, max_size=6000) | st.lists(
    st.sampled_from(["word", " ", "é", "日本", FAMILY, THUMB, "\n", '"', "\\", "\x00", "e\u0301"]),
    min_size=1, max_size=800).map("".join)


def _decoded(messages: list) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(m.text) for m in messages]


@settings(max_examples=300, deadline=None)
@given(text=texts, mid=mids)
def test_chunks_fit_and_reassemble_exactly(text: str, mid: str) -> None:
    messages = chat_messages(text, mid)
    decoded = _decoded(messages)
    for index, (message, body) in enumerate(zip(messages, decoded, strict=True)):
        assert message.size == len(message.text.encode("utf-8")) <= MAX_MESSAGE_BYTES
        assert body["v"] == 2 and body["type"] == "chat" and body["mid"] == mid
        assert body["idx"] == message.idx == index
        assert body["fin"] is message.fin is (index == len(messages) - 1)
        assert body["pld"]["text"]  # no empty chunk
    assert "".join(body["pld"]["text"] for body in decoded) == text
    # Nearly minimal: every chunk but the last carries at least half a message.
    assert all(m.size >= MAX_MESSAGE_BYTES // 2 for m in messages[:-1])


@given(text=texts, mid=mids)
def test_received_chunks_build_the_line_progressively(text: str, mid: str) -> None:
    # The data stream is ordered, so a line grows chunk by chunk until fin.
    assembler = ChatAssembler()
    lines = []
    for message in chat_messages(text, mid):
        chunk = parse_message(message.text)
        assert isinstance(chunk, ChatReceived) and chunk.speaker is Speaker.UNKNOWN
        lines.append(assembler.add(chunk))
    assert lines[-1] == (text, True)
    assert all(not done and text.startswith(line) for line, done in lines[:-1])
    assert assembler.add(ChatReceived(mid, "next", Speaker.BOT)) == ("next", True)


def test_long_prose_splits_after_spaces_and_keeps_graphemes() -> None:
    prose = " ".join(["Streaming avatars answer in small pieces."] * 120)
    messages = chat_messages(prose, "msg-1")
    pieces = [body["pld"]["text"] for body in _decoded(messages)]
    assert len(pieces) > 4 and all(piece.endswith(" ") for piece in pieces[:-1])
    emoji = (FAMILY + THUMB + "e\u0301") * 200  # no spaces at all
    pieces = [body["pld"]["text"] for body in _decoded(chat_messages(emoji, "msg-2"))]
    assert len(pieces) > 1 and "".join(pieces) == emoji
    for piece in pieces[1:]:
        assert piece.startswith((FAMILY, THUMB, "e\u0301"))


def test_message_size_counts_utf8_bytes_not_characters() -> None:
    cjk = "日" * 2000  # 3 bytes each
    messages = chat_messages(cjk, "msg-3")
    assert all(m.size <= MAX_MESSAGE_BYTES for m in messages)
    assert len(messages) == 7  # 6000 bytes of text at ~890 bytes per message


@pytest.mark.parametrize(
    ("text", "mid", "words"),
    [("", "msg-1", "Type something"), ("hi \ud800", "msg-1", "not valid Unicode"),
     ("hi", "m" * 1000, "too long")],
)
def test_unsendable_chat_is_refused(text: str, mid: str, words: str) -> None:
    with pytest.raises(StreamMessageError, match=words):
        chat_messages(text, mid)


def test_commands() -> None:
    assert json.loads(interrupt_message("msg-5").text) == {
        "v": 2, "type": "command", "mid": "msg-5", "pld": {"cmd": "interrupt"}}
    params = AvatarParams(vid="voiceLinda", vurl="", lang="es", mode=2, bgurl="")
    message = set_params_message("msg-6", params)
    assert json.loads(message.text) == {
        "v": 2, "type": "command", "mid": "msg-6",
        "pld": {"cmd": "set-params", "data": {"vid": "voiceLinda", "lang": "es", "mode": 2}}}
    assert message.size == len(message.text.encode())
    voice = set_params_message("msg-9", AvatarParams(vparams={"vid": "voiceLinda", "speed": 1}))
    assert json.loads(voice.text)["pld"]["data"] == {"vparams": {"vid": "voiceLinda", "speed": 1}}
    with pytest.raises(StreamMessageError, match="every parameter is empty"):
        set_params_message("msg-7", AvatarParams())
    with pytest.raises(StreamMessageError, match="at most 960"):
        set_params_message("msg-8", AvatarParams(bgurl="https://x/" + "a" * 1000))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"v":2,"type":"chat","mid":"m1","idx":1,"fin":false,"pld":{"text":"Hi","from":"bot"}}',
         ChatReceived("m1", "Hi", Speaker.BOT, 1, False)),
        ('{"v":2,"type":"chat","mid":"m2","pld":{"text":"yo","from":"user"}}',
         ChatReceived("m2", "yo", Speaker.USER, 0, True)),
        ('{"v":2,"type":"chat","mid":"m3","pld":{"text":"?"}}',
         ChatReceived("m3", "?", Speaker.UNKNOWN, 0, True)),
        ('{"v":2,"type":"command","mid":"c1","pld":{"cmd":"set-params","code":1000,"msg":"ok"}}',
         CommandAck("c1", "set-params", 1000, "ok")),
        ('{"v":2,"type":"command","mid":"c2","pld":{"cmd":"interrupt","code":1003}}',
         CommandAck("c2", "interrupt", 1003, "")),
        ('{"v":2,"type":"event","mid":"e1","pld":{"event":"audio_start"}}',
         AudioEvent("e1", AudioEventKind.AUDIO_START)),
        (b'{"v":2,"type":"event","mid":"e2","pld":{"event":"audio_end"}}',
         AudioEvent("e2", AudioEventKind.AUDIO_END)),
    ],
)
def test_parse_received(raw: str | bytes, expected: object) -> None:
    assert parse_message(raw) == expected


def test_ack_ok_flag() -> None:
    assert CommandAck("c", "interrupt", 1000).ok and not CommandAck("c", "interrupt", 1003).ok


@pytest.mark.parametrize(
    ("raw", "reason"),
    [('{"v":1,"type":"chat","mid":"m","pld":{"text":"old"}}', "unsupported version"),
     ("{not json", "not JSON"), (b"\xff\xfe", "not JSON"), ("[1,2]", "not a JSON object"),
     ('{"v":2,"type":"chat","mid":"m"}', "no payload"),
     ('{"v":2,"type":"chat","mid":"m","pld":{"text":5}}', "chat without text"),
     ('{"v":2,"type":"command","mid":"m","pld":{"cmd":"interrupt"}}', "not an acknowledgement"),
     ('{"v":2,"type":"event","mid":"m","pld":{"event":"dance"}}', "unknown event"),
     ('{"v":2,"type":"video","mid":"m","pld":{}}', "unknown type")],
)
def test_unusable_messages_are_ignored_with_a_reason(raw: str | bytes, reason: str) -> None:
    result = parse_message(raw)
    assert isinstance(result, Ignored) and reason in result.reason


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(min_value=1, max_value=MAX_MESSAGE_BYTES),
                  st.floats(min_value=0.0, max_value=2.0, allow_nan=False)),
        min_size=1, max_size=120),
)
def test_pacing_never_exceeds_the_budget_in_any_second(steps: list[tuple[int, float]]) -> None:
    pacer = Pacer()
    now = 0.0
    sent: list[tuple[float, int]] = []
    for size, gap in steps:
        now += gap
        at = pacer.reserve(size, now)
        assert at >= now and (not sent or at >= sent[-1][0])
        sent.append((at, size))
        now = at  # the sender waits until the slot
    for end, _ in sent:  # any 1 s window: the heaviest ones end at a send
        in_window = sum(size for at, size in sent if at <= end and at + 1.0 > end)
        assert in_window <= BYTES_PER_SECOND


def test_pacing_is_not_slower_than_needed() -> None:
    pacer = Pacer()
    times = [pacer.reserve(960, 0.0) for _ in range(100)]  # 96 000 bytes at once
    assert times[:6] == [0.0] * 6  # 5760 bytes fit the first second
    assert times[6] == 1.0
    assert 15.0 <= times[-1] <= 16.0  # 96 000 B / 6000 B/s, minus the first free second
    with pytest.raises(ValueError):
        pacer.next_time(BYTES_PER_SECOND + 1, 0.0)


def test_plan_books_every_chunk_of_a_long_answer() -> None:
    pacer = Pacer()
    interrupt = interrupt_message("msg-0")
    pacer.record(interrupt.size, 0.0)
    chunks = chat_messages("x" * 9000, "msg-1")  # about ten full messages
    booked = plan(chunks, pacer, 0.5)
    assert [message for _, message in booked] == chunks
    times = [at for at, _ in booked]
    assert times == sorted(times) and times[0] == 0.5 and times[-1] >= 1.0
