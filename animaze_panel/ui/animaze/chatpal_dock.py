"""ChatPalDock: talk to the avatar's ChatPal, or make it say a line verbatim (echo).

A transcript, an input line (Enter sends) and a "Speak text only (echo)" toggle that sends the
line with ChatPal's ``-echo`` prefix. A speaking indicator follows ChatbotSpeechStarted/Ended.
Lines typed while the avatar is answering wait in a :class:`ChatQueue` and go out one at a
time, so replies do not cut each other off. A line that could not be sent goes back into the
input (if the user has not started typing another), and the transcript says so; errors
themselves are reported once by the session (status bar and log), never in a dialog.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...animaze.errors import ValidationError
from ...animaze.requests import ChatbotSendMessage
from ..session import AnimazeSession
from ..widgets.coalescer import QtScheduler
from ..widgets.theme import tones
from .chat_queue import ChatLine, ChatPhase, ChatQueue
from .control_dock import ControlDock

CHAT_TIMEOUT = 30.0
"""Seconds to wait for ChatPal's answer (a language model can take a while)."""

_SPEAKER_COLOURS = {"you": "#3b82c4", "avatar": "#d07a1f"}
"""Mid-tone colours readable on both dark and light themes."""


class ChatPalDock(ControlDock):
    """ChatPal transcript, input, echo toggle and speaking indicator."""

    speakingChanged = Signal(bool)
    replyReceived = Signal(str)

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "ChatPal", "chatPalDock", parent)
        self._entries: list[tuple[str, str]] = []
        self._shown_speaking = False
        self.queue = ChatQueue(self._send, QtScheduler(self), on_change=self._update_status)

        self.transcript = QTextBrowser(self.controls)
        self.transcript.setOpenLinks(False)
        self.transcript.setPlaceholderText("Say something to your avatar below.")
        self.speaking_label = QLabel(self.controls)
        self.speaking_label.setObjectName("chatSpeakingIndicator")
        self.queue_label = QLabel(self.controls)
        self.queue_label.setEnabled(False)
        self.echo_box = QCheckBox("Speak text only (echo)", self.controls)
        self.echo_box.setToolTip(
            "Make the avatar say your text word for word instead of answering it"
        )
        self.hint_label = QLabel(self.controls)
        self.hint_label.setObjectName("chatInputHint")
        self.hint_label.setWordWrap(True)
        self.input = QLineEdit(self.controls)
        self.input.setPlaceholderText("Message ChatPal\u2026  (Enter sends)")
        self.input.setClearButtonEnabled(True)
        self.input.returnPressed.connect(self.send_current)
        self.input.textEdited.connect(lambda _text: self.hint_label.clear())
        self.send_button = QPushButton("Send", self.controls)
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(self.send_current)

        status = QHBoxLayout()
        status.setContentsMargins(0, 0, 0, 0)
        status.addWidget(self.speaking_label)
        status.addStretch(1)
        status.addWidget(self.queue_label)
        status.addWidget(self.echo_box)
        entry = QHBoxLayout()
        entry.setContentsMargins(0, 0, 0, 0)
        entry.addWidget(self.input, 1)
        entry.addWidget(self.send_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(status)
        layout.addLayout(entry)
        layout.addWidget(self.hint_label)
        self.setFocusProxy(self.input)

        session.speechStarted.connect(self.queue.speech_started)
        session.speechEnded.connect(self.queue.speech_ended)
        self._update_status()

    # ------------------------------------------------------------------ reading

    @property
    def speaking(self) -> bool:
        """What the speaking indicator shows."""
        return self._shown_speaking

    def transcript_entries(self) -> list[tuple[str, str]]:
        """``(speaker, text)`` pairs shown, speaker being ``you``, ``avatar`` or ``note``."""
        return list(self._entries)

    # ------------------------------------------------------------------ sending

    def send_current(self) -> None:
        """Send (or queue) what is in the input line."""
        text = self.input.text().strip()
        echo = self.echo_box.isChecked()
        try:
            self._request(text, echo)
        except ValidationError as exc:
            self.hint_label.setText(f"Message {exc.reason}.")
            return
        self.hint_label.clear()
        self.input.clear()
        self.submit_line(text, echo)

    def submit_line(self, text: str, echo: bool = False) -> ChatLine:
        """Show ``text`` as yours and send it (or queue it); the say box comes in here too."""
        self._add("you", f"{text}" + ("  [echo]" if echo else ""))
        return self.queue.submit(text, echo)

    @staticmethod
    def _request(text: str, echo: bool) -> ChatbotSendMessage:
        return ChatbotSendMessage.echo(text) if echo else ChatbotSendMessage(text)

    def _send(self, line: ChatLine) -> None:
        self.session.spawn(self._exchange(line))

    async def _exchange(self, line: ChatLine) -> None:
        reply = await self.session.call(self._request(line.text, line.echo), timeout=CHAT_TIMEOUT)
        if line != self.queue.current:
            return  # drained meanwhile (the link dropped): already reported as not sent
        if reply is None:
            self._not_sent([line])
            self.queue.send_failed(line)
            return
        self._add("avatar", reply.response)
        self.replyReceived.emit(reply.response)
        self.queue.reply_received(line, reply.response)

    def connected_changed(self, connected: bool) -> None:
        """When the link drops, unsent lines go back to the user."""
        if not connected:
            self._not_sent(self.queue.drain())

    def _not_sent(self, lines: list[ChatLine]) -> None:
        if not lines:
            return
        if not self.input.text().strip():
            first = lines[0]
            self.input.setText(first.text)
            self.echo_box.setChecked(first.echo)
        for line in lines:
            self._add("note", f"Not sent: {line.text}")
        self.hint_label.setText("Not sent; press Enter to try again.")

    # ------------------------------------------------------------------ display

    def _add(self, speaker: str, text: str) -> None:
        self._entries.append((speaker, text))
        body = html.escape(text)
        if speaker == "note":
            self.transcript.append(f'<p style="color: {tones().muted}"><i>{body}</i></p>')
        else:
            name = "You" if speaker == "you" else "Avatar"
            colour = _SPEAKER_COLOURS[speaker]
            self.transcript.append(f'<p><b style="color: {colour}">{name}:</b> {body}</p>')

    def _update_status(self) -> None:
        queue = self.queue
        if queue.speaking:
            self.speaking_label.setText("\u25cf Speaking")
        elif queue.phase is ChatPhase.SENDING:
            self.speaking_label.setText("\u2026 Thinking")
        elif queue.phase is ChatPhase.SPEAKING:
            self.speaking_label.setText("\u25cb Answering")
        else:
            self.speaking_label.setText("\u25cb Idle")
        waiting = len(queue.pending)
        self.queue_label.setText(f"{waiting} queued" if waiting else "")
        self.queue_label.setToolTip("\n".join(line.text for line in queue.pending))
        if queue.speaking != self._shown_speaking:
            self._shown_speaking = queue.speaking
            self.speaking_label.setProperty("speaking", queue.speaking)
            self.speakingChanged.emit(queue.speaking)
