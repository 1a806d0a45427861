"""CameraDock: Camera dock (work in progress stub; full version follows)."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from .session import AnimazeSession


class CameraDock(QDockWidget):
    """The Camera dock."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__("Camera", parent)
        self.setObjectName("cameraDock")
        self._session = session
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self._layout.addWidget(QLabel("Camera", body))
        self.setWidget(body)

    def add_extension(self, widget: QWidget) -> None:
        """Add ``widget`` (e.g. the camera-presets bar) under the camera controls."""
        self._layout.addWidget(widget)

    def current_camera(
        self,
    ) -> tuple[tuple[float, float, float], tuple[float, float, float, float], float]:
        """Return ``(position, rotation quaternion, fov)`` as shown in the dock."""
        return ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0, 1.0), 60.0)

    def apply_camera(
        self,
        position: tuple[float, float, float],
        rotation: tuple[float, float, float, float],
        fov: float,
    ) -> None:
        """Show ``position``/``rotation``/``fov`` in the dock and send them to Animaze."""
