"""ChatPanel: the transcript (bot and user lines), a text box, push-to-talk and interrupt.

Bot answers arrive in chunks: the line with the same message id grows until its last chunk.
The speaking indicator follows Akool's ``audio_start``/``audio_end`` events. What the user typed
stays in the box when sending fails.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .live_session import LiveSessionModel, Phase
from .status_label import StatusLabel

_SPEAKERS = {"bot": "Avatar", "user": "You"}
FLUSH_MS = 80


class ChatPanel(QWidget):
    """Talk to the live avatar."""

    def __init__(self, live: LiveSessionModel, parent: QWidget | None = None) -> None:
        """Bind to ``live``."""
        super().__init__(parent)
        self.setObjectName("akoolChat")
        self.live = live
        self.speaking_label = QLabel("Avatar is quiet")
        self.speaking_label.setObjectName("akoolSpeaking")
        self.transcript = QListWidget()
        self.transcript.setObjectName("akoolTranscript")
        self.transcript.setWordWrap(True)
        self.transcript.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.input = QLineEdit()
        self.input.setObjectName("akoolChatInput")
        self.input.setPlaceholderText("Say something to the avatar")
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("akoolSend")
        self.talk_button = QPushButton("Hold to talk")
        self.talk_button.setObjectName("akoolPushToTalk")
        self.talk_button.setToolTip("Hold down while speaking into the microphone")
        self.interrupt_button = QPushButton("Interrupt")
        self.interrupt_button.setObjectName("akoolInterrupt")
        self.status = StatusLabel("akoolChatStatus")
        self.mic_status = StatusLabel("akoolMicStatus")
        self._lines: dict[str, QListWidgetItem] = {}
        self._pending: dict[str, tuple[str, str, bool]] = {}
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_MS)
        self._flush_timer.timeout.connect(self._flush)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.speaking_label)
        layout.addWidget(self.transcript, 1)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.talk_button, 1)
        buttons.addWidget(self.interrupt_button)
        layout.addLayout(buttons)
        layout.addWidget(self.mic_status)

        self.send_button.clicked.connect(self._send)
        self.input.returnPressed.connect(self._send)
        self.talk_button.pressed.connect(lambda: live.set_mic(True))
        self.talk_button.released.connect(lambda: live.set_mic(False))
        self.interrupt_button.clicked.connect(live.interrupt)
        live.transcriptLine.connect(self._line)
        live.chatMessage.connect(self.status.show_status)
        live.speakingChanged.connect(self._speaking)
        live.micChanged.connect(lambda on: self.talk_button.setText(
            "Listening... (release to send)" if on else "Hold to talk"))
        live.micMessage.connect(lambda text: self.mic_status.show_status(text, not text))
        live.phaseChanged.connect(self._phase)
        self._phase(live.phase)

    def _send(self) -> None:
        text = self.input.text()
        if not text.strip():
            self.status.show_status("Type something for the avatar first.", False)
            return
        task = self.live.send_chat(text)
        # Cleared only once sent: on failure the text stays for another try.
        task.add_done_callback(
            lambda t: self._sent(text)
            if not t.cancelled() and t.exception() is None and t.result() else None)

    def _sent(self, text: str) -> None:
        if self.input.text() == text:
            self.input.clear()

    def _line(self, speaker: str, mid: str, text: str, final: bool) -> None:
        # A streamed answer re-lays out its whole (growing) line on every chunk: show the
        # growth at most every FLUSH_MS, the finished line at once.
        self._pending[f"{speaker}:{mid}"] = (speaker, text, final)
        if final:
            self._flush()
        elif not self._flush_timer.isActive():
            self._flush_timer.start()

    def _flush(self) -> None:
        self._flush_timer.stop()
        pending, self._pending = self._pending, {}
        for key, (speaker, text, final) in pending.items():
            label = f"{_SPEAKERS.get(speaker, speaker)}: {text}" + ("" if final else " ...")
            item = self._lines.get(key)
            if item is None:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, speaker)
                self.transcript.addItem(item)
                self._lines[key] = item
            else:
                item.setText(label)
            if final:
                self._lines.pop(key, None)
        if pending:
            self.transcript.scrollToBottom()

    def lines(self) -> list[str]:
        """The transcript's text, oldest first (pending growth included)."""
        self._flush()
        return [self.transcript.item(i).text() for i in range(self.transcript.count())]

    def _speaking(self, speaking: bool) -> None:
        self.speaking_label.setText("Avatar is speaking" if speaking else "Avatar is quiet")
        self.speaking_label.setProperty("role", "heading" if speaking else "")
        self.speaking_label.style().unpolish(self.speaking_label)
        self.speaking_label.style().polish(self.speaking_label)

    def _phase(self, phase: Phase) -> None:
        live = phase is Phase.LIVE
        for widget in (self.send_button, self.talk_button, self.interrupt_button):
            widget.setEnabled(live)
        if not live:
            self._speaking(False)
