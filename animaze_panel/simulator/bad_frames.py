"""Frames no real Animaze should send, for the simulator's fault mode (the reliability suite).

Each kind tests a different way a parser can fall over: :func:`bad_frame` makes one of a kind
from a seeded random generator, so a failing run can be replayed.
"""

from __future__ import annotations

import enum
import json
import random

from ..animaze.client import MAX_FRAME_BYTES
from ..animaze.messages import encode


class BadKind(enum.Enum):
    """The kinds of bad frames."""

    RANDOM_BYTES = "random-bytes"  # a binary frame of noise
    RANDOM_TEXT = "random-text"  # printable noise, not JSON
    TRUNCATED = "truncated"  # a real response cut short
    DEEPLY_NESTED = "deeply-nested"  # valid JSON nested past any sane depth
    WRONG_TYPES = "wrong-types"  # a known response with fields of the wrong types
    UNKNOWN = "unknown"  # well-formed, but an action/trigger nobody knows
    OVERSIZED = "oversized"  # > 64 MiB: within what the client reads, then skipped
    BEYOND_LIMIT = "beyond-limit"  # over the client's frame limit: it must drop and reconnect


OVERSIZED_BYTES = 64 * 1024 * 1024 + 1024
SMALL_KINDS = tuple(k for k in BadKind if k not in (BadKind.OVERSIZED, BadKind.BEYOND_LIMIT))

_SAMPLE = encode({"action": "GetAvatars", "id": "1", "avatars": [
    {"itemName": "avatar01", "friendlyName": "Fluffo", "isUserAvatar": False}]})


def bad_frame(kind: BadKind, rng: random.Random) -> str | bytes:
    """One frame of ``kind``."""
    if kind is BadKind.RANDOM_BYTES:
        return rng.randbytes(rng.randint(1, 512))
    if kind is BadKind.RANDOM_TEXT:
        return "".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(1, 256)))
    if kind is BadKind.TRUNCATED:
        return _SAMPLE[: rng.randint(1, len(_SAMPLE) - 1)]
    if kind is BadKind.DEEPLY_NESTED:
        depth = rng.randint(2_000, 100_000)
        return '{"action": "GetAvatars", "avatars": ' + "[" * depth + "]" * depth + "}"
    if kind is BadKind.WRONG_TYPES:
        return json.dumps(rng.choice([
            {"action": "GetAvatars", "id": "1", "avatars": "not a list"},
            {"action": 42, "id": []},
            {"action": "GetCameraFov", "fov": "wide"},
            {"action": "AvatarChanged", "avatarName": {"nested": True}},
            {"action": "GetCurrentAvatarInfo", "avatars": [None, 3, "x"]},
            {"action": None},
        ]))
    if kind is BadKind.UNKNOWN:
        return json.dumps({"action": f"FutureThing{rng.randint(0, 999)}",
                           "payload": {"x": rng.random()}})
    if kind is BadKind.OVERSIZED:
        return '{"action": "HugeFutureThing", "blob": "' + "A" * OVERSIZED_BYTES + '"}'
    return "[" + " " * (MAX_FRAME_BYTES + 1024) + "]"
