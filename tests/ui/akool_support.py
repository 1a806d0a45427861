"""Helpers of the Akool page tests: a live view on the SDK double, shown offscreen.

* :func:`open_live_view`: a :class:`LiveView` serving the JavaScript double of the Agora SDK,
  shown at a fixed size, ready when the page has connected its channel; closed on exit.
* :func:`run_js`: evaluate JavaScript in the page and await the result (no blocking wait).
* :data:`CREDENTIALS`: Agora join credentials in Akool's shape (the double accepts any
  non-empty app id and token).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from PySide6.QtWebEngineCore import QWebEnginePage

from animaze_panel.ui.akool.live_view import LiveView
from animaze_panel.ui.akool.scheme import SdkSource

CREDENTIALS = {"agora_app_id": "app-1", "agora_channel": "chan-1", "agora_token": "tok-1",
               "agora_uid": 77}
WEBENGINE_NOISE = (
    r"This plugin does not support (propagateSizeHints|raise|createPlatformVulkanInstance).*",
    # offscreen: no GPU, so Qt's scene graph falls back to software rendering
    r"QRhiGles2: Failed to create .*",
    r"QVulkanInstance: Failed to initialize Vulkan",
    r"Unable to detect GPU vendor.*",
    r".*Release of profile requested but WebEnginePage still not deleted.*",
)


async def run_js(page: QWebEnginePage, script: str, timeout: float = 10.0) -> Any:
    """Run ``script`` in ``page`` and return its (JSON-compatible) result."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def done(result: Any) -> None:
        if not future.done():
            future.set_result(result)

    page.runJavaScript(script, 0, done)
    return await asyncio.wait_for(future, timeout)


async def configure_double(view: LiveView, **options: Any) -> None:
    """Steer the SDK double (see AgoraRTC.__double in agora_double.js)."""
    await run_js(view.live_page, f"AgoraRTC.__double.configure({json.dumps(options)}); true")


@asynccontextmanager
async def open_live_view(
    sdk: SdkSource = SdkSource.DOUBLE, size: tuple[int, int] = (640, 360)
) -> AsyncIterator[LiveView]:
    """A shown live view whose page is ready."""
    view = LiveView(sdk)
    view.resize(*size)
    view.show()
    try:
        await view.link.wait_ready(30)
        yield view
    finally:
        view.close()
        view.deleteLater()
        await asyncio.sleep(0)
