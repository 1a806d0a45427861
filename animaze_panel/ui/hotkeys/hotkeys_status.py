"""What the Hotkeys dock says about each binding: what it does, its kind, its status.

What a binding does is said in the words Animaze uses ("Confetti", "Wave (pose)"), looked up
in the shared :class:`~..animaze_state.AnimazeState`; an item Animaze has not listed (yet) is
still named readably ("Emote_Heart_Eyes" -> "Heart Eyes").
"""

from __future__ import annotations

from collections.abc import Sequence

from ...hotkeys import actions as a
from ...hotkeys.bindings import Binding
from ..animaze.gallery_model import display_name
from ..animaze_state import AnimazeState
from ..widgets.theme import Tone
from .hotkeys_service import HotkeyService


def describe_action(action: a.Action, state: AnimazeState) -> str:
    """``action`` in words, e.g. ``"Confetti"``, ``"Wave (pose)"``, ``"Avatar: Fluffo"``."""
    if isinstance(action, a.Emote):
        key = action.name.casefold()
        for emote in state.emotes:
            if emote.item_name.casefold() == key and emote.friendly_name:
                return emote.friendly_name
        return display_name(action.name.removeprefix("Emote_"))
    if isinstance(action, a.SpecialAction | a.Pose | a.Idle):
        entries = {a.SpecialAction: state.special_actions, a.Pose: state.poses,
                   a.Idle: state.idles}[type(action)]
        kind = action.LABEL.lower()
        name = next((e.anim_name for e in entries if e.index == action.index and e.anim_name),
                    None)
        return f"{name} ({kind})" if name else f"{action.LABEL} {action.index}"
    if isinstance(action, a.Quickscene):
        slot = next((q for q in state.quickscenes if q.index == action.index), None)
        named = f": {slot.name}" if slot is not None and slot.name else ""
        return f"Quickscene {action.index + 1}{named}"
    if isinstance(action, a.LoadAvatar):
        current = state.avatar
        if current is not None and current.item_name == action.name and current.friendly_name:
            return f"Avatar: {current.friendly_name}"
        return f"Avatar: {display_name(action.name)}"
    if isinstance(action, a.LoadScene):
        return f"Scene: {display_name(action.name)}"
    if isinstance(action, a.CameraPreset):
        return f"Camera: {action.name}"
    return action.describe()


def describe_binding(binding: Binding, state: AnimazeState) -> str:
    """The binding's name, or what it does in words (every step of a macro)."""
    if binding.name:
        return binding.name
    return ", ".join(describe_action(step, state) for step in binding.press)


def binding_kind(binding: Binding) -> str:
    """``"macro"``, ``"hold"`` or ``"press"``."""
    if binding.is_macro:
        return "macro"
    return "hold" if binding.is_hold else "press"


def binding_status(
    service: HotkeyService, binding: Binding, conflicts: Sequence[str]
) -> tuple[str, Tone | None]:
    """The Status cell of ``binding`` and its tone (``None`` for the normal text colour).

    Args:
        service: The running service (master switch, refused keys, backend).
        binding: One binding of the service's profile.
        conflicts: Error-level conflict messages involving this binding.

    Returns:
        ``("registered", SUCCESS)``, ``("refused: <reason>", ERROR)``,
        ``("conflict: ...", ERROR)``, ``("disabled", None)``, ``("off ...", None)``,
        ``("paused ...", WARNING)`` or ``("not registered", WARNING)``.
    """
    if not binding.enabled:
        return "disabled", None
    if not service.profile.enabled:
        return "off (Hotkeys on is unchecked)", None
    if service.suspended:
        return "paused while a combination is recorded", Tone.WARNING
    refused = service.refused.get(binding.keys)
    if refused:
        return f"refused: {refused}", Tone.ERROR
    if conflicts:
        return f"conflict: {conflicts[0]}", Tone.ERROR
    if binding.keys in service.backend.registered:
        return "registered" if service.backend.IS_GLOBAL else "registered (in-app)", Tone.SUCCESS
    return "not registered", Tone.WARNING
