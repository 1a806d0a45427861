"""Automation of the real window: the ``--self-test`` checks and the readiness wait.

:func:`run_self_test` drives a fully built :class:`MainWindow` on the running qasync loop (the
app starts the built-in simulator for it); it exercises one command of each kind through
the window and its session - a Get list, a trigger, a Set/Get pair, an override, a ChatPal
message with its speech events, a trigger received from Animaze, the docks' View menu, the
hotkey backend, the Akool page's video SDK, one H.264 frame decoded with PyAV (the Kaltura
page's video) - and prints exactly one line::

    self-test: OK (15 checks, cold start 0.62 s; hotkeys: x11, Ctrl+Alt+Shift+F12 registered,
    pressed and released)
    self-test: FAILED: <check>: <what went wrong>

(one line on the terminal). Every check compares what the window shows or does with what
the simulator answers, so each can fail for a real reason.

:func:`wait_ready` (also used by ``--screenshot``, see ui/screenshots.py) waits until the docks
are populated and the visible gallery icons are shown.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import SignalInstance

from ..animaze.requests import (
    ChatbotSendMessage,
    GetAvatars,
    GetCameraFov,
    GetEmotes,
    GetOverride,
    GetQuickscenes,
    SetCameraFov,
    SetOverride,
    TriggerEmote,
)
from .main_window import MainWindow
from .self_test_hotkeys import HotkeyCheckFailed, check_hotkey_backend

CHECK_TIMEOUT = 10.0


class CheckFailed(Exception):
    """A self-test check did not hold; the message says what."""


def next_emission(
    signal: SignalInstance, predicate: Callable[..., bool] | None = None
) -> asyncio.Future[tuple[Any, ...]]:
    """A future resolved with the arguments of the next matching emission of ``signal``."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def slot(*args: Any) -> None:
        if future.done() or (predicate is not None and not predicate(*args)):
            return
        future.set_result(args)
        signal.disconnect(slot)

    signal.connect(slot)
    return future


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait (letting Qt run) until ``condition()`` holds.

    Raises:
        CheckFailed: Still false after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise CheckFailed(f"{what} (not within {timeout:g} s)")
        await asyncio.sleep(0.02)  # the Qt loop runs meanwhile (never processEvents here)


async def wait_ready(window: MainWindow, timeout: float = 20.0) -> None:
    """Wait until the window is connected, the docks are populated and icons are shown.

    Raises:
        CheckFailed: Something did not happen in time.
    """
    session = window.session
    await until(lambda: session.connected, timeout, "connect to the simulator")
    await until(lambda: window.gallery.avatars.model.rowCount() > 0, timeout,
                "gallery lists the avatars")
    await until(window.gallery.visible_icons_loaded, timeout, "gallery shows its icons")
    await until(lambda: bool(window.quickscenes.slots), timeout, "quickscenes shown")
    await wait_quiet(window, quiet=0.4, timeout=timeout)


async def wait_quiet(window: MainWindow, quiet: float, timeout: float) -> None:
    """Wait until no frame has gone in or out for ``quiet`` seconds (docks done loading)."""
    last = [time.monotonic()]

    def seen(*_args: object) -> None:
        last[0] = time.monotonic()

    window.session.frameLogged.connect(seen)
    try:
        await until(lambda: time.monotonic() - last[0] >= quiet, timeout, "traffic settles")
    finally:
        window.session.frameLogged.disconnect(seen)


async def _call(window: MainWindow, request: Any) -> Any:
    failures: list[str] = []

    def failed(action: str, message: str) -> None:
        failures.append(message)

    window.session.commandFailed.connect(failed)
    try:
        reply = await asyncio.wait_for(window.session.call(request), CHECK_TIMEOUT)
    finally:
        window.session.commandFailed.disconnect(failed)
    if reply is None:
        raise CheckFailed(failures[0] if failures else f"{request.ACTION} failed")
    return reply


