"""SingleInstance: one panel per settings file; a second start raises the running window.

Two panels on the same settings would fight over the saved layout, the hotkeys file and the
global key grabs. The first panel listens on a local socket (``QLocalServer``: a Unix socket or
a Windows named pipe) named after its settings file; a later start with the same settings
connects, asks it to come to the front and exits. A socket left behind by a crashed panel
accepts no connection, so it is removed and taken over.

``--demo``, ``--self-test`` and the ``call`` tool never claim it (they do not use the user's
settings, or are not a window).
"""

from __future__ import annotations

import getpass
import hashlib
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_MS = 500
"""How long a second start waits for the first to answer (it answers from its event loop)."""
RAISE = b"raise\n"


def server_name(settings_file: str) -> str:
    """The local socket name for a settings file (per user; short enough for any OS)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no user name (some containers): the file path still differs
        user = ""
    digest = hashlib.sha256(f"{user}\0{settings_file}".encode()).hexdigest()[:20]
    return f"animaze-panel-{digest}"


class SingleInstance(QObject):
    """Claims the settings file; emits :attr:`raiseRequested` when another start asks."""

    raiseRequested = Signal()

    def __init__(self, settings_file: str, parent: QObject | None = None) -> None:
        """Bind to ``settings_file`` (nothing is claimed yet)."""
        super().__init__(parent)
        self.name = server_name(settings_file)
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        """Become the panel for these settings, or ask the running one to come forward.

        Returns:
            ``True`` if this process is now the panel; ``False`` if another one runs (it was
            asked to raise its window).
        """
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(CONNECT_MS):
            socket.write(RAISE)
            socket.waitForBytesWritten(CONNECT_MS)
            socket.disconnectFromServer()
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)  # left behind by a panel that crashed
            if not server.listen(self.name):
                log.warning("Cannot guard against a second panel: %s", server.errorString())
                return True
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (on quit)."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def _on_connection(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready(socket)

    def _on_ready(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE.strip()):
            self.raiseRequested.emit()
