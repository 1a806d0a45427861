"""Runs the control API server on the GUI loop: settings, the token in the keyring, status.

Off by default. The token is made on first use (``secrets.token_urlsafe``), kept only in the
OS keyring, shown to the user once (when made or rotated) and never logged. With no secure
store the API cannot be turned on, and the service says so.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets as pysecrets
from collections.abc import Coroutine
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QSettings, Signal

from ...control import discovery
from ...control.backend import ControlBackend
from ...control.errors import ControlError
from ...control.server import DEFAULT_PORT, ControlServer, ServerConfig
from ...secrets import Secret, SecretStore, SecretStoreError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class ControlApiOptions:
    """What the user chose (kept in QSettings; never the token)."""

    enabled: bool = False
    port: int = DEFAULT_PORT
    host: str = "127.0.0.1"
    allow_remote: bool = False

    @classmethod
    def load(cls, settings: QSettings) -> ControlApiOptions:
        """Read from ``settings`` (defaults for missing or broken values)."""
        def flag(key: str, default: bool) -> bool:
            value = settings.value(f"control_api/{key}", default)
            return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

        try:
            port = int(str(settings.value("control_api/port", DEFAULT_PORT)))
        except ValueError:
            port = DEFAULT_PORT
        host = str(settings.value("control_api/host", "127.0.0.1")) or "127.0.0.1"
        return cls(flag("enabled", False), port if 1 <= port <= 65535 else DEFAULT_PORT, host,
                   flag("allow_remote", False))

    def save(self, settings: QSettings) -> None:
        """Write to ``settings``."""
        settings.setValue("control_api/enabled", self.enabled)
        settings.setValue("control_api/port", self.port)
        settings.setValue("control_api/host", self.host)
        settings.setValue("control_api/allow_remote", self.allow_remote)


class ControlApiService(QObject):
    """Starts/stops the server as the options say and reports what it is doing."""

    changed = Signal()  # running, url, error or clients changed

    def __init__(self, backend: ControlBackend, store: SecretStore, settings: QSettings, *,
                 lane: asyncio.AbstractEventLoop | None = None,
                 discovery_path: Path | None = None, parent: QObject | None = None) -> None:
        """Create a stopped service (call :meth:`start_from_settings`).

        Args:
            backend: The panel, as the API sees it.
            store: Where the token lives (an in-memory store in ``--demo``).
            settings: Where the options live.
            lane: The loop the server runs on (the connection's I/O loop, where hotkeys run;
                ``None``: this loop).
            discovery_path: Where to publish the URL for ``animaze-panel call`` (``None``:
                the default; tests and ``--demo`` pass a scratch path).
            parent: Qt parent.
        """
        super().__init__(parent)
        self._backend = backend
        self._store = store
        self._settings = settings
        self._discovery = discovery_path
        self.options = ControlApiOptions.load(settings)
        self.server: ControlServer | None = None
        self.error = ""
        self.clients = 0
        self._lock = asyncio.Lock()
        self._lane = lane
        self._home = asyncio.get_running_loop()

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self.server is not None

    @property
    def url(self) -> str:
        """The base URL while running, else ``""``."""
        return self.server.url if self.server is not None else ""

    def has_token(self) -> bool:
        """Whether a token exists in the store (``False`` if the store is unusable)."""
        try:
            return self._store.get(discovery.TOKEN_NAME) is not None
        except SecretStoreError:
            return False

    def rotate_token(self) -> str:
        """Make a new token, store it, and hand it to the running server.

        Returns:
            The new token, for the dialog to show once.

        Raises:
            SecretStoreError: No secure store (the API then cannot be used).
        """
        token = Secret(pysecrets.token_urlsafe(24))
        self._store.set(discovery.TOKEN_NAME, token)
        server = self.server
        if server is not None:
            if self._lane is None:
                server.set_token(token)
            else:
                self._lane.call_soon_threadsafe(server.set_token, token)
        self.changed.emit()
        return token.reveal()

    async def start_from_settings(self) -> None:
        """Start the server if the saved options say so (at app start)."""
        if self.options.enabled:
            await self.apply(self.options)

    async def apply(self, options: ControlApiOptions) -> str | None:
        """Save ``options`` and (re)start or stop the server accordingly.

        Returns:
            A freshly made token when one had to be created (show it once), else ``None``.
            Failures (port taken, no keyring, unsafe host) are in :attr:`error`.
        """
        async with self._lock:
            self.options = options
            options.save(self._settings)
            await self._stop()
            self.error = ""
            made: str | None = None
            if options.enabled:
                try:
                    token = self._store.get(discovery.TOKEN_NAME)
                    if token is None:
                        made = pysecrets.token_urlsafe(24)
                        token = Secret(made)
                        self._store.set(discovery.TOKEN_NAME, token)
                    await self._start(token, options)
                except SecretStoreError as exc:
                    self.error = (f"{exc}. The control API needs the OS keyring for its token; "
                                  "install or unlock one, then turn the API on again.")
                except ControlError as exc:
                    self.error = exc.message
                except OSError as exc:
                    self.error = (f"Cannot listen on {options.host}:{options.port} "
                                  f"({exc.strerror or exc}); pick another port.")
                if self.error:
                    log.warning("Control API not started: %s", self.error)
            self.changed.emit()
            return made

    async def _start(self, token: Secret, options: ControlApiOptions) -> None:
        server = ControlServer(self._backend, token, ServerConfig(
            host=options.host, port=options.port, allow_remote=options.allow_remote))
        server.on_clients = self._clients_changed
        await self._run(server.start())
        self.server = server
        try:
            discovery.publish(discovery.Endpoint(server.url, os.getpid()), self._discovery)
        except OSError as exc:  # the API works; only `animaze-panel call` will not find it
            log.warning("Could not publish the control API address: %s", exc)

    async def _stop(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            await self._run(server.stop())
            discovery.withdraw(self._discovery)
        self.clients = 0

    async def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._lane is None:
            return await coro
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self._lane))

    def _clients_changed(self, count: int) -> None:  # on the server's loop
        if not self._home.is_closed():
            self._home.call_soon_threadsafe(self._on_clients, count)

    def _on_clients(self, count: int) -> None:
        self.clients = count
        self.changed.emit()

    async def aclose(self) -> None:
        """Stop the server (app quit)."""
        async with self._lock:
            await self._stop()

    def with_enabled(self, enabled: bool) -> ControlApiOptions:
        """The current options with ``enabled`` changed."""
        return replace(self.options, enabled=enabled)
