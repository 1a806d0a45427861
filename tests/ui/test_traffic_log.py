"""Traffic log: frames both ways, base64 shortened, filter, copy as JSON, bounded; app log."""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from animaze_panel.animaze.observers import Direction
from animaze_panel.animaze.requests import GetItemIcon
from animaze_panel.ui.animaze.app_log_dock import redact
from animaze_panel.ui.animaze.traffic_log_model import (
    LoggedFrame,
    TrafficLogModel,
    frame_name,
    shorten_base64,
)
from animaze_panel.ui.main_window import MainWindow

from .conftest import QT_OFFSCREEN_NOISE, wait_until

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


def test_shorten_base64_keeps_json_valid() -> None:
    payload = "iVBORw0KGgo" + "A" * 5000
    text = json.dumps({"action": "GetItemIcon", "image": payload, "id": "1"})
    short = shorten_base64(text)
    assert len(short) < 200
    assert json.loads(short)["image"].startswith("iVBORw0KGgo")
    assert "5,011 base64 chars" in short
    assert shorten_base64('{"name":"Avatar03"}') == '{"name":"Avatar03"}'
    assert frame_name(text) == "GetItemIcon"
    assert frame_name('{"event":"AvatarChanged"}') == "⚡ AvatarChanged"


def test_model_is_bounded(qapp: QApplication) -> None:
    model = TrafficLogModel(max_rows=100)
    for i in range(350):
        model.append(Direction.OUT, json.dumps({"action": "Ping", "n": i}))
        if i % 7 == 0:
            model.flush()
    model.flush()
    assert model.rowCount() <= 100
    assert json.loads(model.frame(model.rowCount() - 1).text)["n"] == 349
    big = LoggedFrame.from_text(Direction.IN, '{"x":"' + "a b" * 10000 + '"}')
    assert len(big.text) <= 4001 and big.size > 30000


@pytest.mark.asyncio
async def test_frames_filter_and_copy(main_window: MainWindow) -> None:
    dock = main_window.traffic_log
    reply = await main_window.session.call(GetItemIcon("AvatarBomb"))
    assert reply is not None and len(reply.image) > 1000
    dock.model.flush()
    frames = dock.model.frames()
    assert {f.direction for f in frames} == {Direction.IN, Direction.OUT}
    icon_frames = [f for f in frames if f.name == "GetItemIcon" and f.direction is Direction.IN]
    assert icon_frames and all(len(f.text) < 300 for f in icon_frames)

    dock.filter_edit.setText("getitemicon")
    assert 0 < dock.proxy.rowCount() < len(frames)
    dock.direction_box.setCurrentIndex(2)  # in only
    shown = dock.selected_frames()
    assert shown and all(f.direction is Direction.IN and f.name == "GetItemIcon" for f in shown)
    # Through the selection model: selectRow() would honour keyboard modifiers held app-wide.
    dock.view.selectionModel().select(
        dock.proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    text = dock.copy_selected()
    copied = json.loads(QGuiApplication.clipboard().text())
    assert copied == json.loads(text) and len(copied) == 1
    assert copied[0]["direction"] == "in" and copied[0]["frame"]["action"] == "GetItemIcon"
    assert "base64 chars" in copied[0]["frame"]["image"]
    assert "GetItemIcon" in dock.detail.toPlainText()
    dock.clear_action.trigger()
    assert dock.model.rowCount() == 0


def test_redact_masks_secrets() -> None:
    line = redact('headers={"x-api-key": "sk-123456"} token=abc Authorization: Bearer xyz.123')
    assert "sk-123456" not in line and "abc" not in line and "xyz.123" not in line
    assert redact("LoadAvatar AvatarBomb") == "LoadAvatar AvatarBomb"


@pytest.mark.asyncio
async def test_app_log_shows_messages_without_secrets(main_window: MainWindow) -> None:
    logging.getLogger("animaze_panel.test").warning("Kinetix said no; api_key=hunter2 used")
    dock = main_window.app_log
    await wait_until(lambda: "Kinetix said no" in dock.text())
    assert "hunter2" not in dock.text()
    dock.level_box.setCurrentIndex(3)  # errors only
    assert "Kinetix said no" not in dock.text()
