"""decode_test_frame: prove this install can decode H.264 (the Kaltura avatar's video codec).

Kaltura's media server sends only H.264 (its SDK's ``docs/WIRE-PROTOCOL.md`` §6), and Qt
WebEngine has no H.264 decoder, so the panel decodes with PyAV. An installer that lost PyAV's
FFmpeg libraries would show a black page; ``--self-test`` calls this to catch it at release.

:data:`TEST_FRAME` is one 64x64 H.264 (Constrained Baseline) IDR frame made with PyAV's libx264
(ultrafast, zerolatency; x264's info SEI removed): red on the left half, blue on the right.
"""

from __future__ import annotations

import base64

import av

TEST_FRAME = base64.b64decode(
    "AAAAAWdCwAraEJoQAAADABAAAAMDyPEiagAAAAFozg/IAAAAAWWIhDoRigACErHAAEBmOAAIRUnEYoAA"
    "gsxwABDGjgACFTJ1109dddPXXXT14A=="
)
SIZE = 64
LEFT = (200, 40, 40)
RIGHT = (40, 40, 200)
TOLERANCE = 24


class DecoderCheckFailed(Exception):
    """H.264 cannot be decoded here; the message says what was wrong."""


def decode_test_frame() -> tuple[int, int]:
    """Decode :data:`TEST_FRAME` and check its size and colours.

    Returns:
        The decoded frame's ``(width, height)``.

    Raises:
        DecoderCheckFailed: No H.264 decoder, no frame, or the wrong picture.
    """
    try:
        decoder = av.CodecContext.create("h264", "r")
        frames = []
        for packet in decoder.parse(TEST_FRAME) + decoder.parse(b""):
            frames += decoder.decode(packet)
        frames += decoder.decode(None)
    except (av.FFmpegError, ValueError) as exc:
        raise DecoderCheckFailed(f"PyAV cannot decode H.264 ({exc})") from exc
    if len(frames) != 1:
        raise DecoderCheckFailed(f"decoding the test frame gave {len(frames)} frames, not 1")
    frame = frames[0]
    if (frame.width, frame.height) != (SIZE, SIZE):
        raise DecoderCheckFailed(f"the test frame decoded as {frame.width}x{frame.height}")
    rgb = frame.reformat(format="rgb24")
    plane = rgb.planes[0]
    pixels = bytes(plane)
    row = SIZE // 2 * plane.line_size
    for x, expected in ((10, LEFT), (SIZE - 10, RIGHT)):
        got = tuple(pixels[row + 3 * x: row + 3 * x + 3])
        if any(abs(a - b) > TOLERANCE for a, b in zip(got, expected, strict=True)):
            raise DecoderCheckFailed(f"the test frame decoded with wrong colours {got}")
    return frame.width, frame.height
