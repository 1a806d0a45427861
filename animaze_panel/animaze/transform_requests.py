"""Requests that place the render camera and the avatar: transforms and field of view.

They carry the only geometric fields of the API, validated and normalised here (a rotation is
a unit quaternion by the time it is sent); :mod:`.geometry` converts to and from Euler angles.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import responses as r
from ._fields import Quat, Vec3, check_fov, check_position, check_positive, check_quaternion
from .request_base import Request


@dataclass(frozen=True)
class SetCameraTransform(Request[r.Ack]):
    """Place the render camera (world space, right-handed OpenGL quaternion)."""

    ACTION = "SetCameraTransform"
    WIRE = (("position", "position"), ("rotation", "rotation"))
    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)

    def __post_init__(self) -> None:
        self._set("position", check_position("position", self.position))
        self._set("rotation", check_quaternion("rotation", self.rotation))


@dataclass(frozen=True)
class GetCameraTransform(Request[r.CameraTransform]):
    """Read the render camera's transform."""

    ACTION = "GetCameraTransform"
    RESPONSE = r.CameraTransform


@dataclass(frozen=True)
class SetCameraFov(Request[r.Ack]):
    """Set the camera's field of view in degrees (0 < fov < 180)."""

    ACTION = "SetCameraFov"
    WIRE = (("fov", "fov"),)
    fov: float = 60.0

    def __post_init__(self) -> None:
        self._set("fov", check_fov("fov", self.fov))


@dataclass(frozen=True)
class GetCameraFov(Request[r.CameraFov]):
    """Read the camera's field of view."""

    ACTION = "GetCameraFov"
    RESPONSE = r.CameraFov


@dataclass(frozen=True)
class SetAvatarTransform(Request[r.Ack]):
    """Place the avatar: position, rotation quaternion and uniform scale (> 0)."""

    ACTION = "SetAvatarTransform"
    WIRE = (("position", "position"), ("rotation", "rotation"), ("scale", "scale"))
    position: Vec3 = (0.0, 0.0, 0.0)
    rotation: Quat = (0.0, 0.0, 0.0, 1.0)
    scale: float = 1.0

    def __post_init__(self) -> None:
        self._set("position", check_position("position", self.position))
        self._set("rotation", check_quaternion("rotation", self.rotation))
        self._set("scale", check_positive("scale", self.scale))


@dataclass(frozen=True)
class GetAvatarTransform(Request[r.AvatarTransform]):
    """Read the avatar's transform."""

    ACTION = "GetAvatarTransform"
    RESPONSE = r.AvatarTransform
