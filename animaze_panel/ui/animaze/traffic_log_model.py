"""Traffic log model: every frame in and out, shortened for display, bounded in memory.

Frames arrive from :attr:`AnimazeSession.frameLogged` on the GUI thread, sometimes hundreds a
second (a gallery fetching icons). To keep the loop responsive each frame is reduced once, on
arrival, to a :class:`LoggedFrame` (base64 payloads collapsed to a short preview, long text
capped) and rows are inserted in batches by a 50 ms timer. The model keeps at most
``max_rows`` frames, dropping the oldest in chunks; the full payloads are never stored.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)

from ...animaze.observers import Direction

MAX_ROWS = 5000
MAX_TEXT = 4000
"""Characters of a frame kept after base64 shortening (a 500-name list stays readable)."""
FLUSH_MS = 250
"""Rows are added in batches: each batch repaints the dock, and on the GUI thread that repaint
delays whatever else is waiting (a hotkey press). Four updates a second is plenty to read."""

_BASE64 = re.compile(r'"([A-Za-z0-9+/]{96,}={0,2})"')
_NAME = re.compile(r'"(action|event)"\s*:\s*"([^"\\]{0,80})"')
_Index = QModelIndex | QPersistentModelIndex


def shorten_base64(text: str, keep: int = 16) -> str:
    """Collapse every long base64 string in a JSON text to a preview with its length.

    The result is still valid JSON when the input was (the preview stays a string).

    Args:
        text: A frame as sent or received.
        keep: Leading characters of each payload to keep.
    """

    def repl(match: re.Match[str]) -> str:
        payload = match.group(1)
        return f'"{payload[:keep]}…({len(payload):,} base64 chars)"'

    return _BASE64.sub(repl, text)


def frame_name(text: str) -> str:
    """The frame's ``action`` (or trigger ``event``) for display, ``"?"`` if it has none."""
    match = _NAME.search(text)
    if match is None:
        return "?"
    return match.group(2) if match.group(1) == "action" else f"⚡ {match.group(2)}"


@dataclass(frozen=True, slots=True)
class LoggedFrame:
    """One frame as the log keeps it.

    Attributes:
        at: Wall-clock time of arrival (``time.time()``).
        direction: In or out.
        name: Action or event name.
        size: Length of the original frame in characters.
        text: The frame with base64 shortened and capped at :data:`MAX_TEXT` characters.
    """

    at: float
    direction: Direction
    name: str
    size: int
    text: str

    @classmethod
    def from_text(cls, direction: Direction, text: str, at: float | None = None) -> LoggedFrame:
        """Reduce a raw frame to what the log keeps."""
        short = shorten_base64(text)
        if len(short) > MAX_TEXT:
            short = short[:MAX_TEXT] + "…"
        at = time.time() if at is None else at
        return cls(at, direction, frame_name(short), len(text), short)

    def to_json(self) -> dict[str, Any]:
        """The frame for "copy as JSON" (the frame parsed back when it is still JSON)."""
        try:
            frame: Any = json.loads(self.text)
        except ValueError:
            frame = self.text
        stamp = datetime.fromtimestamp(self.at).isoformat(timespec="milliseconds")
        return {"time": stamp, "direction": self.direction.value, "frame": frame}

    def pretty(self) -> str:
        """The frame indented for the detail view."""
        try:
            return json.dumps(json.loads(self.text), indent=2, ensure_ascii=False)
        except ValueError:
            return self.text


class TrafficLogModel(QAbstractTableModel):
    """Table of :class:`LoggedFrame` (columns: time, direction, action, size, frame)."""

    HEADERS = ("Time", "Dir", "Action / event", "Size", "Frame")
    FrameRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, max_rows: int = MAX_ROWS, parent: QObject | None = None) -> None:
        """Create an empty log holding at most ``max_rows`` frames."""
        super().__init__(parent)
        self.max_rows = max_rows
        self._rows: list[LoggedFrame] = []
        self._pending: list[LoggedFrame] = []
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(FLUSH_MS)
        self._flush.timeout.connect(self.flush)
        self.total = 0

    def append(self, direction: Direction, text: str) -> None:
        """Log a frame (shown at the next batch flush)."""
        self._pending.append(LoggedFrame.from_text(direction, text))
        self.total += 1
        if not self._flush.isActive():
            self._flush.start()

    def flush(self) -> None:
        """Insert pending frames now and trim the oldest beyond ``max_rows``."""
        pending, self._pending = self._pending[-self.max_rows :], []
        if pending:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(pending) - 1)
            self._rows.extend(pending)
            self.endInsertRows()
        # Trim in chunks of a tenth so a steady stream does not remove one row per frame.
        excess = len(self._rows) - self.max_rows
        if excess > 0:
            excess = max(excess, min(len(self._rows), self.max_rows // 10))
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            del self._rows[:excess]
            self.endRemoveRows()

    def clear(self) -> None:
        """Forget every frame."""
        self.beginResetModel()
        self._rows.clear()
        self._pending.clear()
        self.endResetModel()

    def frame(self, row: int) -> LoggedFrame:
        """The frame at ``row``."""
        return self._rows[row]

    def frames(self) -> list[LoggedFrame]:
        """All frames shown (oldest first)."""
        return list(self._rows)

    # ------------------------------------------------------------- Qt model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of frames (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, tooltip and the frame itself under :attr:`FrameRole`."""
        if not index.isValid():
            return None
        frame = self._rows[index.row()]
        column = index.column()
        if role == self.FrameRole:
            return frame
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                stamp = datetime.fromtimestamp(frame.at)
                return stamp.strftime("%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}"
            if column == 1:
                return "→ out" if frame.direction is Direction.OUT else "← in"
            if column == 2:
                return frame.name
            if column == 3:
                return f"{frame.size:,}"
            return frame.text[:300]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return frame.text[:1000]
        return None


class TrafficFilterModel(QSortFilterProxyModel):
    """Filters the log by text (action name or frame contents) and direction."""

    def __init__(self, parent: QObject | None = None) -> None:
        """Create a filter that accepts everything."""
        super().__init__(parent)
        self._needle = ""
        self._direction: Direction | None = None

    def set_text(self, text: str) -> None:
        """Show only frames whose action or text contains ``text`` (case-insensitive)."""
        self._refilter(lambda: setattr(self, "_needle", text.strip().casefold()))

    def set_direction(self, direction: Direction | None) -> None:
        """Show only frames going ``direction`` (``None``: both)."""
        self._refilter(lambda: setattr(self, "_direction", direction))

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 deprecates invalidateRowsFilter() for begin/endFilterChange(); support both.
        begin = getattr(self, "beginFilterChange", None)
        if begin is None:
            change()
            self.invalidateRowsFilter()
            return
        begin()
        change()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Whether the frame matches the text and direction filters."""
        model = self.sourceModel()
        assert isinstance(model, TrafficLogModel)
        frame = model.frame(source_row)
        if self._direction is not None and frame.direction is not self._direction:
            return False
        if not self._needle:
            return True
        return self._needle in frame.name.casefold() or self._needle in frame.text.casefold()
