"""MainWindow: every dock, View menu, toolbar commands, address field, layout persistence."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDockWidget

from animaze_panel.animaze.address import LAST_URL_KEY, validate_url
from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.animaze.observers import ConnectionState
from animaze_panel.app import build_window, parse_args
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.main_window import THEME_KEY, MainWindow
from animaze_panel.ui.self_test import wait_ready
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.theme import ThemeManager, ThemeMode
from animaze_panel.ui.window_layout import STATE_KEY

from .conftest import QT_OFFSCREEN_NOISE, action, signal_future, sim_frame, wait_until

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)

CONTRACT_DOCKS = {
    "galleryDock", "quickscenesDock", "trafficLogDock", "appLogDock", "emotesDock",
    "avatarActionsDock", "cameraDock", "avatarTransformDock", "behavioursDock", "chatPalDock",
}


@pytest.mark.asyncio
async def test_every_contract_dock_is_there_with_a_view_menu_toggle(
    main_window: MainWindow,
) -> None:
    names = {d.objectName() for d in main_window.docks()}
    assert names == CONTRACT_DOCKS
    toggles = {a.text() for a in main_window.docks_menu.actions()}
    assert {d.windowTitle() for d in main_window.docks()} <= toggles
    for dock in main_window.docks():
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetClosable
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetMovable
    log_dock = main_window.traffic_log
    log_dock.close()
    assert not log_dock.isVisible()
    log_dock.toggleViewAction().trigger()
    assert log_dock.isVisible()


@pytest.mark.asyncio
async def test_add_dock_appears_in_view_menu(main_window: MainWindow) -> None:
    extra = QDockWidget("Hotkeys", main_window)
    extra.setObjectName("hotkeysDock")
    main_window.add_dock(extra, Qt.DockWidgetArea.RightDockWidgetArea)
    assert extra in main_window.docks()
    assert extra.toggleViewAction() in main_window.docks_menu.actions()
    unnamed = QDockWidget("No name", main_window)
    with pytest.raises(ValueError, match="objectName"):
        main_window.add_dock(unnamed, Qt.DockWidgetArea.RightDockWidgetArea)


@pytest.mark.asyncio
async def test_broadcast_and_calibrate_from_the_toolbar(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    since = simulator.simulator.frame_count
    main_window.broadcast_action.setChecked(True)
    await sim_frame(simulator, action("Broadcast", toggle=True), since=since)
    await wait_until(lambda: simulator.simulator.world.broadcasting)
    main_window.calibrate_action.trigger()
    await sim_frame(simulator, action("CalibrateTracker"), since=since)
    await wait_until(lambda: "calibrated" in main_window.statusBar().currentMessage())


@pytest.mark.asyncio
async def test_failed_command_shows_in_status_bar_and_reverts_broadcast(
    main_window: MainWindow, simulator: SimulatorThread
) -> None:
    simulator.faults.set(stall=True)  # Animaze stops answering
    client = main_window.session.client
    assert isinstance(client, ThreadedClient)  # the app's connection, as in the app
    client.request_timeout = 0.3
    main_window.broadcast_action.setChecked(True)
    await wait_until(lambda: not main_window.broadcast_action.isChecked(), timeout=5)
    assert "Broadcast" in main_window.statusBar().currentMessage()
    simulator.faults.set(stall=False)


@pytest.mark.asyncio
async def test_address_field_validates_and_switches(
    main_window: MainWindow, settings: QSettings, simulator: SimulatorThread
) -> None:
    edit = main_window.url_edit
    edit.setText("http://nowhere")
    edit.returnPressed.emit()
    assert edit.text() == "http://nowhere"  # what the user typed stays
    assert "ws://" in main_window.statusBar().currentMessage()
    assert settings.value(LAST_URL_KEY) is None
    session = main_window.session
    reconnected = signal_future(session.stateChanged, lambda s: s is ConnectionState.CONNECTED)
    edit.setText(simulator.url.removeprefix("ws://"))
    edit.returnPressed.emit()
    assert edit.text() == simulator.url
    assert settings.value(LAST_URL_KEY) == simulator.url
    await asyncio.wait_for(reconnected, 10)  # the old link dropped, the new one is up


def test_validate_url() -> None:
    assert validate_url("localhost:9000") == "ws://localhost:9000"
    assert validate_url(" ws://10.0.0.2:9000 ") == "ws://10.0.0.2:9000"
    for bad in ("http://x:1", "ws://:9000", "ws://host:99999"):
        with pytest.raises(ValueError):
            validate_url(bad)


def test_parse_args_rejects_bad_url(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--url", "http://x"])
    assert "--url" in capsys.readouterr().err
    assert parse_args(["--demo"]).demo


@pytest.mark.asyncio
async def test_layout_is_saved_on_close_and_restored(
    animaze_session: AnimazeSession, settings: QSettings, tmp_path: Path
) -> None:
    first = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "icons")
    first.show()
    await wait_ready(first)
    assert first.app_log.isHidden() and first.traffic_log.isHidden()  # logs: one click away
    first.chatpal.close()
    first.app_log.show()
    first.camera.setFloating(True)
    first.close()
    assert settings.value(STATE_KEY) is not None

    second = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "icons")
    second.show()
    await wait_ready(second)
    assert second.chatpal.isHidden() and not second.app_log.isHidden()
    assert second.camera.isFloating()
    second.reset_layout()
    assert not second.chatpal.isHidden() and not second.camera.isFloating()
    assert second.app_log.isHidden()
    second.close()

    third = build_window(
        animaze_session, settings, reset_layout=True, icon_cache_dir=tmp_path / "icons"
    )
    third.show()
    await wait_ready(third)
    assert not third.camera.isFloating()
    third.close()


@pytest.mark.asyncio
async def test_theme_switch_is_applied_and_remembered(
    animaze_session: AnimazeSession, settings: QSettings, tmp_path: Path, qapp: QApplication
) -> None:
    theme = ThemeManager(qapp, ThemeMode.DARK)
    window = build_window(animaze_session, settings, theme, icon_cache_dir=tmp_path / "i")
    window.show()
    await wait_ready(window)
    dark_window = qapp.palette().window().color().lightness()
    window.set_theme(ThemeMode.LIGHT)
    assert qapp.palette().window().color().lightness() > dark_window
    assert settings.value(THEME_KEY) == "light"
    assert window.theme_actions[ThemeMode.LIGHT].isChecked()
    window.set_theme(ThemeMode.SYSTEM)  # offscreen does not say: dark
    assert theme.dark
    window.close()
