"""Kinetix data: typed results (frozen dataclasses with to_wire/from_wire), step grouping, input.

Pure values, no I/O. ``from_wire`` raises ``KeyError``/``TypeError``/``ValueError`` on a bad
shape; :mod:`.kinetix_wire` turns those into ``KinetixProtocolError``.

* :class:`ProcessStatus` groups the server's ``step`` strings (:func:`status_of_step`) and
  :func:`describe_step` words them for people.
* :class:`EmoteSubmission` is the "new emote" form: :meth:`EmoteSubmission.validate` checks the
  video type, the ``HH:mm:ss.SSS`` times and the name, naming the faulty field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

VIDEO_SUFFIXES = (".avi", ".flv", ".mkv", ".mp4", ".ts", ".mov", ".webm")
"""Video containers Kinetix accepts (AVI, FLV, MKV, MP4, TS, MOV, WebM)."""

_TIME_RE = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)\.(\d{3})$")


class KinetixError(Exception):
    """Base of every Kinetix failure; ``str()`` is a sentence a user can act on.

    The hierarchy is drawn in :mod:`animaze_panel.cloud.kinetix`, which re-exports it.
    """

    def __init__(
        self, message: str, server_message: str = "", status: int | None = None, code: str = ""
    ):
        """Build the error.

        Args:
            message: Readable sentence: what went wrong and what to do next.
            server_message: The server's own ``message`` text, if any.
            status: HTTP status, if an answer arrived.
            code: The server's ``errorCode``, if it sent one.
        """
        super().__init__(message)
        self.server_message = server_message
        self.status = status
        self.code = code


class KinetixInputError(KinetixError, ValueError):
    """Input refused before sending anything; ``field`` names the culprit."""

    def __init__(self, field: str, message: str):
        """Build the error for ``field`` (e.g. ``"video"``, ``"start"``)."""
        super().__init__(message)
        self.field = field


class ProcessStatus(Enum):
    """Coarse status of a process, from its ``step``."""

    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    FINAL = "final"
    UNKNOWN = "unknown"


_STEPS: dict[str, tuple[ProcessStatus, str]] = {
    "initialized": (ProcessStatus.PENDING, "Video received"),
    "transcode_done": (ProcessStatus.PENDING, "Video converted"),
    "waiting_scheduler": (ProcessStatus.PENDING, "Waiting in the queue"),
    "requesting_ml": (ProcessStatus.PENDING, "Requesting the AI"),
    "waiting_runner": (ProcessStatus.PENDING, "Waiting for an AI worker"),
    "ml_running": (ProcessStatus.PROCESSING, "The AI is extracting the motion"),
    "ml_done": (ProcessStatus.PROCESSING, "Motion extracted, building the animation"),
    "render_done": (ProcessStatus.DONE, "Animation rendered"),
    "done": (ProcessStatus.DONE, "Emote ready"),
    "transcode_failed": (ProcessStatus.FAILED, "The video could not be converted"),
    "ml_request_failed": (ProcessStatus.FAILED, "The AI request failed"),
    "render_failed": (ProcessStatus.FAILED, "Rendering the animation failed"),
    "association_failed": (ProcessStatus.FAILED, "Attaching the emote to the user failed"),
    "ml_failed": (ProcessStatus.FAILED, "The AI could not extract a motion"),
    "validated": (ProcessStatus.FINAL, "Validated"),
    "rejected": (ProcessStatus.FINAL, "Rejected (retake requested)"),
}


def status_of_step(step: str) -> ProcessStatus:
    """Return the :class:`ProcessStatus` group of a server ``step`` (UNKNOWN when new)."""
    return _STEPS.get(step, (ProcessStatus.UNKNOWN, ""))[0]


def describe_step(step: str) -> str:
    """Return a short human sentence for a server ``step``."""
    return _STEPS.get(step, (ProcessStatus.UNKNOWN, f"Step: {step}"))[1]


def parse_timestamp(text: str) -> int:
    """Parse ``HH:mm:ss.SSS`` into milliseconds.

    Raises:
        ValueError: ``text`` is not in that format.
    """
    match = _TIME_RE.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a time like 00:00:02.000 (HH:mm:ss.SSS)")
    hours, minutes, seconds, millis = (int(part) for part in match.groups())
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def format_timestamp(millis: int) -> str:
    """Format milliseconds as ``HH:mm:ss.SSS``."""
    millis = max(0, int(millis))
    seconds, ms = divmod(millis, 1000)
    minutes, s = divmod(seconds, 60)
    hours, m = divmod(minutes, 60)
    return f"{hours:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _time(value: Any) -> datetime:
    """Parse an ISO-8601 instant (``Z`` allowed) into an aware datetime."""
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date, got {type(value).__name__}")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def safe_filename(name: str) -> str:
    """Return ``name`` reduced to a plain file name (no folders, no odd characters)."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._ -]", "_", base).strip(" .")
    return cleaned or "file"


