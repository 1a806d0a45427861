"""IconCache: gallery icons fetched lazily with GetItemIcon, decoded off the GUI thread.

Three levels, fastest first:

1. memory: an LRU of ready ``QPixmap`` thumbnails (:data:`MEMORY_ITEMS` of them);
2. disk: PNG thumbnails in the platformdirs cache folder (``.../animaze-panel/icons``), so a
   restart shows icons without asking Animaze again (entries older than :data:`MAX_AGE_S` are
   fetched again, in case the item changed);
3. Animaze: ``GetItemIcon`` through the session.

Only what the gallery asks for is fetched (it asks for the items on screen), newest request
first, at most :data:`CONCURRENCY` at a time. Base64 decoding, PNG decoding, scaling and the disk
write run in a small thread pool (``QImage`` is safe off the GUI thread); only the final
``QPixmap.fromImage`` of a small thumbnail happens on the GUI thread, so hundreds of 64 KB icons
never stall the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import logging
import os
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from platformdirs import user_cache_dir
from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap

from ...animaze.requests import GetItemIcon
from ..session import AnimazeSession

log = logging.getLogger(__name__)

THUMB_SIZE = 112
MEMORY_ITEMS = 400
CONCURRENCY = 4
MAX_AGE_S = 7 * 24 * 3600
MAX_PENDING = 256
"""Requests beyond this many are dropped oldest first (scrolled past long ago)."""


def default_cache_dir() -> Path:
    """Where icon thumbnails are kept between runs."""
    return Path(user_cache_dir("animaze-panel", appauthor=False)) / "icons"


def _file_for(directory: Path, name: str) -> Path:
    digest = hashlib.sha1(name.casefold().encode("utf-8"), usedforsecurity=False).hexdigest()
    return directory / f"{digest}.png"


def _scaled(image: QImage, size: int) -> QImage:
    if image.width() > size or image.height() > size:
        image = image.scaled(
            size, size, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def yield_gil() -> None:
    """Let a thread waiting for the GIL take it now (call after each decode on a worker).

    ``QImage`` calls drop and retake the GIL around their C++ work; a worker decoding icon after
    icon retakes it before a waiting thread wakes up, so the GUI thread and the hotkey lane
    could wait for whole seconds while a gallery loads (``bench/decode_gil.py``: p99 heartbeat
    gap ~1 s without this, ~1 ms with it). ``time.sleep(0)`` releases the GIL and yields the
    CPU, which hands the GIL over.
    """
    time.sleep(0)


def load_thumbnail(path: Path, max_age: float = MAX_AGE_S) -> QImage | None:
    """Read a cached thumbnail (worker thread); ``None`` when missing, stale or unreadable."""
    try:
        return _load_thumbnail(path, max_age)
    finally:
        yield_gil()


def _load_thumbnail(path: Path, max_age: float) -> QImage | None:
    try:
        if time.time() - path.stat().st_mtime > max_age:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    image = QImage()
    if not image.loadFromData(QByteArray(data)) or image.isNull():
        return None
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def decode_icon(encoded: str, size: int, save_to: Path | None) -> QImage | None:
    """Decode a base64 image into a thumbnail and store it on disk (worker thread).

    Args:
        encoded: Base64 image as sent by GetItemIcon / GetQuickscenes.
        size: Longest side of the thumbnail in pixels.
        save_to: PNG file to write the thumbnail to, or ``None``.

    Returns:
        The thumbnail, or ``None`` when the data is not an image.
    """
    try:
        return _decode_icon(encoded, size, save_to)
    finally:
        yield_gil()


def _decode_icon(encoded: str, size: int, save_to: Path | None) -> QImage | None:
    try:
        raw = base64.b64decode(encoded, validate=False)
    except (binascii.Error, ValueError):
        return None
    image = QImage()
    if not raw or not image.loadFromData(QByteArray(raw)) or image.isNull():
        return None
    image = _scaled(image, size)
    if save_to is not None:
        try:
            save_to.parent.mkdir(parents=True, exist_ok=True)
            # The format follows the .png suffix; a temp name + replace keeps writes atomic.
            tmp = save_to.with_name(f"{save_to.stem}.{os.getpid()}.tmp.png")
            if image.save(str(tmp)):
                os.replace(tmp, save_to)  # atomic: a crash never leaves half a file
        except OSError as exc:
            log.debug("Could not cache icon %s: %s", save_to.name, exc)
    return image


class IconCache(QObject):
    """Thumbnails of Animaze items by name; emits :attr:`iconReady` when one arrives."""

    iconReady = Signal(str)

    def __init__(
        self,
        session: AnimazeSession,
        cache_dir: Path | None = None,
        *,
        size: int = THUMB_SIZE,
        memory_items: int = MEMORY_ITEMS,
        concurrency: int = CONCURRENCY,
        parent: QObject | None = None,
    ) -> None:
        """Create the cache.

        Args:
            session: Used for GetItemIcon.
            cache_dir: Disk cache folder (``None``: :func:`default_cache_dir`).
            size: Longest side of thumbnails in pixels.
            memory_items: Pixmaps kept in memory.
            concurrency: GetItemIcon requests in flight at once.
            parent: Qt parent.
        """
        super().__init__(parent)
        self._session = session
        self.cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
        self.size = size
        self._memory: OrderedDict[str, tuple[QPixmap, QIcon]] = OrderedDict()
        self._memory_items = memory_items
        self._concurrency = concurrency
        self._wanted: OrderedDict[str, None] = OrderedDict()
        self._in_flight: set[str] = set()
        self._failed: set[str] = set()
        self._workers: set[asyncio.Task[None]] = set()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="icon-decode")
        self._closed = False
        self.fetched = 0
        """Icons that came from Animaze (not disk) - for tests and benchmarks."""
        session.connectedChanged.connect(self._on_connected)

    def pixmap(self, name: str) -> QPixmap | None:
        """The thumbnail if it is in memory (never fetches)."""
        entry = self._memory.get(name)
        if entry is None:
            return None
        self._memory.move_to_end(name)
        return entry[0]

    def icon(self, name: str) -> QIcon | None:
        """The thumbnail as an icon (views scale icons to their icon size; pixmaps they do not)."""
        entry = self._memory.get(name)
        if entry is None:
            return None
        self._memory.move_to_end(name)
        return entry[1]

    def request(self, name: str) -> None:
        """Ask for ``name``'s icon; :attr:`iconReady` fires once it is in memory."""
        if self._closed or name in self._memory or name in self._in_flight:
            return
        if name in self._failed:
            return
        self._wanted[name] = None
        self._wanted.move_to_end(name)  # newest first: what is on screen now
        while len(self._wanted) > MAX_PENDING:
            self._wanted.popitem(last=False)
        self._ensure_workers()

    def cancel_pending(self) -> None:
        """Drop requests not started yet (the gallery's contents changed)."""
        self._wanted.clear()

    def clear(self) -> None:
        """Forget every icon in memory and on disk (View > Refresh icons)."""
        self._memory.clear()
        self._failed.clear()
        self._wanted.clear()
        try:
            for path in self.cache_dir.glob("*.png"):
                path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("Could not clear the icon cache: %s", exc)

    def shutdown(self) -> None:
        """Stop fetching and release the decoder threads."""
        self._closed = True
        self._wanted.clear()
        for task in self._workers:
            task.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ internals

    def _on_connected(self, connected: bool) -> None:
        if connected:
            self._failed.clear()  # maybe a different Animaze: try again
            self._ensure_workers()

    def _ensure_workers(self) -> None:
        while len(self._workers) < min(self._concurrency, len(self._wanted)):
            task = asyncio.ensure_future(self._work())
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)

    async def _work(self) -> None:
        while self._wanted and not self._closed:
            name, _ = self._wanted.popitem(last=True)
            if name in self._memory or name in self._in_flight:
                continue
            self._in_flight.add(name)
            try:
                image = await self._load(name)
            except RuntimeError:  # the pool was shut down under us (closing)
                return
            except Exception:
                log.exception("Could not load the icon of %s", name)
                self._failed.add(name)
                continue
            finally:
                self._in_flight.discard(name)
            if image is not None and not self._closed:
                self._remember(name, QPixmap.fromImage(image))
                self.iconReady.emit(name)

    async def _load(self, name: str) -> QImage | None:
        loop = asyncio.get_running_loop()
        path = _file_for(self.cache_dir, name)
        image = await loop.run_in_executor(self._pool, load_thumbnail, path)
        if image is not None:
            return image
        if not self._session.connected:
            return None  # asked again on the next paint/scroll once connected
        reply = await self._session.call(GetItemIcon(name))
        if reply is None or not reply.image:
            self._failed.add(name)
            return None
        image = await loop.run_in_executor(self._pool, decode_icon, reply.image, self.size, path)
        if image is None:
            log.warning("Animaze sent an icon for %s that is not an image", name)
            self._failed.add(name)
            return None
        self.fetched += 1
        return image

    def _remember(self, name: str, pixmap: QPixmap) -> None:
        self._memory[name] = (pixmap, QIcon(pixmap))
        self._memory.move_to_end(name)
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)
