"""Static data of the fake Kinetix server: route names, steps, fake emote files, QR PNGs.

Pure helpers without I/O, kept apart so :mod:`.kinetix_server` stays about the HTTP behaviour.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib

import qrcode

ROUTES = (
    "plans",
    "token",
    "token_status",
    "dev_token",
    "create_process",
    "process",
    "validate",
    "retake",
    "user_processes",
    "emote",
    "file",
)
"""Route names accepted by ``FakeKinetixServer.fail``."""

STEPS = (
    "initialized",
    "transcode_done",
    "waiting_scheduler",
    "requesting_ml",
    "waiting_runner",
    "ml_running",
    "ml_done",
    "render_done",
    "done",
)
"""The happy path of a process, one step per ``step_seconds``."""

_TIME_RE = re.compile(r"^(\d{2}):([0-5]\d):([0-5]\d)\.(\d{3})$")
_GIF_1PX = bytes.fromhex(
    "47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b"
)


def valid_time(text: str) -> int | None:
    """Return ``HH:mm:ss.SSS`` as milliseconds, or ``None`` when malformed."""
    match = _TIME_RE.match(text)
    if match is None:
        return None
    h, m, s, ms = (int(x) for x in match.groups())
    return ((h * 60 + m) * 60 + s) * 1000 + ms


def png_gray(rows: list[list[bool]], scale: int = 4) -> bytes:
    """Encode a black/white matrix (True = black) as an 8-bit grayscale PNG."""
    width = len(rows[0]) * scale
    raw = bytearray()
    for row in rows:
        line = b"\x00" + b"".join((b"\x00" if dark else b"\xff") * scale for dark in row)
        raw += line * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, len(rows) * scale, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw)))
        + chunk(b"IEND", b"")
    )


def png_qr(text: str) -> bytes:
    """Return a PNG QR code encoding ``text`` (what the real dev-token route serves)."""
    code = qrcode.QRCode(border=2)
    code.add_data(text)
    code.make(fit=True)
    return png_gray(code.get_matrix())


@functools.lru_cache(maxsize=64)
def emote_files(emote: str) -> dict[tuple[str, str], bytes]:
    """Return the fake files of an emote: ``{(name, extension): content}``."""
    checker = [[(x + y) % 2 == 0 for x in range(8)] for y in range(8)]
    blob = f"fake Kinetix animation of emote {emote}\n".encode()
    return {
        ("thumbnail", "png"): png_gray(checker, scale=8),
        ("thumbnail", "gif"): _GIF_1PX,
        ("animation", "fbx"): b"Kaydara FBX Binary  \x00" + blob * 64,
        ("animation", "glb"): b"glTF" + blob * 64,
        ("animation", "kinanim"): b"KINANIM" + blob * 64,
    }
