"""The self-test's hotkey check: the backend the panel would use, exercised for real.

The panel runs offscreen in ``--self-test``, but the check creates the backend the windowed
panel would get (:func:`~..platform.factory.create_backend` without asking Qt's offscreen
platform), registers :data:`COMBO`, and, on X11, presses it through XTest and waits for the
press and the release to arrive on the route, then unregisters it. The result is one phrase for
the verdict line: which backend, what worked, and why global hotkeys are off if they are.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QWidget

from ..hotkeys.keys import KeyCombo
from ..platform.base import HotkeyBackendError, RegistrationError
from ..platform.factory import create_backend

COMBO = KeyCombo.parse("Ctrl+Alt+Shift+F12")
"""A combination no desktop binds by default."""


class HotkeyCheckFailed(Exception):
    """The backend did not do what it reported."""


async def check_hotkey_backend(window: QWidget, timeout: float) -> str:
    """Register, (on X11) press and release, and unregister :data:`COMBO`.

    Returns:
        What happened, e.g. ``"x11, Ctrl+Alt+Shift+F12 registered, pressed and released,
        unregistered"`` or ``"in-app, ... (no global hotkeys: no X display ...)"``.

    Raises:
        HotkeyCheckFailed: A step did not hold.
    """
    backend, why = create_backend(window, qt_platform=False)
    heard: asyncio.Queue[tuple[str, KeyCombo]] = asyncio.Queue()
    backend.route_to(asyncio.get_running_loop(),
                     lambda c: heard.put_nowait(("press", c)),
                     lambda c: heard.put_nowait(("release", c)))
    note = f" (no global hotkeys: {why})" if why else ""
    try:
        try:
            backend.register(COMBO)
        except RegistrationError as exc:  # another program has it: not the panel's fault
            return f"{backend.NAME}, {COMBO} not registered: {exc.reason}{note}"
        if COMBO not in backend.registered:
            raise HotkeyCheckFailed(f"{backend.NAME} did not keep {COMBO} registered")
        done = "registered"
        synthesize = getattr(backend, "synthesize", None)
        if synthesize is not None:
            try:
                synthesize(COMBO)
            except HotkeyBackendError as exc:
                done += f" (not pressed: {exc})"
            else:
                for want in ("press", "release"):
                    try:
                        got = await asyncio.wait_for(heard.get(), timeout)
                    except TimeoutError:
                        raise HotkeyCheckFailed(
                            f"{backend.NAME}: pressed {COMBO}, no {want} arrived") from None
                    if got != (want, COMBO):
                        raise HotkeyCheckFailed(f"{backend.NAME}: expected {want} of {COMBO}, "
                                                f"got {got[0]} of {got[1]}")
                done += ", pressed and released"
        backend.unregister(COMBO)
        if COMBO in backend.registered:
            raise HotkeyCheckFailed(f"{backend.NAME} kept {COMBO} after unregistering it")
        return f"{backend.NAME}, {COMBO} {done}, unregistered{note}"
    finally:
        backend.close()
