"""FineSlider: a horizontal slider for precise values - relative drags and small nudges.

A plain ``QSlider`` maps its whole width to its whole range, so a camera axis of -20..20 m moved
8.9 m for a 100 px drag. Here a drag moves the value by :attr:`FineSlider.per_pixel` for each
pixel the mouse travels, wherever it was grabbed (the handle follows the value, not the mouse);
arrow keys and each wheel notch nudge by one single step. Holding Shift makes all three ten
times coarser. A click on the groove still pages towards the click, as usual.

Values are the slider's integers (the owner scales them to its unit).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

COARSE = 10
"""How much coarser everything is with Shift held."""


class FineSlider(QSlider):
    """A horizontal slider with relative dragging and Shift for coarse steps."""

    def __init__(self, per_pixel: float = 1.0, parent: QWidget | None = None) -> None:
        """Create the slider.

        Args:
            per_pixel: Slider units a drag moves per pixel of mouse travel.
            parent: Qt parent.
        """
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.per_pixel = per_pixel
        self._limits: tuple[int, int] | None = None
        self._grab_x: float | None = None
        self._grab_value = 0
        self._grab_coarse = False
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_limits(self, low: int, high: int) -> None:
        """Let drags, keys and the wheel go past the slider's range up to ``low``..``high``.

        The range then widens to keep the handle on the value (the range is the practical
        part of a larger allowed one).
        """
        self._limits = (low, high)

    def nudge_to(self, value: int) -> None:
        """Set ``value`` from a user gesture: clamped to the limits, widening the range."""
        if self._limits is not None:
            value = max(self._limits[0], min(self._limits[1], value))
            if value < self.minimum():
                self.setMinimum(value)
            if value > self.maximum():
                self.setMaximum(value)
        self.setValue(value)

    def _steps(self, modifiers: Qt.KeyboardModifier) -> int:
        coarse = modifiers & Qt.KeyboardModifier.ShiftModifier
        return self.singleStep() * (COARSE if coarse else 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        """Grab anywhere on the handle to drag relatively; the groove pages as usual."""
        if event.button() != Qt.MouseButton.LeftButton or not self._on_handle(event):
            super().mousePressEvent(event)
            return
        self._grab_x = event.position().x()
        self._grab_value = self.value()
        self._grab_coarse = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.setSliderDown(True)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        """Move the value by the distance travelled times :attr:`per_pixel` (x10 with Shift)."""
        if self._grab_x is None:
            super().mouseMoveEvent(event)
            return
        x = event.position().x()
        coarse = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if coarse != self._grab_coarse:  # Shift pressed or let go mid-drag: carry on from here
            self._grab_x, self._grab_value, self._grab_coarse = x, self.value(), coarse
        travel = x - self._grab_x
        if self.invertedAppearance():
            travel = -travel
        factor = COARSE if coarse else 1
        self.nudge_to(self._grab_value + round(travel * self.per_pixel * factor))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        """End a relative drag (emits ``sliderReleased``)."""
        if self._grab_x is None:
            super().mouseReleaseEvent(event)
            return
        self._grab_x = None
        self.setSliderDown(False)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        """Arrows nudge by one single step, ten with Shift."""
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.nudge_to(self.value() + self._steps(event.modifiers()))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self.nudge_to(self.value() - self._steps(event.modifiers()))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        """Each notch nudges by one single step, ten with Shift."""
        delta = event.angleDelta()
        # Some platforms turn Shift+wheel into a horizontal wheel: either axis counts.
        notches = (delta.y() or delta.x()) / 120
        if not notches:
            event.ignore()
            return
        direction = 1 if notches > 0 else -1
        count = max(1, round(abs(notches)))
        self.nudge_to(self.value() + direction * count * self._steps(event.modifiers()))
        event.accept()

    def _on_handle(self, event: QMouseEvent) -> bool:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        return handle.adjusted(-4, -4, 4, 4).contains(event.position().toPoint())
