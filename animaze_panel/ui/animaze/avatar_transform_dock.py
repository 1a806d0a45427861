"""AvatarTransformDock: move, turn and scale the avatar (SetAvatarTransform).

Same controls as the camera (a :class:`TransformEditor`) plus uniform scale. Dragging sends
live updates through a :class:`Coalescer` (at most ~30 a second, the final value always sent).
The transform is per avatar in Animaze, so it is read back with GetAvatarTransform on connect,
after the avatar changes and on "Read from Animaze".
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ...animaze.errors import ValidationError
from ...animaze.requests import GetAvatarTransform, SetAvatarTransform
from ..session import AnimazeSession
from ..widgets.coalescer import Coalescer, QtScheduler
from ..widgets.transform_editor import SCALE_AXIS, TransformEditor
from .avatar_actions_dock import AVATAR_SWITCHING_ACTIONS
from .control_dock import ControlDock


class AvatarTransformDock(ControlDock):
    """Avatar position, rotation and scale with live updates."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Avatar transform", "avatarTransformDock", parent)
        self.editor = TransformEditor((SCALE_AXIS,), self.controls)
        self.editor.edited.connect(lambda _key: self._submit())
        self.editor.editFinished.connect(lambda _key: self._sender.flush())
        self.read_button = QPushButton("Read from Animaze", self.controls)
        self.read_button.setToolTip("Fill the controls with the avatar's current transform")
        self.read_button.clicked.connect(lambda: self.request_refresh(immediate=True))
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

        session.avatarChanged.connect(lambda _name: self.request_refresh())
        session.commandSucceeded.connect(self._on_command_succeeded)

    def reset(self) -> None:
        """Send the identity transform (origin, no rotation, scale 1) and show it."""
        self.editor.set_position((0.0, 0.0, 0.0))
        self.editor.set_rotation((0.0, 0.0, 0.0, 1.0))
        self.editor.set_value("scale", 1.0)
        self._submit()
        self._sender.flush()

    async def refresh(self) -> None:
        """Read the avatar's transform into the controls."""
        reply = await self.session.call(GetAvatarTransform())
        if reply is None or self._sender.pending:
            return
        self.editor.set_position(reply.position)
        self.editor.set_rotation(reply.rotation)
        self.editor.set_value("scale", reply.scale)

    def connected_changed(self, connected: bool) -> None:
        """Drop unsent live updates when the link goes down."""
        if not connected:
            self._sender.cancel()

    def _on_command_succeeded(self, action: str) -> None:
        if action in AVATAR_SWITCHING_ACTIONS:
            self.request_refresh()

    def _submit(self) -> None:
        try:
            request = SetAvatarTransform(
                self.editor.position(), self.editor.rotation(), self.editor.value("scale")
            )
        except ValidationError:  # only non-finite values read from Animaze could get here
            return
        self._sender.submit(request)
