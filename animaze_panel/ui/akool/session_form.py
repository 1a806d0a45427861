"""SessionForm: voice, language, mode, background and paid time; start/stop with a countdown.

While a session is live, "Apply" sends the voice/language/mode/background as ``set-params``;
the status beneath says when Akool confirmed (or refused) the change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...cloud.akool_models import Language, ModeType, SessionOptions, Voice
from ...cloud.akool_stream import AvatarParams
from .catalogue import CatalogueModel
from .live_session import LiveSessionModel, Phase
from .status_label import StatusLabel


def format_left(seconds: int) -> str:
    """``mm:ss`` (or ``h:mm:ss``) of paid time left."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class SessionForm(QWidget):
    """The session's settings and its start/stop button."""

    def __init__(self, catalogue: CatalogueModel, live: LiveSessionModel,
                 parent: QWidget | None = None) -> None:
        """Bind to the catalogue (pickers) and the live session."""
        super().__init__(parent)
        self.setObjectName("akoolSessionForm")
        self.live = live
        self.voice_combo = QComboBox()
        self.voice_combo.setObjectName("akoolVoice")
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("akoolLanguage")
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("akoolMode")
        self.mode_combo.addItem("Dialogue (answers)", int(ModeType.DIALOGUE))
        self.mode_combo.addItem("Retell (repeats)", int(ModeType.RETELL))
        self.background_edit = QLineEdit()
        self.background_edit.setObjectName("akoolBackground")
        self.background_edit.setPlaceholderText("background image/video link (optional)")
        self.duration_spin = QSpinBox()
        self.duration_spin.setObjectName("akoolDuration")
        self.duration_spin.setRange(1, 60)
        self.duration_spin.setValue(10)
        self.duration_spin.setSuffix(" min")
        self.start_button = QPushButton("Start session")
        self.start_button.setObjectName("akoolStart")
        self.apply_button = QPushButton("Apply")
        self.apply_button.setObjectName("akoolApplyParams")
        self.apply_button.setToolTip("Send voice, language, mode and background to the live avatar")
        self.countdown_label = QLabel("--:--")
        self.countdown_label.setObjectName("akoolCountdown")
        self.countdown_label.setToolTip("Paid time left in this session")
        self.countdown_label.setProperty("role", "heading")
        self.status = StatusLabel("akoolSessionStatus")
        self.params_status = StatusLabel("akoolParamsStatus")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Voice", self.voice_combo)
        form.addRow("Language", self.language_combo)
        form.addRow("Mode", self.mode_combo)
        form.addRow("Background", self.background_edit)
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.params_status, 1)
        apply_row.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow(apply_row)
        form.addRow("Paid time", self.duration_spin)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addWidget(self.countdown_label)
        start_row.addStretch(1)
        form.addRow(start_row)
        form.addRow(self.status)

        catalogue.voicesChanged.connect(self._voices)
        catalogue.languagesChanged.connect(self._languages)
        live.phaseChanged.connect(self._phase)
        live.countdown.connect(lambda s: self.countdown_label.setText(format_left(s)))
        live.message.connect(self.status.show_status)
        live.paramsStatus.connect(self.params_status.show_status)
        self.apply_button.clicked.connect(lambda: live.set_params(self.params()))
        self._phase(live.phase)

    def _voices(self, voices: list[Voice]) -> None:
        current = self.voice_combo.currentData()
        self.voice_combo.clear()
        self.voice_combo.addItem("Avatar's own voice", "")
        for voice in voices:
            detail = ", ".join(x for x in (voice.gender, voice.language) if x)
            self.voice_combo.addItem(f"{voice.name} ({detail})" if detail else voice.name,
                                     voice.voice_id)
        index = self.voice_combo.findData(current)
        self.voice_combo.setCurrentIndex(max(0, index))

    def _languages(self, languages: list[Language]) -> None:
        current = self.language_combo.currentData()
        self.language_combo.clear()
        self.language_combo.addItem("Default", "")
        for language in languages:
            self.language_combo.addItem(language.name, language.code)
        index = self.language_combo.findData(current)
        self.language_combo.setCurrentIndex(max(0, index))

    def params(self) -> AvatarParams:
        """The pickers as ``set-params`` data (empty fields are left unchanged)."""
        return AvatarParams(vid=str(self.voice_combo.currentData() or ""),
                            lang=str(self.language_combo.currentData() or ""),
                            mode=int(self.mode_combo.currentData()),
                            bgurl=self.background_edit.text().strip())

    def options(self, avatar_id: str) -> SessionOptions:
        """The pickers as the create-session body."""
        params = self.params()
        return SessionOptions(avatar_id=avatar_id, duration=self.duration_spin.value() * 60,
                              voice_id=params.vid, language=params.lang,
                              mode_type=ModeType(params.mode or int(ModeType.DIALOGUE)),
                              background_url=params.bgurl)

    def _phase(self, phase: Phase) -> None:
        busy = phase in (Phase.STARTING, Phase.JOINING, Phase.STOPPING)
        self.start_button.setText("Stop session" if phase is Phase.LIVE else
                                  "Starting..." if busy else "Start session")
        self.start_button.setEnabled(not busy or phase is Phase.JOINING)
        self.apply_button.setEnabled(phase is Phase.LIVE)
        self.duration_spin.setEnabled(phase is Phase.IDLE)
