"""Requests for the override behaviours: switch one on or off with its parameters, read one.

Unlike the other requests, these do not map fields to wire keys one to one: a behaviour's
parameters have several accepted spellings, all resolved through the catalogue in
:mod:`.overrides`, and are sent under the one spelling it keeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import responses as r
from ._fields import check_bool, check_float, check_name
from .errors import ValidationError
from .overrides import Behaviour, find_behaviour
from .request_base import Request


def _check_behaviour(name: Any) -> Behaviour:
    check_name("behavior", name)
    behaviour = find_behaviour(name)
    if behaviour is None:
        raise ValidationError("behavior", f"unknown override behaviour {name!r}")
    return behaviour


@dataclass(frozen=True)
class SetOverride(Request[r.Ack]):
    """Switch an override behaviour on/off, optionally with parameters.

    ``params`` is keyed by the catalogue's snake_case names (wire spellings are accepted too);
    each is sent under the one wire spelling the catalogue keeps.
    """

    ACTION = "SetOverride"
    behavior: str = ""
    value: bool = False
    params: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        behaviour = _check_behaviour(self.behavior)
        self._set("behavior", behaviour.name)
        check_bool("value", self.value)
        checked: dict[str, float] = {}
        for key, number in self.params.items():
            try:
                param = behaviour.param(key)
            except KeyError:
                raise ValidationError(
                    key, f"{behaviour.name!r} has no parameter {key!r}"
                ) from None
            checked[param.name] = check_float(param.name, number)
        self._set("params", checked)

    def to_wire(self, request_id: str | None = None) -> dict[str, Any]:
        """Return the frame with parameters under their spec spellings."""
        out = super().to_wire(request_id)
        out["behavior"] = self.behavior
        out["value"] = self.value
        behaviour = _check_behaviour(self.behavior)
        for name, number in self.params.items():
            out[behaviour.param(name).wire] = number
        return out

    @classmethod
    def from_wire(cls, msg: Mapping[str, Any]) -> Request[Any]:
        """Parse a SetOverride frame, accepting any catalogued parameter spelling."""
        behaviour = _check_behaviour(msg.get("behavior"))
        if "value" not in msg:
            raise ValidationError("value", "missing (expected key 'value')")
        params: dict[str, Any] = {}
        used = {"action", "id", "behavior", "value"}
        for p in behaviour.params:
            for wire in p.wire_names:
                if wire in msg:
                    params[p.name] = msg[wire]
                    used.add(wire)
                    break
        extra = {k: v for k, v in msg.items() if k not in used}
        return cls(behavior=behaviour.name, value=msg["value"], params=params, extra=extra)


@dataclass(frozen=True)
class GetOverride(Request[r.OverrideState]):
    """Read an override behaviour's state and parameters."""

    ACTION = "GetOverride"
    RESPONSE = r.OverrideState
    WIRE = (("behavior", "behavior"),)
    behavior: str = ""

    def __post_init__(self) -> None:
        self._set("behavior", _check_behaviour(self.behavior).name)
