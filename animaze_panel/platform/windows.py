"""Windows global hotkeys: ``RegisterHotKey`` through ctypes, ``WM_HOTKEY`` from a native filter.

How it works:

* ``RegisterHotKey(NULL, id, MOD_* | MOD_NOREPEAT, vk)`` on the GUI thread: with no window
  handle, Windows posts ``WM_HOTKEY`` to the *thread's* queue, which Qt's event dispatcher
  drains; a :class:`HotkeyMessageFilter` (a ``QAbstractNativeEventFilter`` on the application)
  sees it as ``windows_dispatcher_MSG`` (Qt 6) or ``windows_generic_MSG`` and turns the ``id``
  in ``wParam`` back into the combination. No keyboard hook, no admin rights, and the OS does
  the matching, so a game with the focus keeps every other key.
* ``MOD_NOREPEAT``: a held key is one ``WM_HOTKEY``, not one per auto-repeat.
* ``ERROR_HOTKEY_ALREADY_REGISTERED`` (1409) means another program owns the combination and is
  reported as "taken by another program"; other failures carry Windows' own error text.
* ``RegisterHotKey`` reports presses only. Hold bindings need the release, so while a hotkey is
  held its virtual key is polled with ``GetAsyncKeyState`` every :data:`RELEASE_POLL_MS` ms and
  ``released`` is emitted once it is up (a release is therefore seen up to ~10 ms late; the
  timer runs only while something is held). This reads one key's state, it is not a hook.

Through the route (:meth:`~.base.HotkeyBackend.route_to`, as the app sets up), the filter hands
each press straight to the hotkey lane's loop; the message itself still arrives on the GUI
thread, so a long repaint there delays it (on X11 the lane reads key events itself).

Caveat: thread messages are lost while a *modal* loop that Qt does not run is active (the user
dragging or resizing the panel's own window); a hotkey pressed in that moment does nothing.

Testing: everything except the ctypes calls runs on Linux in tests/platform/test_windows_backend
(VK table, modifier bits, ``MSG`` parsing, error mapping, the filter, and the backend driven by a
fake ``user32``). NOT tested on Linux, only by ``--self-test``/manual use on Windows: the real
``user32`` prototypes, that Qt delivers thread-queue ``WM_HOTKEY`` to the filter, and
``GetAsyncKeyState`` while another (possibly elevated) program has the focus.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QCoreApplication, QObject, QTimer

from ..hotkeys.keys import KEYS, KeyCombo, Modifier
from .base import TAKEN_MESSAGE, BackendUnavailable, HotkeyBackend, RegistrationError

WM_HOTKEY = 0x0312
MOD_ALT = 0x0001
MOD_CONTROL = 0x0002
MOD_SHIFT = 0x0004
MOD_WIN = 0x0008
MOD_NOREPEAT = 0x4000
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
KEY_DOWN_BIT = 0x8000
"""``GetAsyncKeyState``: the most significant bit of the SHORT is set while the key is down."""
MAX_HOTKEY_ID = 0xBFFF
"""Applications must use ids 0x0000-0xBFFF."""
RELEASE_POLL_MS = 10
MESSAGE_TYPES = frozenset({b"windows_generic_MSG", b"windows_dispatcher_MSG"})

MODIFIER_FLAGS: dict[Modifier, int] = {
    Modifier.ALT: MOD_ALT,
    Modifier.CTRL: MOD_CONTROL,
    Modifier.SHIFT: MOD_SHIFT,
    Modifier.META: MOD_WIN,
}

VK_CODES: dict[str, int] = {
    **{letter: ord(letter) for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},  # VK_A.. = 'A'..
    **{digit: ord(digit) for digit in "0123456789"},  # VK_0.. = '0'..
    **{f"F{n}": 0x70 + n - 1 for n in range(1, 25)},  # VK_F1 = 0x70 .. VK_F24 = 0x87
    **{f"Num{d}": 0x60 + d for d in range(10)},  # VK_NUMPAD0 = 0x60
    "NumMultiply": 0x6A, "NumAdd": 0x6B, "NumSubtract": 0x6D, "NumDecimal": 0x6E,
    "NumDivide": 0x6F,
    "Space": 0x20, "Tab": 0x09, "Enter": 0x0D, "Escape": 0x1B, "Backspace": 0x08,
    "Insert": 0x2D, "Delete": 0x2E, "Home": 0x24, "End": 0x23, "PageUp": 0x21,
    "PageDown": 0x22, "Up": 0x26, "Down": 0x28, "Left": 0x25, "Right": 0x27,
    "Pause": 0x13, "ScrollLock": 0x91, "PrintScreen": 0x2C,
    # US-layout positions (VK_OEM_*), the meaning KEYS gives punctuation names.
    "Minus": 0xBD, "Equal": 0xBB, "Comma": 0xBC, "Period": 0xBE, "Slash": 0xBF,
    "Semicolon": 0xBA, "Quote": 0xDE, "BracketLeft": 0xDB, "BracketRight": 0xDD,
    "Backslash": 0xDC, "Grave": 0xC0,
    "MediaPlay": 0xB3, "MediaStop": 0xB2, "MediaNext": 0xB0, "MediaPrevious": 0xB1,
    "VolumeUp": 0xAF, "VolumeDown": 0xAE, "VolumeMute": 0xAD,
}  # fmt: skip
"""Canonical key name -> Windows virtual-key code."""

assert set(VK_CODES) == set(KEYS), "every key needs a virtual-key code"


class POINT(ctypes.Structure):
    """Win32 ``POINT`` (two LONGs)."""

    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32)]


class MSG(ctypes.Structure):
    """Win32 ``MSG`` with fixed-width fields, so its layout is right when built on Linux too.

    (``ctypes.wintypes`` uses ``c_ulong`` for DWORD, which is 64-bit on Linux.)
    """

    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint32),
        ("wParam", ctypes.c_size_t),  # WPARAM = UINT_PTR
        ("lParam", ctypes.c_ssize_t),  # LPARAM = LONG_PTR
        ("time", ctypes.c_uint32),
        ("pt", POINT),
        ("lPrivate", ctypes.c_uint32),
    ]


class User32(Protocol):
    """The part of ``user32`` (plus ``GetLastError``) the backend uses; tests inject a fake."""

    def RegisterHotKey(self, hwnd: int | None, id: int, modifiers: int, vk: int) -> int:  # noqa: N802, A002
        """Nonzero on success."""

    def UnregisterHotKey(self, hwnd: int | None, id: int) -> int:  # noqa: N802, A002
        """Nonzero on success."""

    def GetAsyncKeyState(self, vk: int) -> int:  # noqa: N802
        """A SHORT; bit 15 set while the key is down."""

    def GetLastError(self) -> int:  # noqa: N802
        """The calling thread's last error code."""


