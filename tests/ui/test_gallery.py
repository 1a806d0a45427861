"""Gallery: lists, lazy icons off the GUI thread, disk cache, search, load, current info."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.gallery_dock import NAMES_FILE, GalleryDock
from animaze_panel.ui.animaze.gallery_model import GalleryModel
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets import icon_cache

from .conftest import (
    QT_OFFSCREEN_NOISE,
    action,
    count_frames,
    make_client,
    signal_future,
    sim_frame,
    wait_until,
    window_settled,
)

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


@pytest.fixture
def big_simulator() -> Iterator[SimulatorThread]:
    """200 avatars: far more than fit on screen."""
    with SimulatorThread(num_avatars=200) as sim:
        yield sim


async def _gallery(session: AnimazeSession, cache: Path, qtbot: QtBot) -> GalleryDock:
    dock = GalleryDock(session, cache_dir=cache)
    qtbot.addWidget(dock)
    dock.resize(520, 600)
    populated = signal_future(dock.populated)
    dock.show()
    await asyncio.wait_for(populated, 10)
    await wait_until(dock.visible_icons_loaded, timeout=10)
    return dock


@pytest.mark.asyncio
async def test_only_visible_icons_are_fetched_off_the_gui_thread_and_cached_on_disk(
    big_simulator: SimulatorThread, tmp_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()
    real_decode = icon_cache.decode_icon

    def spy(*args: Any) -> Any:
        threads.add(threading.current_thread().name)
        return real_decode(*args)

    monkeypatch.setattr(icon_cache, "decode_icon", spy)
    client = make_client(big_simulator.url)
    session = AnimazeSession(client)
    client.start()
    await client.wait_connected(10)
    try:
        dock = await _gallery(session, tmp_path / "icons", qtbot)
        assert dock.avatars.model.rowCount() == 200
        visible = dock.visible_names()
        fetched = count_frames(big_simulator, "GetItemIcon")
        assert 0 < len(visible) <= fetched < 60, "only what is on screen (plus the card)"
        assert threads and threading.main_thread().name not in threads
        assert len(list((tmp_path / "icons").glob("*.png"))) == fetched

        # Scrolling to the end fetches the newly visible icons.
        since = big_simulator.simulator.frame_count
        dock.avatars.view.scrollToBottom()
        await wait_until(dock.visible_icons_loaded, timeout=10)
        last = dock.avatars.model.names[-1]
        await sim_frame(big_simulator, action("GetItemIcon", name=last), since=since)

        # A restart (new dock, same cache folder) shows icons without asking Animaze.
        dock.shutdown()
        since = big_simulator.simulator.frame_count
        again = await _gallery(session, tmp_path / "icons", qtbot)
        assert again.icons.fetched == 0
        assert count_frames(big_simulator, "GetItemIcon", since) == 0
        again.shutdown()
    finally:
        await session.aclose()
        await client.close()


@pytest.mark.asyncio
async def test_search_load_and_current_info(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    gallery = main_window.gallery
    assert gallery.avatar_name.text() == "Fluffo"
    assert "crown_king" in gallery.avatar_props.text()
    assert "RGB Room" in gallery.scene_label.text()

    gallery.search.setText("bomb")
    assert gallery.avatars.proxy.rowCount() == 1
    index = gallery.avatars.proxy.index(0, 0)
    assert index.data(Qt.ItemDataRole.UserRole + 1) == "AvatarBomb"
    changed = signal_future(gallery.infoChanged)
    gallery.avatars.view.activated.emit(index)  # what double-click / Enter emit
    await sim_frame(simulator, action("LoadAvatar", name="AvatarBomb"))
    await asyncio.wait_for(changed, 5)
    await wait_until(lambda: gallery.avatar_info is not None
                     and gallery.avatar_info.item_name == "AvatarBomb")
    assert gallery.avatars.model.current == "AvatarBomb"

    gallery.search.clear()
    gallery.tabs.setCurrentIndex(1)
    scene = gallery.scenes.model.names[2]
    gallery.scenes.view.activated.emit(gallery.scenes.proxy.index(2, 0))
    await sim_frame(simulator, action("LoadScene", name=scene))
    await wait_until(lambda: gallery.scenes.model.current == scene)


@pytest.mark.asyncio
async def test_avatar_changed_in_animaze_updates_the_card(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    gallery = main_window.gallery
    await asyncio.get_running_loop().run_in_executor(
        None, lambda: simulator.run(lambda s: s.change_avatar("Avatar03"))
    )
    await wait_until(lambda: gallery.avatars.model.current == "Avatar03")
    await wait_until(lambda: gallery.avatar_info is not None
                     and gallery.avatar_info.item_name == "Avatar03")
    await window_settled(main_window)  # other docks refresh on AvatarChanged too


def test_decode_icon_rejects_garbage(tmp_path: Path) -> None:
    assert icon_cache.decode_icon("not base64 at all!", 64, None) is None
    assert icon_cache.load_thumbnail(tmp_path / "missing.png") is None


@pytest.mark.asyncio
async def test_items_show_display_names_and_the_current_one_keeps_its_name(
    simulator: SimulatorThread, tmp_path: Path, qtbot: QtBot
) -> None:
    client = make_client(simulator.url)
    session = AnimazeSession(client)
    client.start()
    try:
        dock = await _gallery(session, tmp_path / "icons", qtbot)
        model = dock.avatars.model
        first = dock.avatar_info
        assert first is not None and first.friendly_name == "Fluffo"
        row = model.names.index(first.item_name)
        index = model.index(row, 0)
        assert index.data(Qt.ItemDataRole.DisplayRole) == "Fluffo"  # not the file name
        assert index.data(GalleryModel.CurrentRole) is True
        assert first.item_name in index.data(Qt.ItemDataRole.ToolTipRole)
        assert index.data(Qt.ItemDataRole.BackgroundRole) is not None  # marked, name intact
        for other in range(model.rowCount()):
            assert "\u2713" not in str(model.index(other, 0).data(Qt.ItemDataRole.DisplayRole))
        view = dock.avatars.view
        assert view.textElideMode() is Qt.TextElideMode.ElideMiddle and not view.wordWrap()
        dock.search.setText("fluff")  # the display name is searchable
        assert dock.avatars.proxy.rowCount() == 1
        dock.search.clear()
        names = tmp_path / "icons" / NAMES_FILE
        await wait_until(lambda: names.exists() and "Fluffo" in names.read_text("utf-8"))

        # Next start: the name learned is there before Animaze says which avatar is current.
        again = GalleryDock(session, cache_dir=tmp_path / "icons")
        qtbot.addWidget(again)
        assert again.avatars.model.label(first.item_name) == "Fluffo"
    finally:
        await session.aclose()
        await client.close()
