"""What the Hotkeys dock says about each binding: its kind and its registration status."""

from __future__ import annotations

from collections.abc import Sequence

from ...hotkeys.bindings import Binding
from .hotkeys_service import HotkeyService

RED, AMBER, GREEN = "#dc2626", "#d97706", "#16a34a"


def binding_kind(binding: Binding) -> str:
    """``"macro"``, ``"hold"`` or ``"press"``."""
    if binding.is_macro:
        return "macro"
    return "hold" if binding.is_hold else "press"


def binding_status(
    service: HotkeyService, binding: Binding, conflicts: Sequence[str]
) -> tuple[str, str]:
    """The Status cell of ``binding`` and its colour ("" for the default colour).

    Args:
        service: The running service (master switch, refused keys, backend).
        binding: One binding of the service's profile.
        conflicts: Error-level conflict messages involving this binding.

    Returns:
        ``("registered", GREEN)``, ``("refused: <reason>", RED)``, ``("conflict: ...", RED)``,
        ``("disabled", "")``, ``("off ...", "")``, ``("paused ...", AMBER)`` or
        ``("not registered", AMBER)``.
    """
    if not binding.enabled:
        return "disabled", ""
    if not service.profile.enabled:
        return "off (Hotkeys on is unchecked)", ""
    if service.suspended:
        return "paused while a combination is recorded", AMBER
    refused = service.refused.get(binding.keys)
    if refused:
        return f"refused: {refused}", RED
    if conflicts:
        return f"conflict: {conflicts[0]}", RED
    if binding.keys in service.backend.registered:
        return "registered" if service.backend.IS_GLOBAL else "registered (in-app)", GREEN
    return "not registered", AMBER
