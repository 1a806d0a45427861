"""ChatQueue with a fake clock: one exchange at a time, speech events or the fallback free it."""

from __future__ import annotations

import pytest

from animaze_panel.ui.animaze.chat_queue import (
    MAX_SPEECH,
    SPEECH_GRACE,
    ChatLine,
    ChatPhase,
    ChatQueue,
    estimate_speech_seconds,
)

from .controls_support import FakeTime


class Harness:
    def __init__(self) -> None:
        self.time = FakeTime()
        self.sent: list[ChatLine] = []
        self.changes = 0
        self.queue = ChatQueue(
            self.sent.append,
            self.time.schedule,
            estimate=lambda text: 1.0 + len(text) * 0.1,
            unprompted_timeout=5.0,
            on_change=self._changed,
        )

    def _changed(self) -> None:
        self.changes += 1

    def texts(self) -> list[str]:
        return [line.text for line in self.sent]

    def phase(self) -> ChatPhase:
        # A call, not the attribute: mypy would carry a narrowed attribute across the steps.
        return self.queue.phase


def test_first_line_sent_at_once_and_next_waits_for_speech_end() -> None:
    h = Harness()
    first = h.queue.submit("hello")
    assert h.texts() == ["hello"] and h.phase() is ChatPhase.SENDING
    second = h.queue.submit("how are you?", echo=True)
    assert h.texts() == ["hello"] and h.queue.pending == (second,)
    h.queue.reply_received(first, "Hi there!")
    assert h.phase() is ChatPhase.SPEAKING
    h.queue.speech_started()
    assert h.queue.speaking
    h.time.advance(0.5)
    assert h.texts() == ["hello"]  # still speaking
    h.queue.speech_ended()
    assert not h.queue.speaking
    assert h.texts() == ["hello", "how are you?"] and h.sent[1].echo
    assert h.queue.current == second
    assert h.changes > 0


def test_fallback_timer_when_speech_events_never_come() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.submit("b")
    h.queue.reply_received(first, "12345")  # estimate: 1 + 0.5 s
    h.time.advance(1.4)
    assert h.texts() == ["a"]
    h.time.advance(0.2)
    assert h.texts() == ["a", "b"]
    assert h.phase() is ChatPhase.SENDING


def test_fallback_counts_from_speech_start_when_started_arrives() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.submit("b")
    h.queue.reply_received(first, "12345")
    h.time.advance(1.0)
    h.queue.speech_started()  # estimate re-armed from here: ends at 2.5
    h.time.advance(1.0)
    assert h.texts() == ["a"] and h.queue.speaking
    h.time.advance(0.6)
    assert h.texts() == ["a", "b"] and not h.queue.speaking


def test_speech_finished_before_reply_arrived() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.submit("b")
    h.queue.speech_started()  # events may come early
    h.queue.speech_ended()
    h.queue.reply_received(first, "ok")
    assert h.texts() == ["a", "b"]


def test_failed_send_moves_on() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.submit("b")
    h.queue.send_failed(first)
    assert h.texts() == ["a", "b"]


def test_empty_reply_frees_the_queue_at_once() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.submit("b")
    h.queue.reply_received(first, "  ")
    assert h.texts() == ["a", "b"]


def test_unprompted_speech_delays_lines_until_it_ends_or_times_out() -> None:
    h = Harness()
    h.queue.speech_started()  # another client made the avatar speak
    h.queue.submit("a")
    assert h.texts() == [] and h.queue.busy
    h.time.advance(4.9)
    assert h.texts() == []
    h.time.advance(0.2)
    assert h.texts() == ["a"]


def test_drain_returns_unanswered_lines_and_resets() -> None:
    h = Harness()
    first = h.queue.submit("a")
    second = h.queue.submit("b")
    h.queue.speech_started()
    assert h.queue.drain() == [first, second]
    assert h.phase() is ChatPhase.IDLE and not h.queue.speaking and not h.queue.pending
    h.queue.reply_received(first, "late answer")  # stale: ignored
    assert h.phase() is ChatPhase.IDLE
    h.time.advance(100)
    assert h.texts() == ["a"]


def test_stale_reply_for_another_line_is_ignored() -> None:
    h = Harness()
    first = h.queue.submit("a")
    h.queue.reply_received(ChatLine(99, "x"), "nope")
    assert h.phase() is ChatPhase.SENDING and h.queue.current == first


def test_estimate_bounds() -> None:
    assert estimate_speech_seconds("") == pytest.approx(SPEECH_GRACE)
    assert estimate_speech_seconds("x" * 100) > estimate_speech_seconds("x" * 10)
    assert estimate_speech_seconds("x" * 100_000) == MAX_SPEECH
