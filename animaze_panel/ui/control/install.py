"""install_control_api: wires the local control API into the main window.

Adds Settings > Control API…, a status-bar mark while it is on, and starts the server if the
user left it on last time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu

from ...control.model import CloudSession
from ...secrets import SecretStore
from ..hotkeys.hotkeys_service import HotkeyService
from ..session import AnimazeSession
from .panel_backend import PanelBackend
from .service import ControlApiService
from .settings_dialog import ControlApiDialog


def install_control_api(
    window: QMainWindow,
    menu: QMenu,
    session: AnimazeSession,
    hotkeys: HotkeyService,
    store: SecretStore,
    settings: QSettings,
    *,
    discovery_path: Path | None = None,
    behaviours: Callable[[], Mapping[str, bool]] | None = None,
    cloud: Callable[[], tuple[CloudSession, ...]] | None = None,
    say_targets: Callable[[], tuple[tuple[str, str], ...]] | None = None,
) -> ControlApiService:
    """Create the service, its menu entry and status mark; start it if it was left on.

    Args:
        window: The main window (parent of the dialog; its status bar shows the mark).
        menu: Where "Control API…" goes (the Settings menu).
        session: The Animaze session.
        hotkeys: The hotkey service (the road every API action takes).
        store: The secret store for the token (in-memory in ``--demo``).
        settings: Where the options live.
        discovery_path: Where ``animaze-panel call`` finds the running API (``None``: default).
        behaviours: Behaviour states the panel knows.
        cloud: Live cloud avatar sessions.
        say_targets: The say box's targets.

    Returns:
        The service; ``await service.aclose()`` on quit.
    """
    backend = PanelBackend(session, hotkeys, behaviours=behaviours, cloud=cloud,
                           say_targets=say_targets, parent=window)
    service = ControlApiService(backend, store, settings, lane=hotkeys.lane_loop,
                                discovery_path=discovery_path, parent=window)
    action = QAction("&Control API…", window)
    action.setObjectName("controlApiAction")
    action.setStatusTip("Let Stream Deck, Streamer.bot, Touch Portal or scripts drive the panel")
    menu.addAction(action)
    mark = QLabel()
    mark.setObjectName("controlApiMark")
    window.statusBar().addPermanentWidget(mark)

    def show_mark() -> None:
        mark.setVisible(service.running)
        clients = service.clients
        mark.setText(f"API on · {clients} client{'' if clients == 1 else 's'}")
        mark.setToolTip(service.url)

    def open_dialog() -> None:
        dialog = ControlApiDialog(service, window)
        dialog.setModal(False)
        dialog.show()

    service.changed.connect(show_mark)
    action.triggered.connect(open_dialog)
    show_mark()
    session.spawn(service.start_from_settings())
    return service
