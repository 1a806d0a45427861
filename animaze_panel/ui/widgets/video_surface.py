"""VideoSurface: decoded video frames in, the newest ready-to-paint QImage out.

A WebRTC receiver hands over frames as fast as they arrive (its queue is unbounded, and the
GUI may be busy), so the surface keeps exactly one pending frame: a newer frame replaces an
unconverted older one, which is counted as dropped. A worker thread converts the pending frame
(``frame.reformat(w, h, "rgb24")`` -> :class:`QImage`) at the size the views need, keeping the
aspect ratio, and stores it in a lock-protected slot. The GUI thread is told by a queued,
argument-free :attr:`VideoSurface.frameReady` signal, at most one outstanding at a time, and
paints whatever image is newest when it gets round to it.

Only argument-free signals cross threads here: PySide6 6.12 crashed after many cross-thread
``Signal(object)`` emissions carrying ``None``/``True``/``False``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import av
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SurfaceStats:
    """Counters since the surface was created (or last :meth:`VideoSurface.reset_stats`).

    Attributes:
        received: Frames pushed in.
        converted: Frames turned into images.
        dropped: Frames replaced by a newer one before they were converted.
        failed: Frames whose conversion raised.
    """

    received: int = 0
    converted: int = 0
    dropped: int = 0
    failed: int = 0


def fit_size(source: QSize, bounds: QSize) -> QSize:
    """The largest size inside ``bounds`` with ``source``'s aspect ratio (even, >= 2x2).

    Args:
        source: The frame's size.
        bounds: The area to fill.
    """
    if source.isEmpty() or bounds.isEmpty():
        return QSize(0, 0)
    scaled = source.scaled(bounds, Qt.AspectRatioMode.KeepAspectRatio)
    # Even sizes: swscale's chroma handling for odd widths costs and buys nothing here.
    return QSize(max(2, scaled.width() & ~1), max(2, scaled.height() & ~1))




class VideoSurface(QObject):
    """The newest frame, converted off the GUI thread, for one or more views."""

    frameReady = Signal()
    """A new image is waiting in :meth:`image` (queued to the GUI thread, no arguments)."""

    def __init__(self, parent: QObject | None = None, *, max_size: QSize | None = None) -> None:
        """Start the converter thread.

        Args:
            parent: Qt parent.
            max_size: Never convert larger than this (default: the frame's own size).
        """
        super().__init__(parent)
        self._lock = threading.Condition()
        self._pending: av.VideoFrame | None = None
        self._image: QImage | None = None
        self._source = QSize(0, 0)
        self._targets: dict[int, QSize] = {}
        self._max = max_size
        self._notify_outstanding = False
        self._closed = False
        self._stats = SurfaceStats()
        self._generation = 0  # bumped by clear(): a conversion in flight is then discarded
        self.last_frame_time = 0.0
        """``time.monotonic()`` of the newest converted frame (0 before the first)."""
        self._thread = threading.Thread(
            target=self._run, name="video-surface", daemon=True
        )
        self._thread.start()

    # ------------------------------------------------------------------ any thread

    def push(self, frame: av.VideoFrame) -> None:
        """Offer a decoded frame; it replaces any frame not yet converted.

        Safe to call from any thread (the receiver's). Cheap: no conversion here.
        """
        with self._lock:
            if self._closed:
                return
            if self._pending is not None:
                self._stats = _bump(self._stats, dropped=1)
            self._stats = _bump(self._stats, received=1)
            self._pending = frame
            self._lock.notify()

    @property
    def stats(self) -> SurfaceStats:
        """A snapshot of the counters."""
        with self._lock:
            return self._stats

    def reset_stats(self) -> None:
        """Zero the counters (benchmarks measure from a known point)."""
        with self._lock:
            self._stats = SurfaceStats()

    # ------------------------------------------------------------------ GUI thread

    def image(self) -> QImage | None:
        """The newest converted image (``None`` before the first or after :meth:`clear`)."""
        with self._lock:
            self._notify_outstanding = False
            return self._image

    @property
    def source_size(self) -> QSize:
        """The size of the newest frame received (the stream's resolution)."""
        with self._lock:
            return QSize(self._source)

    def set_target(self, key: int, size: QSize | None) -> None:
        """Say how big view ``key`` paints (``None``: the view is gone).

        The surface converts at the largest size any view asks for, so the view with the
        biggest area paints 1:1 and smaller ones scale down.
        """
        with self._lock:
            if size is None or size.isEmpty():
                self._targets.pop(key, None)
            else:
                self._targets[key] = QSize(size)

    def clear(self) -> None:
        """Forget the current picture (the stream ended); views show their placeholder."""
        with self._lock:
            self._pending = None
            self._image = None
            self._source = QSize(0, 0)
            self._generation += 1
        self.frameReady.emit()

    def close(self) -> None:
        """Stop the converter thread (idempotent); later pushes are ignored."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._pending = None
            self._lock.notify()
        self._thread.join(timeout=5.0)

    # ------------------------------------------------------------------ worker

    def _bounds(self) -> QSize:
        # Called with the lock held.
        width = max((s.width() for s in self._targets.values()), default=0)
        height = max((s.height() for s in self._targets.values()), default=0)
        bounds = QSize(width, height) if width and height else QSize(self._source)
        if self._max is not None:
            bounds = bounds.boundedTo(self._max)
        return bounds

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                frame = self._pending
                self._pending = None
                self._source = QSize(frame.width, frame.height) if frame is not None else (
                    self._source
                )
                size = fit_size(self._source, self._bounds())
                generation = self._generation
            if frame is None or size.isEmpty():
                continue
            try:
                image = _to_image(frame, size)
            except Exception:
                log.exception("Converting a video frame failed")
                with self._lock:
                    self._stats = _bump(self._stats, failed=1)
                continue
            with self._lock:
                if generation != self._generation or self._closed:
                    continue
                self._image = image
                self.last_frame_time = time.monotonic()
                self._stats = _bump(self._stats, converted=1)
                notify = not self._notify_outstanding
                self._notify_outstanding = True
            if notify:
                self.frameReady.emit()  # queued: the surface lives on the GUI thread


def _to_image(frame: av.VideoFrame, size: QSize) -> QImage:
    rgb = frame.reformat(width=size.width(), height=size.height(), format="rgb24")
    plane = rgb.planes[0]
    line_size = plane.line_size
    data = bytes(plane)
    image = QImage(data, size.width(), size.height(), line_size, QImage.Format.Format_RGB888)
    return image.copy()  # own the pixels: ``data`` goes away with this function


def _bump(stats: SurfaceStats, **delta: int) -> SurfaceStats:
    return SurfaceStats(**{
        name: getattr(stats, name) + delta.get(name, 0)
        for name in ("received", "converted", "dropped", "failed")
    })
