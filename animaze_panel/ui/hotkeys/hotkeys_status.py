"""What the Hotkeys dock says about each binding: its kind and its registration status."""

from __future__ import annotations

from collections.abc import Sequence

from ...hotkeys.bindings import Binding
from ..widgets.theme import Tone
from .hotkeys_service import HotkeyService


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
