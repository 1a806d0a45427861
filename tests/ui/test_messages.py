"""One message channel: every action's failure (or success) reaches the status bar and the log."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.errors import AnimazeCommandError, describe_error
from animaze_panel.animaze.requests import TriggerEmote
from animaze_panel.hotkeys.presets import CameraPresetData
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui import messages
from animaze_panel.ui.animaze.camera_dock import CameraDock
from animaze_panel.ui.animaze.camera_presets_bar import CameraPresetsBar
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from . import hotkeys_support as hs
from .conftest import QT_OFFSCREEN_NOISE, signal_future

sim = cs.sim
session = cs.session
window = cs.window
backend = hs.backend
clock = hs.clock
profile_path = hs.profile_path
service = hs.service
pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


def next_message(level: messages.Level) -> asyncio.Future[tuple[Any, ...]]:
    return signal_future(messages.bridge().shown, lambda m: m.level is level)


def test_functions_log_and_emit(qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="animaze_panel.messages")
    shown: list[messages.Message] = []
    messages.bridge().shown.connect(shown.append)
    try:
        messages.error("It broke")
        messages.success("It worked")
    finally:
        messages.bridge().shown.disconnect(shown.append)
    assert shown == [messages.Message(messages.Level.ERROR, "It broke"),
                     messages.Message(messages.Level.SUCCESS, "It worked")]
    assert [(r.levelname, r.getMessage()) for r in caplog.records
            if r.name == "animaze_panel.messages"] == [("ERROR", "It broke"), ("INFO", "It worked")]


@pytest.mark.asyncio
async def test_a_refused_click_is_worded_once_for_status_bar_and_log(
    main_window: MainWindow,
) -> None:
    failed = next_message(messages.Level.ERROR)
    main_window.session.fire(TriggerEmote("Emote_Nobody"))
    (message,) = await failed
    # The same words as the command line uses for the same refusal.
    expected = describe_error(AnimazeCommandError("TriggerEmote", "Emote not found"))
    assert message.text == expected
    assert expected in main_window.statusBar().currentMessage()
    assert expected in main_window.app_log.text()
    assert main_window.statusBar().property("tone") == "error"
    messages.success("Tracker calibrated")  # success is never shown in the error colour
    assert main_window.statusBar().currentMessage() == "Tracker calibrated"
    assert main_window.statusBar().property("tone") == "success"


@pytest.mark.asyncio
async def test_a_camera_preset_goes_through_the_session_and_reports_failure(
    qtbot: QtBot,
    sim: SimulatorThread,
    session: AnimazeSession,
    window: QMainWindow,
    service: HotkeyService,
) -> None:
    dock = CameraDock(session)
    service.camera = dock
    bar = CameraPresetsBar(service, dock, session)
    dock.add_extension(bar)
    await cs.show_refreshed(window, dock)
    service.save_preset(CameraPresetData("Wide", (0.0, 1.0, 4.0), (0.0, 0.0, 0.0, 1.0), 50.0))
    bar.combo.setCurrentText("Wide")

    accepted: list[str] = []
    session.commandSucceeded.connect(accepted.append)
    task = bar.apply_selected()
    assert task is not None
    await task
    assert accepted == ["SetCameraTransform", "SetCameraFov"]  # the session's one send path

    sim.faults.set(drop_after=0)  # the next frame drops the link: the preset cannot land
    failed = next_message(messages.Level.ERROR)
    task = bar.apply_selected()
    assert task is not None
    await task
    (message,) = await failed
    assert message.text.startswith("Camera preset “Wide”: ")
    assert bar.status.text() == message.text
