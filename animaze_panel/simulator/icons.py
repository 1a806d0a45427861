"""Generated PNG icons for the simulator: avatar portraits, scenes, emotes, props, quickscenes.

Real Animaze sends gallery icons of a few tens of KB; these are 256x256 truecolour PNGs of
20-80 KB, drawn without numpy. The picture is first drawn as one byte per pixel (a "shade
index" into a 256-entry palette of four 64-step gradients: background, main shape, secondary
shape, accents), whole spans at a time via slice assignment. A little grain is XORed into the
low two index bits with one big-integer operation (it keeps the PNG from compressing to a
few hundred bytes, which no real icon does), and ``bytes.translate`` maps the indices to the
R, G and B planes, interleaved with extended-slice assignment. An icon takes ~10 ms.

Icons are deterministic per name and cached (:func:`icon_base64`).
"""

from __future__ import annotations

import base64
import colorsys
import functools
import hashlib
import random
import struct
import zlib
from collections.abc import Callable
from enum import Enum

SIZE = 256
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PAD_CHUNK = b"siMp"  # ancillary, private, safe-to-copy: decoders skip it

Fill = int | bytes | Callable[[int], int]
"""A constant shade index, a row of shade indices (sliced), or a function of y."""


class IconKind(Enum):
    """What an icon depicts."""

    AVATAR = "avatar"
    SCENE = "scene"
    EMOTE = "emote"
    PROP = "prop"
    QUICKSCENE = "quickscene"


# Regions of the shade palette (64 entries each).
BG, MAIN, SECOND, ACCENT = 0, 64, 128, 192
WHITE, ACCENT_MID, DARK = ACCENT, ACCENT + 31, ACCENT + 60


class Canvas:
    """A width x height image of shade indices with span-filling primitives."""

    def __init__(self, width: int, height: int, background: Fill) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(width * height)
        for y in range(height):
            self.span(y, 0, width, background)

    def span(self, y: int, x0: int, x1: int, fill: Fill) -> None:
        """Fill row ``y`` from ``x0`` (inclusive) to ``x1`` (exclusive), clipped."""
        if not 0 <= y < self.height:
            return
        x0, x1 = max(0, x0), min(self.width, x1)
        if x1 <= x0:
            return
        start = y * self.width
        if isinstance(fill, bytes):
            self.pixels[start + x0 : start + x1] = fill[x0:x1]
            return
        shade = fill(y) if callable(fill) else fill
        self.pixels[start + x0 : start + x1] = bytes((shade,)) * (x1 - x0)

    def ellipse(self, cx: int, cy: int, rx: int, ry: int, fill: Fill) -> None:
        """Fill an axis-aligned ellipse."""
        for y in range(cy - ry, cy + ry + 1):
            t = 1.0 - ((y - cy) / ry) ** 2
            if t >= 0:
                half = int(rx * t**0.5)
                self.span(y, cx - half, cx + half + 1, fill)

    def circle(self, cx: int, cy: int, r: int, fill: Fill) -> None:
        """Fill a circle."""
        self.ellipse(cx, cy, r, r, fill)

    def triangle(self, apex_x: int, apex_y: int, base_y: int, half_base: int, fill: Fill) -> None:
        """Fill an isosceles triangle pointing up (apex above base) or down."""
        step = 1 if base_y >= apex_y else -1
        rows = abs(base_y - apex_y) or 1
        for i, y in enumerate(range(apex_y, base_y + step, step)):
            half = half_base * i // rows
            self.span(y, apex_x - half, apex_x + half + 1, fill)


