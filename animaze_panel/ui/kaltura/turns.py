"""Turns: what the user asked the Kaltura avatar to say, and how long text is cut into parts.

Kaltura's say-text takes ``{text, turnId, isFinal}``: every message is a new turn (a fresh
``turnId``), and a long message may stream as several parts of one turn, all but the last with
``isFinal`` false (say-text endpoint page; the SDK's ``sayText``). :func:`split_parts` cuts at
sentence ends, then at spaces, so the avatar can start speaking before the whole text is sent.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace

PART_CHARS = 300
"""Longest part sent in one say-text call (a sentence or two)."""


class TurnStatus(enum.Enum):
    """Where one turn stands."""

    SENDING = "sending"
    SAID = "said"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Turn:
    """One message.

    Attributes:
        turn_id: Kaltura ``turnId`` (empty until the first part is sent).
        text: The whole message.
        status: Where it stands.
        parts_sent: Parts Kaltura accepted.
        parts: Parts in all.
        error: Why it failed (empty otherwise).
    """

    turn_id: str
    text: str
    status: TurnStatus = TurnStatus.SENDING
    parts_sent: int = 0
    parts: int = 1
    error: str = ""

    def with_status(self, status: TurnStatus, error: str = "") -> Turn:
        """A copy in ``status`` (with the reason for a failure)."""
        return replace(self, status=status, error=error)

    def describe(self) -> str:
        """Short status text for the list."""
        if self.status is TurnStatus.SENDING:
            progress = f" {self.parts_sent}/{self.parts}" if self.parts > 1 else ""
            return f"sending{progress}\u2026"
        if self.status is TurnStatus.FAILED:
            return f"not said: {self.error}"
        return str(self.status.value)


_SENTENCE_END = re.compile(r"(?<=[.!?\u2026\u3002])\s+")


def split_parts(text: str, limit: int = PART_CHARS) -> list[str]:
    """Cut ``text`` into parts of at most ``limit`` characters at sentence ends, then spaces.

    Args:
        text: The message (stripped; must not be blank).
        limit: Longest part.

    Returns:
        The parts in order; joined with single spaces they give the text back (whitespace
        runs between parts collapse).
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        for piece in _wrap(sentence, limit):
            if current and len(current) + 1 + len(piece) > limit:
                parts.append(current)
                current = piece
            else:
                current = f"{current} {piece}" if current else piece
    if current:
        parts.append(current)
    return parts


def _wrap(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    line = ""
    for word in sentence.split():
        while len(word) > limit:  # one enormous "word": cut it hard
            if line:
                out.append(line)
                line = ""
            out.append(word[:limit])
            word = word[limit:]
        if line and len(line) + 1 + len(word) > limit:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return out