def modifier_flags(combo: KeyCombo) -> int:
    """The ``MOD_*`` bits of ``combo`` plus ``MOD_NOREPEAT``."""
    flags = MOD_NOREPEAT
    for modifier in combo.modifiers:
        flags |= MODIFIER_FLAGS[modifier]
    return flags


def hotkey_id_of(message: int) -> int | None:
    """Read a ``MSG`` at address ``message``; its hotkey id if it is ``WM_HOTKEY``, else ``None``.

    Args:
        message: The address Qt passes to ``nativeEventFilter``.
    """
    if not message:
        return None
    msg = MSG.from_address(message)
    if msg.message != WM_HOTKEY:
        return None
    return int(msg.wParam)


def error_text(code: int) -> str:
    """Windows' sentence for an error code (just the number where ``FormatError`` is missing)."""
    format_error: Callable[[int], str] | None = getattr(ctypes, "FormatError", None)
    text = format_error(code).strip() if format_error is not None else ""
    return f"{text} (error {code})" if text else f"Windows error {code}"


def registration_error(combo: KeyCombo, code: int) -> RegistrationError:
    """The :class:`RegistrationError` for a failed ``RegisterHotKey`` with last error ``code``."""
    if code == ERROR_HOTKEY_ALREADY_REGISTERED:
        return RegistrationError(combo, TAKEN_MESSAGE, taken=True)
    return RegistrationError(combo, f"Windows refused it: {error_text(code)}")


class HotkeyMessageFilter(QAbstractNativeEventFilter):
    """Passes the id of every ``WM_HOTKEY`` to ``on_hotkey``; consumes it if that returns True."""

    def __init__(self, on_hotkey: Callable[[int], bool]) -> None:
        """Create the filter (install it with ``installNativeEventFilter``).

        Args:
            on_hotkey: Called with the hotkey id; returns whether the id was ours.
        """
        super().__init__()
        self._on_hotkey = on_hotkey

    def nativeEventFilter(self, eventType: Any, message: Any) -> tuple[bool, int]:  # noqa: N802, N803
        """Qt calls this for every native message; everything but our ``WM_HOTKEY`` passes."""
        kind = eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)
        if kind not in MESSAGE_TYPES:
            return False, 0
        hotkey_id = hotkey_id_of(int(message))  # PySide6 passes an int (older: a VoidPtr)
        if hotkey_id is None:
            return False, 0
        return self._on_hotkey(hotkey_id), 0


