"""Akool stream messages (JSON text over the RTC data channel): build, split, parse, pace.

Pure: no I/O, no clock of its own (callers pass times in). Sources: the spec's "Live Avatar
Stream Message" tables and Akool's React demo (``src/utils/messageUtils.ts``: message shapes,
chunking, 6000 B/s pacing; ``src/agoraHelper.ts``: empty set-params values dropped).

* :func:`chat_messages` splits text into chat chunks sharing one ``mid`` (``idx`` from 0,
  ``fin`` on the last). Every **encoded** message is at most :data:`MAX_MESSAGE_BYTES` bytes;
  splits fall on code-point boundaries, avoid cutting a grapheme (emoji sequences, combining
  marks) and prefer a space when one is near. Concatenating the chunks' texts gives the input.
* :func:`interrupt_message` and :func:`set_params_message` build commands.
* :func:`parse_message` turns received text into :class:`ChatReceived`, :class:`CommandAck`,
  :class:`AudioEvent` or :class:`Ignored` (``v != 2``, bad JSON, unknown types).
* :class:`ChatAssembler` joins received chunks per ``mid`` for the transcript.
* :class:`Pacer` says when the next message may be sent so that no 1-second window carries
  more than :data:`BYTES_PER_SECOND` bytes.
"""

from __future__ import annotations

import json
import unicodedata
from bisect import bisect_right
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import accumulate
from typing import Any

VERSION = 2
MAX_MESSAGE_BYTES = 960
"""Largest encoded message Akool accepts (the project's Akool notes; the demo keeps to 950)."""
BYTES_PER_SECOND = 6000
"""Data-channel budget (demo ``MESSAGE_CONSTANTS.BYTES_PER_SECOND``)."""


class StreamMessageError(ValueError):
    """A message cannot be built (e.g. an ID or URL too long for one message)."""


class Speaker(Enum):
    """Who a received chat line is from (spec: ``pld.from`` "bot" or "user")."""

    BOT = "bot"
    USER = "user"
    UNKNOWN = "unknown"


class AudioEventKind(Enum):
    """Speaking events (``pld.event``)."""

    AUDIO_START = "audio_start"
    AUDIO_END = "audio_end"


@dataclass(frozen=True)
class Outgoing:
    """One message ready for ``sendStreamMessage``: the JSON text and its UTF-8 size."""

    text: str
    size: int
    mid: str
    idx: int = 0
    fin: bool = True


@dataclass(frozen=True)
class AvatarParams:
    """``set-params`` data (spec: ``pld.data{vid, vurl, lang, mode, bgurl}``); empty = unchanged.

    Akool's current docs mark ``vid`` deprecated in favour of ``vparams.vid`` and the demo sends
    ``vparams`` (voice parameters) beside the others; ``vparams`` is sent when given.
    """

    vid: str = ""
    vurl: str = ""
    lang: str = ""
    mode: int | None = None
    bgurl: str = ""
    vparams: Mapping[str, Any] | None = None

    def to_wire(self) -> dict[str, Any]:
        """The non-empty fields (the demo drops falsy values before sending)."""
        raw: dict[str, Any] = {"vid": self.vid, "vurl": self.vurl, "lang": self.lang,
                               "mode": self.mode, "bgurl": self.bgurl,
                               "vparams": dict(self.vparams or {})}
        return {k: v for k, v in raw.items() if v}


@dataclass(frozen=True)
class ChatReceived:
    """A received chat chunk: a bot answer or the user's recognised speech."""

    mid: str
    text: str
    speaker: Speaker
    idx: int = 0
    fin: bool = True


@dataclass(frozen=True)
class CommandAck:
    """The answer to a command (spec: ``pld{cmd, code, msg}``; 1000 = success)."""

    mid: str
    cmd: str
    code: int
    msg: str = ""

    @property
    def ok(self) -> bool:
        """Whether the command succeeded."""
        return self.code == 1000


@dataclass(frozen=True)
class AudioEvent:
    """The avatar started or stopped speaking."""

    mid: str
    kind: AudioEventKind


@dataclass(frozen=True)
class Ignored:
    """A received message the panel does not act on, with the reason (for the log)."""

    reason: str


Received = ChatReceived | CommandAck | AudioEvent | Ignored


def new_mid(now_ms: int) -> str:
    """Return a message ID in the demo's form ``msg-<milliseconds>``."""
    return f"msg-{now_ms}"


def encode(message: dict[str, Any]) -> str:
    """Serialise like ``JSON.stringify``: compact, non-ASCII kept as UTF-8.

    Raises:
        StreamMessageError: The text holds a lone surrogate (not valid Unicode).
    """
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StreamMessageError("The text contains characters that are not valid Unicode") \
            from exc
    return text