async def run_self_test(window: MainWindow, t0: float) -> int:
    """Run every check, print the one-line verdict and return the exit status.

    Args:
        window: A freshly shown window whose client is starting.
        t0: ``time.perf_counter()`` at process start, for the cold-start figure.
    """
    session = window.session
    cold_start = [0.0]
    state: dict[str, Any] = {}

    async def connected() -> None:
        await until(lambda: session.connected, CHECK_TIMEOUT, "connect to the simulator")
        await until(lambda: window.gallery.avatars.model.rowCount() > 0, CHECK_TIMEOUT,
                    "gallery lists the avatars")
        cold_start[0] = time.perf_counter() - t0

    async def get_list() -> None:
        reply = await _call(window, GetAvatars())
        if list(reply.avatars) != window.gallery.avatars.model.names:
            raise CheckFailed("the gallery does not show the avatars Animaze lists")
        state["avatars"] = list(reply.avatars)

    async def icons() -> None:
        await until(window.gallery.visible_icons_loaded, CHECK_TIMEOUT, "gallery icons shown")

    async def trigger() -> None:
        emotes = (await _call(window, GetEmotes())).emotes
        if not emotes:
            raise CheckFailed("no emotes listed")
        await _call(window, TriggerEmote(emotes[0].item_name))

    async def set_get() -> None:
        await _call(window, SetCameraFov(42.5))
        fov = (await _call(window, GetCameraFov())).fov
        if abs(fov - 42.5) > 1e-3:
            raise CheckFailed(f"SetCameraFov 42.5 then GetCameraFov returned {fov}")

    async def override() -> None:
        await _call(window, SetOverride("Auto Blink", True, {"frequency": 0.5}))
        got = await _call(window, GetOverride("Auto Blink"))
        if got.value is not True:
            raise CheckFailed("SetOverride Auto Blink on, GetOverride says off")

    async def chatpal() -> None:
        started = next_emission(session.speechStarted)
        ended = next_emission(session.speechEnded)
        reply = await _call(window, ChatbotSendMessage("-echo Self-test"))
        if not reply.response:
            raise CheckFailed("ChatPal sent an empty reply")
        await asyncio.wait_for(started, CHECK_TIMEOUT)
        await asyncio.wait_for(ended, CHECK_TIMEOUT)

    async def trigger_event() -> None:
        from ..animaze.requests import LoadAvatar

        avatars = state.get("avatars") or []
        current = window.gallery.avatars.model.current
        target = next((a for a in avatars if a != current), None)
        if target is None:
            raise CheckFailed("need two avatars to switch")
        changed = next_emission(session.avatarChanged)
        await _call(window, LoadAvatar(target))
        (name,) = await asyncio.wait_for(changed, CHECK_TIMEOUT)
        if name != target:
            raise CheckFailed(f"AvatarChanged reported {name}, expected {target}")
        await until(lambda: window.gallery.avatars.model.current == target, CHECK_TIMEOUT,
                    "gallery marks the new avatar")

    async def toolbar() -> None:
        ok = next_emission(session.commandSucceeded, lambda a: a == "CalibrateTracker")
        window.calibrate_action.trigger()
        await asyncio.wait_for(ok, CHECK_TIMEOUT)
        ok = next_emission(session.commandSucceeded, lambda a: a == "Broadcast")
        window.broadcast_action.setChecked(True)
        await asyncio.wait_for(ok, CHECK_TIMEOUT)

    async def quickscenes() -> None:
        slots = (await _call(window, GetQuickscenes())).quickslots
        await until(lambda: len(window.quickscenes.slots) == len(slots), CHECK_TIMEOUT,
                    f"quickscenes dock shows Animaze's {len(slots)} slots")
        shown = {s.index: bool(s.image) for s in window.quickscenes.slots}
        wanted = {s.index: bool(s.image) for s in slots}
        if shown != wanted:
            raise CheckFailed(f"quickscene slots with a picture differ: dock {shown}, "
                              f"Animaze {wanted}")

    async def traffic() -> None:
        window.traffic_log.model.flush()
        frames = window.traffic_log.model.frames()
        directions = {f.direction.value for f in frames}
        if directions != {"in", "out"}:
            raise CheckFailed("the traffic log did not record frames both ways")

    async def docks() -> None:
        names = [d.objectName() for d in window.docks()]
        if len(names) < 10 or "" in names or len(set(names)) != len(names):
            raise CheckFailed(f"docks need distinct object names: {names}")
        dock = window.traffic_log  # closed by default: View > Docks opens and closes it
        action = dock.toggleViewAction()
        was_open = dock.isVisible()
        for want in (not was_open, was_open):
            action.trigger()

            def shown(want: bool = want) -> bool:
                return dock.isVisible() == want

            await until(shown, CHECK_TIMEOUT,
                        f"View > Docks {'opens' if want else 'closes'} {dock.windowTitle()}")

    async def hotkeys() -> None:
        state["hotkeys"] = await check_hotkey_backend(window, CHECK_TIMEOUT)

    async def h264() -> None:  # the Kaltura page's video needs PyAV's H.264 decoder
        from .kaltura.decoder_check import DecoderCheckFailed, decode_test_frame

        try:
            decode_test_frame()
        except DecoderCheckFailed as exc:
            raise CheckFailed(str(exc)) from exc

    checks: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("connect", connected), ("get list", get_list), ("gallery icons", icons),
        ("trigger", trigger), ("set/get", set_get), ("override", override),
        ("chatpal", chatpal), ("trigger event", trigger_event), ("toolbar", toolbar),
        ("quickscenes", quickscenes), ("traffic log", traffic), ("docks", docks),
        ("hotkeys", hotkeys),
        ("akool video sdk", akool_sdk_check),
        ("h264 decode", h264),
    ]
    for name, check in checks:
        try:
            await asyncio.wait_for(check(), CHECK_TIMEOUT * 2)
        except (CheckFailed, HotkeyCheckFailed, TimeoutError) as exc:
            print(f"self-test: FAILED: {name}: {exc or 'timed out'}", flush=True)
            return 1
        except Exception as exc:  # report, never a traceback wall
            print(f"self-test: FAILED: {name}: {type(exc).__name__}: {exc}", flush=True)
            return 1
    print(f"self-test: OK ({len(checks)} checks, cold start {cold_start[0]:.2f} s; "
          f"hotkeys: {state['hotkeys']})", flush=True)
    return 0


async def akool_sdk_check() -> None:
    """The vendored Agora Web SDK loads in QtWebEngine, supports this system and VP8.

    Raises:
        CheckFailed: The SDK is missing (a broken install) or reports no support.
    """
    from .akool.live_view import LiveView
    from .akool.scheme import SdkSource, vendored_sdk_present

    if not vendored_sdk_present():
        raise CheckFailed("the Agora Web SDK is not installed (run scripts/vendor-agora)")
    view = LiveView(SdkSource.VENDORED)
    try:
        probe = await view.link.probe()
    finally:
        await view.dispose()
    if not probe.system_ok or not probe.vp8:
        raise CheckFailed(f"Agora SDK {probe.version}: system supported {probe.system_ok}, "
                          f"video codecs {list(probe.video_codecs)} (VP8 needed)")

