"""describe_error: the one wording of Animaze errors, shared by the panel and ``call``."""

from __future__ import annotations

from animaze_panel.animaze.errors import (
    ENABLE_API_HINT,
    AnimazeCommandError,
    AnimazeDisconnected,
    AnimazeTimeout,
    AnimazeUnreachable,
    ProtocolError,
    ValidationError,
    describe_error,
)

URL = "ws://10.0.0.5:9000"


def test_each_error_names_what_happened_and_where() -> None:
    assert describe_error(AnimazeCommandError("LoadAvatar", "Avatar not found"), URL) == (
        "Animaze refused LoadAvatar: Avatar not found"
    )
    timeout = describe_error(AnimazeTimeout("GetAvatars", 2.5), URL)
    assert timeout == f"Animaze at {URL} did not answer GetAvatars within 2.5 s"
    unreachable = describe_error(AnimazeUnreachable(URL, "refused"), URL)
    assert URL in unreachable and ENABLE_API_HINT in unreachable
    assert describe_error(ValidationError("index", "must be 0 or more")) == (
        "invalid index: must be 0 or more"
    )
    assert URL in describe_error(ProtocolError("bad JSON"), URL)


def test_a_dropped_link_says_whether_the_caller_retries() -> None:
    dropped = AnimazeDisconnected("No answer: connection closed")
    assert describe_error(dropped, URL, reconnects=True) == (
        f"Not connected to Animaze at {URL}; the panel reconnects by itself"
    )
    once = describe_error(dropped, URL)
    assert URL in once and "connection closed" in once and "reconnects" not in once