def _outgoing(message: dict[str, Any], mid: str, idx: int = 0, fin: bool = True) -> Outgoing:
    text = encode(message)
    size = len(text.encode("utf-8"))
    if size > MAX_MESSAGE_BYTES:
        raise StreamMessageError(
            f"The message is {size} bytes; the avatar accepts at most {MAX_MESSAGE_BYTES}"
        )
    return Outgoing(text, size, mid, idx, fin)


def chat_message(mid: str, idx: int, fin: bool, text: str) -> dict[str, Any]:
    """Return one chat message object (spec, Send Data: Chat Type Parameters)."""
    return {"v": VERSION, "type": "chat", "mid": mid, "idx": idx, "fin": fin,
            "pld": {"text": text}}


def interrupt_message(mid: str) -> Outgoing:
    """Build the ``interrupt`` command (stop the current answer)."""
    return _outgoing({"v": VERSION, "type": "command", "mid": mid,
                      "pld": {"cmd": "interrupt"}}, mid)


def set_params_message(mid: str, params: AvatarParams) -> Outgoing:
    """Build ``set-params`` with the non-empty fields of ``params``.

    Raises:
        StreamMessageError: Nothing to change, or the URLs make it too long.
    """
    data = params.to_wire()
    if not data:
        raise StreamMessageError("Nothing to change: every parameter is empty")
    return _outgoing({"v": VERSION, "type": "command", "mid": mid,
                      "pld": {"cmd": "set-params", "data": data}}, mid)


@lru_cache(maxsize=4096)
def _cost(char: str) -> int:
    """Bytes ``char`` takes inside an encoded JSON string."""
    return len(json.dumps(char, ensure_ascii=False).encode("utf-8", "surrogatepass")) - 2


def _joins(prev: str, nxt: str) -> bool:
    """Whether a split between ``prev`` and ``nxt`` would cut a grapheme."""
    if nxt == "\u200d" or prev == "\u200d":  # zero-width joiner sequences (family emoji)
        return True
    if unicodedata.category(nxt) in ("Mn", "Mc", "Me"):  # combining marks, incl. VS16
        return True
    if "\U0001f3fb" <= nxt <= "\U0001f3ff":  # skin-tone modifiers
        return True
    if "\U000e0020" <= nxt <= "\U000e007f":  # tag characters (flag sequences)
        return True
    if prev == "\r" and nxt == "\n":
        return True
    # Regional-indicator flags come in pairs; splitting inside one is close enough to
    # avoid by never splitting between two indicators.
    return "\U0001f1e6" <= prev <= "\U0001f1ff" and "\U0001f1e6" <= nxt <= "\U0001f1ff"


def _split_point(text: str, start: int, end: int, floor: int) -> int:
    """Pick where the chunk ``text[start:end]`` (``end`` = the most that fits) should end.

    The cut never falls before ``floor`` (where half the chunk's bytes are reached), so every
    chunk but the last carries at least half a message of text.
    """
    if end >= len(text):
        return end
    for cut in range(end, floor - 1, -1):  # prefer just after a space
        if text[cut - 1].isspace() and not _joins(text[cut - 1], text[cut]):
            return cut
    for cut in range(end, floor - 1, -1):  # else any grapheme boundary
        if not _joins(text[cut - 1], text[cut]):
            return cut
    return end  # one enormous grapheme: cut on a code point


