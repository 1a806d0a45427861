"""CameraPresetsBar: save, apply and delete camera presets, inside the Camera dock.

A combo of the profile's presets with *Apply* and *Delete*, and *Save as…*, which opens an
inline form (no modal dialog): a name, "Include the avatar transform" (read from Animaze with
GetAvatarTransform when saving) and *Save*. Saving under an existing name asks first: the
button turns into *Replace* with a line saying what will be overwritten.

The camera part of a preset is what the Camera dock shows (:meth:`CameraDock.current_camera`);
applying goes through :meth:`HotkeyService.apply_preset`, which sends SetCameraTransform +
SetCameraFov (+ SetAvatarTransform) through the session and shows the preset in the dock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...animaze.requests import GetAvatarTransform
from ...hotkeys.errors import EntryError
from ...hotkeys.macro import ActionFailed
from ...hotkeys.presets import AvatarPlacement, CameraPresetData
from .. import messages
from ..hotkeys.hotkeys_service import HotkeyService, Quat, Vec3
from ..session import AnimazeSession
from ..widgets.theme import Tone, set_tone


class CameraSource(Protocol):
    """What the bar needs of the Camera dock."""

    def current_camera(self) -> tuple[Vec3, Quat, float]:
        """The camera shown in the dock: position, rotation quaternion, FOV."""
        ...


class CameraPresetsBar(QWidget):
    """Preset combo + Apply / Save as… / Delete."""

    saved = Signal(str)  # preset name
    applied = Signal(str)  # preset name
    failed = Signal(str)  # message

    def __init__(
        self,
        service: HotkeyService,
        camera: CameraSource,
        session: AnimazeSession,
        parent: QWidget | None = None,
    ) -> None:
        """Build the bar.

        Args:
            service: Where presets are stored and applied.
            camera: The Camera dock (the values to save).
            session: For GetAvatarTransform when the avatar is saved too.
            parent: Qt parent.
        """
        super().__init__(parent)
        self.setObjectName("cameraPresetsBar")
        self.service = service
        self.camera = camera
        self.session = session
        self._confirming = ""
        self._task: asyncio.Task[None] | None = None

        self.combo = QComboBox(self)
        self.combo.setObjectName("cameraPresetCombo")
        self.combo.setMinimumContentsLength(12)
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setObjectName("applyPresetButton")
        self.save_as_button = QPushButton("Save as…", self)
        self.save_as_button.setObjectName("savePresetAsButton")
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setObjectName("deletePresetButton")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("presetName")
        self.name_edit.setPlaceholderText("Preset name, e.g. Close-up")
        self.avatar_check = QCheckBox("Include the avatar transform", self)
        self.avatar_check.setObjectName("presetIncludeAvatar")
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("savePresetButton")
        self.cancel_button = QPushButton("Cancel", self)
        self.status = QLabel(self)
        self.status.setObjectName("presetStatus")
        self.status.setWordWrap(True)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Preset", self))
        row.addWidget(self.combo, 1)
        row.addWidget(self.apply_button)
        row.addWidget(self.save_as_button)
        row.addWidget(self.delete_button)
        self.form = QWidget(self)
        form = QHBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self.name_edit.setParent(self.form)
        form.addWidget(self.name_edit, 1)
        form.addWidget(self.avatar_check)
        form.addWidget(self.save_button)
        form.addWidget(self.cancel_button)
        self.form.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.form)
        layout.addWidget(self.status)

        self.apply_button.clicked.connect(self.apply_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.save_as_button.clicked.connect(self.open_save_form)
        self.save_button.clicked.connect(self.save)
        self.name_edit.returnPressed.connect(self.save)
        self.cancel_button.clicked.connect(self.close_save_form)
        self.name_edit.textChanged.connect(self._on_name_edited)
        service.profileChanged.connect(self.reload)
        self.reload()

    # ------------------------------------------------------------------ public API

    def names(self) -> list[str]:
        """The presets listed, in order."""
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def reload(self) -> None:
        """List the profile's presets (keeping the selection when it still exists)."""
        current = self.combo.currentText()
        self.combo.blockSignals(True)
        self.combo.clear()
        for preset in self.service.profile.presets:
            self.combo.addItem(preset.name)
        index = self.combo.findText(current)
        self.combo.setCurrentIndex(index if index >= 0 else 0)
        self.combo.blockSignals(False)
        has = self.combo.count() > 0
        self.apply_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def apply_selected(self) -> asyncio.Task[None] | None:
        """Apply the selected preset (in the background; :attr:`applied` when done)."""
        name = self.combo.currentText()
        if not name:
            return None
        return self._spawn(self._apply(name))

    def delete_selected(self) -> None:
        """Delete the selected preset."""
        name = self.combo.currentText()
        if name:
            self.service.delete_preset(name)
            self._say(f"Deleted the camera preset “{name}”")

    def open_save_form(self) -> None:
        """Show the name field (filled with the selected preset's name)."""
        self.form.show()
        self.name_edit.setText(self.combo.currentText())
        self.name_edit.selectAll()
        self.name_edit.setFocus()
        self._on_name_edited()

    def close_save_form(self) -> None:
        """Hide the name field without saving."""
        self.form.hide()
        self._confirming = ""
        self.save_button.setText("Save")

    def save(self) -> asyncio.Task[None] | None:
        """Save the Camera dock's values under the typed name.

        An existing name is only replaced on the second click (the button reads *Replace*).

        Returns:
            The saving task (it reads the avatar transform when asked), or ``None`` when
            nothing is saved yet (bad name, or waiting for the overwrite confirmation).
        """
        name = self.name_edit.text().strip()
        if not name:
            self._say("Preset name: type a name", error=True)
            return None
        existing = self.service.profile.preset(name)
        if existing is not None and self._confirming.casefold() != name.casefold():
            self._confirming = name
            self.save_button.setText("Replace")
            self._say(f"There is already a preset “{existing.name}”. Click Replace to "
                      "overwrite it, or type another name.", error=True)
            return None
        return self._spawn(self._save(name, self.avatar_check.isChecked()))

    # ------------------------------------------------------------------ internals

    async def _save(self, name: str, with_avatar: bool) -> None:
        position, rotation, fov = self.camera.current_camera()
        avatar = None
        if with_avatar:
            reply = await self.session.call(GetAvatarTransform())
            if reply is None:
                self._fail("Could not read the avatar transform from Animaze; preset not saved")
                return
            avatar = AvatarPlacement(reply.position, reply.rotation, reply.scale)
        try:
            preset = CameraPresetData(name, position, rotation, fov, avatar)
        except EntryError as exc:
            self._fail(f"Preset {exc.field}: {exc.reason}")
            return
        self.service.save_preset(preset)
        self.close_save_form()
        self.combo.setCurrentIndex(self.combo.findText(preset.name))
        self._say(f"Saved the camera preset “{preset.name}”")
        self.saved.emit(preset.name)

    async def _apply(self, name: str) -> None:
        try:
            await self.service.apply_preset(name)
        except ActionFailed as exc:
            self._fail(f"Camera preset “{name}”: {exc}")
            return
        self._say(f"Applied the camera preset “{name}”")
        messages.success(f"Applied the camera preset “{name}”")
        self.applied.emit(name)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        self._task = self.session.spawn(coro)
        return self._task

    def _on_name_edited(self) -> None:
        if self._confirming and self._confirming.casefold() != self.name_edit.text().strip() \
                .casefold():
            self._confirming = ""
            self.save_button.setText("Save")
            self.status.clear()

    def _fail(self, text: str) -> None:
        self._say(text, error=True)
        messages.error(text)
        self.failed.emit(text)

    def _say(self, text: str, *, error: bool = False) -> None:
        set_tone(self.status, Tone.ERROR if error else Tone.SUCCESS)
        self.status.setText(text)
