"""The Kaltura page end to end: fake Kaltura server -> WHEP -> frames on screen -> say -> end."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import keyring
import pytest
import pytest_asyncio
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from animaze_panel.cloud.kaltura import KalturaConfig
from animaze_panel.fakes.kaltura_server import DEMO_KS, FakeKalturaServer, FakeKalturaThread
from animaze_panel.secrets import Secret, SecretStore
from animaze_panel.ui.kaltura.ks_keeper import KS_SECRET_NAME
from animaze_panel.ui.kaltura.page import KalturaPage
from animaze_panel.ui.kaltura.turns import TurnStatus
from animaze_panel.ui.kaltura.viewmodel import Phase
from animaze_panel.ui.main_window import MainWindow

from ..cloud import memory_keyring
from .conftest import QT_OFFSCREEN_NOISE, wait_until
from .kaltura_support import shared_pulse

# Without a sound server Qt warns once when the audio output is looked up (the page then says
# there is no sound device).
pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE, "PulseAudioService")

START_TIMEOUT = 30.0  # ICE + DTLS on a busy 2-core machine


@pytest.fixture
def fake() -> Iterator[FakeKalturaThread]:
    thread = FakeKalturaThread(width=640, height=360, fps=30.0)
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def store() -> Iterator[SecretStore]:
    backend, previous = memory_keyring.install()
    yield SecretStore("animaze-panel-test")
    keyring.set_keyring(previous)


@pytest.fixture
def pulse() -> bool:
    return shared_pulse()


@pytest_asyncio.fixture
async def page(
    qtbot: QtBot, fake: FakeKalturaThread, store: SecretStore, pulse: bool
) -> AsyncIterator[KalturaPage]:
    assert fake.server is not None
    widget = KalturaPage(KalturaConfig(base_url=fake.server.base_url, timeout=10.0), store,
                         connect_timeout=20.0)
    widget.resize(1100, 640)
    widget.show()
    yield widget
    await widget.aclose()  # a failed test must not leave a session or a socket open
    widget.close()
    widget.deleteLater()  # not qtbot.addWidget: pytest-qt deletes before async teardown


def server(fake: FakeKalturaThread) -> FakeKalturaServer:
    assert fake.server is not None
    return fake.server


def picture(page: KalturaPage) -> QImage:
    return page.video_panel.view.grab().toImage()


def lit_pixels(image: QImage) -> int:
    """Pixels clearly brighter than black, on a coarse grid."""
    return sum(
        1 for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)
        if image.pixelColor(x, y).lightness() > 40
    )


async def start(page: KalturaPage, ks: str = DEMO_KS, avatar: str = "avatar-1") -> bool:
    page.session_form.ks_edit.setText(ks)
    page.session_form.avatar_edit.setText(avatar)
    return await page.model.start(ks, avatar, "")


@pytest.mark.asyncio
async def test_live_session_shows_a_changing_picture_says_and_ends(
    page: KalturaPage, fake: FakeKalturaThread, store: SecretStore
) -> None:
    page.session_form.ks_edit.setText(DEMO_KS)
    page.session_form.avatar_edit.setText("avatar-1")
    page.session_form.start_button.click()
    await wait_until(lambda: page.model.phase is Phase.LIVE, START_TIMEOUT)
    assert page.session_form.phase_label.text().startswith("Live")
    assert page.video_panel.media_label.text() == "Media: connected (direct)"  # no TURN here
    # The KS was accepted, so it is now in the keyring and no longer in the field.
    assert store.get(KS_SECRET_NAME) == Secret(DEMO_KS)
    assert page.session_form.ks_edit.text() == ""

    await wait_until(lambda: lit_pixels(picture(page)) > 20, 10)
    first = picture(page)
    await wait_until(lambda: picture(page) != first, 10)  # the frame counter moves
    assert page.model.surface.source_size.width() == 640

    page.say_panel.text_edit.setPlainText("Hello from the panel")
    page.say_panel.text_edit.setFocus()
    QTest.keyClick(page.say_panel.text_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    await wait_until(lambda: bool(page.model.turns) and page.model.turns[-1].status
                     is TurnStatus.SAID, 10)
    assert page.say_panel.text_edit.toPlainText() == ""
    (session,) = server(fake).sessions.values()
    assert session.said[-1]["text"] == "Hello from the panel"
    assert session.said[-1]["isFinal"] is True
    assert session.said[-1]["turnId"] == page.model.turns[-1].turn_id
    assert "said" in page.say_panel.turn_list.item(0).text()

    page.say_panel.interrupt_button.click()
    await wait_until(lambda: session.interrupts == 1, 10)
    await wait_until(lambda: page.model.turns[-1].status is TurnStatus.INTERRUPTED, 10)

    page.session_form.end_button.click()
    await wait_until(lambda: page.model.phase is Phase.IDLE, 10)
    assert session.ended
    assert session.viewers_deleted == 1  # the WHEP resource was DELETEd
    assert page.model.surface.image() is None
    assert page.session_form.start_button.isEnabled()


@pytest.mark.asyncio
async def test_long_text_streams_as_parts_of_one_turn(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    assert await start(page)
    sentence = "This sentence is here to make the text long enough for parts. "
    text = sentence * 12
    assert await page.model.say(text)
    (session,) = server(fake).sessions.values()
    parts = session.said
    assert len(parts) >= 2
    assert len({p["turnId"] for p in parts}) == 1
    assert [p["isFinal"] for p in parts] == [False] * (len(parts) - 1) + [True]
    assert " ".join(p["text"] for p in parts) == text.strip()
    assert await page.model.say("Second message")
    assert session.said[-1]["turnId"] != parts[0]["turnId"]  # a new turn per message
    await page.aclose()
    assert session.ended


@pytest.mark.asyncio
async def test_wrong_ks_is_shown_next_to_the_ks_and_input_kept(
    page: KalturaPage, fake: FakeKalturaThread, store: SecretStore
) -> None:
    page.session_form.ks_edit.setText("wrong-ks")
    page.session_form.avatar_edit.setText("avatar-1")
    assert not await page.model.start("wrong-ks", "avatar-1", "")
    ks_error = page.session_form.errors["ks"]
    assert ks_error.isVisible()
    assert "KS is wrong or expired" in ks_error.text()
    assert "wrong-ks" not in ks_error.text()
    assert page.session_form.ks_edit.text() == "wrong-ks"
    assert page.session_form.avatar_edit.text() == "avatar-1"
    assert store.get(KS_SECRET_NAME) is None  # a refused KS is not saved
    assert page.model.phase is Phase.IDLE


@pytest.mark.asyncio
async def test_missing_avatar_and_ks_are_refused_before_sending(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    assert not await page.model.start("", "avatar-1", "")
    assert "Paste your Kaltura Session" in page.session_form.errors["ks"].text()
    assert not await page.model.start(DEMO_KS, "  ", "")
    assert page.session_form.errors["avatar"].isVisible()
    assert server(fake).hits["create"] == 0


@pytest.mark.asyncio
async def test_say_text_503_is_shown_by_the_text_and_the_text_stays(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    assert await start(page)
    fake.call(lambda s: s.fail("say-text", 503))
    page.say_panel.text_edit.setPlainText("Will this be said?")
    page.say_panel.send_button.click()
    await wait_until(lambda: page.say_panel.error.isVisible(), 10)
    assert "503" in page.say_panel.error.text()
    assert page.say_panel.text_edit.toPlainText() == "Will this be said?"
    assert page.model.turns[-1].status is TurnStatus.FAILED
    assert page.model.phase is Phase.LIVE  # the session stays live
    await page.aclose()


@pytest.mark.asyncio
async def test_media_failure_ends_the_paid_session_and_says_so(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    fake.call(lambda s: s.fail("whep", 404))
    assert not await start(page)
    media_error = page.video_panel.error
    assert media_error.isVisible()
    assert "ended" in media_error.text()
    (session,) = server(fake).sessions.values()
    assert session.ended
    assert page.model.phase is Phase.IDLE


@pytest.mark.asyncio
async def test_keep_alive_runs_while_live_and_close_ends_the_session(
    qtbot: QtBot, fake: FakeKalturaThread, store: SecretStore, pulse: bool
) -> None:
    base = server(fake).base_url
    page = KalturaPage(KalturaConfig(base_url=base, keep_alive_interval=0.2), store)
    qtbot.addWidget(page)
    try:
        assert await start(page)
        (session,) = server(fake).sessions.values()
        await wait_until(lambda: len(session.keep_alives) >= 2, 10)
        assert "Keep-alive OK" in page.session_form.keep_alive_label.text()
    finally:
        await page.aclose()
    assert session.ended
    count = len(session.keep_alives)
    await page.aclose()  # twice is fine
    assert len(session.keep_alives) == count


@pytest.mark.asyncio
async def test_page_fits_a_1280x720_window_without_scrolling(
    main_window: MainWindow, fake: FakeKalturaThread, store: SecretStore, pulse: bool
) -> None:
    from animaze_panel.ui.pages import PageKey
    from animaze_panel.ui.say import SayRouter
    from animaze_panel.ui.say_install import install_say_box
    from animaze_panel.ui.widgets import resources

    install_say_box(main_window, SayRouter())  # its tool bar takes a row of the 720
    page = KalturaPage(KalturaConfig(base_url=server(fake).base_url), store)
    main_window.add_page(PageKey.KALTURA, "Kaltura", resources.icon("kaltura"), page)
    main_window.show_page(PageKey.KALTURA)
    main_window.resize(1280, 720)
    await wait_until(lambda: main_window.size() == QSize(1280, 720) and page.isVisible())
    await wait_until(lambda: page.width() > 0 and page.video_panel.view.height() > 0)
    try:
        hint = page.minimumSizeHint()
        assert hint.width() <= page.width() and hint.height() <= page.height(), (hint, page.size())
        for part in (page.session_form, page.say_panel, page.video_panel):
            assert part.height() >= part.minimumSizeHint().height(), part.objectName()
        assert page.video_panel.view.height() >= 240  # the avatar stays a usable size
    finally:
        await page.aclose()


@pytest.mark.asyncio
async def test_without_a_secure_store_the_ks_is_used_once_and_the_page_says_so(
    qtbot: QtBot, fake: FakeKalturaThread, pulse: bool
) -> None:
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    page = KalturaPage(KalturaConfig(base_url=server(fake).base_url), SecretStore("no-store"))
    page.show()
    try:
        assert not page.session_form.forget_button.isEnabled()
        assert await start(page)
        keyring_error = page.session_form.errors["keyring"]
        assert keyring_error.isVisible()
        assert "No secure credential store" in keyring_error.text()
        assert page.session_form.ks_edit.text() == DEMO_KS  # not saved, so it stays typed
    finally:
        await page.aclose()
        keyring.set_keyring(previous)
        page.close()
        page.deleteLater()


@pytest.mark.asyncio
async def test_lost_media_shows_reconnecting_then_connected(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    states: list[str] = []
    page.model.mediaStateChanged.connect(states.append)
    assert await start(page)
    assert fake.call(lambda s: s.drop_viewers()) == 1
    await wait_until(lambda: "reconnecting" in states, 20)
    assert page.video_panel.error.isVisible()  # "dropped; reconnecting..." beside the video
    await wait_until(lambda: states[-1] == "connected", 30)
    assert page.video_panel.media_label.text().startswith("Media: connected")
    assert not page.video_panel.error.isVisible()
    assert page.model.phase is Phase.LIVE
    first = picture(page)
    await wait_until(lambda: picture(page) != first, 10)  # the picture moves again


@pytest.mark.asyncio
async def test_pop_out_window_for_obs_and_back(page: KalturaPage, fake: FakeKalturaThread) -> None:
    panel = page.video_panel
    panel.size_box.setCurrentIndex(panel.size_box.findText("512 x 512 (square)"))
    panel.pop_button.click()
    window = panel.pop_window
    assert window is not None and window.isVisible()
    assert window.windowTitle() == "Animaze Panel - Kaltura avatar"
    assert window.size() == QSize(512, 512)
    assert not panel.view.isVisible()
    assert await start(page)
    await wait_until(lambda: lit_pixels(window.grab().toImage()) > 20, 10)
    panel.size_box.setCurrentIndex(panel.size_box.findText("1280 x 720 (16:9)"))
    assert window.size() == QSize(1280, 720)
    window.close()  # the user closes it: the picture comes back to the page
    assert not panel.pop_button.isChecked()
    assert panel.view.isVisible()


@pytest.mark.asyncio
async def test_cancel_while_creating_still_ends_the_session_kaltura_opens(
    page: KalturaPage, fake: FakeKalturaThread
) -> None:
    fake.call(lambda s: s.delay("create", 1.0, times=1))
    page.session_form.ks_edit.setText(DEMO_KS)
    page.session_form.avatar_edit.setText("avatar-1")
    page.session_form.start_button.click()
    await wait_until(lambda: server(fake).hits["create"] == 1)
    assert page.session_form.end_button.text() == "Cancel"
    page.session_form.end_button.click()
    await wait_until(lambda: page.model.phase is Phase.IDLE)
    # The create answer arrives after the cancel: that session is ended, not left running.
    await wait_until(lambda: len(server(fake).sessions) == 1, 10)
    (session,) = server(fake).sessions.values()
    await wait_until(lambda: session.ended, 10)
    assert page.session_form.start_button.isEnabled()


@pytest.mark.asyncio
async def test_session_ended_by_kaltura_is_noticed_by_the_keep_alive(
    qtbot: QtBot, fake: FakeKalturaThread, store: SecretStore, pulse: bool
) -> None:
    base = server(fake).base_url
    page = KalturaPage(KalturaConfig(base_url=base, keep_alive_interval=0.2), store)
    page.show()
    try:
        assert await page.model.start(DEMO_KS, "avatar-1", "voice-7")
        (session,) = server(fake).sessions.values()
        assert session.voice == {"id": "voice-7"}
        fake.call(lambda s: setattr(s.sessions[session.session_id], "ended", True))
        await wait_until(lambda: page.model.phase is Phase.IDLE, 10)
        error = page.session_form.errors["session"]
        assert error.isVisible() and "ended the session" in error.text()
        assert page.model.surface.image() is None
        assert page.session_form.start_button.isEnabled()
    finally:
        await page.aclose()
        page.close()
        page.deleteLater()
