"""Rate-limited warnings: once per kind, then summaries."""

from __future__ import annotations

import logging

import pytest

from animaze_panel.animaze.lograte import RateLimitedLog, kind_of


def test_once_per_kind_then_a_summary(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    limited = RateLimitedLog(logging.getLogger("t"), interval=60, clock=lambda: now[0])
    caplog.set_level(logging.WARNING, logger="t")
    for _ in range(1000):
        limited.warning("json", "bad json %s", "x")
        limited.warning("type", "wrong type")
    assert [r.getMessage() for r in caplog.records] == ["bad json x", "wrong type"]
    now[0] = 61
    assert limited.warning("json", "bad json %s", "y")
    expected = "bad json y (and 999 more like it since the last report)"
    assert caplog.records[-1].getMessage() == expected


def test_kinds_are_bounded(caplog: pytest.LogCaptureFixture) -> None:
    limited = RateLimitedLog(logging.getLogger("t"), max_kinds=3, clock=lambda: 0.0)
    caplog.set_level(logging.WARNING, logger="t")
    for i in range(100):
        limited.warning(f"kind{i}", "m")
    assert len(caplog.records) == 4  # three kinds, then one "other"


def test_kind_of_drops_the_specifics() -> None:
    assert kind_of("frame is not valid JSON: Expecting ',' delimiter: line 1 column 66") == \
        "frame is not valid JSON"
    assert kind_of("field 'fov' should be a number, got str") == \
        kind_of("field 'avatars' should be a number, got str")
