"""The base of every typed Animaze request: fields to and from a wire frame.

A request is a frozen dataclass; its class attributes say what it is on the wire (``ACTION``),
what answers it (``RESPONSE``) and which typed fields travel under which keys (``WIRE``).
Subclasses validate in ``__post_init__``. The classes themselves, one per action, and the table
of them are in :mod:`.requests`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from . import responses as r
from .errors import ValidationError

R = TypeVar("R", bound=r.Response)


@dataclass(frozen=True)
class Request(Generic[R]):
    """Base of all requests.

    Attributes:
        extra: Additional wire fields to send verbatim (keyword only).
    """

    ACTION: ClassVar[str] = ""
    RESPONSE: ClassVar[type[r.Response]] = r.Response
    # (attribute, wire key) of the typed fields, in wire order.
    WIRE: ClassVar[tuple[tuple[str, str], ...]] = ()

    extra: Mapping[str, Any] = field(default_factory=dict, kw_only=True, compare=False)

    def to_wire(self, request_id: str | None = None) -> dict[str, Any]:
        """Return the JSON-ready frame.

        Args:
            request_id: The correlation id to send, or ``None`` to send none.
        """
        out: dict[str, Any] = {"action": self.ACTION}
        if request_id is not None:
            out["id"] = request_id
        for attr, wire in self.WIRE:
            value = getattr(self, attr)
            out[wire] = list(value) if isinstance(value, tuple) else value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Request[Any]:
        """Build this request from a decoded frame, validating every field.

        Raises:
            ValidationError: A field is missing or invalid.
        """
        kwargs: dict[str, Any] = {}
        for attr, wire in cls.WIRE:
            if wire not in msg:
                raise ValidationError(attr, f"missing (expected key {wire!r})")
            kwargs[attr] = msg[wire]
        known = {"action", "id", *(w for _, w in cls.WIRE)}
        return cls(**kwargs, extra={k: v for k, v in msg.items() if k not in known})

    def _set(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
