"""The catalogue of Animaze's 19 override behaviours (SetOverride / GetOverride).

Each behaviour has a display/wire name and optional float parameters. Every parameter has a
snake_case name used in code and exactly one wire spelling, kept here and nowhere else. The spec
has two odd spellings that real Animaze builds expect, so we *send* them as written:

* ``mouthSmoothTme`` (sic) on "Sound to Mouth Open";
* ``"zAxisOffset "`` with a trailing space on "Mouse Keyboard Behavior".

When parsing, the corrected spellings (``mouthSmoothTime``, ``zAxisOffset``) are accepted too,
since a fixed Animaze build may answer with them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OverrideParam:
    """One optional float parameter of a behaviour.

    Attributes:
        name: snake_case name used in code, e.g. ``"keyboard_scale"``.
        wire: The spelling sent to Animaze, e.g. ``"keyboardScale"``.
        minimum: Lowest sensible value for UI controls.
        maximum: Highest sensible value for UI controls.
        default: The simulator's initial value.
        aliases: Other spellings accepted when parsing.
    """

    name: str
    wire: str
    minimum: float = 0.0
    maximum: float = 1.0
    default: float = 0.5
    aliases: tuple[str, ...] = ()

    @property
    def wire_names(self) -> tuple[str, ...]:
        """All spellings accepted when parsing, the sent spelling first."""
        return (self.wire, *self.aliases)


@dataclass(frozen=True)
class Behaviour:
    """An override behaviour: its name and optional parameters."""

    name: str
    params: tuple[OverrideParam, ...] = ()

    def param(self, name: str) -> OverrideParam:
        """Return the parameter called ``name`` (snake_case or any wire spelling).

        Raises:
            KeyError: The behaviour has no such parameter.
        """
        for p in self.params:
            if name == p.name or name in p.wire_names:
                return p
        raise KeyError(name)


def _p(
    name: str, wire: str, lo: float, hi: float, default: float, *aliases: str
) -> OverrideParam:
    return OverrideParam(name, wire, lo, hi, default, aliases)


_RANGE = _p("range", "range", 0.0, 1.0, 0.5)

BEHAVIOURS: tuple[Behaviour, ...] = (
    Behaviour("Follow Mouse Cursor"),
    Behaviour(
        "Mouse Keyboard Behavior",
        (
            _p("keyboard_scale", "keyboardScale", 0.1, 3.0, 1.0),
            _p("hand_to_keyboard_dist", "handToKeyboardDist", 0.0, 1.0, 0.2),
            _p("x_axis_offset", "xAxisOffset", -1.0, 1.0, 0.0),
            _p("y_axis_offset", "yAxisOffset", -1.0, 1.0, 0.0),
            # Trailing space as in the spec; the fixed spelling is accepted when parsing.
            _p("z_axis_offset", "zAxisOffset ", -1.0, 1.0, 0.0, "zAxisOffset"),
        ),
    ),
    Behaviour("Tracked Blinking"),
    Behaviour("Auto Blink", (_p("frequency", "frequency", 0.0, 5.0, 0.3),)),
    Behaviour("Look At Camera", (_RANGE,)),
    Behaviour("Look At Camera Head"),
    Behaviour("Cross Eyes"),
    Behaviour("Pupil Behavior", (_p("frequency", "frequency", 0.0, 5.0, 1.0),)),
    Behaviour("Forced Symmetry Eyebrows", (_RANGE,)),
    Behaviour("Forced Symmetry Eyelids", (_RANGE,)),
    Behaviour("Forced Symmetry Mouth", (_RANGE,)),
    Behaviour("Enhanced Body Movement 2D"),
    Behaviour("Enhanced Body Movement 3D"),
    Behaviour(
        "Extreme Head Angles Attenuation",
        (_RANGE, _p("max_smoothing_value", "maxSmoothingValue", 0.0, 1.0, 0.5)),
    ),
    Behaviour(
        "Sound to Mouth Open",
        (
            # "Tme" (sic) is what the spec, and so Animaze, reads.
            _p("mouth_smooth_time", "mouthSmoothTme", 0.0, 1.0, 0.1, "mouthSmoothTime"),
            _p("sound_sensitivity", "soundSensitivity", 0.0, 1.0, 0.5),
        ),
    ),
    Behaviour("Alternate lipsync Retargeting"),
    Behaviour("Idle Intensity", (_p("intensity", "intensity", 0.0, 1.0, 0.5),)),
    Behaviour(
        "Inferred Body Yaw Movement",
        (
            _p("neutral_zone_size", "neutralZoneSize", 0.0, 1.0, 0.1),
            _p("movement_smoothing", "movementSmoothing", 0.0, 1.0, 0.5),
            _p("head_yaw_weight", "headYawWeight", 0.0, 1.0, 0.5),
        ),
    ),
    Behaviour(
        "Breathing Behavior",
        (
            _p("amplitude", "amplitude", 0.0, 1.0, 0.5),
            _p("frequency", "frequency", 0.0, 2.0, 0.25),
        ),
    ),
)

_BY_KEY = {b.name.casefold(): b for b in BEHAVIOURS}


def find_behaviour(name: str) -> Behaviour | None:
    """Look a behaviour up by name, ignoring case and surrounding whitespace.

    Args:
        name: A behaviour name such as ``"Auto Blink"``.

    Returns:
        The catalogue entry, or ``None`` if Animaze's spec has no such behaviour.
    """
    return _BY_KEY.get(name.strip().casefold())
