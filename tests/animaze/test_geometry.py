"""Euler <-> quaternion conversions in Animaze's right-handed OpenGL frame."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from animaze_panel.animaze.geometry import euler_to_quaternion, quaternion_to_euler


def test_identity() -> None:
    assert euler_to_quaternion(0, 0, 0) == pytest.approx((0, 0, 0, 1))


def test_single_axes_follow_the_right_hand_rule() -> None:
    h = math.sqrt(0.5)
    assert euler_to_quaternion(90, 0, 0) == pytest.approx((0, h, 0, h))  # yaw about +Y
    assert euler_to_quaternion(0, 90, 0) == pytest.approx((h, 0, 0, h))  # pitch about +X
    assert euler_to_quaternion(0, 0, 90) == pytest.approx((0, 0, h, h))  # roll about +Z


@given(
    st.floats(-179.9, 179.9), st.floats(-89.5, 89.5), st.floats(-179.9, 179.9),
)
def test_round_trip(yaw: float, pitch: float, roll: float) -> None:
    q = euler_to_quaternion(yaw, pitch, roll)
    assert math.isclose(sum(c * c for c in q), 1.0, rel_tol=1e-9)
    assert quaternion_to_euler(q) == pytest.approx((yaw, pitch, roll), abs=1e-6)


def test_gimbal_lock_folds_roll_into_yaw() -> None:
    yaw, pitch, roll = quaternion_to_euler(euler_to_quaternion(30, 90, 0))
    assert pitch == pytest.approx(90) and roll == 0.0 and yaw == pytest.approx(30)
