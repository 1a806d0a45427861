"""Helpers of the Akool page tests: a live view on the SDK double, shown offscreen.

* :func:`open_live_view`: a :class:`LiveView` serving the JavaScript double of the Agora SDK,
  shown at a fixed size, ready when the page has connected its channel; closed on exit.
* :func:`run_js`: evaluate JavaScript in the page and await the result (no blocking wait).
* :data:`CREDENTIALS`: Agora join credentials in Akool's shape (the double accepts any
  non-empty app id and token).
* ``akool_server`` / ``akool_keyring`` fixtures and :func:`open_page`: the whole page against the
  fake Akool server, credentials in an in-memory keyring; :func:`go_live` starts a session.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import keyring
import pytest
from PySide6.QtWebEngineCore import QWebEnginePage

from animaze_panel.cloud._http import RetryPolicy
from animaze_panel.cloud.akool import AkoolClient, AkoolConfig
from animaze_panel.fakes.akool_server import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, FakeAkoolThread
from animaze_panel.secrets import SecretStore
from animaze_panel.ui.akool.account import CLIENT_ID, CLIENT_SECRET
from animaze_panel.ui.akool.live_session import Phase
from animaze_panel.ui.akool.live_view import LiveView
from animaze_panel.ui.akool.page import AkoolPage
from animaze_panel.ui.akool.scheme import SdkSource
from tests.cloud import memory_keyring
from tests.cloud.memory_keyring import MemoryKeyring

from .conftest import signal_future, wait_until

CREDENTIALS = {"agora_app_id": "app-1", "agora_channel": "chan-1", "agora_token": "tok-1",
               "agora_uid": 77}
WEBENGINE_NOISE = (
    r"This plugin does not support (propagateSizeHints|raise|createPlatformVulkanInstance).*",
    # offscreen: no GPU, so Qt's scene graph falls back to software rendering
    r"QRhiGles2: Failed to create .*",
    r"QVulkanInstance: Failed to initialize Vulkan",
    r"Unable to detect GPU vendor.*",
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
        await view.dispose()


# ------------------------------------------------------------------------- the whole page


@pytest.fixture
def akool_server() -> Iterator[FakeAkoolThread]:
    """The fake Akool API in its own thread (sessions start running after 0.05 s)."""
    fake = FakeAkoolThread(avatar_step_seconds=0.05, session_start_seconds=0.05)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def akool_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring holding the fake's client ID and secret."""
    backend, previous = memory_keyring.install()
    backend.set_password("animaze-panel", CLIENT_ID, DEMO_CLIENT_ID)
    backend.set_password("animaze-panel", CLIENT_SECRET, DEMO_CLIENT_SECRET)
    yield backend
    keyring.set_keyring(previous)


def make_client(base_url: str) -> AkoolClient:
    """A client of the fake that fails fast."""
    return AkoolClient(AkoolConfig(base_url=base_url, timeout=5.0,
                                   retry=RetryPolicy(attempts=1), avatar_poll_interval=0.05))


@asynccontextmanager
async def open_page(
    fake: FakeAkoolThread, ledger_dir: Path, join_timeout: float = 10.0, ready: bool = True,
    on_built: Callable[[AkoolPage], None] | None = None,
) -> AsyncIterator[AkoolPage]:
    """The Akool page against ``fake`` with the SDK double, shown at the panel's size.

    ``on_built(page)`` runs as soon as the page exists, before any of its requests is answered.
    """
    page = AkoolPage(make_client(fake.server.base_url), SecretStore(), ledger_dir,
                     SdkSource.DOUBLE, join_timeout)
    if on_built is not None:
        on_built(page)
    page.resize(1160, 640)
    page.show()
    try:
        await wait_until(lambda: page.view.link.sdk_loaded is not None, 30)  # page is up
        if ready:
            await wait_until(lambda: page.avatars.list.count() > 0, 10)
        yield page
    finally:
        await page.aclose()
        page.close()
        page.deleteLater()
        await asyncio.sleep(0)


async def go_live(page: AkoolPage, timeout: float = 20.0) -> None:
    """Press Start with the first available avatar and wait until the session is live."""
    live = signal_future(page.live.phaseChanged, lambda phase: phase is Phase.LIVE)
    page.form.start_button.click()
    await asyncio.wait_for(live, timeout)
