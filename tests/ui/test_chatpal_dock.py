"""ChatPalDock against the simulator: replies, echo, speaking indicator, queueing, failures."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from animaze_panel.simulator import SimulatorThread
from animaze_panel.ui.animaze.chatpal_dock import ChatPalDock
from animaze_panel.ui.session import AnimazeSession

from . import controls_support as cs
from .conftest import wait_until

sim = cs.sim
session = cs.session
window = cs.window
pytestmark = cs.QT_LOG_IGNORE


async def open_dock(session: AnimazeSession, window: QMainWindow) -> ChatPalDock:
    dock = ChatPalDock(session)
    await cs.show_refreshed(window, dock)
    return dock


def type_and_send(qtbot: QtBot, dock: ChatPalDock, text: str) -> None:
    qtbot.keyClicks(dock.input, text)
    qtbot.keyClick(dock.input, Qt.Key.Key_Return)


@pytest.mark.asyncio
async def test_chat_reply_shown_and_speaking_indicator_on_then_off(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    assert not dock.speaking
    since = sim.simulator.frame_count
    speaking_on = cs.next_emission(dock.speakingChanged)
    reply_shown = cs.next_emission(dock.replyReceived)
    type_and_send(qtbot, dock, "Hello there")
    assert dock.input.text() == ""
    frame = await cs.wait_frame(sim, cs.action_is("ChatbotSendMessage"), since=since)
    assert frame.message is not None and frame.message["message"] == "Hello there"
    (reply,) = await reply_shown
    assert reply and ("avatar", reply) in dock.transcript_entries()
    assert reply in dock.transcript.toPlainText()
    speaking_off = cs.next_emission(dock.speakingChanged)
    assert await speaking_on == (True,)
    assert dock.speaking and "Speaking" in dock.speaking_label.text()
    assert await speaking_off == (False,)
    assert not dock.speaking and "Idle" in dock.speaking_label.text()


@pytest.mark.asyncio
async def test_echo_toggle_sends_echo_prefix(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    dock.echo_box.setChecked(True)
    since = sim.simulator.frame_count
    reply_shown = cs.next_emission(dock.replyReceived)
    type_and_send(qtbot, dock, "Thanks for the follow!")
    frame = await cs.wait_frame(sim, cs.action_is("ChatbotSendMessage"), since=since)
    assert frame.message is not None
    assert frame.message["message"] == "-echo Thanks for the follow!"
    assert await reply_shown == ("Thanks for the follow!",)


@pytest.mark.asyncio
async def test_line_sent_while_speaking_waits_for_speech_end(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    since = sim.simulator.frame_count
    first_reply = cs.next_emission(dock.replyReceived)
    type_and_send(qtbot, dock, "Tell me a story")
    type_and_send(qtbot, dock, "And another one?")
    assert len(dock.queue.pending) == 1 and "1 queued" in dock.queue_label.text()
    await first_reply
    # The answer is being spoken: the second line is still held back.
    speech_over = cs.next_emission(session.speechEnded)
    assert len(cs.frames_of(sim, "ChatbotSendMessage", since)) == 1
    await speech_over
    second = await cs.wait_frame(
        sim, cs.action_is("ChatbotSendMessage", message="And another one?"), since=since
    )
    assert second.message is not None
    await wait_until(lambda: dock.queue.current is None and not dock.speaking, 10)
    speakers = [who for who, _ in dock.transcript_entries()]
    assert speakers == ["you", "you", "avatar", "avatar"]
    assert dock.queue_label.text() == ""


@pytest.mark.asyncio
async def test_empty_line_is_refused_next_to_the_field(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    since = sim.simulator.frame_count
    type_and_send(qtbot, dock, "   ")
    assert "empty" in dock.hint_label.text()
    await cs.settle(session)
    assert not cs.frames_of(sim, "ChatbotSendMessage", since)


@pytest.mark.asyncio
async def test_failed_line_returns_to_input_and_can_be_resent(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    links: list[bool] = []
    session.connectedChanged.connect(links.append)
    sim.faults.set(drop_after=0)  # Animaze dies when the line arrives
    failed = cs.next_emission(session.commandFailed)
    type_and_send(qtbot, dock, "Are you still there?")
    action, message = await failed
    assert action == "ChatbotSendMessage" and message
    await wait_until(lambda: dock.input.text() == "Are you still there?", 10)
    assert ("note", "Not sent: Are you still there?") in dock.transcript_entries()
    # The client reconnects by itself (the link went down, then up: the failed request and
    # the state change arrive in either order); the text is still there to send again.
    await wait_until(lambda: False in links and links[-1], 10)
    assert dock.controls.isEnabled()
    since = sim.simulator.frame_count
    reply_shown = cs.next_emission(dock.replyReceived)
    qtbot.keyClick(dock.input, Qt.Key.Key_Return)
    await cs.wait_frame(
        sim, cs.action_is("ChatbotSendMessage", message="Are you still there?"), since=since
    )
    await reply_shown
    assert dock.input.text() == ""


@pytest.mark.asyncio
async def test_disabled_while_disconnected_keeps_typed_text(
    qtbot: QtBot, sim: SimulatorThread, session: AnimazeSession, window: QMainWindow
) -> None:
    dock = await open_dock(session, window)
    qtbot.keyClicks(dock.input, "half a thought")
    await cs.drop_and_wait_disconnected(sim, dock)
    assert not dock.input.isEnabled() and not dock.send_button.isEnabled()
    assert dock.input.text() == "half a thought"
