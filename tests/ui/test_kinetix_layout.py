"""The Kinetix page in the real main window at 1280x720: everything fits, nothing is clipped.

The window has its say bar along the bottom, as in the app (it takes the page's height).

The page has no scroll area: if its content needed more room than the window gives, the window
would grow past 1280x720 or buttons would be squeezed below their size (text cut with "…").
A screenshot is saved to build/screenshots/ for review.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLineEdit

from animaze_panel.app_cloud import Services, kinetix_extension
from animaze_panel.cloud.kinetix_models import EmoteFile, Process
from animaze_panel.fakes.kinetix_server import DEMO_API_KEY
from animaze_panel.secrets import MemorySecretStore
from animaze_panel.ui.kinetix.message import MessageLabel
from animaze_panel.ui.kinetix.tab import KinetixTab
from animaze_panel.ui.kinetix.viewmodel import KEY_NAME
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.pages import PageKey
from animaze_panel.ui.say import SayRouter
from animaze_panel.ui.say_install import install_say_box
from animaze_panel.ui.widgets.lazy_page import LazyPage

from .conftest import QT_OFFSCREEN_NOISE, signal_future, wait_until
from .kinetix_fixtures import QT_MULTIMEDIA_NOISE

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE, *QT_MULTIMEDIA_NOISE)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
async def test_page_fits_without_scrollbars_or_clipped_buttons(
    main_window: MainWindow, settings: QSettings, size: tuple[int, int]
) -> None:
    services = Services()
    secrets = MemorySecretStore({KEY_NAME: DEMO_API_KEY})
    kinetix_extension(settings, services, secrets, demo=True)(main_window)
    install_say_box(main_window, SayRouter())  # the app's bar along the bottom takes height
    main_window.resize(*size)
    main_window.show_page(PageKey.KINETIX)
    page = main_window.page(PageKey.KINETIX)
    assert isinstance(page, LazyPage)
    tab = page.content
    assert isinstance(tab, KinetixTab)
    try:
        accepted = signal_future(tab.model.keyStatus, lambda text, ok: ok)
        await asyncio.wait_for(accepted, 30)
        await wait_until(lambda: tab.isVisible() and tab.width() > 0, 30)
        await asyncio.sleep(0)  # one more turn: layouts settle
        assert (main_window.width(), main_window.height()) == size
        hint = tab.minimumSizeHint()
        assert hint.width() <= tab.width() and hint.height() <= tab.height(), (hint, tab.size())
        for button in tab.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), button.text()
        for edit in tab.findChildren(QLineEdit):
            assert edit.width() >= 120, edit.objectName()
        for area in tab.findChildren(QAbstractScrollArea):
            if area.isVisible():  # lists may scroll their items, but not when nearly empty
                assert not area.horizontalScrollBar().isVisible(), area.objectName()
        assert tab.account.plan_label.text().startswith("Demo plan")
        assert tab.account.user_edit.text() == "demo-player"  # demo: ready to try

        # A busy page: QR code, files, a long history and long messages everywhere. Controls
        # keep their places (messages have a fixed height) and still fit.
        before = {b.objectName(): b.geometry() for b in tab.findChildren(QAbstractButton)}
        shown = signal_future(tab.token_panel.qrShown)
        tab.token_panel.new_button.click()
        await asyncio.wait_for(shown, 30)
        tab.files_panel.show_files(tuple(
            EmoteFile(f"animation-{n}", ext, f"http://x/{n}.{ext}")
            for n, ext in enumerate(("fbx", "glb", "kinanim", "png", "gif"))))
        tab.history.show_history([
            Process(uuid=f"{n:08d}-0000-0000-0000-000000000000", step="done", name=f"Emote {n}",
                    created_at="2026-12-02T10:00:00.000Z") for n in range(12)])
        long = "Kinetix refused the request while uploading the video " * 4
        for label in tab.findChildren(MessageLabel):
            label.show_message(long, False)
        await asyncio.sleep(0)
        after = {b.objectName(): b.geometry() for b in tab.findChildren(QAbstractButton)}
        moved = [name for name, rect in before.items() if name and after.get(name) != rect]
        assert moved == []
        assert (main_window.width(), main_window.height()) == size
        for button in tab.findChildren(QAbstractButton):
            if button.isVisible():
                assert button.width() >= button.sizeHint().width(), button.text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        main_window.grab().save(str(SHOTS / f"kinetix-{size[0]}x{size[1]}.png"), "PNG")
    finally:
        await main_window.close_pages()
        for stop in services.stoppers:
            stop()


def test_message_colours_follow_the_theme(qapp: object) -> None:
    from PySide6.QtGui import QColor, QPalette

    from animaze_panel.ui.kinetix.message import ERROR_COLOR, SUCCESS_COLOR

    label = MessageLabel()
    for window, expected in (("#1f2126", (SUCCESS_COLOR, ERROR_COLOR)),
                             ("#f3f3f6", ("#1e7e4f", "#c62828"))):
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(window))
        label.setPalette(palette)
        label.show_message("Saved", True)
        assert f"color: {expected[0]};" == label.styleSheet()
        label.show_message("Refused", False)
        assert f"color: {expected[1]};" == label.styleSheet()
