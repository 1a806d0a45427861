"""AvatarTransformDock: move, turn and scale the avatar (SetAvatarTransform).

Same controls as the camera (a :class:`TransformEditor`) plus uniform scale. Dragging sends
live updates through a :class:`Coalescer` (at most ~30 a second, the final value always sent).
The controls show the avatar transform of the shared :class:`AnimazeState`: read on connect,
after the avatar changes (or a quickscene load), by its polling (paused while a control is
dragged) and on "Read from Animaze". Showing a read never sends anything.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import SetAvatarTransform
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.coalescer import Coalescer, QtScheduler
from ..widgets.transform_editor import SCALE_AXIS, TransformEditor
from .control_dock import ControlDock


class AvatarTransformDock(ControlDock):
    """Avatar position, rotation and scale with live updates."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Avatar transform", "avatarTransformDock", parent)
        self.editor = TransformEditor((SCALE_AXIS,), self.controls)
        self.editor.edited.connect(self._on_edited)
        self.editor.editFinished.connect(lambda _key: self._sender.flush())
        self.read_button = QPushButton("Read from Animaze", self.controls)
        self.read_button.setToolTip("Fill the controls with the avatar's current transform")
        self.read_button.clicked.connect(lambda: self.read_again(Part.AVATAR_TRANSFORM))
        self.reset_button = QPushButton("Reset", self.controls)
        self.reset_button.setToolTip("Put the avatar back at the origin, unrotated, scale 1")
        self.reset_button.clicked.connect(self.reset)
        self._sender: Coalescer[SetAvatarTransform] = Coalescer(
            self.session.fire, schedule=QtScheduler(self)
        )

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.read_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)
        layout.addStretch(1)

        session.model.changed.connect(self._on_model_changed)

    def reset(self) -> None:
        """Send the identity transform (origin, no rotation, scale 1) and show it."""
        self.editor.set_position((0.0, 0.0, 0.0))
        self.editor.set_rotation((0.0, 0.0, 0.0, 1.0))
        self.editor.set_value("scale", 1.0)
        self._submit()
        self._sender.flush()

    async def refresh(self) -> None:
        """Show the avatar's transform (read once it is known to the shared state)."""
        await self.session.model.settled(Part.AVATAR_TRANSFORM)
        self._show_model()

    def _on_model_changed(self, part: Part) -> None:
        if part is Part.AVATAR_TRANSFORM:
            self.request_refresh()

    def _show_model(self) -> None:
        placed = self.session.model.avatar_transform
        if placed is None or self._sender.pending:
            return
        self.editor.set_position(placed.position)
        self.editor.set_rotation(placed.rotation)
        self.editor.set_value("scale", placed.scale)

    def connected_changed(self, connected: bool) -> None:
        """Drop unsent live updates when the link goes down."""
        if not connected:
            self._sender.cancel()

    def _on_edited(self, _key: str) -> None:
        self.session.model.hold_polling()
        self._submit()

    def _submit(self) -> None:
        try:
            request = SetAvatarTransform(
                self.editor.position(), self.editor.rotation(), self.editor.value("scale")
            )
        except ValidationError:  # only non-finite values read from Animaze could get here
            return
        self._sender.submit(request)
