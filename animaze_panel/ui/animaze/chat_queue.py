"""ChatQueue: send ChatPal lines one at a time so replies never cut each other off.

A line typed while the avatar is still answering (or speaking for any other reason) waits here
and is sent once the avatar is done: when ChatbotSpeechEnded arrives, or, because those events
are approximate (Started up to ~1 s early, Ended up to ~1 s late) and older Animaze builds never
send them, when a fallback timer estimated from the reply's length runs out.

Life of a line::

    submit() -> pending --(idle and not speaking)--> SENDING --reply_received()--> SPEAKING
                                                        |                             |
                                             send_failed(): IDLE        speech_ended() or
                                                                        fallback timeout: IDLE

The queue does no I/O and has no Qt dependency: ``send`` and the timer ``schedule`` are
injected (the ChatPal dock passes a coroutine launcher and a :class:`~.coalescer.QtScheduler`),
so tests drive it with a fake clock.
"""

from __future__ import annotations

import enum
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ..widgets.coalescer import Cancellable, Scheduler

SECONDS_PER_CHAR = 0.09
"""Generous text-to-speech pace for the fallback (real voices speak ~12-16 characters/s)."""
SPEECH_GRACE = 2.0
"""Added to every estimate: events may come ~1 s late, and speech starts after the reply."""
MAX_SPEECH = 60.0
"""No estimate exceeds this."""
UNPROMPTED_SPEECH = 15.0
"""Fallback for speech we did not ask for (another client's prompt) whose end never comes."""


def estimate_speech_seconds(text: str) -> float:
    """How long to wait for the avatar to finish saying ``text`` if no event tells us.

    Args:
        text: The reply the avatar speaks.

    Returns:
        Seconds, between ``SPEECH_GRACE`` and ``MAX_SPEECH``.
    """
    return min(MAX_SPEECH, SPEECH_GRACE + SECONDS_PER_CHAR * len(text))


class ChatPhase(enum.Enum):
    """Where the queue's current exchange stands."""

    IDLE = "idle"
    SENDING = "sending"  # sent, waiting for ChatPal's reply
    SPEAKING = "speaking"  # reply received, waiting for the avatar to finish saying it


@dataclass(frozen=True)
class ChatLine:
    """One line the user typed.

    Attributes:
        serial: Unique, increasing number of the line.
        text: What the user typed.
        echo: Speak the text verbatim (``-echo``) instead of asking ChatPal.
    """

    serial: int
    text: str
    echo: bool = False


class ChatQueue:
    """Holds lines until the avatar is free, then hands them to ``send`` one at a time."""

    def __init__(
        self,
        send: Callable[[ChatLine], object],
        schedule: Scheduler,
        *,
        estimate: Callable[[str], float] = estimate_speech_seconds,
        unprompted_timeout: float = UNPROMPTED_SPEECH,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        """Create an idle queue.

        Args:
            send: Starts sending a line; the owner later calls :meth:`reply_received` or
                :meth:`send_failed` with it.
            schedule: Runs a callback after a delay (one outstanding call at a time).
            estimate: Fallback speech duration of a reply, in seconds.
            unprompted_timeout: Fallback duration of speech the queue did not cause.
            on_change: Called after every change of :attr:`phase`, :attr:`speaking` or
                :attr:`pending`.
        """
        self._send = send
        self._schedule = schedule
        self._estimate = estimate
        self._unprompted = unprompted_timeout
        self._on_change = on_change
        self._serials = itertools.count(1)
        self._pending: deque[ChatLine] = deque()
        self._phase = ChatPhase.IDLE
        self._current: ChatLine | None = None
        self._reply = ""
        self._speaking = False
        self._ended_while_sending = False
        self._timer: Cancellable | None = None

    # ------------------------------------------------------------------ state

    @property
    def phase(self) -> ChatPhase:
        """The current exchange's phase."""
        return self._phase

    @property
    def speaking(self) -> bool:
        """Whether the avatar is speaking (per the speech events, or the fallback timer)."""
        return self._speaking

    @property
    def pending(self) -> tuple[ChatLine, ...]:
        """Lines waiting to be sent, oldest first."""
        return tuple(self._pending)

    @property
    def current(self) -> ChatLine | None:
        """The line being sent or answered, if any."""
        return self._current

    @property
    def busy(self) -> bool:
        """Whether a new line would have to wait."""
        return self._phase is not ChatPhase.IDLE or self._speaking or bool(self._pending)

    # ------------------------------------------------------------------ inputs

    def submit(self, text: str, echo: bool = False) -> ChatLine:
        """Queue a line; it is sent at once if the avatar is free.

        Returns:
            The line (``serial`` identifies it in later callbacks).
        """
        line = ChatLine(next(self._serials), text, echo)
        self._pending.append(line)
        self._pump()
        self._changed()
        return line

    def reply_received(self, line: ChatLine, reply: str) -> None:
        """ChatPal answered ``line`` with ``reply``: wait for the avatar to say it."""
        if line != self._current or self._phase is not ChatPhase.SENDING:
            return  # a stale answer (the queue was drained meanwhile)
        self._reply = reply
        if not reply.strip() or self._ended_while_sending:
            self._finish()  # nothing to say, or it was already said (events came early)
            return
        self._phase = ChatPhase.SPEAKING
        self._arm(self._estimate(reply))
        self._changed()

    def send_failed(self, line: ChatLine) -> None:
        """Sending ``line`` failed (already reported); move on to the next line."""
        if line != self._current:
            return
        self._finish()

    def speech_started(self) -> None:
        """ChatbotSpeechStarted arrived."""
        self._speaking = True
        self._ended_while_sending = False
        if self._phase is ChatPhase.SPEAKING:
            self._arm(self._estimate(self._reply))  # count the speech from its real start
        elif self._phase is ChatPhase.IDLE:
            self._arm(self._unprompted)  # someone else made the avatar talk
        self._changed()

    def speech_ended(self) -> None:
        """ChatbotSpeechEnded arrived."""
        was_speaking, self._speaking = self._speaking, False
        if self._phase is ChatPhase.SENDING:
            self._ended_while_sending = was_speaking
            self._changed()
        elif self._phase is ChatPhase.SPEAKING:
            self._finish()
        else:
            self._cancel_timer()
            self._pump()
            self._changed()

    def drain(self) -> list[ChatLine]:
        """Forget everything (the link went down) and return the lines never answered.

        Returns:
            The line being sent (if not answered yet) followed by the pending ones.
        """
        unsent = list(self._pending)
        if self._current is not None and self._phase is ChatPhase.SENDING:
            unsent.insert(0, self._current)
        self._pending.clear()
        self._cancel_timer()
        self._current = None
        self._phase = ChatPhase.IDLE
        self._speaking = False
        self._changed()
        return unsent

    # ------------------------------------------------------------------ internals

    def _finish(self) -> None:
        self._cancel_timer()
        self._current = None
        self._reply = ""
        self._speaking = False
        self._phase = ChatPhase.IDLE
        self._pump()
        self._changed()

    def _on_timeout(self) -> None:
        self._timer = None
        if self._phase is ChatPhase.SPEAKING:
            self._finish()
        elif self._speaking:
            self._speaking = False
            self._pump()
            self._changed()

    def _pump(self) -> None:
        if self._phase is not ChatPhase.IDLE or self._speaking or not self._pending:
            return
        line = self._pending.popleft()
        self._current = line
        self._phase = ChatPhase.SENDING
        self._ended_while_sending = False
        self._send(line)

    def _arm(self, seconds: float) -> None:
        self._cancel_timer()
        self._timer = self._schedule(seconds, self._on_timeout)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change()
