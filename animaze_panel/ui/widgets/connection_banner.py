"""ConnectionBanner: the strip that explains, while disconnected, where the panel connects.

It appears (after a short grace period, so a quick connect at start-up does not flash it) whenever
the session is not connected, says which address the panel is trying, the last reason it failed,
and how to switch the API on in Animaze; "Retry now" skips the reconnect backoff and "Change
address..." asks the main window to focus the address field. It hides itself once connected.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...animaze.client import ConnectionState
from ..session import AnimazeSession
from . import resources
from .theme import tones

GRACE_MS = 400
"""How long a fresh connection attempt may take before the banner shows."""

HOW_TO_ENABLE = (
    "Is Animaze running? Its API is off by default: in Animaze open "
    "<b>Settings &gt; Animaze API</b>, tick <b>Enabled</b> and check the port."
)


class ConnectionBanner(QFrame):
    """Explains the connection problem; visible only while disconnected."""

    changeAddressRequested = Signal()

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the banner bound to ``session`` (hidden while connected)."""
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self._session = session
        self._icon = QLabel(self)
        self._icon.setPixmap(resources.icon("warning", tones().warning).pixmap(28, 28))
        self._title = QLabel(self)
        self._title.setProperty("role", "heading")
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._detail = QLabel(self)
        self._detail.setWordWrap(True)
        self._detail.setTextFormat(Qt.TextFormat.RichText)
        self.retry_button = QPushButton(resources.icon("reconnect"), "Retry now", self)
        self.retry_button.setObjectName("bannerRetryButton")
        self.retry_button.clicked.connect(session.reconnect)
        self.address_button = QPushButton("Change address…", self)
        self.address_button.clicked.connect(self.changeAddressRequested)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self._title)
        text.addWidget(self._detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.address_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(GRACE_MS)
        self._grace.timeout.connect(self._show_if_still_down)
        self._host: QWidget = self
        self._wanted = False
        session.stateChanged.connect(self._on_state)
        self.setVisible(False)
        self._on_state(session.state)

    def set_host(self, host: QWidget) -> None:
        """Show and hide ``host`` (e.g. the tool bar holding the banner) instead of the banner.

        Widgets inside a ``QToolBar`` must not be shown or hidden directly, so the main window
        lets the banner drive the whole bar.
        """
        self._host = host
        self.sync_visibility()

    @property
    def wanted(self) -> bool:
        """Whether the banner should be on screen now."""
        return self._wanted

    def sync_visibility(self) -> None:
        """Apply :attr:`wanted` to the host (after e.g. ``restoreState`` changed it)."""
        self._host.setVisible(self._wanted)

    def _set_wanted(self, wanted: bool) -> None:
        self._wanted = wanted
        self.sync_visibility()

    @property
    def message(self) -> str:
        """The banner's text as plain text (title and detail), for tests and accessibility."""
        return f"{self._title.text()}\n{self._detail.text()}"

    def _on_state(self, state: ConnectionState) -> None:
        self._update_text(state)
        if state is ConnectionState.CONNECTED:
            self._grace.stop()
            self._set_wanted(False)
        elif not self._wanted and not self._grace.isActive():
            self._grace.start()

    def _show_if_still_down(self) -> None:
        if not self._session.connected:
            self._update_text(self._session.state)
            self._set_wanted(True)

    def _update_text(self, state: ConnectionState) -> None:
        url = escape(self._session.url)
        if state is ConnectionState.CONNECTING:
            self._title.setText(f"Connecting to Animaze at {self._session.url}…")
        else:
            self._title.setText(f"Not connected to Animaze at {self._session.url}")
        error = self._session.client.last_error
        reason = f"Last attempt: {escape(_first_sentence(str(error)))} " if error else ""
        self._detail.setText(
            f"{reason}The panel keeps retrying <code>{url}</code> by itself. {HOW_TO_ENABLE}"
        )
        self.setAccessibleDescription(self._title.text())


def _first_sentence(text: str) -> str:
    """The error's first sentence (the client's errors repeat the how-to-enable advice)."""
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text
