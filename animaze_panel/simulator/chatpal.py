"""Canned ChatPal: ``-echo`` messages are spoken verbatim, anything else gets a plausible reply.

Replies are deterministic (chosen by a hash of the prompt) so tests can rely on them being
non-empty and stable without pinning their wording.
"""

from __future__ import annotations

import zlib

from ..animaze.requests import ECHO_PREFIX

_GREETINGS = ("hello", "hi", "hey", "hiya", "howdy", "yo")
_GREETING_REPLIES = (
    "Hi there! I'm {name}. What are we streaming today?",
    "Hey hey! {name} here, ready when you are.",
    "Hello, chat! {name} is online and fully caffeinated.",
)
_QUESTION_REPLIES = (
    "Great question! I'd say yes, but ask me again after this round.",
    "Hmm, let me think... I'm going to go with the second option.",
    "I'm not sure, but chat probably knows. Chat, what do you think?",
    "That's a secret I'm keeping until the end of the stream!",
)
_STATEMENT_REPLIES = (
    "Ooh, tell me more about that!",
    "Ha! That's the best thing I've heard all day.",
    "Noted. {name} will remember that forever. Or at least until the next scene.",
    "Wow, really? That's amazing.",
    "I totally agree. Let's keep going!",
)


def chatpal_reply(message: str, avatar_name: str) -> str:
    """Return what ChatPal says in answer to ``message``.

    Args:
        message: The prompt; with the ``-echo`` prefix the rest is returned verbatim.
        avatar_name: The current avatar's friendly name, used in some replies.

    Returns:
        The text the avatar speaks.
    """
    stripped = message.strip()
    if stripped.casefold().startswith(ECHO_PREFIX):
        return stripped[len(ECHO_PREFIX) :].strip()
    choices: tuple[str, ...]
    pick = zlib.crc32(stripped.encode("utf-8"))
    lowered = stripped.casefold()
    if lowered.split(maxsplit=1)[0].strip("!.,?") in _GREETINGS:
        choices = _GREETING_REPLIES
    elif lowered.endswith("?"):
        choices = _QUESTION_REPLIES
    else:
        choices = _STATEMENT_REPLIES
    return choices[pick % len(choices)].format(name=avatar_name)