@dataclass(frozen=True)
class Plan:
    """A subscription plan (``POST /v1/plans``)."""

    name: str
    muge_limit: int
    total_users_limit: int
    calls_limit: int
    created_at: str

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Plan:
        """Decode the server's JSON object."""
        return cls(
            name=str(data["name"]),
            muge_limit=int(data.get("mugeLimit", 0)),
            total_users_limit=int(data.get("totalUsersLimit", 0)),
            calls_limit=int(data.get("callsLimit", 0)),
            created_at=str(data.get("createdAt", "")),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as the server's JSON object."""
        return {
            "name": self.name,
            "mugeLimit": self.muge_limit,
            "totalUsersLimit": self.total_users_limit,
            "callsLimit": self.calls_limit,
            "createdAt": self.created_at,
        }


@dataclass(frozen=True)
class ProcessToken:
    """A process token; ``uuid`` and ``url`` are credentials, hidden from ``repr``."""

    uuid: str = field(repr=False)
    url: str = field(repr=False)
    expire: datetime

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> ProcessToken:
        """Decode ``{uuid, url, expire}``."""
        return cls(uuid=str(data["uuid"]), url=str(data["url"]), expire=_time(data["expire"]))

    def to_wire(self) -> dict[str, Any]:
        """Encode as ``{uuid, url, expire}``."""
        return {"uuid": self.uuid, "url": self.url, "expire": _iso(self.expire)}

    def seconds_left(self, now: datetime | None = None) -> float:
        """Return the seconds until expiry (negative once expired)."""
        return (self.expire - (now or datetime.now(UTC))).total_seconds()


@dataclass(frozen=True)
class TokenStatus:
    """``GET /v1/process/token/{uuid}``: seconds left, whether it came from a retake."""

    expire_in: float
    retake: bool
    expire: datetime

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> TokenStatus:
        """Decode ``{expireIn, retake, expire}``."""
        return cls(
            expire_in=float(data["expireIn"]),
            retake=bool(data.get("retake", False)),
            expire=_time(data["expire"]),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as ``{expireIn, retake, expire}``."""
        return {"expireIn": self.expire_in, "retake": self.retake, "expire": _iso(self.expire)}


@dataclass(frozen=True)
class MlProgress:
    """The ``ml`` block of a process: AI progression and timings (seconds)."""

    progression: float
    ml_remaining: float
    ml_elapsed: float

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> MlProgress:
        """Decode ``{progression, mlRemaining, mlElapsed}``."""
        return cls(
            progression=float(data.get("progression") or 0),
            ml_remaining=float(data.get("mlRemaining") or 0),
            ml_elapsed=float(data.get("mlElapsed") or 0),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as ``{progression, mlRemaining, mlElapsed}``."""
        return {
            "progression": self.progression,
            "mlRemaining": self.ml_remaining,
            "mlElapsed": self.ml_elapsed,
        }


@dataclass(frozen=True)
class Process:
    """A UGE process (``GET /v1/process/{uuid}`` and the v2 user list)."""

    uuid: str
    step: str
    emote: str = ""
    animation: str = ""
    video: str = ""
    progression: float | None = None
    ml: MlProgress | None = None
    validated: bool = False
    rejected: bool = False
    created_at: str = ""
    name: str = ""

    @property
    def status(self) -> ProcessStatus:
        """The coarse status group of :attr:`step`."""
        return status_of_step(self.step)

    @property
    def percent(self) -> int | None:
        """Progression as 0-100, or ``None`` when the server gave none."""
        value = self.progression
        if value is None and self.ml is not None:
            value = self.ml.progression
        if value is None:
            return None
        # The API is not explicit about 0-1 vs 0-100; treat <= 1 as a fraction.
        return max(0, min(100, round(value * 100 if value <= 1 else value)))

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Process:
        """Decode the server's process object (unknown fields are ignored)."""
        ml = data.get("ml")
        progression = data.get("progression")
        return cls(
            uuid=str(data["uuid"]),
            step=str(data.get("step") or data.get("status") or ""),
            emote=str(data.get("emote") or ""),
            animation=str(data.get("animation") or ""),
            video=str(data.get("video") or ""),
            progression=None if progression is None else float(progression),
            ml=MlProgress.from_wire(ml) if isinstance(ml, dict) else None,
            validated=bool(data.get("validated", False)),
            rejected=bool(data.get("rejected", False)),
            created_at=str(data.get("createdAt") or ""),
            name=str(data.get("name") or ""),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as the server's process object."""
        return {
            "uuid": self.uuid,
            "step": self.step,
            "emote": self.emote,
            "animation": self.animation,
            "video": self.video,
            "progression": self.progression,
            "ml": None if self.ml is None else self.ml.to_wire(),
            "validated": self.validated,
            "rejected": self.rejected,
            "createdAt": self.created_at,
            "name": self.name,
        }


@dataclass(frozen=True)
class EmoteFile:
    """One downloadable file of an emote (thumbnail png/gif, animation fbx/glb/kinanim)."""

    name: str
    extension: str
    url: str

    @property
    def filename(self) -> str:
        """``name.extension`` as a safe local file name."""
        ext = self.extension.lstrip(".")
        return safe_filename(f"{self.name}.{ext}" if ext else self.name)

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> EmoteFile:
        """Decode ``{name, extension, url}``."""
        return cls(name=str(data["name"]), extension=str(data["extension"]), url=str(data["url"]))

    def to_wire(self) -> dict[str, Any]:
        """Encode as ``{name, extension, url}``."""
        return {"name": self.name, "extension": self.extension, "url": self.url}


@dataclass(frozen=True)
class Emote:
    """``GET /v1/emotes/{uuid}``: an emote and its files."""

    uuid: str
    name: str
    files: tuple[EmoteFile, ...]

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Emote:
        """Decode ``{uuid, name, files: [...]}``."""
        files = data.get("files") or []
        if not isinstance(files, list):
            raise TypeError("files is not a list")
        return cls(
            uuid=str(data.get("uuid", "")),
            name=str(data.get("name") or ""),
            files=tuple(EmoteFile.from_wire(item) for item in files),
        )

    def to_wire(self) -> dict[str, Any]:
        """Encode as ``{uuid, name, files}``."""
        return {"uuid": self.uuid, "name": self.name, "files": [f.to_wire() for f in self.files]}


@dataclass(frozen=True)
class EmoteSubmission:
    """What ``POST /v1/process`` sends: the video and its multipart fields."""

    video: Path
    name: str
    mature: bool
    start_ms: int
    end_ms: int

    def validate(self, duration_ms: int | None = None) -> None:
        """Check every field; raise on the first faulty one.

        Args:
            duration_ms: The video's duration when known, to keep ``end`` inside it.

        Raises:
            KinetixInputError: A field is invalid (``field`` names it).
        """
        check_video_path(self.video)
        if not self.name.strip():
            raise KinetixInputError("name", "Give the emote a name")
        if len(self.name) > 100:
            raise KinetixInputError("name", "The name is longer than 100 characters")
        if self.start_ms < 0:
            raise KinetixInputError("start", "Start cannot be negative")
        if self.end_ms <= self.start_ms:
            raise KinetixInputError("end", "End must be after start")
        if duration_ms is not None and self.end_ms > duration_ms:
            raise KinetixInputError(
                "end", f"End is past the end of the video ({format_timestamp(duration_ms)})"
            )

    def fields(self) -> dict[str, str]:
        """The text fields of the multipart body."""
        return {
            "name": self.name.strip(),
            "mature": "true" if self.mature else "false",
            "start": format_timestamp(self.start_ms),
            "end": format_timestamp(self.end_ms),
        }


def check_video_path(path: Path) -> None:
    """Check that ``path`` is an existing video of a supported type.

    Raises:
        KinetixInputError: On the ``video`` field, with the reason.
    """
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        kinds = "AVI, FLV, MKV, MP4, TS, MOV, WebM"
        shown = path.suffix or "no extension"
        message = f"{path.name}: {shown} videos are not supported (use {kinds})"
        raise KinetixInputError("video", message)
    if not path.is_file():
        raise KinetixInputError("video", f"{path.name} does not exist or is not a file")
