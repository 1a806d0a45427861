"""Linux/X11 global hotkeys: ``XGrabKey`` on the root window through python-xlib.

A second X connection (not Qt's) holds the passive grabs. The X server reports both the press
and the release of a grabbed key, whichever window has focus. The route's asyncio loop
(:meth:`~.base.HotkeyBackend.route_to`: the hotkey lane) reads them (``loop.add_reader``) on
its own thread and calls the route's callbacks there, so a key press reaches the Animaze
socket while the GUI thread is busy repainting. Grabs are made from the GUI thread;
python-xlib is switched to real locks (``Xlib.threaded``) so both threads can use the
connection, and ``_io_lock`` keeps a drain and :meth:`X11Backend.close` apart.

Details that matter in practice:

* X matches modifiers exactly, so each combination is grabbed four times: with and without
  CapsLock (``LockMask``) and NumLock (whichever ``ModN`` carries ``Num_Lock``);
* a grab another client already holds fails with ``BadAccess``: reported as "taken by another
  program" (and the variants already grabbed are released again);
* a held key is one press and one release. The server auto-repeats held keys; the backend
  turns on XKB *detectable auto-repeat* for its connection (see :mod:`._xkb`), so repeats
  arrive as extra presses of a key already down, which are dropped. Without XKB, repeats are
  Release+Press pairs: a release is then held back :data:`REPEAT_HOLDBACK` seconds and
  dropped together with the press that follows it (checking only the events already read
  would race with the socket);
* ``MappingNotify`` (keyboard layout changed) re-grabs everything with the new key codes.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ..hotkeys.keys import KEYS, KeyCombo, Modifier
from .base import TAKEN_MESSAGE, BackendUnavailable, HotkeyBackend, RegistrationError, Route

KEYSYM_NAMES: dict[str, str] = {
    **{letter: letter.lower() for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{digit: digit for digit in "0123456789"},
    **{f"F{n}": f"F{n}" for n in range(1, 25)},
    **{f"Num{d}": f"KP_{d}" for d in "0123456789"},
    "NumAdd": "KP_Add", "NumSubtract": "KP_Subtract", "NumMultiply": "KP_Multiply",
    "NumDivide": "KP_Divide", "NumDecimal": "KP_Decimal",
    "Space": "space", "Tab": "Tab", "Enter": "Return", "Escape": "Escape",
    "Backspace": "BackSpace", "Insert": "Insert", "Delete": "Delete", "Home": "Home",
    "End": "End", "PageUp": "Prior", "PageDown": "Next", "Up": "Up", "Down": "Down",
    "Left": "Left", "Right": "Right", "Pause": "Pause", "ScrollLock": "Scroll_Lock",
    "PrintScreen": "Print", "Minus": "minus", "Equal": "equal", "Comma": "comma",
    "Period": "period", "Slash": "slash", "Semicolon": "semicolon", "Quote": "apostrophe",
    "BracketLeft": "bracketleft", "BracketRight": "bracketright", "Backslash": "backslash",
    "Grave": "grave",
    "MediaPlay": "XF86AudioPlay", "MediaStop": "XF86AudioStop", "MediaNext": "XF86AudioNext",
    "MediaPrevious": "XF86AudioPrev", "VolumeUp": "XF86AudioRaiseVolume",
    "VolumeDown": "XF86AudioLowerVolume", "VolumeMute": "XF86AudioMute",
}  # fmt: skip
"""Canonical key name -> X keysym name."""

REPEAT_HOLDBACK = 0.04
"""Seconds a release waits for the press of an auto-repeat pair when XKB cannot help."""

assert set(KEYSYM_NAMES) == set(KEYS), "every key needs an X keysym"


class X11Backend(HotkeyBackend):
    """Global hotkeys on an X server (also XWayland, for X11 apps only)."""

    NAME = "x11"
    IS_GLOBAL = True
    DESCRIPTION = "Global hotkeys (X11)"

    _mappingChanged = Signal()  # from whichever thread drained; re-grabs on the GUI thread

    def __init__(
        self,
        parent: QObject | None = None,
        display_name: str | None = None,
        *,
        detectable_repeat: bool = True,
    ) -> None:
        """Connect to the X server.

        Args:
            parent: Qt parent.
            display_name: ``":0"`` etc.; ``None`` uses ``$DISPLAY``.
            detectable_repeat: Ask XKB for detectable auto-repeat (``False`` only to test the
                hold-back path servers without XKB take).

        Raises:
            BackendUnavailable: python-xlib is missing or the display cannot be opened.
        """
        super().__init__(parent)
        try:
            import Xlib.threaded  # noqa: F401  (real locks: the hotkey lane reads on its thread)
            from Xlib import XK, X, error
            from Xlib import display as xdisplay
        except ImportError as exc:
            raise BackendUnavailable("python-xlib is not installed") from exc
        self._X: Any = X
        self._XK: Any = XK
        self._error: Any = error
        try:
            self._display: Any = xdisplay.Display(display_name)
        except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
            raise BackendUnavailable(f"cannot open the X display: {exc}") from exc
        XK.load_keysym_group("xf86")
        self._root: Any = self._display.screen().root
        self._mod_masks = {
            Modifier.CTRL: X.ControlMask,
            Modifier.SHIFT: X.ShiftMask,
            Modifier.ALT: X.Mod1Mask,
            Modifier.META: X.Mod4Mask,
        }
        self._relevant = X.ControlMask | X.ShiftMask | X.Mod1Mask | X.Mod4Mask
        self._lock_variants = self._variants()
        self._grabs: dict[KeyCombo, tuple[int, int]] = {}  # combo -> (keycode, modifiers)
        self._by_code: dict[tuple[int, int], KeyCombo] = {}
        self._down: dict[int, KeyCombo] = {}  # keycode -> combo whose press was reported
        self._fd: int = self._display.fileno()
        self.detectable_repeat = detectable_repeat and self._xkb_detectable_repeat()
        self.repeats_ignored = 0
        """Auto-repeat events seen and dropped (a diagnostic; the self-test reports it)."""
        self._held_back: dict[int, Any] = {}  # keycode -> timer of a release held back
        self._mappingChanged.connect(self._regrab, Qt.ConnectionType.QueuedConnection)
        self._io_lock = threading.Lock()
        self._closed = False

    def _xkb_detectable_repeat(self) -> bool:
        from . import _xkb

        try:
            return _xkb.set_detectable_auto_repeat(self._display)
        except self._error.XError:  # an X server whose XKB refuses the request
            return False

    # ------------------------------------------------------------------ grabs

    def _variants(self) -> tuple[int, ...]:
        """Modifier masks for CapsLock/NumLock on or off (NumLock's ModN looked up)."""
        X, XK = self._X, self._XK
        numlock = 0
        code = self._display.keysym_to_keycode(XK.string_to_keysym("Num_Lock"))
        if code:
            for index, codes in enumerate(self._display.get_modifier_mapping()):
                if code in codes:
                    numlock = 1 << index
        variants = {0, X.LockMask}
        if numlock:
            variants |= {numlock, numlock | X.LockMask}
        return tuple(sorted(variants))

    def keycode(self, combo: KeyCombo) -> int:
        """The X key code of ``combo``'s key on the current keyboard map (0: none)."""
        keysym = self._XK.string_to_keysym(KEYSYM_NAMES[combo.key])
        return int(self._display.keysym_to_keycode(keysym)) if keysym else 0

    def _grab(self, combo: KeyCombo) -> None:
        code = self.keycode(combo)
        if not code:
            raise RegistrationError(combo, f"this keyboard has no {combo.key} key")
        mods = 0
        for modifier in combo.modifiers:
            mods |= self._mod_masks[modifier]
        X = self._X
        catcher = self._error.CatchError(self._error.BadAccess)
        for extra in self._lock_variants:
            self._root.grab_key(code, mods | extra, True, X.GrabModeAsync, X.GrabModeAsync,
                                onerror=catcher)
        self._display.sync()  # errors arrive asynchronously; sync collects them
        if catcher.get_error() is not None:
            for extra in self._lock_variants:
                self._root.ungrab_key(code, mods | extra)
            self._display.sync()
            self._schedule_drain()
            raise RegistrationError(combo, TAKEN_MESSAGE, taken=True)
        self._grabs[combo] = (code, mods)
        self._by_code[(code, mods)] = combo
        self._schedule_drain()

    def synthesize(self, combo: KeyCombo) -> None:
        """Press and release ``combo`` through XTest, as a keyboard would (for ``--self-test``).

        Raises:
            BackendUnavailable: The server has no XTest extension.
            RegistrationError: The keyboard has no such key.
        """
        from Xlib.ext import xtest

        if not self._display.query_extension("XTEST"):
            raise BackendUnavailable("the X server has no XTEST extension")
        code = self.keycode(combo)
        if not code:
            raise RegistrationError(combo, f"this keyboard has no {combo.key} key")
        names = {Modifier.CTRL: "Control_L", Modifier.SHIFT: "Shift_L", Modifier.ALT: "Alt_L",
                 Modifier.META: "Super_L"}
        mods = [self._display.keysym_to_keycode(self._XK.string_to_keysym(names[m]))
                for m in sorted(combo.modifiers, key=lambda m: m.value)]
        X = self._X
        for mod in mods:
            xtest.fake_input(self._display, X.KeyPress, mod)
        xtest.fake_input(self._display, X.KeyPress, code)
        xtest.fake_input(self._display, X.KeyRelease, code)
        for mod in reversed(mods):
            xtest.fake_input(self._display, X.KeyRelease, mod)
        self._display.sync()
        self._schedule_drain()

    def _ungrab(self, combo: KeyCombo) -> None:
        grabbed = self._grabs.pop(combo, None)
        if grabbed is None or self._closed:
            return
        code, mods = grabbed
        self._by_code.pop(grabbed, None)
        for extra in self._lock_variants:
            self._root.ungrab_key(code, mods | extra)
        self._display.flush()
        self._schedule_drain()

    def close(self) -> None:
        """Release every grab and close the X connection. Idempotent.

        With a running route loop, the connection is closed there (after its reader is
        removed), a moment later; otherwise at once.
        """
        if self._closed:
            return
        super().close()
        with self._io_lock:
            self._closed = True
        route = self._route
        if route is not None and route.loop.is_running():
            route.loop.call_soon_threadsafe(self._close_on_loop, route.loop)
        else:
            self._close_display()

    def _close_on_loop(self, loop: Any) -> None:
        loop.remove_reader(self._fd)
        for timer in self._held_back.values():
            timer.cancel()
        self._held_back.clear()
        self._close_display()

    def _close_display(self) -> None:
        try:
            self._display.close()
        except Exception:  # the server may be gone already; nothing left to release
            pass

    # ------------------------------------------------------------------ events

    def _start_route(self, route: Route) -> None:
        route.loop.call_soon_threadsafe(self._attach_reader, route.loop)

    def _attach_reader(self, loop: Any) -> None:
        with self._io_lock:
            if self._closed:
                return
            loop.add_reader(self._fd, self._drain)
        self._drain()

    def _schedule_drain(self) -> None:
        # python-xlib may have read events into its queue while waiting for a reply (sync);
        # the socket is then no longer readable, so the notifier alone would not see them.
        route = self._route
        if route is not None and not route.loop.is_closed():
            route.loop.call_soon_threadsafe(self._drain)

    def _drain(self) -> None:
        with self._io_lock:
            if not self._closed:
                self._drain_events()

    def _drain_events(self) -> None:
        X = self._X
        try:
            while self._display.pending_events():
                event = self._display.next_event()
                if event.type == X.KeyPress:
                    self._on_press(event)
                elif event.type == X.KeyRelease:
                    self._on_release(event)
                elif event.type == X.MappingNotify:
                    self._display.refresh_keyboard_mapping(event)
                    self._mappingChanged.emit()
        except self._error.ConnectionClosedError:
            self._closed = True
            if self._route is not None:  # we are on its loop: stop reading a dead socket
                self._route.loop.remove_reader(self._fd)

    def _on_press(self, event: Any) -> None:
        timer = self._held_back.pop(event.detail, None)
        if timer is not None:  # the press of a Release+Press auto-repeat pair
            timer.cancel()
            self.repeats_ignored += 1
            return
        if event.detail in self._down:  # a detectable auto-repeat: the key is still down
            self.repeats_ignored += 1
            return
        combo = self._by_code.get((event.detail, event.state & self._relevant))
        if combo is None:
            return
        self._down[event.detail] = combo
        self._emit_pressed(combo)

    def _on_release(self, event: Any) -> None:
        if event.detail not in self._down or event.detail in self._held_back:
            return
        route = self._route
        if self.detectable_repeat or route is None:
            self._release(event.detail)
        else:  # wait for the press an auto-repeat would send right after
            self._held_back[event.detail] = route.loop.call_later(
                REPEAT_HOLDBACK, self._release_held_back, event.detail)

    def _release_held_back(self, keycode: int) -> None:
        self._held_back.pop(keycode, None)
        with self._io_lock:
            if not self._closed:
                self._release(keycode)

    def _release(self, keycode: int) -> None:
        combo = self._down.pop(keycode, None)
        if combo is not None:
            self._emit_released(combo)

    def _regrab(self) -> None:
        if self._closed:
            return
        combos = list(self._grabs)
        for combo in combos:
            self.unregister(combo)
        self._lock_variants = self._variants()
        self.sync(combos)
