"""TransformEditor: position x/y/z and yaw/pitch/roll (plus FOV or scale) as slider + spin box.

Shared by the camera and avatar-transform docks. Each axis is a slider for dragging and a spin
box for typing, kept in step. The spin box accepts the axis's whole range (an invalid number
cannot be entered); the slider covers a practical range (a few metres around the avatar), which
widens by itself to show a value set from elsewhere. Dragging is fine-grained (:class:`FineSlider`:
half a metre or 25 degrees per 100 px), arrow keys and the wheel nudge by 1 cm or 0.5 degree, and
Shift makes all of them ten times coarser. Angles are degrees and converted to the right-handed
(OpenGL) ``[x, y, z, w]`` quaternion the Animaze API uses (:mod:`animaze_panel.animaze.geometry`).

The editor keeps its own model of exact values: values set from code (read from Animaze, a
camera preset) are returned unchanged by :meth:`TransformEditor.position` /
:meth:`TransformEditor.rotation` even though the widgets show them rounded, so reading and
re-applying a transform never drifts. A user edit of an axis replaces that axis's value (and,
for an angle, makes the rotation the Euler-angle conversion again).

Signals: :attr:`TransformEditor.edited` (live, every user change, with the axis key) and
:attr:`TransformEditor.editFinished` (slider released or spin box committed), which the docks use
to send live updates and to flush the final value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QGridLayout, QLabel, QWidget

from ...animaze.geometry import euler_to_quaternion, quaternion_to_euler
from .fine_slider import FineSlider

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


@dataclass(frozen=True)
class Axis:
    """One editable number.

    Attributes:
        key: Identifier (``"x"``, ``"yaw"``, ``"fov"``...).
        label: Short label shown left of the slider.
        minimum: Lowest value.
        maximum: Highest value.
        default: Value before anything is read from Animaze.
        decimals: Spin-box decimals (the slider moves in steps of ``10**-decimals``).
        step: One nudge: spin-box arrows, slider arrow keys and wheel notches.
        suffix: Unit shown in the spin box.
        tooltip: What the axis does.
        view_min: Left end of the slider (``None``: :attr:`minimum`).
        view_max: Right end of the slider (``None``: :attr:`maximum`).
        per_pixel: How far a slider drag moves the value per pixel of mouse travel.
    """

    key: str
    label: str
    minimum: float
    maximum: float
    default: float = 0.0
    decimals: int = 2
    step: float = 0.1
    suffix: str = ""
    tooltip: str = ""
    view_min: float | None = None
    view_max: float | None = None
    per_pixel: float = 0.005


_NUDGE = " Arrow keys or the wheel nudge it; Shift: ten times more."


def _position(key: str, tooltip: str, low: float, high: float) -> Axis:
    return Axis(key, key.upper(), -20.0, 20.0, 0.0, 3, 0.01, " m", tooltip + _NUDGE, low, high)


def _angle(key: str, label: str, limit: float, tooltip: str) -> Axis:
    return Axis(key, label, -limit, limit, 0.0, 1, 0.5, "\u00b0", tooltip + _NUDGE,
                per_pixel=0.25)


POSITION_AXES = (
    _position("x", "Left (-) / right (+), metres.", -3.0, 3.0),
    _position("y", "Down (-) / up (+), metres.", -1.0, 4.0),
    _position("z", "Away from the viewer (-) / towards the viewer (+), metres.", -3.0, 6.0),
)
ROTATION_AXES = (
    _angle("yaw", "Yaw", 180.0, "Turn left/right about +Y."),
    _angle("pitch", "Pitch", 90.0, "Look up/down about +X."),
    _angle("roll", "Roll", 180.0, "Tilt about +Z."),
)
FOV_AXIS = Axis("fov", "FOV", 1.0, 179.0, 60.0, 1, 0.5, "\u00b0",
                "Camera field of view." + _NUDGE, 10.0, 120.0, 0.25)
SCALE_AXIS = Axis("scale", "Scale", 0.01, 10.0, 1.0, 2, 0.01, "\u00d7",
                  "Uniform avatar scale." + _NUDGE, 0.1, 3.0, 0.005)
_ANGLES = frozenset(a.key for a in ROTATION_AXES)


class _AxisRow(QObject):
    """A slider and a spin box showing one axis, kept in step without feedback loops."""

    edited = Signal(str, float)
    finished = Signal(str)

    def __init__(self, axis: Axis, parent: QWidget) -> None:
        super().__init__(parent)
        self.axis = axis
        self._scale = 10**axis.decimals
        self.label = QLabel(axis.label, parent)
        self.slider = FineSlider(axis.per_pixel * self._scale, parent)
        low = axis.minimum if axis.view_min is None else axis.view_min
        high = axis.maximum if axis.view_max is None else axis.view_max
        self.slider.setRange(round(low * self._scale), round(high * self._scale))
        self.slider.set_limits(round(axis.minimum * self._scale), round(axis.maximum * self._scale))
        self.slider.setSingleStep(max(1, round(axis.step * self._scale)))
        self.slider.setPageStep(max(1, round(axis.step * self._scale * 20)))
        self.slider.setObjectName(f"{axis.key}Slider")
        self.spin = QDoubleSpinBox(parent)
        self.spin.setRange(axis.minimum, axis.maximum)
        self.spin.setDecimals(axis.decimals)
        self.spin.setSingleStep(axis.step)
        self.spin.setSuffix(axis.suffix)
        self.spin.setKeyboardTracking(False)  # typing "120" must not send 1, 12, 120
        self.spin.setAccelerated(True)
        self.spin.setObjectName(f"{axis.key}Spin")
        for widget in (self.label, self.slider, self.spin):
            widget.setToolTip(axis.tooltip)
        self.label.setBuddy(self.spin)
        self.display(axis.default)
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderReleased.connect(lambda: self.finished.emit(self.axis.key))
        self.spin.valueChanged.connect(self._on_spin)
        self.spin.editingFinished.connect(lambda: self.finished.emit(self.axis.key))

    def display(self, value: float) -> None:
        """Display ``value`` (clamped to the range) without emitting anything."""
        for widget in (self.slider, self.spin):
            widget.blockSignals(True)
        self.spin.setValue(value)
        position = round(self.spin.value() * self._scale)
        # A value beyond the slider's practical range widens it, so the handle is not pinned.
        if position < self.slider.minimum():
            self.slider.setMinimum(position)
        if position > self.slider.maximum():
            self.slider.setMaximum(position)
        self.slider.setValue(position)
        for widget in (self.slider, self.spin):
            widget.blockSignals(False)

    def _on_slider(self, position: int) -> None:
        value = position / self._scale
        self.spin.blockSignals(True)
        self.spin.setValue(value)
        self.spin.blockSignals(False)
        self.edited.emit(self.axis.key, value)
        if not self.slider.isSliderDown():
            # Keyboard, wheel or a click on the groove: there is no release to wait for.
            self.finished.emit(self.axis.key)

    def _on_spin(self, value: float) -> None:
        self.slider.blockSignals(True)
        position = round(value * self._scale)
        self.slider.setRange(min(self.slider.minimum(), position),
                             max(self.slider.maximum(), position))
        self.slider.setValue(position)
        self.slider.blockSignals(False)
        self.edited.emit(self.axis.key, value)


class TransformEditor(QWidget):
    """Position + rotation (+ optional extra axes) as sliders with spin boxes."""

    edited = Signal(str)
    editFinished = Signal(str)

    def __init__(self, extra: tuple[Axis, ...] = (), parent: QWidget | None = None) -> None:
        """Build the rows.

        Args:
            extra: Axes after position and rotation, e.g. ``(FOV_AXIS,)``.
            parent: Parent widget.
        """
        super().__init__(parent)
        self._rows: dict[str, _AxisRow] = {}
        self._values: dict[str, float] = {}
        self._exact_rotation: Quat | None = (0.0, 0.0, 0.0, 1.0)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        line = 0
        for title, axes in (("Position", POSITION_AXES), ("Rotation", ROTATION_AXES), ("", extra)):
            if not axes:
                continue
            if title:
                heading = QLabel(title, self)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                grid.addWidget(heading, line, 0, 1, 3)
                line += 1
            for axis in axes:
                row = _AxisRow(axis, self)
                grid.addWidget(row.label, line, 0)
                grid.addWidget(row.slider, line, 1)
                grid.addWidget(row.spin, line, 2)
                row.edited.connect(self._on_edited)
                row.finished.connect(self.editFinished)
                self._rows[axis.key] = row
                self._values[axis.key] = axis.default
                line += 1

    # ------------------------------------------------------------------ reading

    def keys(self) -> list[str]:
        """Axis keys in display order."""
        return list(self._rows)

    def slider(self, key: str) -> FineSlider:
        """The slider of axis ``key`` (for tests and focus handling)."""
        return self._rows[key].slider

    def spin(self, key: str) -> QDoubleSpinBox:
        """The spin box of axis ``key``."""
        return self._rows[key].spin

    def value(self, key: str) -> float:
        """The exact current value of axis ``key``."""
        return self._values[key]

    def position(self) -> Vec3:
        """``(x, y, z)``."""
        return (self._values["x"], self._values["y"], self._values["z"])

    def euler(self) -> Vec3:
        """``(yaw, pitch, roll)`` in degrees."""
        return (self._values["yaw"], self._values["pitch"], self._values["roll"])

    def rotation(self) -> Quat:
        """The rotation as a unit quaternion ``(x, y, z, w)``, right-handed (OpenGL)."""
        if self._exact_rotation is not None:
            return self._exact_rotation
        return euler_to_quaternion(*self.euler())

    # ------------------------------------------------------------------ writing (no signals)

    def set_value(self, key: str, value: float) -> None:
        """Set one non-rotation axis from code (no :attr:`edited` emitted)."""
        if key in _ANGLES:
            raise ValueError("set angles with set_rotation()")
        if not math.isfinite(value):
            return
        self._values[key] = float(value)
        self._rows[key].display(value)

    def set_position(self, position: Vec3) -> None:
        """Set ``(x, y, z)`` from code."""
        for key, value in zip(("x", "y", "z"), position, strict=True):
            self.set_value(key, value)

    def set_rotation(self, rotation: Quat) -> None:
        """Set the rotation quaternion from code; the angles shown are its yaw/pitch/roll."""
        if not all(math.isfinite(c) for c in rotation) or not any(rotation):
            return
        norm = math.sqrt(sum(c * c for c in rotation))
        x, y, z, w = (c / norm for c in rotation)
        self._exact_rotation = (x, y, z, w)
        for key, angle in zip(
            ("yaw", "pitch", "roll"), quaternion_to_euler((x, y, z, w)), strict=True
        ):
            self._values[key] = angle
            self._rows[key].display(angle)

    def _on_edited(self, key: str, value: float) -> None:
        self._values[key] = value
        if key in _ANGLES:
            self._exact_rotation = None
        self.edited.emit(key)
