"""Deck icons against the simulator: fetched for the tiles on screen only, then from disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.requests import GetEmotes
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.button_grid import ButtonGrid, GridItem
from animaze_panel.ui.widgets.icon_cache import IconCache

from . import controls_support as cs
from .conftest import wait_until

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


async def sentinel(session: AnimazeSession) -> None:
    """A round trip: frames sent before it have reached the simulator once it is answered."""
    assert await session.call(GetEmotes()) is not None


def emote_items(sim: SimulatorThread) -> list[GridItem]:
    emotes = sim.simulator.world.catalogue.emotes
    return [GridItem(e.friendly_name, e.item_name, icon_name=e.item_name) for e in emotes]


def deck(window: QMainWindow, icons: IconCache, items: list[GridItem]) -> ButtonGrid:
    grid = ButtonGrid()
    grid.set_icon_cache(icons)
    window.setCentralWidget(grid)
    window.resize(320, 240)  # room for a few tiles of the 30 emotes
    window.show()
    grid.set_items(items)
    return grid


def icons_shown(grid: ButtonGrid, icons: IconCache) -> bool:
    shown = grid.on_screen()
    return bool(shown) and all(icons.icon(i.icon_name) is not None for i in shown)


def real_icon(grid: ButtonGrid, icons: IconCache, item: GridItem) -> bool:
    button = grid.button_for(item.key)
    cached = icons.icon(item.icon_name)
    if button is None or cached is None:
        return False
    return button.icon().cacheKey() == cached.cacheKey()


@pytest.mark.asyncio
async def test_icons_are_fetched_for_tiles_on_screen_and_cached_on_disk(
    sim: SimulatorThread, session: AnimazeSession, window: QMainWindow, tmp_path: Path
) -> None:
    items = emote_items(sim)
    icons = IconCache(session, tmp_path / "deck", size=64)
    since = sim.simulator.frame_count
    grid = deck(window, icons, items)
    await wait_until(lambda: icons_shown(grid, icons), 10)
    on_screen = grid.on_screen()
    assert 0 < len(on_screen) < len(items)
    assert all(real_icon(grid, icons, item) for item in on_screen)
    asked = {f["name"] for f in cs.frames_of(sim, "GetItemIcon", since)}
    assert asked == {item.icon_name for item in on_screen}  # nothing off screen was fetched

    bar = grid._scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    await wait_until(lambda: grid.on_screen()[-1] == items[-1] and icons_shown(grid, icons), 10)
    assert items[-1].icon_name in {f["name"] for f in cs.frames_of(sim, "GetItemIcon", since)}
    icons.shutdown()

    # A restart: the same folder, a fresh cache and deck - the icons come from disk.
    again = IconCache(session, tmp_path / "deck", size=64)
    since = sim.simulator.frame_count
    grid = deck(window, again, items)
    await wait_until(lambda: icons_shown(grid, again), 10)
    await sentinel(session)
    assert cs.frames_of(sim, "GetItemIcon", since) == []
    assert again.fetched == 0
    again.shutdown()


@pytest.mark.asyncio
async def test_items_without_a_gallery_icon_get_a_lettered_tile_without_asking(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow,
    tmp_path: Path,
) -> None:
    icons = IconCache(session, tmp_path / "deck", size=64)
    since = sim.simulator.frame_count
    grid = deck(window, icons, [GridItem("Hello", 0), GridItem("Heart Hands", 1)])
    await wait_until(lambda: len(grid.on_screen()) == 2 and not grid._icon_timer.isActive())
    await sentinel(session)
    assert cs.frames_of(sim, "GetItemIcon", since) == []
    first, second = grid.buttons()
    assert not first.icon().isNull() and first.icon().cacheKey() != second.icon().cacheKey()
    icons.shutdown()
