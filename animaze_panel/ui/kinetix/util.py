"""Small Qt helpers shared by the Kinetix widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

Q = TypeVar("Q", bound=QObject)


def named(obj: Q, name: str) -> Q:
    """Set ``obj``'s objectName (tests and style sheets find widgets by it) and return it."""
    obj.setObjectName(name)
    return obj