def chat_messages(text: str, mid: str) -> list[Outgoing]:
    """Split ``text`` into chat messages sharing ``mid``, each encoded <= 960 bytes.

    Args:
        text: What the avatar should hear (any Unicode text).
        mid: Message ID, see :func:`new_mid`.

    Raises:
        StreamMessageError: ``text`` is empty or not valid Unicode, or ``mid`` is too long.
    """
    if not text:
        raise StreamMessageError("Type something to send")
    encode({"t": text})  # rejects lone surrogates before any work
    prefix = list(accumulate(map(_cost, text), initial=0))  # prefix[i]: bytes of text[:i]
    chunks: list[Outgoing] = []
    start = 0
    while start < len(text):
        idx = len(chunks)
        overhead = len(encode(chat_message(mid, idx, False, "")).encode("utf-8"))
        budget = MAX_MESSAGE_BYTES - overhead
        if budget < 6:  # the widest character (an escaped control character) must fit
            raise StreamMessageError("The message ID is too long for a chat message")
        # The most characters that fit, and where half the budget is reached.
        end = min(bisect_right(prefix, prefix[start] + budget) - 1, len(text))
        floor = bisect_right(prefix, prefix[start] + budget // 2) - 1
        cut = _split_point(text, start, end, max(floor, start + 1))
        fin = cut >= len(text)
        chunks.append(_outgoing(chat_message(mid, idx, fin, text[start:cut]), mid, idx, fin))
        start = cut
    return chunks


def parse_message(raw: str | bytes) -> Received:
    """Decode one received stream message.

    Never raises: anything unusable comes back as :class:`Ignored` with the reason.
    """
    try:
        message = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return Ignored("not JSON")
    if not isinstance(message, dict):
        return Ignored("not a JSON object")
    if message.get("v") != VERSION:
        return Ignored(f"unsupported version {message.get('v')!r}")
    kind, mid, pld = message.get("type"), message.get("mid"), message.get("pld")
    mid = mid if isinstance(mid, str) else ""
    if not isinstance(pld, dict):
        return Ignored("no payload")
    if kind == "chat":
        text = pld.get("text")
        if not isinstance(text, str):
            return Ignored("chat without text")
        try:
            speaker = Speaker(pld.get("from"))
        except ValueError:
            speaker = Speaker.UNKNOWN
        idx = message.get("idx", 0)
        fin = message.get("fin", True)
        return ChatReceived(mid, text, speaker, idx if isinstance(idx, int) else 0,
                            fin if isinstance(fin, bool) else True)
    if kind == "command":
        cmd, code = pld.get("cmd"), pld.get("code")
        if not isinstance(cmd, str) or not isinstance(code, int) or isinstance(code, bool):
            return Ignored("command without cmd/code (not an acknowledgement)")
        msg = pld.get("msg")
        return CommandAck(mid, cmd, code, msg if isinstance(msg, str) else "")
    if kind == "event":
        try:
            return AudioEvent(mid, AudioEventKind(pld.get("event")))
        except ValueError:
            return Ignored(f"unknown event {pld.get('event')!r}")
    return Ignored(f"unknown type {kind!r}")


class ChatAssembler:
    """Joins received chat chunks per ``mid`` (in ``idx`` order) for a transcript line."""

    def __init__(self) -> None:
        """Start empty."""
        self._parts: dict[str, dict[int, str]] = {}

    def add(self, chunk: ChatReceived) -> tuple[str, bool]:
        """Add a chunk; return the line's text so far and whether it is complete."""
        parts = self._parts.setdefault(chunk.mid, {})
        parts[chunk.idx] = chunk.text
        text = "".join(parts[i] for i in sorted(parts))
        if chunk.fin:
            del self._parts[chunk.mid]
        return text, chunk.fin


class Pacer:
    """When the next message may go so no 1 s window carries more than the byte budget.

    A message of ``size`` bytes may be sent at ``t`` when the sizes of the messages sent in
    ``(t - window, t]`` plus ``size`` stay within ``budget``; a send at ``s`` stops counting
    once ``s + window <= t``.
    """

    def __init__(self, budget: int = BYTES_PER_SECOND, window: float = 1.0) -> None:
        """Configure the budget (bytes) per ``window`` (seconds)."""
        self.budget = budget
        self.window = window
        self._sent: deque[tuple[float, int]] = deque()

    def next_time(self, size: int, now: float) -> float:
        """Return the earliest time >= ``now`` a message of ``size`` bytes may go.

        Raises:
            ValueError: ``size`` exceeds the whole budget.
        """
        if size > self.budget:
            raise ValueError(f"a {size}-byte message can never fit a {self.budget}-byte budget")
        at = max(now, self._sent[-1][0]) if self._sent else now
        live = [(t, s) for t, s in self._sent if t + self.window > at]
        total = sum(s for _, s in live) + size
        for t, s in live:
            if total <= self.budget:
                break
            total -= s
            at = max(at, t + self.window)
        return at

    def record(self, size: int, at: float) -> None:
        """Note that a message of ``size`` bytes went at ``at`` (not before earlier sends)."""
        while self._sent and self._sent[0][0] + self.window <= at:
            self._sent.popleft()
        self._sent.append((at, size))

    def reserve(self, size: int, now: float) -> float:
        """Book the next slot for ``size`` bytes and return its time."""
        at = self.next_time(size, now)
        self.record(size, at)
        return at


def plan(messages: list[Outgoing], pacer: Pacer, now: float) -> list[tuple[float, Outgoing]]:
    """Book a send time for each message in order (e.g. the chunks of one chat line).

    Returns:
        ``(time, message)`` pairs; send each no earlier than its time.
    """
    return [(pacer.reserve(message.size, now), message) for message in messages]
