"""ConnectionBar: the main tool bar - connection state, Animaze address, reconnect, broadcast.

From left to right: the connection indicator, the address field (Enter connects; a bad address
is explained and what was typed stays), Reconnect (F5), Broadcast (Ctrl+B) with the red ON AIR
mark while it is on (as last set by this panel: Animaze cannot report it), Calibrate tracker
(Ctrl+K). Outcomes go to the one message channel (ui/messages.py).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QSizePolicy, QToolBar, QWidget

from ..animaze.address import LAST_URL_KEY, validate_url
from ..animaze.observers import ConnectionState
from ..animaze.requests import Broadcast, CalibrateTracker
from . import messages
from .session import AnimazeSession
from .widgets import resources
from .widgets.on_air import OnAirLabel

RECENT_URLS_KEY = "connection/recentUrls"
ADDRESS_TIP = "Animaze API address (Ctrl+L); Enter connects"

STATE_TEXT = {
    ConnectionState.CONNECTED: ("connected", "\u25cf Connected"),
    ConnectionState.CONNECTING: ("connecting", "\u25cf Connecting\u2026"),
    ConnectionState.RECONNECTING: ("connecting", "\u25cf Reconnecting\u2026"),
    ConnectionState.DISCONNECTED: ("disconnected", "\u25cf Disconnected"),
}
"""Per state: the indicator's ``state`` property (styled by the theme) and its text."""


class ConnectionBar(QToolBar):
    """The main tool bar (objectName ``mainToolBar``)."""

    def __init__(
        self,
        session: AnimazeSession,
        settings: QSettings,
        *,
        remember_url: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        """Build the bar bound to ``session``.

        Args:
            session: The shared Animaze session.
            settings: Where the last and the recent addresses are kept.
            remember_url: Save addresses typed here (off in demo).
            parent: Qt parent (the main window).
        """
        super().__init__("Main", parent)
        self.setObjectName("mainToolBar")
        self.setIconSize(QSize(20, 20))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._session = session
        self._settings = settings
        self._remember_url = remember_url

        self.reconnect_action = QAction(resources.icon("reconnect"), "&Reconnect", self)
        self.reconnect_action.setObjectName("reconnectAction")
        self.reconnect_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.reconnect_action.setToolTip("Reconnect to Animaze now (F5)")
        self.reconnect_action.triggered.connect(session.reconnect)
        self.broadcast_action = QAction(resources.icon("broadcast"), "&Broadcast", self)
        self.broadcast_action.setObjectName("broadcastAction")
        self.broadcast_action.setCheckable(True)
        self.broadcast_action.setShortcut(QKeySequence("Ctrl+B"))
        self.broadcast_action.setToolTip(
            "Start or stop Animaze's virtual camera (Ctrl+B). Animaze does not report it: "
            "the button shows what this panel last set."
        )
        self.broadcast_action.toggled.connect(self._on_broadcast_toggled)
        self.calibrate_action = QAction(resources.icon("calibrate"), "&Calibrate tracker", self)
        self.calibrate_action.setObjectName("calibrateAction")
        self.calibrate_action.setShortcut(QKeySequence("Ctrl+K"))
        self.calibrate_action.setToolTip("Re-centre the face tracker (Ctrl+K)")
        self.calibrate_action.triggered.connect(
            lambda: session.spawn(session.call(CalibrateTracker(), done="Tracker calibrated"))
        )

        self.state_label = QLabel(self)
        self.state_label.setObjectName("connectionIndicator")
        self.state_label.setMinimumWidth(130)
        self.addWidget(self.state_label)
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("urlEdit")
        self.url_edit.setText(session.url)
        self.url_edit.setMinimumWidth(220)
        self.url_edit.setMaximumWidth(320)
        self.url_edit.setToolTip(ADDRESS_TIP)
        self.url_edit.setPlaceholderText("ws://localhost:9000")
        recent = settings.value(RECENT_URLS_KEY, [])
        if isinstance(recent, list):
            self.url_edit.setCompleter(QCompleter([str(u) for u in recent], self.url_edit))
        self.url_edit.returnPressed.connect(self._on_url_entered)
        self.addWidget(self.url_edit)
        self.addAction(self.reconnect_action)
        self.addSeparator()
        self.addAction(self.broadcast_action)
        self.on_air_label = OnAirLabel("onAirIndicator", self)
        self.on_air_action = self.addWidget(self.on_air_label)
        self.on_air_action.setVisible(False)
        self.addAction(self.calibrate_action)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.addWidget(spacer)

    def show_state(self, state: ConnectionState) -> None:
        """Show the connection state; commands that need Animaze follow it."""
        kind, text = STATE_TEXT[state]
        self.state_label.setText(text)
        self.state_label.setProperty("state", kind)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.state_label.setToolTip(f"{text[2:]} \u2014 {self._session.url}")
        connected = state is ConnectionState.CONNECTED
        self.broadcast_action.setEnabled(connected)
        self.calibrate_action.setEnabled(connected)

    def show_broadcast(self, on: bool) -> None:
        """Show broadcast as last set by this panel: the button's check and ON AIR."""
        self.on_air_action.setVisible(on)
        if self.broadcast_action.isChecked() != on:
            self.broadcast_action.blockSignals(True)
            self.broadcast_action.setChecked(on)
            self.broadcast_action.blockSignals(False)

    def focus_address(self) -> None:
        """Put the cursor in the address field (File > Connect to, the banner's button)."""
        self.setVisible(True)
        self.url_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.url_edit.selectAll()

    def recolor_icons(self) -> None:
        """Paint the icons in the palette's text colour again (after a theme switch)."""
        for name, action in (
            ("reconnect", self.reconnect_action),
            ("broadcast", self.broadcast_action),
            ("calibrate", self.calibrate_action),
        ):
            action.setIcon(resources.icon(name, resources.text_color()))

    def _on_broadcast_toggled(self, on: bool) -> None:
        self._session.spawn(self._broadcast(on))

    async def _broadcast(self, on: bool) -> None:
        done = "Virtual camera broadcast on" if on else "Virtual camera broadcast off"
        if await self._session.call(Broadcast(toggle=on), done=done) is None:
            # Animaze did not switch: show the state as last set again without re-sending.
            self.show_broadcast(self._session.model.broadcast)

    def _on_url_entered(self) -> None:
        try:
            url = validate_url(self.url_edit.text())
        except ValueError as exc:
            self.url_edit.setProperty("invalid", True)
            self.url_edit.setStyleSheet("QLineEdit { border: 1px solid palette(bright-text); }")
            self.url_edit.setToolTip(f"Animaze address: {exc}")
            messages.warning(f"Animaze address: {exc}")
            return  # what the user typed stays
        self.url_edit.setProperty("invalid", False)
        self.url_edit.setStyleSheet("")
        self.url_edit.setToolTip(ADDRESS_TIP)
        self.url_edit.setText(url)
        if self._remember_url:
            self._settings.setValue(LAST_URL_KEY, url)
            recent = self._settings.value(RECENT_URLS_KEY, [])
            urls = [url] + [u for u in (recent if isinstance(recent, list) else []) if u != url]
            self._settings.setValue(RECENT_URLS_KEY, urls[:8])
        messages.info(f"Connecting to {url}\u2026")
        self._session.spawn(self._session.client.set_url(url))
        self.show_state(self._session.state)
