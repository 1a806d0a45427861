"""SayRouter and SayBox: one line reaches ChatPal (simulator), Kaltura (fake server) or all."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import keyring
import pytest
import pytest_asyncio
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.animaze.io_thread import ThreadedClient
from animaze_panel.cloud.kaltura import KalturaConfig
from animaze_panel.fakes.kaltura_server import DEMO_KS, FakeKalturaThread
from animaze_panel.hotkeys.store import ProfileStore
from animaze_panel.secrets import SecretStore
from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.chat_queue import ChatPhase
from animaze_panel.ui.animaze.chatpal_dock import ChatPalDock
from animaze_panel.ui.animaze.chatpal_say import ChatPalSayTarget
from animaze_panel.ui.hotkeys.hotkeys_service import HotkeyService
from animaze_panel.ui.kaltura.page import KalturaPage
from animaze_panel.ui.say import ALL_LIVE, SayError, SayRouter
from animaze_panel.ui.session import AnimazeSession
from animaze_panel.ui.widgets.say_box import SayBox

from ..cloud import memory_keyring
from . import controls_support as cs
from . import hotkeys_support as hs
from .conftest import QT_OFFSCREEN_NOISE, signal_future, wait_until
from .kaltura_support import shared_pulse

sim = cs.sim
session = cs.session
window = cs.window
backend = hs.backend
profile_path = hs.profile_path
pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE, "PulseAudioService")


class Recorder:
    """A say target that records lines (its liveness and failure are set by the test)."""

    def __init__(self, key: str, title: str, live: bool = True, error: str = "") -> None:
        self.key, self.title = key, title
        self.live, self.error = live, error
        self.lines: list[str] = []
        self.threads: list[str] = []

    def is_live(self) -> bool:
        return self.live

    async def say(self, text: str) -> None:
        self.threads.append(threading.current_thread().name)
        if self.error:
            raise SayError(self.error)
        self.lines.append(text)


async def chatpal_target(session: AnimazeSession, window: QMainWindow) -> ChatPalSayTarget:
    dock = ChatPalDock(session)
    await cs.show_refreshed(window, dock)
    return ChatPalSayTarget(dock)


async def until_chatpal_quiet(target: ChatPalSayTarget) -> None:
    """Let the avatar finish speaking before the dock goes away with the test."""
    queue = target._dock.queue
    await wait_until(lambda: queue.phase is ChatPhase.IDLE and not queue.speaking, 10)


@pytest.fixture
def pulse() -> bool:
    return shared_pulse()


@pytest_asyncio.fixture
async def kaltura(
    qtbot: QtBot, pulse: bool
) -> AsyncIterator[tuple[KalturaPage, FakeKalturaThread]]:
    fake = FakeKalturaThread(width=320, height=180)
    fake.start()
    _backend, previous = memory_keyring.install()
    assert fake.server is not None
    page = KalturaPage(KalturaConfig(base_url=fake.server.base_url), SecretStore("say-test"),
                       connect_timeout=20.0)
    try:
        yield page, fake
    finally:
        await page.aclose()  # before pytest-qt would delete the widgets
        page.deleteLater()
        keyring.set_keyring(previous)
        fake.stop()


@pytest.mark.asyncio
async def test_router_sends_to_the_chosen_or_every_live_target(qtbot: QtBot) -> None:
    router = SayRouter()
    one, two, off = Recorder("a", "A"), Recorder("b", "B"), Recorder("c", "C", live=False)
    for target in (one, two, off):
        router.register(target)
    reports: list[tuple[str, str]] = []
    router.reported.connect(lambda level, text: reports.append((level, text)))
    outcome = await router.send("Hi all")
    assert outcome.ok and outcome.said_by == ("A", "B")
    assert one.lines == two.lines == ["Hi all"] and off.lines == []
    router.set_choice("b")
    assert (await router.send("Only B")).ok
    assert two.lines[-1] == "Only B" and one.lines == ["Hi all"]
    router.set_choice("c")
    outcome = await router.send("To the one that is off")
    assert not outcome.ok and "not live" in outcome.describe()
    assert reports[-1][0] == "error"
    with pytest.raises(KeyError):
        router.set_choice("nobody")


@pytest.mark.asyncio
async def test_a_failing_target_is_reported_and_the_others_still_say_it(qtbot: QtBot) -> None:
    router = SayRouter()
    good, bad = Recorder("a", "A"), Recorder("b", "B", error="the session expired.")
    router.register(good)
    router.register(bad)
    outcome = await router.send("Hello")
    assert good.lines == ["Hello"]
    assert outcome.failures == (("B", "the session expired."),)
    assert "Said by A" in outcome.describe() and "B: the session expired." in outcome.describe()


@pytest.mark.asyncio
async def test_say_box_keeps_the_line_when_nobody_is_live(qtbot: QtBot) -> None:
    router = SayRouter()
    target = Recorder("a", "A", live=False)
    router.register(target)
    box = SayBox(router)
    qtbot.addWidget(box)
    assert box.target_box.itemText(1) == "A (off)"
    qtbot.keyClicks(box.input, "Is anyone there?")
    qtbot.keyClick(box.input, Qt.Key.Key_Return)
    await wait_until(lambda: not box.busy)
    assert box.input.text() == "Is anyone there?"
    assert "No avatar is live" in box.status.toolTip()
    target.live = True
    router.notify_live_changed()
    assert box.target_box.itemText(1) == "A"
    box.target_box.setCurrentIndex(1)
    box.target_box.activated.emit(1)
    assert router.choice == "a"
    box.button.click()
    await wait_until(lambda: not box.busy)
    assert target.lines == ["Is anyone there?"] and box.input.text() == ""


@pytest.mark.asyncio
async def test_say_box_reaches_chatpal_through_the_simulator(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    router = SayRouter()
    chatpal = await chatpal_target(session, window)
    router.register(chatpal)
    box = SayBox(router)
    qtbot.addWidget(box)
    since = sim.simulator.frame_count
    qtbot.keyClicks(box.input, "Hello stream")
    qtbot.keyClick(box.input, Qt.Key.Key_Return)
    frame = await cs.wait_frame(sim, cs.action_is("ChatbotSendMessage"), since=since)
    assert frame.message is not None and frame.message["message"] == "-echo Hello stream"
    await wait_until(lambda: not box.busy, 10)
    assert box.input.text() == ""
    assert "Animaze ChatPal" in box.status.toolTip()
    await until_chatpal_quiet(chatpal)


@pytest.mark.asyncio
async def test_chatpal_target_reports_a_drop_and_refuses_when_animaze_is_down(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    target = await chatpal_target(session, window)
    sim.faults.set(drop_after=0)  # Animaze dies when the line arrives
    with pytest.raises(SayError):
        await target.say("Are you there?")
    await asyncio.get_running_loop().run_in_executor(None, sim.stop)
    await wait_until(lambda: not session.connected, 10)
    assert not target.is_live()
    with pytest.raises(SayError, match="not connected"):
        await target.say("Anyone?")


@pytest.mark.asyncio
async def test_say_box_reaches_kaltura_and_chatpal_together(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow,
    kaltura: tuple[KalturaPage, FakeKalturaThread],
) -> None:
    page, fake = kaltura
    router = SayRouter()
    chatpal = await chatpal_target(session, window)
    router.register(chatpal)
    router.register(page.say_target)
    page.model.phaseChanged.connect(lambda _v: router.notify_live_changed())
    box = SayBox(router)
    qtbot.addWidget(box)
    assert box.target_box.findText("Kaltura (off)") > 0
    assert await page.model.start(DEMO_KS, "avatar-1", "")
    assert box.target_box.findText("Kaltura") > 0
    assert router.choice == ALL_LIVE
    since = sim.simulator.frame_count
    box.input.setText("Both of you say this")
    box.send_current()
    await wait_until(lambda: not box.busy, 15)
    assert box.input.text() == ""
    frame = await cs.wait_frame(sim, cs.action_is("ChatbotSendMessage"), since=since)
    assert frame.message is not None and frame.message["message"] == "-echo Both of you say this"
    assert fake.server is not None
    (fake_session,) = fake.server.sessions.values()
    assert fake_session.said[-1]["text"] == "Both of you say this"
    assert page.model.turns[-1].text == "Both of you say this"  # shown on the page too
    await until_chatpal_quiet(chatpal)


@pytest_asyncio.fixture
async def lane_service(
    sim: SimulatorThread, backend: hs.RecordingBackend, profile_path: Path, qapp: object
) -> AsyncIterator[HotkeyService]:
    """A hotkey service whose engine runs on the Animaze I/O thread (as in the app)."""
    client = ThreadedClient(sim.url, backoff_initial=0.05, backoff_max=0.3, ping_interval=None)
    animaze = AnimazeSession(client)
    client.start()
    await client.wait_connected(10)
    service = HotkeyService(animaze, backend, ProfileStore(profile_path))
    yield service
    await service.aclose()
    await animaze.aclose()
    await client.close()


SAY_BINDING = '[[binding]]\nkeys = "Ctrl+F9"\naction = {{ type = "say", message = "{text}" }}\n'


@pytest.mark.asyncio
async def test_say_hotkey_goes_through_the_router_on_the_gui_thread(
    lane_service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    router = SayRouter()
    target = Recorder("kaltura", "Kaltura")
    router.register(target)
    lane_service.say_router = router
    hs.write_profile(profile_path, SAY_BINDING.format(text="Thanks for the follow!"))
    lane_service.load()
    fired = signal_future(lane_service.runFinished)
    backend.press("Ctrl+F9")
    await asyncio.wait_for(fired, 5)
    assert target.lines == ["Thanks for the follow!"]
    assert target.threads == [threading.main_thread().name]  # avatars live on the GUI loop


@pytest.mark.asyncio
async def test_say_hotkey_failure_is_reported_with_the_reason(
    lane_service: HotkeyService, backend: hs.RecordingBackend, profile_path: Path
) -> None:
    router = SayRouter()
    router.register(Recorder("akool", "Akool", live=False))
    lane_service.say_router = router
    hs.write_profile(profile_path, SAY_BINDING.format(text="Hello"))
    lane_service.load()
    message = signal_future(lane_service.message)
    backend.press("Ctrl+F9")
    (text,) = await asyncio.wait_for(message, 5)
    assert text.startswith("Hotkey Ctrl+F9") and "No avatar is live" in text


def test_say_action_in_the_picker_and_the_profile(qtbot: QtBot) -> None:
    from animaze_panel.hotkeys import actions as a
    from animaze_panel.hotkeys.errors import EntryError
    from animaze_panel.ui.hotkeys.action_picker import ActionPicker

    picker = ActionPicker()
    qtbot.addWidget(picker)
    picker.show()
    picker.set_kind("say")
    assert picker.message_edit.isVisible() and not picker.echo_check.isVisible()
    assert picker.error().startswith("message:")
    picker.message_edit.setText("Welcome, raiders!")
    action = picker.action()
    assert action == a.Say("Welcome, raiders!")
    assert a.action_from_dict(action.to_dict()) == action  # round trip through TOML tables
    with pytest.raises(EntryError):
        a.action_from_dict({"type": "say", "message": "  "})
    with pytest.raises(EntryError):
        a.action_from_dict({"type": "say", "message": "hi", "echo": True})
    picker.set_action(a.Say("Again"))
    assert picker.message_edit.text() == "Again"


@pytest.mark.asyncio
async def test_chooser_marks_are_fresh_when_it_opens_and_lazy_pages_are_off_until_built(
    qtbot: QtBot,
) -> None:
    from PySide6.QtWidgets import QWidget

    from animaze_panel.ui.say import lazy_page_target
    from animaze_panel.ui.widgets.lazy_page import LazyPage

    router = SayRouter()
    quiet = Recorder("akool", "Akool avatar", live=False)  # never calls notify_live_changed
    router.register(quiet)
    content = QWidget()
    content.say_target = Recorder("kaltura", "Kaltura")  # type: ignore[attr-defined]
    page = LazyPage(lambda: content)
    qtbot.addWidget(page)
    router.register(lazy_page_target("kaltura", "Kaltura", page))
    box = SayBox(router)
    qtbot.addWidget(box)
    assert box.target_box.itemText(2) == "Kaltura (off)"  # the page is not built yet
    with pytest.raises(SayError, match="page is not open"):
        await router.target("kaltura").say("hi")  # type: ignore[union-attr]
    quiet.live = True
    page.ensure_built()
    qtbot.keyClick(box.target_box, Qt.Key.Key_Shift)  # a key on the chooser: about to open
    assert box.target_box.itemText(1) == "Akool avatar"
    assert box.target_box.itemText(2) == "Kaltura"
    outcome = await router.send("Both")
    assert outcome.said_by == ("Akool avatar", "Kaltura")
