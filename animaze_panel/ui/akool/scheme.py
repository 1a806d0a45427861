"""The ``app://`` scheme serving the Akool live view's page from the package's resources.

Chromium treats a page from a custom scheme marked Secure as a secure context (microphone
capture works) and, marked LocalAccessAllowed, lets it load ``qwebchannel.js``. The scheme must
be registered before the ``QApplication`` exists, so importing this module registers it (app.py
and tests/conftest.py import it first). Importing QtWebEngineWidgets this early also lets Qt share
OpenGL contexts the way WebEngine needs.

Layout of ``app://akool/``:

- ``index.html``, ``bridge.js`` ... : files of ``resources/web/akool/``;
- ``qwebchannel.js``: Qt's own copy, read from the Qt resource system (``qrc``);
- ``agora.js``: the Agora Web SDK the page runs - the vendored SDK
  (``resources/web/vendor/AgoraRTC_N.js``, see scripts/vendor-agora) or, in tests and ``--demo``,
  the JavaScript test double ``resources/web/akool/agora_double.js``.
"""

from __future__ import annotations

import enum
import logging
import mimetypes
from pathlib import Path

import PySide6.QtWebEngineWidgets  # noqa: F401  # must load before the QApplication exists
from PySide6.QtCore import QBuffer, QByteArray, QFile, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from ..widgets.resources import resources_dir

log = logging.getLogger(__name__)

SCHEME = b"app"
HOST = "akool"
PAGE_URL = f"{SCHEME.decode()}://{HOST}/index.html"
QWEBCHANNEL_QRC = ":/qtwebchannel/qwebchannel.js"


class SdkSource(enum.Enum):
    """Which Agora SDK file the page gets as ``agora.js``."""

    VENDORED = "vendored"
    DOUBLE = "double"


def register_scheme() -> None:
    """Register ``app://`` with QtWebEngine (idempotent; before the QApplication only)."""
    if bytes(QWebEngineUrlScheme.schemeByName(SCHEME).name().data()) == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(
        QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed
    )
    QWebEngineUrlScheme.registerScheme(scheme)


register_scheme()


def web_dir() -> Path:
    """``resources/web`` (checkout or installed wheel)."""
    return resources_dir() / "web"


def sdk_path(source: SdkSource) -> Path:
    """The file served as ``agora.js`` for ``source``."""
    if source is SdkSource.DOUBLE:
        return web_dir() / "akool" / "agora_double.js"
    return web_dir() / "vendor" / "AgoraRTC_N.js"


def vendored_sdk_present() -> bool:
    """Whether scripts/vendor-agora has put the real SDK in place."""
    return sdk_path(SdkSource.VENDORED).is_file()


class WebResources(QWebEngineUrlSchemeHandler):
    """Answers ``app://akool/...`` GET requests from the files above; nothing else."""

    def __init__(self, sdk: SdkSource, parent: QObject | None = None) -> None:
        """Serve the page with ``sdk`` as its ``agora.js``.

        Args:
            sdk: The real vendored SDK or the test double.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.sdk = sdk
        self._root = (web_dir() / "akool").resolve()

    def _read(self, path: str) -> bytes | None:
        if path == "/qwebchannel.js":
            qfile = QFile(QWEBCHANNEL_QRC)
            if not qfile.open(QIODevice.OpenModeFlag.ReadOnly):
                return None
            try:
                return bytes(qfile.readAll().data())
            finally:
                qfile.close()
        if path == "/agora.js":
            file = sdk_path(self.sdk)
        else:
            file = (self._root / path.lstrip("/")).resolve()
            if not file.is_relative_to(self._root):  # no ../ out of the page's folder
                return None
        try:
            return file.read_bytes()
        except OSError:
            return None

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt name)
        """Reply with the file's bytes, or fail the request (unknown host/path, not a GET)."""
        url = job.requestUrl()
        if bytes(job.requestMethod().data()) != b"GET" or url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        data = self._read(url.path())
        if data is None:
            log.warning("app://%s%s: not found", url.host(), url.path())
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        mime = mimetypes.guess_type(url.path())[0] or "application/octet-stream"
        if mime == "text/javascript":
            mime = "application/javascript"
        buffer = QBuffer(job)  # lives as long as the request
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(mime.encode(), buffer)
