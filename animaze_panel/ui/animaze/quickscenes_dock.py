"""QuickscenesDock: Animaze's quickscene slots as thumbnails; click loads, save asks first.

GetQuickscenes returns every slot with a base64 thumbnail (empty slots have none). Thumbnails are
decoded in a worker thread (:func:`.icon_cache.decode_icon`) and shown on square buttons; a
click loads the slot (LoadQuickscene). "Save current setup" stores Animaze's current avatar,
scene and camera into the chosen slot (SaveQuickscene) and, when that slot already holds a
quickscene, asks before overwriting it - with a window-modal question that never blocks the
event loop. The slots are the shared :class:`AnimazeState`'s (read on connect and after each
save); loading a slot makes the state re-read the scene, camera, avatar and its transform, so
every dock shows what the quickscene set.
"""

from __future__ import annotations

import asyncio
from functools import partial

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...animaze.requests import LoadQuickscene, SaveQuickscene
from ...animaze.responses import Quickslot
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets import resources
from ..widgets.icon_cache import decode_icon
from ..widgets.turns import Turns

THUMB = QSize(132, 74)
SPACING = 8
SLOT_WIDTH = THUMB.width() + 14


class QuickscenesDock(QDockWidget):
    """The quickscenes dock (objectName ``quickscenesDock``)."""

    refreshed = Signal()

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock; it reads the slots whenever the session connects."""
        super().__init__("Quickscenes", parent)
        self.setObjectName("quickscenesDock")
        self._session = session
        self._refresh_task: asyncio.Task[None] | None = None
        self.slots: list[Quickslot] = []
        self.buttons: list[QToolButton] = []
        self.confirm_box: QMessageBox | None = None

        body = QWidget(self)
        self._grid_host = QWidget(body)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setSpacing(SPACING)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._columns = 0
        scroll = QScrollArea(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # The slots reflow to the dock's width instead: no slot hides behind a scroll bar.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._grid_host)
        scroll.viewport().installEventFilter(self)
        self._scroll = scroll
        self.slot_box = QComboBox(body)
        self.slot_box.setObjectName("quickslotChoice")
        self.slot_box.setToolTip("Slot to save the current setup into")
        self.save_button = QPushButton(resources.icon("save"), "Save current setup", body)
        self.save_button.setObjectName("saveQuickscene")
        self.save_button.setToolTip(
            "Store Animaze's current avatar, scene and camera in the chosen slot"
        )
        self.save_button.clicked.connect(lambda: self.save(int(self.slot_box.currentData())))
        self.status = QLabel("Waiting for Animaze…", body)
        self._turns = Turns()  # one per user action; see _finish
        self._news = False  # an action's message is showing: a background re-read keeps it
        self.status.setProperty("role", "muted")
        save_row = QHBoxLayout()
        save_row.addWidget(QLabel("Slot", body))
        save_row.addWidget(self.slot_box)
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(scroll, 1)
        layout.addLayout(save_row)
        layout.addWidget(self.status)
        self.setWidget(body)

        session.connectedChanged.connect(self._on_connected)
        session.model.changed.connect(self._on_model_changed)
        self._on_connected(session.connected)

    # ------------------------------------------------------------------ public

    def refresh(self) -> asyncio.Task[None]:
        """Re-read the slots (one refresh at a time)."""
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = self._session.spawn(self._refresh())
        return self._refresh_task

    def load(self, index: int) -> None:
        """Load slot ``index`` in Animaze."""
        turn = self._begin(f"Loading quickscene {index + 1}…")
        self._session.spawn(self._load(index, turn))

    def save(self, index: int) -> asyncio.Task[None] | None:
        """Save the current setup into slot ``index``, asking first if it is taken.

        Returns:
            The save under way, or ``None`` when the user is asked first.
        """
        slot = next((s for s in self.slots if s.index == index), None)
        if slot is None or not slot.image:
            turn = self._begin(f"Saving to slot {index + 1}…")
            return self._session.spawn(self._save(index, turn))
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Overwrite quickscene?",
            f"Slot {index + 1} already holds a quickscene. Replace it with the current setup?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("overwriteQuickscene")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(partial(self._confirmed, index))
        self.confirm_box = box
        box.open()  # window-modal, never a nested event loop
        return None

    # ------------------------------------------------------------------ internals

    def _confirmed(self, index: int, result: int) -> None:
        self.confirm_box = None
        if result == QMessageBox.StandardButton.Yes:
            self._session.spawn(self._save(index, self._begin(f"Saving to slot {index + 1}…")))
        else:
            self._begin(f"Slot {index + 1} kept")

    def _begin(self, text: str) -> int:
        """Show the status of a new user action; returns its turn for :meth:`_finish`."""
        turn = self._turns.take()
        self._news = True
        self.status.setText(text)
        return turn

    def _finish(self, turn: int, text: str) -> None:
        """Show how an action ended, unless the user has done something newer since.

        A slow save finishing after the user cancelled another one must not cover the
        newer message with its old news.
        """
        if self._turns.is_newest(turn):
            self.status.setText(text)

    def _on_model_changed(self, part: Part) -> None:
        if part is Part.QUICKSCENES:
            self.refresh()

    def _on_connected(self, connected: bool) -> None:
        self._grid_host.setEnabled(connected)
        self.save_button.setEnabled(connected)
        if connected:
            self.refresh()
        else:
            self._begin("Not connected to Animaze")
            self._news = False  # once back, the slots' summary is the news

    async def _load(self, index: int, turn: int) -> None:
        if await self._session.call(LoadQuickscene(index)) is not None:
            self._finish(turn, f"Quickscene {index + 1} loaded")

    async def _save(self, index: int, turn: int) -> None:
        if await self._session.call(SaveQuickscene(index)) is not None:
            await self._session.model.settled(Part.QUICKSCENES)  # the re-read it caused
            await self.refresh()
            self._finish(turn, f"Current setup saved in slot {index + 1}")

    async def _refresh(self) -> None:
        model = self._session.model
        await model.settled(Part.QUICKSCENES)
        if not model.loaded(Part.QUICKSCENES):
            self.status.setText("Could not read the quickscenes")
            return
        slots = model.quickscenes
        loop = asyncio.get_running_loop()
        images = await asyncio.gather(
            *(
                loop.run_in_executor(None, decode_icon, s.image, THUMB.width() * 2, None)
                if s.image else _none()
                for s in slots
            )
        )
        self.slots = list(slots)
        self._rebuild([None if i is None else QPixmap.fromImage(i) for i in images])
        used = sum(1 for s in self.slots if s.image)
        if not self._news:
            self.status.setText(f"{used} of {len(self.slots)} slots used — click a slot to load it")
        self.refreshed.emit()

    def _rebuild(self, pixmaps: list[QPixmap | None]) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        chosen = self.slot_box.currentData()
        self.slot_box.clear()
        for slot, pixmap in zip(self.slots, pixmaps, strict=True):
            button = QToolButton(self._grid_host)
            button.setObjectName(f"quickslot{slot.index}")
            button.setProperty("role", "slot")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setIconSize(THUMB)
            button.setMinimumWidth(SLOT_WIDTH)
            label = slot.name or f"Slot {slot.index + 1}"
            if pixmap is not None:
                button.setIcon(QIcon(pixmap))
                button.setText(label)
                button.setToolTip(f"Load quickscene {slot.index + 1}")
                button.clicked.connect(lambda _c=False, i=slot.index: self.load(i))
            else:
                button.setIcon(resources.icon("quickscenes"))
                button.setText(f"{label} (empty)")
                button.setToolTip("Empty slot: save the current setup here")
                button.clicked.connect(lambda _c=False, i=slot.index: self.save(i))
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(
                partial(self._slot_menu, button, slot.index, pixmap is not None)
            )
            self.buttons.append(button)
            self.slot_box.addItem(f"{slot.index + 1}{'' if pixmap else ' (empty)'}", slot.index)
        found = self.slot_box.findData(chosen)
        if found >= 0:
            self.slot_box.setCurrentIndex(found)
        self._columns = 0
        self._reflow()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Reflow the slots when the visible width changes."""
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._reflow()
        return super().eventFilter(watched, event)

    def _reflow(self) -> None:
        width = self._scroll.viewport().width()
        columns = max(1, (width + SPACING) // (SLOT_WIDTH + SPACING))
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.buttons:
            self._grid.removeWidget(button)
        for position, button in enumerate(self.buttons):
            self._grid.addWidget(button, position // columns, position % columns)

    def _slot_menu(self, button: QToolButton, index: int, used: bool, pos: QPoint) -> None:
        menu = QMenu(self)
        load = menu.addAction("Load")
        load.setEnabled(used)
        load.triggered.connect(lambda _c=False: self.load(index))
        save = menu.addAction(resources.icon("save"), "Save current setup here")
        save.triggered.connect(lambda _c=False: self.save(index))
        menu.popup(button.mapToGlobal(pos))


async def _none() -> None:
    return None
