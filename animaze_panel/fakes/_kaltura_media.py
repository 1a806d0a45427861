"""Generated media of the fake Kaltura WHEP endpoint: a test-pattern video and a tone.

The video (``yuv420p``, any even size >= 272x96, default 1280x720 at 30 fps) shows a gradient,
a bar moving one step per frame, the frame number in large seven-segment digits for people, and
the same number as a strip of 16 black/white blocks along the top edge for programs
(:func:`read_frame_number` decodes it from a received frame, robust to H.264 compression).
While the avatar "speaks" (:class:`SpeechQueue`) a mouth opens and closes at the bottom and a
17th block of the strip is white (:func:`read_speaking`).
The audio is a sine at 48 kHz mono in 20 ms frames (what Opus carries): a quiet 440 Hz while
idle, a louder 660 Hz while speaking, so the switch can be matched against the video's.

Both tracks pace themselves on the loop clock, like aiortc's own ``VideoStreamTrack``.
"""

from __future__ import annotations

import asyncio
import math
import time
from array import array
from collections.abc import Callable
from fractions import Fraction

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

VIDEO_CLOCK = 90_000
AUDIO_RATE = 48_000
AUDIO_SAMPLES = 960  # 20 ms
BITS = 16
"""Frame-number bits in the top strip (wraps after 65536 frames, ~36 min at 30 fps)."""
IDLE_HZ, SPEAKING_HZ = 440, 660
SECONDS_PER_CHAR = 0.06
"""Speaking time per character of said text (about 15 characters a second)."""

# Seven-segment layout: segment -> (x0, y0, x1, y1) in a 4 x 7 cell grid.
_SEGMENTS = {
    "a": (0, 0, 4, 1), "b": (3, 0, 4, 4), "c": (3, 3, 4, 7), "d": (0, 6, 4, 7),
    "e": (0, 3, 1, 7), "f": (0, 0, 1, 4), "g": (0, 3, 4, 4),
}
_DIGITS = ["abcdef", "bc", "abged", "abgcd", "fgbc", "afgcd", "afgedc", "abc", "abcdefg", "abcdfg"]


