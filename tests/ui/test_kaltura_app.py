"""App wiring: the Kaltura page (lazy, --demo on the fake server) and the toolbar say box."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from animaze_panel.app import Services, build_window, cloud_secret_store, kaltura_extension
from animaze_panel.ui.hotkeys.hotkeys_install import hotkeys_extension
from animaze_panel.ui.kaltura.page import KalturaPage
from animaze_panel.ui.kaltura.viewmodel import Phase
from animaze_panel.ui.pages import PageKey
from animaze_panel.ui.say import SayRouter
from animaze_panel.ui.say_install import say_extension
from animaze_panel.ui.session import AnimazeSession

from .conftest import QT_OFFSCREEN_NOISE, wait_until
from .kaltura_support import shared_pulse

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE, "PulseAudioService")


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
    window: Any = build_window(
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
        page = window.page(PageKey.KALTURA).content
        assert isinstance(page, KalturaPage)
        assert len(services.stoppers) == 1  # --demo: the fake Kaltura server is running
        # The demo KS is already saved (in memory): only an avatar id is needed.
        assert page.model.ks_stored()
        page.session_form.avatar_edit.setText("demo-avatar")
        page.session_form.start_button.click()
        await wait_until(lambda: page.model.phase is Phase.LIVE, 30)
        await wait_until(lambda: window.say_box.target_box.findText("Kaltura") >= 0)

        router.set_choice("kaltura")
        window.say_box.input.setText("Hello from the toolbar")
        window.say_box.send_current()
        await wait_until(lambda: not window.say_box.busy, 10)
        assert page.model.turns[-1].text == "Hello from the toolbar"
        assert window.say_box.input.text() == ""
    finally:
        window.close()
        await window.close_pages()  # as on quit: the paid session ends first
        page = window.page(PageKey.KALTURA).content
        if isinstance(page, KalturaPage):
            assert page.model.session is None and page.model.phase is Phase.IDLE
        await services.stop()
