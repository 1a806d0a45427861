"""Turns: an answer may show only while its request is the newest one started."""

from __future__ import annotations

from animaze_panel.ui.widgets.turns import Turns


def test_only_the_newest_turn_may_show() -> None:
    turns = Turns()
    first = turns.take()
    assert turns.is_newest(first)
    second = turns.take()
    assert not turns.is_newest(first)  # the older answer, arriving late, is dropped
    assert turns.is_newest(second)
    assert second != first


def test_separate_counters_do_not_interfere() -> None:
    saves, reloads = Turns(), Turns()
    save = saves.take()
    reloads.take()
    assert saves.is_newest(save)
