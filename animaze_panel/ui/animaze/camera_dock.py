"""CameraDock: place Animaze's render camera (position, yaw/pitch/roll, field of view).

Dragging a slider sends SetCameraTransform / SetCameraFov live, through a :class:`Coalescer`
each: at most ~30 messages a second, the final value always sent (and sent at once when the
slider is released). The controls show the camera of the shared :class:`AnimazeState`: read on
connect, after a quickscene or scene load, by its polling (a camera moved outside the panel shows
within two seconds; polling pauses while a control is dragged) and on "Read from Animaze".
Showing a read never sends anything.

Camera presets (the hotkeys page) use :meth:`CameraDock.current_camera`,
:meth:`CameraDock.apply_camera` and put their bar in :meth:`CameraDock.add_extension`.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import SetCameraFov, SetCameraTransform
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.coalescer import Coalescer, QtScheduler
from ..widgets.transform_editor import FOV_AXIS, Quat, TransformEditor, Vec3
from .control_dock import ControlDock, dragging


class CameraDock(ControlDock):
    """Camera transform and FOV editor with live updates."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Camera", "cameraDock", parent)
        self.editor = TransformEditor((FOV_AXIS,), self.controls)
        self.editor.edited.connect(self._on_edited)
        self.editor.editFinished.connect(self._on_edit_finished)
        self.read_button = QPushButton("Read from Animaze", self.controls)
        self.read_button.setToolTip("Fill the controls with Animaze's current camera")
        self.read_button.clicked.connect(lambda: self.read_again(Part.CAMERA))
        self._transform_sender: Coalescer[SetCameraTransform] = Coalescer(
            self.session.fire, schedule=QtScheduler(self)
        )
        self._fov_sender: Coalescer[SetCameraFov] = Coalescer(
            self.session.fire, schedule=QtScheduler(self)
        )

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.read_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        self._extensions = QVBoxLayout()
        self._extensions.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._extensions)
        layout.addStretch(1)
        session.model.changed.connect(self._on_model_changed)

    # ------------------------------------------------------------------ public API

    def add_extension(self, widget: QWidget) -> None:
        """Add ``widget`` (e.g. the camera-presets bar) under the camera controls.

        It is enabled and disabled with the dock's other Animaze controls.
        """
        widget.setParent(self.controls)
        self._extensions.addWidget(widget)

    def current_camera(self) -> tuple[Vec3, Quat, float]:
        """Return ``(position, rotation quaternion [x, y, z, w], fov degrees)`` as shown."""
        return self.editor.position(), self.editor.rotation(), self.editor.value("fov")

    def apply_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        """Show a camera in the controls and send it to Animaze now.

        Args:
            position: World-space ``(x, y, z)``.
            rotation: Right-handed quaternion ``(x, y, z, w)``.
            fov: Field of view in degrees (0 < fov < 180).
        """
        self.editor.set_position(position)
        self.editor.set_rotation(rotation)
        self.editor.set_value("fov", fov)
        self._submit_transform()
        self._submit_fov()
        self._transform_sender.flush()
        self._fov_sender.flush()

    def show_camera(self, position: Vec3, rotation: Quat, fov: float) -> None:
        """Show a camera in the controls without sending it (a hotkey sent it already).

        Args:
            position: World-space ``(x, y, z)``.
            rotation: Right-handed quaternion ``(x, y, z, w)``.
            fov: Field of view in degrees.
        """
        self._transform_sender.cancel()
        self._fov_sender.cancel()
        self.editor.set_position(position)
        self.editor.set_rotation(rotation)
        self.editor.set_value("fov", fov)

    async def refresh(self) -> None:
        """Show Animaze's camera (read once it is known to the shared state)."""
        await self.session.model.settled(Part.CAMERA)
        self._show_model()

    def _on_model_changed(self, part: Part) -> None:
        if part is Part.CAMERA:
            self._show_model()

    def _show_model(self) -> None:
        camera = self.session.model.camera
        if camera is None or dragging(self.editor):
            return
        # A drag that is still being sent wins over what Animaze said a moment ago.
        if not self._transform_sender.pending:
            self.editor.set_position(camera.position)
            self.editor.set_rotation(camera.rotation)
        if not self._fov_sender.pending:
            self.editor.set_value("fov", camera.fov)

    def connected_changed(self, connected: bool) -> None:
        """Drop unsent live updates when the link goes down (they would only fail)."""
        if not connected:
            self._transform_sender.cancel()
            self._fov_sender.cancel()

    # ------------------------------------------------------------------ sending

    def _on_edited(self, key: str) -> None:
        self.session.model.hold_polling()
        if key == "fov":
            self._submit_fov()
        else:
            self._submit_transform()

    def _on_edit_finished(self, key: str) -> None:
        (self._fov_sender if key == "fov" else self._transform_sender).flush()

    def _submit_transform(self) -> None:
        try:
            request = SetCameraTransform(self.editor.position(), self.editor.rotation())
        except ValidationError:  # only non-finite values from Animaze could get here
            return
        self._transform_sender.submit(request)

    def _submit_fov(self) -> None:
        try:
            request = SetCameraFov(self.editor.value("fov"))
        except ValidationError:
            return
        self._fov_sender.submit(request)
