"""ButtonGrid: tiles built a chunk per loop pass, reused on refresh, filter, clicks, tile size."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from animaze_panel.ui.widgets.button_grid import CHUNK, ButtonGrid, GridItem
from animaze_panel.ui.widgets.tile_size import MIN_TILE, STEP, TileSize

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


def test_long_names_are_elided_in_the_middle_with_the_full_name_as_tooltip(qtbot: QtBot) -> None:
    grid = ButtonGrid()
    qtbot.addWidget(grid)
    name = "A very long special action name that cannot fit"
    grid.set_items([GridItem(name, 1)])
    (button,) = grid.buttons()
    assert button.text() != name and "\u2026" in button.text()
    assert button.text().startswith("A very") and button.text().endswith("fit")
    assert button.toolTip() == name and grid.visible_labels() == [name]


def test_ctrl_wheel_resizes_the_tiles_of_every_deck(qtbot: QtBot) -> None:
    size = TileSize()
    grids = [ButtonGrid(), ButtonGrid()]
    for grid in grids:
        qtbot.addWidget(grid)
        grid.bind_tile_size(size)
        grid.set_items(_items("Emote", 6))
        grid.resize(400, 300)
        grid.show()
    before = size.value
    viewport = grids[0]._scroll.viewport()
    wheel = QWheelEvent(
        QPointF(10, 10), QPointF(10, 10), QPoint(0, 0), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(viewport, wheel)
    assert size.value == before + STEP
    assert all(g.tile_size == before + STEP for g in grids)
    assert all(b.iconSize().width() == before + STEP for b in grids[1].buttons())
    for _ in range(100):
        size.step(-1)
    assert size.value == MIN_TILE


def test_few_tiles_keep_their_size(qtbot: QtBot) -> None:
    grid = ButtonGrid()
    qtbot.addWidget(grid)
    grid.resize(900, 300)
    grid.show()
    grid.set_items(_items("Pose", 2))
    qtbot.waitUntil(lambda: grid.buttons()[0].width() > 0)
    width = grid.buttons()[0].width()
    assert width < 900 // 3  # not half the deck each
