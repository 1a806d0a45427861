"""The two XKB requests the X11 backend needs, which python-xlib does not define.

Detectable auto-repeat is a per-client XKB flag: with it set, a held key auto-repeats as
repeated ``KeyPress`` events only, instead of ``KeyRelease``+``KeyPress`` pairs that look just
like the user letting go and pressing again. Layouts from the X Keyboard Extension protocol
specification (XKBproto.h, ``xkbUseExtensionReq`` and ``xkbPerClientFlagsReq``); the X server
refuses every XKB request other than ``UseExtension`` from a client that has not sent it.
"""

from __future__ import annotations

from typing import Any

from Xlib.protocol import rq

EXTENSION = "XKEYBOARD"
USE_CORE_KBD = 0x0100
"""``XkbUseCoreKbd``: the device spec for the core keyboard."""
PCF_DETECTABLE_AUTO_REPEAT = 1 << 0
"""``XkbPCF_DetectableAutoRepeatMask``."""


class UseExtension(rq.ReplyRequest):  # type: ignore[misc]
    """``XkbUseExtension`` (minor opcode 0): announce the XKB version the client speaks."""

    _request = rq.Struct(
        rq.Card8("opcode"),
        rq.Opcode(0),
        rq.RequestLength(),
        rq.Card16("wanted_major"),
        rq.Card16("wanted_minor"),
    )
    _reply = rq.Struct(
        rq.ReplyCode(),
        rq.Bool("supported"),
        rq.Card16("sequence_number"),
        rq.ReplyLength(),
        rq.Card16("server_major"),
        rq.Card16("server_minor"),
        rq.Pad(20),
    )


class PerClientFlags(rq.ReplyRequest):  # type: ignore[misc]
    """``XkbPerClientFlags`` (minor opcode 21): set per-client flags, read back what is set."""

    _request = rq.Struct(
        rq.Card8("opcode"),
        rq.Opcode(21),
        rq.RequestLength(),
        rq.Card16("device_spec"),
        rq.Pad(2),
        rq.Card32("change"),
        rq.Card32("value"),
        rq.Card32("ctrls_to_change"),
        rq.Card32("auto_ctrls"),
        rq.Card32("auto_ctrl_values"),
    )
    _reply = rq.Struct(
        rq.ReplyCode(),
        rq.Card8("device_id"),
        rq.Card16("sequence_number"),
        rq.ReplyLength(),
        rq.Card32("supported"),
        rq.Card32("value"),
        rq.Card32("auto_ctrls"),
        rq.Card32("auto_ctrl_values"),
        rq.Pad(8),
    )


def set_detectable_auto_repeat(display: Any) -> bool:
    """Ask the server for detectable auto-repeat on ``display``'s connection.

    Args:
        display: A python-xlib ``Display``.

    Returns:
        Whether the server supports it and it is now on (``False``: no XKB, or refused).
    """
    info = display.query_extension(EXTENSION)
    if info is None or not info.present:
        return False
    low = display.display  # the protocol-level display the request classes write to
    used = UseExtension(display=low, opcode=info.major_opcode, wanted_major=1, wanted_minor=0)
    if not used.supported:
        return False
    reply = PerClientFlags(
        display=low, opcode=info.major_opcode, device_spec=USE_CORE_KBD,
        change=PCF_DETECTABLE_AUTO_REPEAT, value=PCF_DETECTABLE_AUTO_REPEAT,
        ctrls_to_change=0, auto_ctrls=0, auto_ctrl_values=0,
    )
    return bool(reply.supported & reply.value & PCF_DETECTABLE_AUTO_REPEAT)
