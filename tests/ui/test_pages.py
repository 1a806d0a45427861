"""Side pages: the side bar, Ctrl+1..4, the remembered page, lazy pages and closing on quit."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget

from animaze_panel.app import build_window
from animaze_panel.ui.main_window import MainWindow
from animaze_panel.ui.pages import ClosablePage, PageKey
from animaze_panel.ui.self_test import wait_ready
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.lazy_page import LazyPage
from animaze_panel.ui.window_layout import PAGE_KEY

from .conftest import QT_OFFSCREEN_NOISE, wait_until

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)


class SessionPage(QLabel):
    """A page holding a 'paid session': closed once, or hanging on close when asked to."""

    def __init__(self, text: str, *, hang: bool = False) -> None:
        super().__init__(text)
        self.hang = hang
        self.closed = 0

    async def aclose(self) -> None:
        if self.hang:
            await asyncio.Event().wait()  # never set: the window's timeout must end it
        self.closed += 1


@pytest.mark.asyncio
async def test_only_added_pages_get_a_tab_in_key_order(main_window: MainWindow) -> None:
    assert main_window.pages() == [PageKey.ANIMAZE]
    assert main_window.page(PageKey.KALTURA) is None
    assert main_window.current_page() is PageKey.ANIMAZE
    assert not main_window.page_action(PageKey.KALTURA).isVisible()
    kaltura, kinetix = QLabel("kaltura"), QLabel("kinetix")
    main_window.add_page(PageKey.KALTURA, "Kaltura", QIcon(), kaltura)  # added before Kinetix
    main_window.add_page(PageKey.KINETIX, "Kinetix", QIcon(), kinetix)
    assert main_window.pages() == [PageKey.ANIMAZE, PageKey.KINETIX, PageKey.KALTURA]
    buttons = [main_window.side_bar.button(k) for k in PageKey]
    layout = main_window.side_bar.layout()
    assert layout is not None
    shown = sorted((b for b in buttons if b is not None), key=layout.indexOf)
    assert [b.text() for b in shown] == ["Animaze", "Kinetix", "Kaltura"]  # top to bottom
    assert main_window.page(PageKey.KINETIX) is kinetix
    with pytest.raises(ValueError, match="kinetix"):
        main_window.add_page(PageKey.KINETIX, "Kinetix", QIcon(), QLabel())
    button = main_window.side_bar.button(PageKey.KALTURA)
    assert button is not None
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert main_window.current_page() is PageKey.KALTURA
    assert kaltura.isVisible() and not main_window.gallery.isVisible()
    # The cloud page gets the whole area right of the side bar.
    stack = main_window.page_stack
    assert kaltura.size() == stack.size()
    assert stack.width() >= main_window.centralWidget().width() - main_window.side_bar.width()


@pytest.mark.asyncio
async def test_ctrl_number_switches_pages(main_window: MainWindow) -> None:
    kinetix = QLabel("kinetix")
    main_window.add_page(PageKey.KINETIX, "Kinetix", QIcon(), kinetix)
    main_window.activateWindow()
    await wait_until(main_window.isActiveWindow)
    QTest.keyClick(main_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    await wait_until(lambda: main_window.current_page() is PageKey.KINETIX)
    assert main_window.side_bar.button(PageKey.KINETIX).isChecked()  # type: ignore[union-attr]
    QTest.keyClick(main_window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # no Kaltura
    QTest.keyClick(main_window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    await wait_until(lambda: main_window.current_page() is PageKey.ANIMAZE)
    assert main_window.gallery.isVisible() and not kinetix.isVisible()


@pytest.mark.asyncio
async def test_last_page_is_remembered(
    animaze_session: AnimazeSession, settings: QSettings, tmp_path: Path
) -> None:
    def window() -> MainWindow:
        def extend(w: MainWindow) -> None:
            w.add_page(PageKey.KINETIX, "Kinetix", QIcon(), QLabel("kinetix"))

        built: MainWindow = build_window(
            animaze_session, settings, icon_cache_dir=tmp_path / "icons", extensions=[extend]
        )
        return built

    first = window()
    first.show()
    await wait_ready(first)
    first.show_page(PageKey.KINETIX)
    first.close()
    assert settings.value(PAGE_KEY) == "kinetix"
    second = window()
    second.show()
    assert second.current_page() is PageKey.KINETIX
    second.close()
    # A remembered page that is not there any more falls back to Animaze.
    third = build_window(animaze_session, settings, icon_cache_dir=tmp_path / "icons")
    third.show()
    assert third.current_page() is PageKey.ANIMAZE
    third.close()


@pytest.mark.asyncio
async def test_lazy_page_is_built_when_first_shown(main_window: MainWindow) -> None:
    built: list[SessionPage] = []

    def factory() -> QWidget:
        page = SessionPage("akool")
        built.append(page)
        return page

    lazy = LazyPage(factory)
    main_window.add_page(PageKey.AKOOL, "Akool", QIcon(), lazy)
    assert built == [] and lazy.content is None
    await lazy.aclose()  # closing a page that never started is fine
    main_window.show_page(PageKey.AKOOL)
    await wait_until(lambda: len(built) == 1)
    assert lazy.content is built[0] and built[0].isVisible()
    main_window.show_page(PageKey.ANIMAZE)
    main_window.show_page(PageKey.AKOOL)
    assert len(built) == 1
    await main_window.close_pages()
    assert built[0].closed == 1


@pytest.mark.asyncio
async def test_close_pages_closes_every_session_even_when_one_hangs(
    main_window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    hanging, fine = SessionPage("akool", hang=True), SessionPage("kaltura")
    assert isinstance(fine, ClosablePage) and not isinstance(QLabel(), ClosablePage)
    main_window.add_page(PageKey.AKOOL, "Akool", QIcon(), hanging)
    main_window.add_page(PageKey.KALTURA, "Kaltura", QIcon(), fine)
    with caplog.at_level(logging.ERROR):
        await main_window.close_pages(timeout=0.2)
    assert fine.closed == 1 and hanging.closed == 0
    assert "akool page did not close" in caplog.text


def test_page_keys_number_in_side_bar_order() -> None:
    assert [k.number for k in PageKey] == [1, 2, 3, 4]
    assert PageKey.parse("kinetix") is PageKey.KINETIX
    assert PageKey.parse("nope") is None



@pytest.mark.asyncio
async def test_opening_a_dock_from_a_cloud_page_shows_the_animaze_page(
    main_window: MainWindow,
) -> None:
    main_window.add_page(PageKey.KINETIX, "Kinetix", QIcon(), QLabel("kinetix"))
    main_window.show_page(PageKey.KINETIX)
    log_toggle = main_window.traffic_log.toggleViewAction()
    assert not log_toggle.isChecked()  # closed by default
    log_toggle.trigger()  # View > Docks > Traffic log
    assert main_window.current_page() is PageKey.ANIMAZE
    assert main_window.traffic_log.isVisible()
