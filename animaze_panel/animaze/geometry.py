"""Euler angles <-> the unit quaternions Animaze uses (pure math, no I/O).

Animaze's camera and avatar transforms are right-handed, OpenGL convention: +Y up, +Z towards
the viewer, the camera looking down -Z; quaternions are sent as ``[x, y, z, w]``. People think in
yaw (turn left/right, about +Y), pitch (look up/down, about +X) and roll (tilt, about +Z), so the
panel converts with the intrinsic Y-X-Z order: ``q = q_yaw * q_pitch * q_roll``. All angles are
degrees; positive angles turn counter-clockwise looking down the axis (right-hand rule).
"""

from __future__ import annotations

import math

Quat = tuple[float, float, float, float]


def _mul(a: Quat, b: Quat) -> Quat:
    ax, ay, az, aw = a
    bx, by, bz, bw = b
    return (
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
        aw * bw - ax * bx - ay * by - az * bz,
    )


def euler_to_quaternion(yaw: float, pitch: float, roll: float) -> Quat:
    """Convert yaw/pitch/roll in degrees to a unit quaternion ``(x, y, z, w)``.

    Args:
        yaw: Rotation about +Y (up), degrees.
        pitch: Rotation about +X (right), degrees.
        roll: Rotation about +Z (towards the viewer), degrees.

    Returns:
        The quaternion ``q_yaw * q_pitch * q_roll``.
    """
    hy, hp, hr = (math.radians(a) / 2 for a in (yaw, pitch, roll))
    q_yaw: Quat = (0.0, math.sin(hy), 0.0, math.cos(hy))
    q_pitch: Quat = (math.sin(hp), 0.0, 0.0, math.cos(hp))
    q_roll: Quat = (0.0, 0.0, math.sin(hr), math.cos(hr))
    return _mul(_mul(q_yaw, q_pitch), q_roll)


def quaternion_to_euler(q: Quat) -> tuple[float, float, float]:
    """Convert a quaternion ``(x, y, z, w)`` back to yaw/pitch/roll in degrees.

    The quaternion is normalised first. At pitch = +/-90 degrees (gimbal lock) roll is folded
    into yaw and reported as 0.

    Returns:
        ``(yaw, pitch, roll)`` with pitch in [-90, 90] and yaw, roll in (-180, 180].
    """
    x, y, z, w = q
    n = math.sqrt(x * x + y * y + z * z + w * w) or 1.0
    x, y, z, w = x / n, y / n, z / n, w / n
    # Rotation-matrix terms for R = Ry(yaw) Rx(pitch) Rz(roll).
    sin_pitch = max(-1.0, min(1.0, 2 * (w * x - y * z)))
    pitch = math.asin(sin_pitch)
    if abs(sin_pitch) > 0.999999:
        yaw = math.atan2(-2 * (x * z - w * y), 1 - 2 * (y * y + z * z))
        roll = 0.0
    else:
        yaw = math.atan2(2 * (x * z + w * y), 1 - 2 * (x * x + y * y))
        roll = math.atan2(2 * (x * y + w * z), 1 - 2 * (x * x + z * z))
    return (math.degrees(yaw), math.degrees(pitch), math.degrees(roll))
