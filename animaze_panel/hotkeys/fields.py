"""Readers for TOML tables: each names the offending field in its :class:`EntryError`.

``path`` arguments are the dotted location used in messages, e.g. ``"macro[2]"``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from .errors import EntryError


def join(path: str, key: str) -> str:
    """``join("macro[1]", "index")`` -> ``"macro[1].index"``."""
    return f"{path}.{key}" if path else key


def table(value: Any, path: str) -> Mapping[str, Any]:
    """Check that ``value`` is a TOML table."""
    if not isinstance(value, Mapping):
        raise EntryError(path, f"must be a table like {{ type = ... }}, got {_show(value)}")
    return value


def no_extra(data: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
    """Refuse keys outside ``allowed`` (a typo would otherwise be ignored silently)."""
    known = set(allowed)
    for key in data:
        if key not in known:
            options = ", ".join(sorted(known))
            raise EntryError(join(path, key), f"unknown field (expected one of: {options})")


def text(data: Mapping[str, Any], key: str, path: str, default: str | None = None) -> str:
    """Read a non-empty string (``default`` when absent, required when ``None``)."""
    if key not in data:
        if default is None:
            raise EntryError(join(path, key), "missing")
        return default
    value = data[key]
    if not isinstance(value, str):
        raise EntryError(join(path, key), f"must be text in quotes, got {_show(value)}")
    if default is None and not value.strip():
        raise EntryError(join(path, key), "must not be empty")
    return value


def index(data: Mapping[str, Any], key: str, path: str) -> int:
    """Read a required whole number >= 0."""
    if key not in data:
        raise EntryError(join(path, key), "missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise EntryError(join(path, key), f"must be a whole number, got {_show(value)}")
    if value < 0:
        raise EntryError(join(path, key), f"must be 0 or more, got {value}")
    return value


def number(
    data: Mapping[str, Any],
    key: str,
    path: str,
    default: float | None = None,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """Read a finite number within ``[minimum, maximum]``."""
    if key not in data:
        if default is None:
            raise EntryError(join(path, key), "missing")
        return default
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryError(join(path, key), f"must be a number, got {_show(value)}")
    if not math.isfinite(value):
        raise EntryError(join(path, key), f"must be a finite number, got {value}")
    if minimum is not None and value < minimum:
        raise EntryError(join(path, key), f"must be at least {minimum:g}, got {value:g}")
    if maximum is not None and value > maximum:
        raise EntryError(join(path, key), f"must be at most {maximum:g}, got {value:g}")
    return float(value)


def flag(data: Mapping[str, Any], key: str, path: str, default: bool) -> bool:
    """Read a true/false value."""
    if key not in data:
        return default
    value = data[key]
    if not isinstance(value, bool):
        raise EntryError(join(path, key), f"must be true or false, got {_show(value)}")
    return value


def choice(
    data: Mapping[str, Any], key: str, path: str, options: tuple[str, ...], default: str
) -> str:
    """Read one of ``options`` (case-insensitive)."""
    if key not in data:
        return default
    value = data[key]
    if isinstance(value, str) and value.strip().casefold() in options:
        return value.strip().casefold()
    raise EntryError(join(path, key), f"must be one of {', '.join(options)}, got {_show(value)}")


def vector(data: Mapping[str, Any], key: str, path: str, size: int) -> tuple[float, ...]:
    """Read a list of ``size`` finite numbers."""
    if key not in data:
        raise EntryError(join(path, key), "missing")
    value = data[key]
    if not isinstance(value, list) or len(value) != size:
        raise EntryError(join(path, key), f"must be a list of {size} numbers, got {_show(value)}")
    return tuple(number({"v": v}, "v", f"{join(path, key)}[{i}]") for i, v in enumerate(value))


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
