"""Camera presets: a named camera transform + FOV, optionally with the avatar's transform.

TOML shape::

    [[camera_preset]]
    name = "Close-up"
    position = [0.0, 1.6, 0.8]
    rotation = [0.0, 0.0, 0.0, 1.0]      # right-handed (OpenGL) quaternion x, y, z, w
    fov = 35.0
    avatar = { position = [0.0, 0.0, 0.0], rotation = [0.0, 0.0, 0.0, 1.0], scale = 1.0 }
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..animaze import requests as rq
from ..animaze.errors import ValidationError
from . import fields as f
from .errors import EntryError

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]
PRESET_FIELDS = ("name", "position", "rotation", "fov", "avatar")


@dataclass(frozen=True)
class AvatarPlacement:
    """The avatar's transform stored with a preset."""

    position: Vec3
    rotation: Quat
    scale: float = 1.0

    def request(self) -> rq.SetAvatarTransform:
        """The SetAvatarTransform to send."""
        return rq.SetAvatarTransform(self.position, self.rotation, self.scale)


@dataclass(frozen=True)
class CameraPresetData:
    """A saved camera placement.

    Attributes:
        name: Unique (case-insensitive) name.
        position: Camera position (x, y, z).
        rotation: Camera rotation quaternion (x, y, z, w), normalised.
        fov: Field of view in degrees.
        avatar: The avatar's transform, if saved with the preset.
    """

    name: str
    position: Vec3
    rotation: Quat
    fov: float
    avatar: AvatarPlacement | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise EntryError("name", "must not be empty")
        try:
            transform = rq.SetCameraTransform(self.position, self.rotation)
            fov = rq.SetCameraFov(self.fov).fov
            if self.avatar is not None:
                placed = self.avatar.request()
                object.__setattr__(self, "avatar", AvatarPlacement(
                    placed.position, placed.rotation, placed.scale))
        except ValidationError as exc:
            raise EntryError(exc.field, exc.reason) from exc
        object.__setattr__(self, "fov", fov)
        object.__setattr__(self, "position", transform.position)
        object.__setattr__(self, "rotation", transform.rotation)

    def requests(self) -> list[rq.Request[Any]]:
        """The requests that apply the preset, in order."""
        out: list[rq.Request[Any]] = [
            rq.SetCameraTransform(self.position, self.rotation),
            rq.SetCameraFov(self.fov),
        ]
        if self.avatar is not None:
            out.append(self.avatar.request())
        return out

    def to_dict(self) -> dict[str, Any]:
        """The TOML table."""
        out: dict[str, Any] = {
            "name": self.name,
            "position": list(self.position),
            "rotation": list(self.rotation),
            "fov": self.fov,
        }
        if self.avatar is not None:
            out["avatar"] = {
                "position": list(self.avatar.position),
                "rotation": list(self.avatar.rotation),
                "scale": self.avatar.scale,
            }
        return out

    @classmethod
    def from_dict(cls, data: Any) -> CameraPresetData:
        """Build a preset from its TOML table.

        Raises:
            EntryError: A missing or invalid field.
        """
        t = f.table(data, "camera_preset")
        f.no_extra(t, PRESET_FIELDS, "")
        avatar = None
        if "avatar" in t:
            a = f.table(t["avatar"], "avatar")
            f.no_extra(a, ("position", "rotation", "scale"), "avatar")
            px, py, pz = f.vector(a, "position", "avatar", 3)
            ax, ay, az, aw = f.vector(a, "rotation", "avatar", 4)
            scale = f.number(a, "scale", "avatar", 1.0)
            avatar = AvatarPlacement((px, py, pz), (ax, ay, az, aw), scale)
        x, y, z = f.vector(t, "position", "", 3)
        qx, qy, qz, qw = f.vector(t, "rotation", "", 4)
        return cls(f.text(t, "name", ""), (x, y, z), (qx, qy, qz, qw),
                   f.number(t, "fov", ""), avatar)
