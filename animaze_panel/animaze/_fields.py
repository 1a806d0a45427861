"""Field converters shared by requests and responses (pure, no I/O).

Two families:

* ``check_*`` validate *outgoing* values built by our code or typed by a user and raise
  :class:`~.errors.ValidationError` naming the field.
* ``read_*`` read *incoming* wire values leniently (ints for floats are fine) and raise
  :class:`~.errors.ProtocolError` when the type is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .errors import ProtocolError, ValidationError

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_float(field: str, value: Any) -> float:
    """Return ``value`` as a finite float.

    Raises:
        ValidationError: Not a number, or NaN/infinite.
    """
    if not _number(value):
        raise ValidationError(field, f"must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValidationError(field, f"must be a finite number, got {value!r}")
    return float(value)


def check_vector(field: str, value: Any, size: int) -> tuple[float, ...]:
    """Return ``value`` as a tuple of ``size`` finite floats.

    Raises:
        ValidationError: Wrong length or a non-finite component.
    """
    if isinstance(value, str | bytes) or not hasattr(value, "__len__"):
        raise ValidationError(field, f"must be a list of {size} numbers, got {value!r}")
    if len(value) != size:
        raise ValidationError(field, f"must have {size} numbers, got {len(value)}")
    return tuple(check_float(f"{field}[{i}]", v) for i, v in enumerate(value))


def check_position(field: str, value: Any) -> Vec3:
    """Validate a 3-vector ``[x, y, z]``."""
    x, y, z = check_vector(field, value, 3)
    return (x, y, z)


def check_quaternion(field: str, value: Any) -> Quat:
    """Validate a quaternion ``[x, y, z, w]`` and return it normalised to unit length.

    Raises:
        ValidationError: Not 4 finite numbers, or (near) zero length.
    """
    x, y, z, w = check_vector(field, value, 4)
    norm = math.sqrt(x * x + y * y + z * z + w * w)
    if norm < 1e-9:
        raise ValidationError(field, "quaternion has zero length")
    return (x / norm, y / norm, z / norm, w / norm)


def check_positive(field: str, value: Any) -> float:
    """Validate a finite float > 0."""
    number = check_float(field, value)
    if number <= 0:
        raise ValidationError(field, f"must be greater than 0, got {number:g}")
    return number


def check_fov(field: str, value: Any) -> float:
    """Validate a field of view in degrees, 0 < fov < 180."""
    number = check_float(field, value)
    if not 0 < number < 180:
        raise ValidationError(field, f"must be between 0 and 180 degrees, got {number:g}")
    return number


def check_index(field: str, value: Any) -> int:
    """Validate a non-negative integer index."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be a whole number, got {value!r}")
    if value < 0:
        raise ValidationError(field, f"must be 0 or more, got {value}")
    return value


def check_name(field: str, value: Any) -> str:
    """Validate a non-empty (not just whitespace) string."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, got {value!r}")
    if not value.strip():
        raise ValidationError(field, "must not be empty")
    return value


def check_bool(field: str, value: Any) -> bool:
    """Validate a real boolean (``1`` or ``"true"`` are refused, Animaze wants JSON bools)."""
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be true or false, got {value!r}")
    return value


# ---------------------------------------------------------------------------- incoming


def _bad(field: str, want: str, value: Any) -> ProtocolError:
    return ProtocolError(f"field {field!r} should be {want}, got {type(value).__name__}")


def read_str(field: str, value: Any) -> str:
    """Read a string."""
    if not isinstance(value, str):
        raise _bad(field, "a string", value)
    return value


def read_float(field: str, value: Any) -> float:
    """Read a number as float (NaN/inf are kept as Animaze sent them)."""
    if not _number(value):
        raise _bad(field, "a number", value)
    return float(value)


def read_int(field: str, value: Any) -> int:
    """Read an integer (a float with an integral value is accepted)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(field, "an integer", value)
    return value


def read_bool(field: str, value: Any) -> bool:
    """Read a boolean."""
    if not isinstance(value, bool):
        raise _bad(field, "true or false", value)
    return value


def read_floats(size: int) -> Callable[[str, Any], tuple[float, ...]]:
    """Return a reader for a list of exactly ``size`` numbers."""

    def read(field: str, value: Any) -> tuple[float, ...]:
        if not isinstance(value, list) or len(value) != size:
            raise _bad(field, f"a list of {size} numbers", value)
        return tuple(read_float(f"{field}[{i}]", v) for i, v in enumerate(value))

    return read


def read_str_list(field: str, value: Any) -> tuple[str, ...]:
    """Read a list of strings."""
    if not isinstance(value, list):
        raise _bad(field, "a list", value)
    return tuple(read_str(f"{field}[{i}]", v) for i, v in enumerate(value))


def read_object(field: str, value: Any) -> Mapping[str, Any]:
    """Read a JSON object."""
    if not isinstance(value, dict):
        raise _bad(field, "an object", value)
    return value