def shade_row(region: int, light_x: int, falloff: int, width: int = SIZE) -> bytes:
    """A row of shades of ``region``, brightest at ``light_x``, darker by distance."""
    return bytes(region + min(63, abs(x - light_x) * 63 // falloff) for x in range(width))


def vertical(region: int, height: int = SIZE) -> Callable[[int], int]:
    """A fill whose shade runs through ``region`` from the top to the bottom."""
    return lambda y: region + min(63, max(0, y) * 64 // height)


def _palette(seed: bytes) -> list[tuple[int, int, int]]:
    rng = random.Random(seed)
    hue = rng.random()

    def hsv(h: float, s: float, v: float) -> tuple[float, float, float]:
        return colorsys.hsv_to_rgb(h % 1.0, s, v)

    ends = [
        (hsv(hue + 0.5, 0.35, 0.95), hsv(hue + 0.55, 0.6, 0.45)),  # background
        (hsv(hue, 0.55, 1.0), hsv(hue, 0.75, 0.45)),  # main shape
        (hsv(hue + 0.15, 0.6, 0.8), hsv(hue + 0.15, 0.8, 0.25)),  # secondary shape
    ]
    accent = hsv(hue + rng.choice((0.3, 0.6, 0.9)), 0.8, 0.9)
    colours: list[tuple[int, int, int]] = []
    for top, bottom in ends:
        colours += [_lerp(top, bottom, i / 63) for i in range(64)]
    colours += [_lerp((1.0, 1.0, 0.97), accent, i / 31) for i in range(32)]
    colours += [_lerp(accent, (0.05, 0.04, 0.06), i / 31) for i in range(32)]
    return colours


def _lerp(
    a: tuple[float, float, float], b: tuple[float, float, float], t: float
) -> tuple[int, int, int]:
    r, g, bl = (int(255 * (x + (y - x) * t)) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def _portrait(c: Canvas, rng: random.Random, cx: int, cy: int, r: int) -> None:
    """Head with ears or hair, eyes and a mouth, centred on (cx, cy)."""
    face = shade_row(MAIN, cx - r // 3, r * 2, c.width)
    style = rng.randrange(3)
    if style == 0:  # pointed ears
        for side in (-1, 1):
            c.triangle(cx + side * r * 2 // 3, cy - r - r // 3, cy - r // 3, r // 3, SECOND + 20)
    elif style == 1:  # round ears
        for side in (-1, 1):
            c.circle(cx + side * r * 4 // 5, cy - r * 4 // 5, r // 3, SECOND + 12)
    c.circle(cx, cy, r, face)
    if style == 2:  # hair cap
        c.ellipse(cx, cy - r * 2 // 3, r, r // 2, shade_row(SECOND, cx, r * 2, c.width))
    eye_dx, eye_y, eye_r = r * 2 // 5, cy - r // 8, max(2, r // 5)
    for side in (-1, 1):
        c.circle(cx + side * eye_dx, eye_y, eye_r, WHITE)
        c.circle(cx + side * eye_dx + rng.randint(-1, 1), eye_y + 1, max(1, eye_r // 2), DARK)
    mouth_y, mouth_w = cy + r // 2, r // 3
    for i in range(max(2, r // 12)):
        c.span(mouth_y + i, cx - mouth_w + i * 2, cx + mouth_w - i * 2, ACCENT_MID)


def _draw_avatar(c: Canvas, rng: random.Random) -> None:
    c.ellipse(c.width // 2, c.height + 30, c.width * 2 // 5, c.height // 3,
              shade_row(SECOND, c.width // 3, c.width))  # fmt: skip
    _portrait(c, rng, c.width // 2, c.height * 7 // 16, c.width * 9 // 32)


def _draw_scene(c: Canvas, rng: random.Random) -> None:
    horizon = c.height * 5 // 8
    c.circle(rng.randrange(40, c.width - 40), rng.randrange(30, horizon // 2), 26, WHITE + 4)
    for _ in range(rng.randint(2, 4)):
        peak = rng.randrange(20, c.width - 20)
        top = rng.randrange(horizon // 3, horizon - 30)
        c.triangle(peak, top, horizon, rng.randrange(60, 140), vertical(MAIN, c.height))
    for y in range(horizon, c.height):
        c.span(y, 0, c.width, SECOND + min(63, (y - horizon) * 96 // c.height))


def _draw_emote(c: Canvas, rng: random.Random) -> None:
    cx, cy, r = c.width // 2, c.height // 2, c.width * 3 // 8
    c.circle(cx, cy, r, shade_row(MAIN, cx - r // 3, r * 2, c.width))
    for side in (-1, 1):
        c.ellipse(cx + side * r // 3, cy - r // 4, r // 8, r // 5, DARK)
    mood = rng.randrange(3)
    for i in range(8):
        bend = i * i // 3 if mood == 0 else (8 - i) * (8 - i) // 3 if mood == 1 else 4
        c.span(cy + r // 2 - bend, cx - r // 2 + i * 4, cx + r // 2 - i * 4, ACCENT_MID + 10)


def _draw_prop(c: Canvas, rng: random.Random) -> None:
    cx, cy = c.width // 2, c.height // 2
    c.triangle(cx, cy - 90, cy, 80, vertical(MAIN, c.height))
    c.triangle(cx, cy + 90, cy, 80, vertical(SECOND, c.height))
    c.circle(cx - 25, cy - 30, 12 + rng.randrange(8), WHITE)


def _draw_quickscene(c: Canvas, rng: random.Random) -> None:
    _draw_scene(c, rng)
    _portrait(c, rng, c.width // 2, c.height * 9 // 16, c.width // 6)


_DRAW: dict[IconKind, Callable[[Canvas, random.Random], None]] = {
    IconKind.AVATAR: _draw_avatar,
    IconKind.SCENE: _draw_scene,
    IconKind.EMOTE: _draw_emote,
    IconKind.PROP: _draw_prop,
    IconKind.QUICKSCENE: _draw_quickscene,
}


@functools.cache
def _grain(count: int) -> int:
    # Two low bits of noise per pixel, as one big integer: XOR with it is a single C loop.
    noise = random.Random(0x5EED).randbytes(count)
    return int.from_bytes(noise.translate(bytes(b & 3 for b in range(256))), "big")


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_png(width: int, height: int, rgb: bytes, pad_to: int | None = None) -> bytes:
    """Encode 8-bit RGB pixels (row-major) as a PNG.

    Args:
        width: Pixels per row.
        height: Number of rows.
        rgb: ``width * height * 3`` bytes.
        pad_to: If the PNG is smaller than this many bytes, add a private ancillary chunk of
            random filler (decoders skip it) to reach it; benchmarks use it to set payload size.

    Returns:
        The PNG file's bytes.
    """
    stride = width * 3
    rows = b"".join(b"\x00" + rgb[y * stride : (y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 6))
    end = _chunk(b"IEND", b"")
    missing = (pad_to or 0) - len(body) - len(end) - 12
    if missing > 0:
        body += _chunk(_PAD_CHUNK, random.Random(missing).randbytes(missing))
    return body + end


@functools.lru_cache(maxsize=2048)
def render_icon(
    kind: IconKind, name: str, width: int = SIZE, height: int = SIZE, pad_to: int | None = None
) -> bytes:
    """Draw the icon of item ``name`` and return it as PNG bytes (cached).

    Args:
        kind: What to draw.
        name: The item name; it seeds colours and shapes, so every item looks different.
        width: Image width in pixels.
        height: Image height in pixels.
        pad_to: Minimum PNG size in bytes (see :func:`encode_png`).
    """
    seed = hashlib.sha256(f"{kind.value}:{name}".encode()).digest()
    rng = random.Random(seed)
    canvas = Canvas(width, height, vertical(BG, height))
    _DRAW[kind](canvas, rng)
    count = width * height
    shades = (int.from_bytes(canvas.pixels, "big") ^ _grain(count)).to_bytes(count, "big")
    rgb = bytearray(count * 3)
    palette = _palette(seed)
    for channel in range(3):
        rgb[channel::3] = shades.translate(bytes(colour[channel] for colour in palette))
    return encode_png(width, height, bytes(rgb), pad_to)


@functools.lru_cache(maxsize=2048)
def icon_base64(
    kind: IconKind, name: str, width: int = SIZE, height: int = SIZE, pad_to: int | None = None
) -> str:
    """Return :func:`render_icon` base64-encoded, as Animaze sends images (cached)."""
    return base64.b64encode(render_icon(kind, name, width, height, pad_to)).decode("ascii")
