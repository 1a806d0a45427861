"""App wiring: the Kaltura page (lazy, --demo on the fake server) and the toolbar say box."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from animaze_panel.app import build_window
from animaze_panel.app_cloud import Services, cloud_secret_store, kaltura_extension
from animaze_panel.fakes.kaltura_server import DEMO_AVATAR_ID
from animaze_panel.ui.hotkeys.hotkeys_install import hotkeys_extension
from animaze_panel.ui.kaltura.page import KalturaPage
from animaze_panel.ui.kaltura.viewmodel import Phase
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.pages import PageKey
from animaze_panel.ui.say import SayRouter
from animaze_panel.ui.say_install import say_extension
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.lazy_page import LazyPage

from .conftest import QT_OFFSCREEN_NOISE, wait_until
from .kaltura_support import shared_pulse
from .kinetix_fixtures import QT_MULTIMEDIA_NOISE

# The page's audio is the first QtMultimedia use when this test runs alone.
pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE, "PulseAudioService",
                                       *QT_MULTIMEDIA_NOISE)


@pytest.mark.asyncio
async def test_demo_kaltura_page_and_say_box_end_to_end(
    animaze_session: AnimazeSession, tmp_path: Path, qapp: QApplication
) -> None:
    shared_pulse()
    QApplication.setQuitOnLastWindowClosed(False)
    services = Services()
    secrets = cloud_secret_store(demo=True)  # as --demo: in memory, never the OS keyring
    router = SayRouter()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    hotkeys = hotkeys_extension(animaze_session, services.closers,
                                profile_path=tmp_path / "hotkeys.toml")
    window = build_window(
        animaze_session, settings, icon_cache_dir=tmp_path / "icons",
        extensions=[
            hotkeys,
            kaltura_extension(services, router, secrets, demo=True),
            say_extension(router, hotkeys),
        ],
    )
    window.show()
    try:
        assert PageKey.KALTURA in window.pages()
        assert hotkeys.feature is not None
        assert hotkeys.feature.service.say_router is router  # the "say" hotkey action
        assert window.say_router is router
        assert [t.key for t in router.targets()] == ["kaltura", "chatpal"]
        kaltura = router.target("kaltura")
        assert kaltura is not None and not kaltura.is_live()
        assert services.stoppers == []  # the fake server starts with the page, not before

        window.show_page(PageKey.KALTURA)
        page = _kaltura_page(window)
        assert isinstance(page, KalturaPage)
        assert len(services.stoppers) == 1  # --demo: the fake Kaltura server is running
        # The demo KS is already saved (in memory) and an avatar id filled in: Start is enough.
        assert page.model.ks_stored()
        assert page.session_form.avatar_edit.text() == DEMO_AVATAR_ID
        page.session_form.start_button.click()
        await wait_until(lambda: page.model.phase is Phase.LIVE, 30)
        box = window.say_box
        assert box is not None
        await wait_until(lambda: box.target_box.findText("Kaltura") >= 0)

        router.set_choice("kaltura")
        box.input.setText("Hello from the toolbar")
        box.send_current()
        await wait_until(lambda: not box.busy, 10)
        assert page.model.turns[-1].text == "Hello from the toolbar"
        assert box.input.text() == ""
    finally:
        window.close()
        await window.close_pages()  # as on quit: the paid session ends first
        closed = _kaltura_page(window)
        if isinstance(closed, KalturaPage):
            assert closed.model.session is None and closed.model.phase is Phase.IDLE
        await services.stop()


def _kaltura_page(window: MainWindow) -> QWidget | None:
    """The Kaltura page's content once it was built (pages are built on first show)."""
    holder = window.page(PageKey.KALTURA)
    assert isinstance(holder, LazyPage)
    return holder.content
