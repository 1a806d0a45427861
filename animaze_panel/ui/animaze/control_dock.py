"""ControlDock: the base of the docks that drive Animaze (emotes, camera, behaviours...).

It does, once, what every such dock must do:

* stable ``objectName`` and title;
* the dock's Animaze controls live in :attr:`ControlDock.controls` and are disabled while the
  session is disconnected (their contents, e.g. typed text, stay);
* :meth:`ControlDock.refresh` (a coroutine the subclass implements) runs on connect, and
  whenever :meth:`ControlDock.request_refresh` is called; requests are debounced so a burst of
  triggers costs one refresh, and a request arriving while a refresh runs schedules exactly one
  more afterwards (the data may have changed mid-way). :attr:`ControlDock.refreshed` fires after
  each refresh, which tests await.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QVBoxLayout, QWidget

from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.transform_editor import TransformEditor

log = logging.getLogger(__name__)

REFRESH_DEBOUNCE_MS = 120
"""How long a refresh request waits for more to arrive (a burst of AvatarChanged triggers)."""


class ControlDock(QDockWidget):
    """A dock whose controls need Animaze; subclasses fill :attr:`controls` and :meth:`refresh`."""

    refreshed = Signal()

    def __init__(
        self,
        session: AnimazeSession,
        title: str,
        object_name: str,
        parent: QWidget | None = None,
    ) -> None:
        """Create the dock frame.

        Args:
            session: The shared Animaze session.
            title: Window title.
            object_name: Stable name used by saveState/restoreState.
            parent: Parent widget.
        """
        super().__init__(title, parent)
        self.setObjectName(object_name)
        self._session = session
        self._refresh_task: asyncio.Task[None] | None = None
        self._refresh_again = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(REFRESH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_refresh)
        body = QWidget(self)
        self.body_layout = QVBoxLayout(body)
        self.body_layout.setContentsMargins(6, 6, 6, 6)
        self.body_layout.setSpacing(6)
        self.controls = QWidget(body)
        self.body_layout.addWidget(self.controls, 1)
        self.setWidget(body)
        session.connectedChanged.connect(self._on_connected_changed)
        self.controls.setEnabled(session.connected)
        if session.connected:
            # Built after connecting: refresh once the subclass has finished building.
            QTimer.singleShot(0, self._start_refresh)

    @property
    def session(self) -> AnimazeSession:
        """The session this dock talks through."""
        return self._session

    @property
    def refreshing(self) -> bool:
        """Whether a refresh is running or scheduled."""
        return self._debounce.isActive() or (
            self._refresh_task is not None and not self._refresh_task.done()
        )

    def request_refresh(self, *, immediate: bool = False) -> None:
        """Ask for a refresh; requests within the debounce window are merged.

        Args:
            immediate: Skip the debounce window (e.g. on connect or a button press).
        """
        if immediate:
            self._debounce.stop()
            self._start_refresh()
        else:
            self._debounce.start()

    def read_again(self, *parts: Part) -> asyncio.Task[None]:
        """Have the shared state read ``parts`` now (a "Read from Animaze" button), then show.

        Returns:
            The task (kept by the session).
        """

        async def read() -> None:
            await self._session.model.refresh(*parts)
            self.request_refresh(immediate=True)

        return self._session.spawn(read())

    async def refresh(self) -> None:
        """Show what the dock shows from the shared state. Subclasses override."""

    def connected_changed(self, connected: bool) -> None:
        """Hook for subclasses when the link goes up or down (after enabling/disabling)."""

    # ------------------------------------------------------------------ internals

    def _on_connected_changed(self, connected: bool) -> None:
        self.controls.setEnabled(connected)
        self.connected_changed(connected)
        if connected:
            self.request_refresh(immediate=True)
        else:
            self._debounce.stop()

    def _start_refresh(self) -> None:
        if not self._session.connected:
            return
        if self._refresh_task is not None and not self._refresh_task.done():
            self._refresh_again = True
            return
        self._refresh_again = False
        self._refresh_task = self._session.spawn(self._run_refresh())

    async def _run_refresh(self) -> None:
        try:
            await self.refresh()
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug in one dock must not take the loop down
            log.exception("%s: refresh failed", self.objectName())
        finally:
            self._refresh_task = None
        self.refreshed.emit()
        if self._refresh_again:
            self._start_refresh()


def dragging(editor: TransformEditor) -> bool:
    """Whether the user holds one of ``editor``'s sliders (what Animaze says waits till then)."""
    return any(editor.slider(key).isSliderDown() for key in editor.keys())
