"""ButtonGrid: buttons built a chunk per loop pass, reused on refresh, filter and clicks."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from animaze_panel.ui.widgets.button_grid import CHUNK, ButtonGrid, GridItem

from .conftest import QT_OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


def _items(prefix: str, count: int) -> list[GridItem]:
    return [GridItem(f"{prefix} {i}", f"{prefix.lower()}_{i}") for i in range(count)]


def test_long_lists_are_built_a_chunk_per_loop_pass(qtbot: QtBot) -> None:
    grid = ButtonGrid()
    qtbot.addWidget(grid)
    grid.resize(500, 300)
    grid.show()
    grid.set_items(_items("Emote", 5 * CHUNK + 3))
    assert len(grid._buttons) == CHUNK  # the rest come on later passes of the event loop
    qtbot.waitUntil(lambda: len(grid._buttons) == 5 * CHUNK + 3, timeout=5000)
    assert grid.visible_labels()[-1] == f"Emote {5 * CHUNK + 2}"


def test_accessors_finish_the_build_at_once(qtbot: QtBot) -> None:
    grid = ButtonGrid()
    qtbot.addWidget(grid)
    grid.set_items(_items("Pose", 3 * CHUNK))
    assert len(grid.buttons()) == 3 * CHUNK
    assert grid.button_for(f"pose_{3 * CHUNK - 1}") is grid.buttons()[-1]


def test_refresh_reuses_buttons_and_clicks_report_the_new_key(qtbot: QtBot) -> None:
    grid = ButtonGrid()
    qtbot.addWidget(grid)
    grid.set_items(_items("Old", 4))
    before = grid.buttons()
    grid.set_items(_items("New", 3))
    after = grid.buttons()
    assert after == before[:3] and [b.text() for b in after] == ["New 0", "New 1", "New 2"]
    seen: list[Any] = []
    grid.activated.connect(seen.append)
    after[2].click()
    assert seen == ["new_2"]


def test_filter_while_building_does_not_claim_nothing_matches(qtbot: QtBot) -> None:
    grid = ButtonGrid("No emotes")
    qtbot.addWidget(grid)
    grid.show()
    grid.set_filter("emote 3")  # matches only items beyond the first chunk
    grid.set_items(_items("Emote", 4 * CHUNK))
    assert not grid._empty.isVisibleTo(grid)
    assert all("3" in label for label in grid.visible_labels())