def _strip_geometry(width: int) -> tuple[int, int]:
    """Block size and strip height of the number strip (blocks are >= 16 px to survive H.264)."""
    block = max(16, (width // (BITS + 1)) // 16 * 16)
    return block, block


class SpeechQueue:
    """When the fake avatar speaks: said texts queue up, interrupt clears the queue.

    Rules: say-text lines queue behind the one playing (SDK ``say``: "calling say() again
    before the previous turn finishes queues it"); interrupt "stops current speech immediately,
    clears the speech queue" and the avatar "returns to idle" (interrupt endpoint page).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """Use ``clock`` (the tracks' pacing clock) for speaking times."""
        self.clock = clock
        self.spoken: list[str] = []
        self.interrupts = 0
        self._until = 0.0

    def say(self, text: str) -> float:
        """Queue ``text``; return the clock time its speech ends."""
        now = self.clock()
        self._until = max(now, self._until) + max(0.5, len(text) * SECONDS_PER_CHAR)
        self.spoken.append(text)
        return self._until

    def interrupt(self) -> None:
        """Stop speaking now and drop what was queued."""
        self.interrupts += 1
        self._until = self.clock()

    def speaking(self) -> bool:
        """Whether the avatar is speaking now."""
        return self.clock() < self._until


class TestPatternTrack(MediaStreamTrack):
    """A video track of generated frames with a visible and a machine-readable frame number."""

    kind = "video"
    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        width: int = 1280,
        height: int = 720,
        fps: float = 30.0,
        speech: SpeechQueue | None = None,
    ) -> None:
        """Prepare the pattern.

        Args:
            width: Frame width in pixels (even, >= 272 so the strip fits).
            height: Frame height in pixels (even, >= 96).
            fps: Frames per second.
            speech: When the avatar speaks (never, when ``None``).
        """
        super().__init__()
        if width % 2 or height % 2 or width < 16 * (BITS + 1) or height < 96:
            raise ValueError("the test pattern needs an even size of at least 272x96")
        self.width, self.height, self.fps = width, height, fps
        self.speech = speech or SpeechQueue()
        self.frames_sent = 0
        self._start: float | None = None
        row = bytes(40 + (160 * x) // width for x in range(width))
        self._base_y = row * height
        self._u = bytes([128]) * ((width // 2) * (height // 2))
        self._v = bytes([150]) * ((width // 2) * (height // 2))

    async def recv(self) -> av.VideoFrame:
        """Return the next frame at its time (raises ``MediaStreamError`` once stopped)."""
        if self.readyState != "live":
            raise MediaStreamError
        index = self.frames_sent
        if self._start is None:
            self._start = time.monotonic()
        wait = self._start + index / self.fps - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        frame = self.frame(index, self.speech.speaking())
        frame.pts = int(index * VIDEO_CLOCK / self.fps)
        frame.time_base = Fraction(1, VIDEO_CLOCK)
        self.frames_sent += 1
        return frame

    def frame(self, index: int, speaking: bool = False) -> av.VideoFrame:
        """Draw frame number ``index``, with an open mouth when ``speaking``."""
        w, h = self.width, self.height
        y = bytearray(self._base_y)
        block, strip = _strip_geometry(w)
        bar_x = (index * 8) % max(1, w - 16)
        _fill(y, w, bar_x, strip, bar_x + 16, h, 235)
        number = index % (1 << BITS)
        for bit in range(BITS):
            value = 235 if number >> (BITS - 1 - bit) & 1 else 16
            _fill(y, w, bit * block, 0, (bit + 1) * block, strip, value)
        _fill(y, w, BITS * block, 0, (BITS + 1) * block, strip, 235 if speaking else 16)
        digit_h = max(14, h // 6) // 7 * 7
        cell = digit_h // 7
        text = f"{number:05d}"
        x0 = max(0, (w - len(text) * 5 * cell) // 2)
        y0 = max(strip + cell, (h - digit_h) // 2)
        x1 = min(w, x0 + len(text) * 5 * cell)
        _fill(y, w, x0 - cell, y0 - cell, x1, y0 + digit_h + cell, 16)
        for pos, char in enumerate(text):
            left = x0 + pos * 5 * cell
            for seg in _DIGITS[int(char)]:
                sx0, sy0, sx1, sy1 = _SEGMENTS[seg]
                _fill(y, w, left + sx0 * cell, y0 + sy0 * cell, left + sx1 * cell,
                      y0 + sy1 * cell, 235)
        mouth_w, mouth_y = w // 4, y0 + digit_h + 3 * cell
        opening = cell * (1 + index % 6) if speaking else max(2, cell // 3)
        _fill(y, w, (w - mouth_w) // 2, mouth_y, (w + mouth_w) // 2,
              min(h - 2, mouth_y + opening), 235 if speaking else 90)
        frame = av.VideoFrame(w, h, "yuv420p")
        for plane, data, pw in zip(frame.planes, (bytes(y), self._u, self._v), (w, w // 2, w // 2),
                                   strict=True):
            plane.update(_strided(data, pw, plane.line_size, plane.height))
        return frame


def _fill(buf: bytearray, stride: int, x0: int, y0: int, x1: int, y1: int, value: int) -> None:
    x0, x1 = max(0, x0), min(stride, x1)
    if x1 <= x0:
        return
    run = bytes([value]) * (x1 - x0)
    rows = len(buf) // stride
    for row in range(max(0, y0), min(rows, y1)):
        start = row * stride + x0
        buf[start:start + len(run)] = run


def _strided(data: bytes, width: int, line_size: int, rows: int) -> bytes:
    if line_size == width:
        return data
    pad = bytes(line_size - width)
    return b"".join(data[r * width:(r + 1) * width] + pad for r in range(rows))


def read_frame_number(frame: av.VideoFrame) -> int:
    """Decode the frame number from the top strip of a (received, decoded) test-pattern frame.

    Args:
        frame: A frame of :class:`TestPatternTrack`, any pixel format PyAV can convert to gray.

    Returns:
        The frame number (modulo 65536).
    """
    gray = frame.reformat(format="gray")
    plane = gray.planes[0]
    data = bytes(plane)
    block, strip = _strip_geometry(frame.width)
    row = strip // 2
    number = 0
    for bit in range(BITS):
        x = bit * block + block // 2
        number = number << 1 | (1 if data[row * plane.line_size + x] > 128 else 0)
    return number


def read_speaking(frame: av.VideoFrame) -> bool:
    """Whether a received test-pattern frame shows the avatar speaking (the 17th block)."""
    gray = frame.reformat(format="gray")
    plane = gray.planes[0]
    block, strip = _strip_geometry(frame.width)
    x = BITS * block + block // 2
    return bytes(plane)[(strip // 2) * plane.line_size + x] > 128


class ToneTrack(MediaStreamTrack):
    """An audio track: 48 kHz mono s16 in 20 ms frames, 440 Hz idle, 660 Hz speaking."""

    kind = "audio"

    def __init__(self, speech: SpeechQueue | None = None) -> None:
        """Precompute one second of each tone (whole periods, so each loops seamlessly)."""
        super().__init__()
        self.speech = speech or SpeechQueue()
        self.frames_sent = 0
        self._start: float | None = None
        self._idle = _tone(IDLE_HZ, 0.1)
        self._speaking = _tone(SPEAKING_HZ, 0.3)

    async def recv(self) -> av.AudioFrame:
        """Return the next 20 ms frame at its time."""
        if self.readyState != "live":
            raise MediaStreamError
        index = self.frames_sent
        if self._start is None:
            self._start = time.monotonic()
        wait = self._start + index * AUDIO_SAMPLES / AUDIO_RATE - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        second = self._speaking if self.speech.speaking() else self._idle
        offset = (index * AUDIO_SAMPLES) % AUDIO_RATE * 2
        frame = av.AudioFrame(format="s16", layout="mono", samples=AUDIO_SAMPLES)
        frame.planes[0].update(second[offset:offset + AUDIO_SAMPLES * 2])
        frame.sample_rate = AUDIO_RATE
        frame.pts = index * AUDIO_SAMPLES
        frame.time_base = Fraction(1, AUDIO_RATE)
        self.frames_sent += 1
        return frame


def _tone(hz: int, amplitude: float) -> bytes:
    peak = int(32767 * amplitude)
    samples = array(
        "h", (int(peak * math.sin(2 * math.pi * hz * i / AUDIO_RATE)) for i in range(AUDIO_RATE))
    )
    return samples.tobytes()
