"""The live view: a QWebEngineView showing the avatar's video from the bridge page.

The view has its own off-the-record profile (nothing written to disk) with the ``app://``
handler (:mod:`.scheme`), a QWebChannel carrying :class:`~.bridge.PageBridge`, autoplay without a
click, and a permission policy that grants the microphone only to our own page's origin and
refuses every other permission and origin. JavaScript console output goes to Python logging.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEnginePermission,
    QWebEngineProfile,
    QWebEngineSettings,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from .bridge import PageBridge
from .live_link import LiveLink
from .scheme import HOST, PAGE_URL, SCHEME, SdkSource, WebResources

log = logging.getLogger(__name__)

_CONSOLE_LEVELS = {
    QWebEnginePage.JavaScriptConsoleMessageLevel.InfoMessageLevel: logging.DEBUG,
    QWebEnginePage.JavaScriptConsoleMessageLevel.WarningMessageLevel: logging.INFO,
    QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel: logging.WARNING,
}


def is_our_origin(url: QUrl) -> bool:
    """Whether ``url`` is the live-view page's own origin (``app://akool``)."""
    return url.scheme() == SCHEME.decode() and url.host() == HOST


class LivePage(QWebEnginePage):
    """The bridge page: microphone for our origin only; console to logging."""

    def __init__(self, profile: QWebEngineProfile, parent: QWidget | None = None) -> None:
        """Create the page on ``profile``."""
        super().__init__(profile, parent)
        self.permissionRequested.connect(self._on_permission)
        self.granted: list[str] = []
        self.denied: list[str] = []

    def _on_permission(self, permission: QWebEnginePermission) -> None:
        kind = permission.permissionType()
        origin = permission.origin()
        allowed = (kind == QWebEnginePermission.PermissionType.MediaAudioCapture
                   and is_our_origin(origin))
        record = f"{kind.name} {origin.toString()}"
        if allowed:
            self.granted.append(record)
            permission.grant()
        else:
            self.denied.append(record)
            log.info("refused %s", record)
            permission.deny()

    def javaScriptConsoleMessage(  # noqa: N802 (Qt name)
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        """Route the page's console to Python logging (never Qt's warning channel)."""
        log.log(_CONSOLE_LEVELS.get(level, logging.DEBUG), "js %s:%d: %s", source, line, message)


class LiveView(QWebEngineView):
    """The avatar's video. :attr:`link` is the async API to the page."""

    def __init__(self, sdk: SdkSource, parent: QWidget | None = None) -> None:
        """Load the bridge page with ``sdk`` as its Agora SDK.

        Args:
            sdk: The vendored SDK, or the test double (tests and ``--demo``).
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("akoolLiveView")
        # The profile is created without a parent and adopted after the page, so Qt destroys
        # the page first (a profile must outlive its pages).
        profile = QWebEngineProfile()
        self.handler = WebResources(sdk, profile)
        profile.installUrlSchemeHandler(SCHEME, self.handler)
        self.live_page = LivePage(profile, self)
        profile.setParent(self)
        self.profile_ = profile
        # Black before the page paints (and between sessions), as the page itself is.
        self.live_page.setBackgroundColor(QColor("black"))
        settings = self.live_page.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.PlaybackRequiresUserGesture, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.ShowScrollBars, False)
        self.bridge = PageBridge(self)
        self.channel = QWebChannel(self.live_page)
        self.channel.registerObject("bridge", self.bridge)
        self.live_page.setWebChannel(self.channel)
        self.link = LiveLink(self.bridge, self)
        self.live_page.renderProcessTerminated.connect(self._on_renderer_gone)
        self.setPage(self.live_page)
        self.load(QUrl(PAGE_URL))

    def _on_renderer_gone(self, status: QWebEnginePage.RenderProcessTerminationStatus,
                          code: int) -> None:
        """The page's renderer died: fail what waits on it, report, and load the page anew."""
        log.warning("live view renderer ended (%s, %d)", status.name, code)
        self.link.renderer_gone()
        self.load(QUrl(PAGE_URL))

    async def dispose(self, timeout: float = 5.0) -> None:
        """Close and delete the view, waiting until Qt has destroyed it and its profile.

        WebEngine must be torn down while the application still runs; a view left for the
        interpreter's exit can take Chromium down with it.
        """
        destroyed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def done(*_: object) -> None:
            if not destroyed.done():
                destroyed.set_result(None)

        self.destroyed.connect(done)
        self.close()
        self.deleteLater()
        try:
            await asyncio.wait_for(destroyed, timeout)
        except TimeoutError:
            log.warning("the live view was not destroyed within %g s", timeout)
