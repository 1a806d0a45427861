"""TransformEditor's sliders: fine relative drags, 1 cm / 0.5 degree nudges, Shift for coarse."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider
from pytestqt.qtbot import QtBot

from animaze_panel.ui.widgets.fine_slider import FineSlider
from animaze_panel.ui.widgets.transform_editor import FOV_AXIS, TransformEditor

from .conftest import QT_OFFSCREEN_NOISE

pytestmark = pytest.mark.qt_log_ignore(QT_OFFSCREEN_NOISE)

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def editor(qtbot: QtBot) -> TransformEditor:
    widget = TransformEditor((FOV_AXIS,))
    qtbot.addWidget(widget)
    widget.resize(520, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def handle_centre(slider: FineSlider) -> QPoint:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    rect = slider.style().subControlRect(
        QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, slider
    )
    return rect.center()


def drag(slider: FineSlider, pixels: int, modifiers: Qt.KeyboardModifier = NONE) -> None:
    start = handle_centre(slider)
    QTest.mousePress(slider, Qt.MouseButton.LeftButton, modifiers, start)
    for step in range(1, 11):  # a real drag: several moves (with the keys held)
        where = QPointF(start + QPoint(pixels * step // 10, 0))
        move = QMouseEvent(
            QEvent.Type.MouseMove, where, slider.mapToGlobal(where), Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton, modifiers,
        )
        QApplication.sendEvent(slider, move)
    QTest.mouseRelease(slider, Qt.MouseButton.LeftButton, modifiers, start + QPoint(pixels, 0))


def wheel(slider: FineSlider, notches: int, modifiers: Qt.KeyboardModifier = NONE) -> None:
    where = QPointF(handle_centre(slider))
    event = QWheelEvent(
        where, slider.mapToGlobal(where), QPoint(0, 0), QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False,
    )
    QApplication.sendEvent(slider, event)


def test_a_100_px_drag_moves_half_a_metre_not_nine(editor: TransformEditor) -> None:
    finished: list[str] = []
    editor.editFinished.connect(finished.append)
    drag(editor.slider("x"), 100)
    assert editor.value("x") == pytest.approx(0.5, abs=0.02)
    assert finished == ["x"]  # one final value on release
    drag(editor.slider("yaw"), -100)
    assert editor.value("yaw") == pytest.approx(-25.0, abs=1.0)


def test_shift_drag_is_ten_times_coarser_and_may_leave_the_practical_range(
    editor: TransformEditor,
) -> None:
    slider = editor.slider("x")
    assert (slider.minimum(), slider.maximum()) == (-3000, 3000)  # -3..3 m on screen
    drag(slider, 100, SHIFT)
    assert editor.value("x") == pytest.approx(5.0, abs=0.2)  # past 3 m: the range widened
    assert slider.maximum() >= slider.value()
    assert editor.spin("x").value() == pytest.approx(editor.value("x"), abs=0.001)


def test_keys_and_wheel_nudge_by_a_centimetre_or_half_a_degree(editor: TransformEditor) -> None:
    x = editor.slider("x")
    x.setFocus()
    QTest.keyClick(x, Qt.Key.Key_Right)
    assert editor.value("x") == pytest.approx(0.01)
    QTest.keyClick(x, Qt.Key.Key_Right, SHIFT)
    assert editor.value("x") == pytest.approx(0.11)
    QTest.keyClick(x, Qt.Key.Key_Left)
    assert editor.value("x") == pytest.approx(0.10)
    wheel(x, 1)
    assert editor.value("x") == pytest.approx(0.11)
    wheel(x, -1, SHIFT)
    assert editor.value("x") == pytest.approx(0.01)
    yaw = editor.slider("yaw")
    QTest.keyClick(yaw, Qt.Key.Key_Right)
    assert editor.value("yaw") == pytest.approx(0.5)
    wheel(editor.slider("fov"), 2)
    assert editor.value("fov") == pytest.approx(61.0)
    assert editor.spin("x").singleStep() == pytest.approx(0.01)


def test_a_value_from_animaze_beyond_the_practical_range_widens_the_slider(
    editor: TransformEditor,
) -> None:
    editor.set_position((8.879, 1.7, 1.0))
    slider = editor.slider("x")
    assert slider.value() == 8879 and slider.maximum() >= 8879
    assert editor.value("x") == 8.879
