"""PcmQueue: a small, bounded, thread-safe FIFO of PCM bytes between a receiver and a sink.

Live audio must not drift behind the video: when more than ``max_bytes`` wait (the GUI was
busy, or the sender's clock runs a little fast), the oldest bytes are dropped down to
``target_bytes``, so the delay the queue adds stays bounded. Drops are whole sample frames
(every channel of one instant), so the stream never goes out of channel alignment.
"""

from __future__ import annotations

import threading


class PcmQueue:
    """Bytes in from any thread, out to the audio sink on its thread."""

    def __init__(self, frame_bytes: int, target_bytes: int, max_bytes: int) -> None:
        """Create an empty queue.

        Args:
            frame_bytes: Bytes per sample frame (channels x bytes per sample).
            target_bytes: Level an overfull queue is cut back to.
            max_bytes: Level above which the oldest bytes are dropped.

        Raises:
            ValueError: Sizes that are not positive or not ordered.
        """
        if frame_bytes <= 0 or not 0 < target_bytes <= max_bytes:
            raise ValueError("need frame_bytes > 0 and 0 < target_bytes <= max_bytes")
        self.frame_bytes = frame_bytes
        self.target_bytes = _align(target_bytes, frame_bytes)
        self.max_bytes = _align(max_bytes, frame_bytes)
        self._data = bytearray()
        self._lock = threading.Lock()
        self.dropped_bytes = 0
        """Bytes thrown away to keep the delay bounded."""
        self.pushed_bytes = 0

    def push(self, data: bytes) -> None:
        """Append ``data`` (whole sample frames), dropping the oldest when over the limit."""
        with self._lock:
            self._data += data
            self.pushed_bytes += len(data)
            if len(self._data) > self.max_bytes:
                cut = _align(len(self._data) - self.target_bytes, self.frame_bytes)
                del self._data[:cut]
                self.dropped_bytes += cut

    def pull(self, limit: int) -> bytes:
        """Take up to ``limit`` bytes (whole sample frames) from the front."""
        with self._lock:
            count = _align(min(limit, len(self._data)), self.frame_bytes)
            out = bytes(self._data[:count])
            del self._data[:count]
            return out

    def drop_to(self, limit: int) -> int:
        """Drop the oldest bytes until at most ``limit`` wait; return how many were dropped."""
        with self._lock:
            excess = len(self._data) - max(0, limit)
            if excess <= 0:
                return 0
            cut = min(len(self._data), -(-excess // self.frame_bytes) * self.frame_bytes)
            del self._data[:cut]
            self.dropped_bytes += cut
            return cut

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def clear(self) -> None:
        """Drop everything waiting (not counted as dropped: the stream stopped)."""
        with self._lock:
            self._data.clear()


def _align(count: int, unit: int) -> int:
    return max(0, count - count % unit)