def _load_user32() -> User32:
    """The real ``user32`` with prototypes (Windows only)."""
    if sys.platform != "win32":
        raise BackendUnavailable("RegisterHotKey exists only on Windows")
    from ctypes import wintypes

    dll = ctypes.WinDLL("user32", use_last_error=True)
    dll.RegisterHotKey.argtypes = [wintypes.HWND, ctypes.c_int, wintypes.UINT, wintypes.UINT]
    dll.RegisterHotKey.restype = wintypes.BOOL
    dll.UnregisterHotKey.argtypes = [wintypes.HWND, ctypes.c_int]
    dll.UnregisterHotKey.restype = wintypes.BOOL
    dll.GetAsyncKeyState.argtypes = [ctypes.c_int]
    dll.GetAsyncKeyState.restype = ctypes.c_short

    class _User32:
        RegisterHotKey = dll.RegisterHotKey
        UnregisterHotKey = dll.UnregisterHotKey
        GetAsyncKeyState = dll.GetAsyncKeyState

        @staticmethod
        def GetLastError() -> int:  # noqa: N802
            return ctypes.get_last_error()  # saved right after the call (use_last_error)

    return _User32()


class WindowsBackend(HotkeyBackend):
    """Global hotkeys on Windows. Create it on the GUI thread (hotkeys belong to a thread)."""

    NAME = "windows"
    IS_GLOBAL = True
    SUPPORTS_RELEASE = True  # emulated by polling the held key (see the module docstring)
    DESCRIPTION = "Global hotkeys (Windows)"

    def __init__(self, parent: QObject | None = None, *, user32: User32 | None = None) -> None:
        """Load ``user32`` and install the ``WM_HOTKEY`` filter on the application.

        Args:
            parent: Qt parent.
            user32: Stand-in for ``user32`` (tests); ``None`` loads the real one.

        Raises:
            BackendUnavailable: Not on Windows, or ``user32`` cannot be loaded.
        """
        super().__init__(parent)
        if user32 is None:
            try:
                user32 = _load_user32()
            except (OSError, AttributeError) as exc:
                raise BackendUnavailable(f"cannot load user32: {exc}") from exc
        self._user32 = user32
        self._ids: dict[KeyCombo, int] = {}
        self._by_id: dict[int, KeyCombo] = {}
        self._next_id = 1
        self._held: dict[KeyCombo, int] = {}  # combo -> virtual key polled for its release
        self._poll = QTimer(self)
        self._poll.setInterval(RELEASE_POLL_MS)
        self._poll.timeout.connect(self._check_releases)
        self.filter = HotkeyMessageFilter(self._on_hotkey)
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installNativeEventFilter(self.filter)
        self._closed = False

    def _new_id(self) -> int:
        while True:
            candidate = self._next_id
            self._next_id = self._next_id % MAX_HOTKEY_ID + 1
            if candidate not in self._by_id:
                return candidate

    def _grab(self, combo: KeyCombo) -> None:
        hotkey_id = self._new_id()
        if not self._user32.RegisterHotKey(None, hotkey_id, modifier_flags(combo),
                                           VK_CODES[combo.key]):
            raise registration_error(combo, self._user32.GetLastError())
        self._ids[combo] = hotkey_id
        self._by_id[hotkey_id] = combo

    def _ungrab(self, combo: KeyCombo) -> None:
        hotkey_id = self._ids.pop(combo, None)
        if hotkey_id is None:
            return
        del self._by_id[hotkey_id]
        if not self._closed:
            self._user32.UnregisterHotKey(None, hotkey_id)  # fails only if already gone

    def close(self) -> None:
        """Unregister every hotkey, stop polling and remove the filter. Idempotent."""
        if self._closed:
            return
        super().close()
        self._closed = True
        self._poll.stop()
        self._held.clear()
        if self._app is not None:
            self._app.removeNativeEventFilter(self.filter)

    def _on_hotkey(self, hotkey_id: int) -> bool:
        combo = self._by_id.get(hotkey_id)
        if combo is None or self._closed:
            return False
        if combo in self._held:
            # MOD_NOREPEAT: a second WM_HOTKEY means the key went up and down again between
            # two polls, so that release happened first.
            del self._held[combo]
            self._emit_released(combo)
        self._held[combo] = VK_CODES[combo.key]
        if not self._poll.isActive():
            self._poll.start()
        self._emit_pressed(combo)
        return True

    def _check_releases(self) -> None:
        for combo, vk in list(self._held.items()):
            if not self._user32.GetAsyncKeyState(vk) & KEY_DOWN_BIT:
                del self._held[combo]
                self._emit_released(combo)
        if not self._held:
            self._poll.stop()
