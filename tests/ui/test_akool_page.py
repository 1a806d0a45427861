"""The Akool page's flow and its errors, against the fake Akool server and the SDK double.

Real sockets (the fake runs aiohttp on loopback in its own thread), the real bridge page in
offscreen QtWebEngine, credentials in an in-memory keyring.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractScrollArea

from animaze_panel.cloud.akool_models import SessionOptions
from animaze_panel.cloud.akool_sessions import LedgerEntry, SessionLedger
from animaze_panel.fakes.akool_server import FakeAkoolThread, Fault
from animaze_panel.secrets import Secret
from animaze_panel.ui.akool import scheme
from animaze_panel.ui.akool.live_session import NotLive, Phase
from animaze_panel.ui.akool.live_window import WINDOW_SIZE, WINDOW_TITLE
from animaze_panel.ui.akool.page import AkoolPage
from animaze_panel.ui.pages import SettlingPage
from tests.cloud.memory_keyring import MemoryKeyring

from .akool_support import (
    WEBENGINE_NOISE,
    akool_keyring,
    akool_server,
    configure_double,
    go_live,
    make_client,
    open_page,
    run_js,
)
from .conftest import signal_future, wait_until

__all__ = ["akool_keyring", "akool_server"]  # fixtures used by name below
pytestmark = [pytest.mark.qt_log_ignore(*WEBENGINE_NOISE), pytest.mark.asyncio]


def _closes(fake: FakeAkoolThread) -> list[str]:
    return list(fake.call(lambda server: list(server.closes)))


async def test_whole_flow(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        assert page.account.accepted
        # Avatars with thumbnails; the unavailable one is listed but cannot be picked.
        names = [page.avatars.list.item(i).text() for i in range(page.avatars.list.count())]
        assert any("unavailable" in n for n in names)
        assert not page.avatars.select("fakeBusyAvatar")
        await wait_until(lambda: not page.avatars.list.item(0).icon().isNull(), 10)
        assert page.form.voice_combo.count() > 1 and page.form.language_combo.count() > 1
        page.form.language_combo.setCurrentIndex(page.form.language_combo.findData("es"))

        await go_live(page)
        session_id = page.live.session.id if page.live.session else ""
        assert session_id in akool_server.server.open_session_ids()
        # The countdown shows the paid time (10 minutes by default).
        await wait_until(lambda: page.form.countdown_label.text().startswith(("09:", "10:")), 5)
        # The initial set-params (language, mode) is confirmed from the ack.
        await wait_until(lambda: page.form.params_status.text().startswith("Applied"), 10)
        assert "lang=es" in page.form.params_status.text()

        speaking = signal_future(page.live.speakingChanged, lambda on: on)
        quiet = signal_future(page.live.speakingChanged, lambda on: not on)
        page.chat.input.setText("Hello there")
        page.chat.send_button.click()
        await asyncio.wait_for(speaking, 10)
        assert page.chat.speaking_label.text() == "Avatar is speaking"
        await asyncio.wait_for(quiet, 10)
        await wait_until(lambda: "Avatar: You said: Hello there" in page.chat.lines(), 10)
        assert "You: Hello there" in page.chat.lines()
        assert page.chat.input.text() == ""

        # A streamed answer grows in one line, marked unfinished until its last chunk.
        page.live.transcriptLine.emit("bot", "m-grow", "Once upon", False)
        page.live.transcriptLine.emit("bot", "m-grow", "Once upon a time", False)
        assert page.chat.lines()[-1] == "Avatar: Once upon a time ..."
        page.live.transcriptLine.emit("bot", "m-grow", "Once upon a time.", True)
        assert page.chat.lines()[-1] == "Avatar: Once upon a time."

        # A change while live goes out as set-params and is confirmed.
        page.form.voice_combo.setCurrentIndex(page.form.voice_combo.findData("voiceLinda"))
        page.form.apply_button.click()
        await wait_until(lambda: "vid=voiceLinda" in page.form.params_status.text()
                         and page.form.params_status.text().startswith("Applied"), 10)

        page.form.start_button.click()  # now "Stop session"
        await wait_until(lambda: page.live.phase is Phase.IDLE, 10)
        assert session_id in _closes(akool_server)
        assert "refunded" in page.form.status.text()


async def test_refused_set_params_is_reported(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        await configure_double(page.view, setParamsCode=1003)
        page.form.background_edit.setText("https://example.com/bg.png")
        page.form.apply_button.click()
        await wait_until(lambda: "refused" in page.form.params_status.text(), 10)
        assert not page.form.params_status.ok
        assert page.live.live  # a refused change does not end the session


async def test_join_timeout_closes_the_session(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path, join_timeout=0.5) as page:
        await configure_double(page.view, joinMode="hang")
        page.form.start_button.click()
        await wait_until(lambda: "did not answer" in page.form.status.text(), 15)
        assert not page.form.status.ok
        assert "closed" in page.form.status.text()
        assert page.live.phase is Phase.IDLE
        assert akool_server.server.open_session_ids() == []
        assert len(_closes(akool_server)) == 1


@pytest.mark.parametrize(("fault", "words"), [
    (Fault(code=1200), "banned"),
    (Fault(code=1102), "authorization"),
    (Fault(reset=True), "cannot reach akool"),
    (Fault(http_status=503), "akool"),
])
async def test_rest_error_shown_next_to_start(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path,
    fault: Fault, words: str,
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        akool_server.call(lambda s: s.fail("session_create", fault))
        page.form.start_button.click()
        await wait_until(lambda: not page.form.status.ok and page.form.status.text() != "", 10)
        assert words in page.form.status.text().lower()
        assert page.live.phase is Phase.IDLE
        assert akool_server.server.open_session_ids() == []


async def test_token_expiry_and_lost_connection_close_the_session(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await configure_double(page.view, expireTokenAfterMs=300)
        await go_live(page)
        await wait_until(lambda: page.live.phase is Phase.IDLE, 10)
        assert "expired" in page.form.status.text() and not page.form.status.ok
        assert akool_server.server.open_session_ids() == []

        await configure_double(page.view, expireTokenAfterMs=0)
        await go_live(page)
        await run_js(page.view.live_page, "AgoraRTC.__double.dropConnection('NETWORK_ERROR'); 1")
        await wait_until(lambda: page.live.phase is Phase.IDLE, 10)
        assert "connection to the avatar was lost" in page.form.status.text()
        assert akool_server.server.open_session_ids() == []


async def test_push_to_talk_and_interrupt(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        await configure_double(page.view, answerText="word " * 300, chunkIntervalMs=40)
        on = signal_future(page.live.micChanged, lambda v: v)
        page.chat.talk_button.pressed.emit()
        await asyncio.wait_for(on, 10)
        assert page.chat.talk_button.text().startswith("Listening")
        page.chat.talk_button.released.emit()
        # The double's speech recognition sends the user's words; the avatar answers.
        await wait_until(lambda: "You: Hello from the microphone" in page.chat.lines(), 10)
        await wait_until(lambda: page.live.speaking, 10)
        quiet = signal_future(page.live.speakingChanged, lambda v: not v)
        page.chat.interrupt_button.click()
        await asyncio.wait_for(quiet, 5)  # long before the 1500-character answer ends
        assert page.chat.status.ok


async def test_say_target(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        target = page.say_target
        assert (target.key, target.title) == ("akool", "Akool avatar")
        assert not target.is_live()
        with pytest.raises(NotLive, match="start a session"):
            await target.say("hi")
        await go_live(page)
        assert target.is_live()
        await target.say("From the say box")
        await wait_until(lambda: "Avatar: You said: From the say box" in page.chat.lines(), 10)


async def test_sessions_closed_on_quit_and_after_a_crash(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    # A crash left a session open: it is in the ledger and still running at the fake.
    client = make_client(akool_server.server.base_url)
    client.client_id = Secret(akool_server.server.client_id)
    client.client_secret = Secret(akool_server.server.client_secret)
    orphan = await client.create_session(SessionOptions("fakeLinda1080P", duration=600))
    await client.aclose()
    SessionLedger(tmp_path).add(LedgerEntry(orphan.id, 0.0, 600))

    async with open_page(akool_server, tmp_path) as page:
        await wait_until(lambda: orphan.id in _closes(akool_server), 10)
        await wait_until(lambda: "earlier run" in page.form.status.text(), 5)
        await go_live(page)
        live_id = page.live.session.id if page.live.session else ""
    # Leaving the page (app quit) closed the live session too.
    assert live_id in _closes(akool_server)
    assert akool_server.server.open_session_ids() == []
    assert SessionLedger(tmp_path).ids() == []


async def test_bad_credentials_and_missing_avatar(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    akool_keyring.set_password("animaze-panel", "akool-client-secret", "wrong")
    async with open_page(akool_server, tmp_path, ready=False) as page:
        await wait_until(lambda: not page.credentials.status.ok, 10)
        page.form.start_button.click()
        assert "credentials" in page.form.status.text()
        page.credentials.client_id_edit.setText(akool_server.server.client_id)
        page.credentials.secret_edit.setText(akool_server.server.client_secret)
        page.credentials.save_button.click()
        await wait_until(lambda: page.account.accepted, 10)
        assert "Saved in the system keyring" in page.credentials.status.text()
        assert akool_keyring.get_password("animaze-panel", "akool-client-secret") == \
            akool_server.server.client_secret
        await wait_until(lambda: page.avatars.list.count() > 0, 10)


def watch_settled(seen: list[str], tasks: list[asyncio.Task[None]]) -> Callable[[AkoolPage], None]:
    """An ``on_built`` that asks the new page when it has settled and notes what came first."""

    def watch(page: AkoolPage) -> None:
        page.catalogue.avatarsChanged.connect(lambda _avatars: seen.append("lists"))
        page.account.status.connect(lambda _text, ok: seen.append(f"check ok={ok}"))
        task = asyncio.ensure_future(page.settled())
        task.add_done_callback(lambda _task: seen.append("settled"))
        tasks.append(task)

    return watch


async def test_settled_waits_for_the_first_lists(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    seen: list[str] = []
    tasks: list[asyncio.Task[None]] = []
    async with open_page(akool_server, tmp_path, ready=False,
                         on_built=watch_settled(seen, tasks)) as page:
        assert isinstance(page, SettlingPage)
        await asyncio.wait_for(tasks[0], 10)
        assert seen[-2:] == ["lists", "settled"]
        assert page.avatars.list.count() > 0


async def test_settled_after_a_refused_check_does_not_wait_for_lists(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    akool_keyring.set_password("animaze-panel", "akool-client-secret", "wrong")
    seen: list[str] = []
    tasks: list[asyncio.Task[None]] = []
    async with open_page(akool_server, tmp_path, ready=False,
                         on_built=watch_settled(seen, tasks)) as page:
        await asyncio.wait_for(tasks[0], 10)
        assert seen[-2:] == ["check ok=False", "settled"]
        assert "lists" not in seen and page.avatars.list.count() == 0


async def test_upload_form(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        page.upload.url_edit.setText("https://example.com/me.mp4")
        page.upload.avatar_id_edit.setText("not valid!")
        page.upload.upload_button.click()
        await wait_until(lambda: page.upload.avatar_id_error.text() != "", 5)
        assert page.upload.url_edit.text() == "https://example.com/me.mp4"  # kept
        page.upload.avatar_id_edit.setText("myAvatar1")
        page.upload.name_edit.setText("Me")
        page.upload.upload_button.click()
        await wait_until(lambda: "is ready" in page.upload.status.text(), 15)
        await wait_until(lambda: page.avatars.select("myAvatar1"), 10)


async def test_session_list_filter_and_close(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        # The fake reports a new session queueing (1) for 0.05 s before it runs (2); joining
        # can be quicker than that on a warm machine.
        live = page.live.session
        assert live is not None
        await wait_until(lambda: akool_server.server.session_status(live.id) == 2)
        page.tabs.setCurrentWidget(page.sessions)
        page.sessions.filter_combo.setCurrentIndex(page.sessions.filter_combo.findData(2))
        await wait_until(lambda: page.sessions.tree.topLevelItemCount() == 1, 10)
        live_row = page.sessions.tree.topLevelItem(0)
        assert live_row is not None
        page.sessions.tree.setCurrentItem(live_row)
        page.sessions.close_button.click()  # the live one: the page leaves and closes it
        await wait_until(lambda: page.live.phase is Phase.IDLE, 10)
        await wait_until(lambda: page.sessions.tree.topLevelItemCount() == 0, 10)
        assert akool_server.server.open_session_ids() == []
        # One that is not live (opened elsewhere) is closed straight from the list.
        client = make_client(akool_server.server.base_url)
        client.api_key = Secret(akool_server.server.api_key)
        other = await client.create_session(SessionOptions("fakeLinda1080P", duration=60))
        await client.aclose()
        page.sessions.filter_combo.setCurrentIndex(0)  # all
        tree = page.sessions.tree
        await wait_until(lambda: tree.topLevelItemCount() == 2, 10)
        rows = [tree.topLevelItem(i) for i in range(2)]
        row = next(r for r in rows if r is not None and r.text(0) == other.id)
        tree.setCurrentItem(row)
        page.sessions.close_button.click()
        await wait_until(lambda: f"Session {other.id} closed" in page.sessions.status.text(), 10)
        assert other.id in _closes(akool_server)


async def test_a_slow_list_never_covers_the_filter_chosen_after_it(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        client = make_client(akool_server.server.base_url)
        client.api_key = Secret(akool_server.server.api_key)
        ended = await client.create_session(SessionOptions("fakeLinda1080P", duration=60))
        await client.close_session(ended.id)  # listed unfiltered, not among the running
        await client.aclose()
        live = page.live.session
        assert live is not None
        await wait_until(lambda: akool_server.server.session_status(live.id) == 2)
        page.tabs.setCurrentWidget(page.sessions)
        # The unfiltered reload is held up at the server; the user picks a filter meanwhile.
        akool_server.call(lambda s: s.fail("session_list", Fault(delay=1.0)))
        slow = page.sessions.model.refresh_sessions(None)
        page.sessions.filter_combo.setCurrentIndex(page.sessions.filter_combo.findData(2))
        await slow
        tree = page.sessions.tree
        await wait_until(lambda: tree.topLevelItemCount() == 1, 10)
        item = tree.topLevelItem(0)
        assert page.live.session is not None
        assert item is not None and item.text(0) == page.live.session.id


async def test_fits_and_pops_out(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        hint = page.minimumSizeHint()
        assert hint.width() <= 1160 and hint.height() <= 640, hint
        for area in page.findChildren(QAbstractScrollArea):
            if area.isVisible() and area is not page.chat.transcript:
                assert not area.horizontalScrollBar().isVisible(), area.objectName()
        window = page.live_panel.pop_out()
        assert window.windowTitle() == WINDOW_TITLE
        assert window.size() == WINDOW_SIZE
        assert page.view.window() is window
        window.close()
        await wait_until(lambda: page.view.window() is page.window(), 5)


async def test_renderer_crash_closes_the_session_and_the_page_recovers(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        pid = page.view.live_page.renderProcessPid()
        assert pid > 0
        os.kill(pid, signal.SIGKILL)
        await wait_until(lambda: page.live.phase is Phase.IDLE, 15)
        assert "stopped unexpectedly" in page.form.status.text()
        assert akool_server.server.open_session_ids() == []
        await page.view.link.wait_ready(30)  # loaded anew
        await go_live(page)


async def test_no_paid_session_without_the_video_sdk(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A broken install: the page's agora.js is missing.
    monkeypatch.setattr(scheme, "sdk_path", lambda source: tmp_path / "missing.js")
    async with open_page(akool_server, tmp_path) as page:
        assert page.view.link.sdk_loaded is False
        page.form.start_button.click()
        await wait_until(lambda: "missing from this installation" in page.form.status.text(), 10)
        assert not page.form.status.ok
        assert page.live.phase is Phase.IDLE
        assert akool_server.call(lambda s: dict(s.charges)) == {}


async def test_long_text_is_chunked_and_paced_within_the_channel_limits(
    akool_server: FakeAkoolThread, akool_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    text = "Zoë says héllo 🎉 to everyone in the chat today! " * 80  # ~4000 chars, multi-byte
    async with open_page(akool_server, tmp_path) as page:
        await go_live(page)
        await page.say_target.say(text)  # the double refuses >960 bytes or >6 KB/s
        await wait_until(lambda: f"Avatar: You said: {text}" in page.chat.lines(), 20)
        assert f"You: {text}" in page.chat.lines()
