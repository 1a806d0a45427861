"""Quickscenes: thumbnails, load on click, save (asking before overwriting)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.main_window import MainWindow

from .conftest import (
    QT_OFFSCREEN_NOISE,
    action,
    count_frames,
    sentinel,
    sim_frame,
    wait_until,
)

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


@pytest.mark.asyncio
async def test_click_loads_and_save_asks_before_overwriting(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    dock = main_window.quickscenes
    used = [s.index for s in dock.slots if s.image]
    empty = [s.index for s in dock.slots if not s.image]
    assert used and empty
    assert not dock.buttons[used[0]].icon().isNull()

    dock.buttons[used[1]].click()
    await sim_frame(simulator, action("LoadQuickscene", index=used[1]))

    # An empty slot is saved without a question.
    dock.slot_box.setCurrentIndex(dock.slot_box.findData(empty[0]))
    dock.save_button.click()
    assert dock.confirm_box is None
    await sim_frame(simulator, action("SaveQuickscene", index=empty[0]))
    await wait_until(lambda: any(s.index == empty[0] and s.image for s in dock.slots))

    # A used slot asks; Cancel keeps it, Yes overwrites.
    since = simulator.simulator.frame_count
    dock.save(used[0])
    assert isinstance(dock.confirm_box, QMessageBox) and dock.confirm_box.isVisible()
    dock.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    await sentinel(main_window.session.client)  # a save would have been sent before this
    assert count_frames(simulator, "SaveQuickscene", since) == 0
    assert "kept" in dock.status.text()
    dock.save(used[0])
    assert dock.confirm_box is not None
    dock.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    await sim_frame(simulator, action("SaveQuickscene", index=used[0]), since=since)
    await wait_until(lambda: "saved" in dock.status.text())


@pytest.mark.asyncio
async def test_a_slow_save_never_covers_a_newer_message(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    dock = main_window.quickscenes
    used = next(s.index for s in dock.slots if s.image)
    empty = next(s.index for s in dock.slots if not s.image)
    saving = dock.save(empty)  # on its way to Animaze: its answer comes after the next click
    assert saving is not None
    assert dock.save(used) is None  # asks first
    assert dock.confirm_box is not None
    dock.confirm_box.button(QMessageBox.StandardButton.Cancel).click()
    await saving
    assert any(s.index == empty and s.image for s in dock.slots)  # it did save
    assert dock.status.text() == f"Slot {used + 1} kept"


@pytest.mark.asyncio
async def test_slots_reflow_to_the_dock_width(main_window: MainWindow) -> None:
    dock = main_window.quickscenes
    dock.setFloating(True)  # sized on its own, whatever the layout around it
    scroll = dock._scroll
    narrowest = dock.minimumSizeHint().width()
    for width in (narrowest + 160, 900, narrowest):
        dock.resize(width, 600)
        def at_width(w: int = width) -> bool:
            return dock.width() == w

        await wait_until(at_width)
        await wait_until(lambda: not scroll.horizontalScrollBar().isVisible())
        right = max(b.geometry().right() for b in dock.buttons)
        assert right <= scroll.viewport().width()  # every slot in view horizontally
    columns = {b.geometry().left() for b in dock.buttons}
    assert 1 <= len(columns) < len(dock.buttons)  # narrow: the slots wrap into rows
