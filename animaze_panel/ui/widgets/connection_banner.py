"""ConnectionBanner: the card that explains, while disconnected, where the panel connects.

It appears (after a short grace period, so a quick connect at start-up does not flash it) whenever
the session is not connected, says which address the panel is trying, the last reason it failed,
and how to switch the API on in Animaze; "Retry now" skips the reconnect backoff, "Change
address..." asks the main window to focus the address field and the close button hides it until
the connection state changes again. It hides itself once connected.

In the main window it floats over the bottom of the Animaze page (:meth:`overlay`) instead of
taking a row of its own: coming and going, it never takes height from the docks or gives it
back, so the layout cannot creep over many disconnects (a streamer's Animaze restarts).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...animaze.observers import ConnectionState
from ..session import AnimazeSession
from . import resources
from .theme import tones

GRACE_MS = 400
"""How long a fresh connection attempt may take before the banner shows."""
MARGIN = 12
"""Gap between the floating banner and the edges of the page it floats over."""
MAX_WIDTH = 900

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
        self.dismiss_button = QToolButton(self)
        self.dismiss_button.setObjectName("bannerDismissButton")
        self.dismiss_button.setText("\u2715")
        self.dismiss_button.setAutoRaise(True)
        self.dismiss_button.setToolTip("Hide this message (the tool bar still shows the state)")
        self.dismiss_button.clicked.connect(self.dismiss)
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
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.setInterval(GRACE_MS)
        self._grace.timeout.connect(self._show_if_still_down)
        self._wanted = False
        self._allowed = True
        self._dismissed = False
        self._anchor: QWidget | None = None
        self.setAutoFillBackground(True)  # it floats over other widgets
        session.stateChanged.connect(self._on_state)
        self.setVisible(False)
        self._on_state(session.state)

    def overlay(self, anchor: QWidget) -> None:
        """Float over the bottom of ``anchor`` (a sibling or child of the banner's parent).

        The banner is then in no layout: showing it moves nothing.
        """
        self._anchor = anchor
        anchor.installEventFilter(self)
        self._place()

    def set_allowed(self, allowed: bool) -> None:
        """Whether the banner may show at all (e.g. only while the Animaze page is on screen)."""
        self._allowed = allowed
        self.sync_visibility()

    def dismiss(self) -> None:
        """Hide the banner until the connection state changes again."""
        self._dismissed = True
        self.sync_visibility()

    @property
    def wanted(self) -> bool:
        """Whether the connection needs explaining now (visible unless dismissed or disallowed)."""
        return self._wanted

    def sync_visibility(self) -> None:
        """Show the banner if it is wanted, allowed and not dismissed."""
        show = self._wanted and self._allowed and not self._dismissed
        if show:
            self._place()
            self.raise_()
        self.setVisible(show)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Follow the anchor's size and position."""
        if watched is self._anchor and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        anchor = self._anchor
        parent = self.parentWidget()
        if anchor is None or parent is None:
            return
        area = QRect(anchor.mapTo(parent, anchor.rect().topLeft()), anchor.size())
        width = min(MAX_WIDTH, area.width() - 2 * MARGIN)
        height = self.heightForWidth(width) if self.hasHeightForWidth() else 0
        height = max(height, self.sizeHint().height())
        left = area.left() + (area.width() - width) // 2
        self.setGeometry(left, area.bottom() - MARGIN - height, width, height)

    def _set_wanted(self, wanted: bool) -> None:
        if wanted != self._wanted:
            self._dismissed = False  # a new problem (or its end) shows again
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
        if self.isVisible():
            self._place()  # the text may need another height


def _first_sentence(text: str) -> str:
    """The error's first sentence (the client's errors repeat the how-to-enable advice)."""
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text
