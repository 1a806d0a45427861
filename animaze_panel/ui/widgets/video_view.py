"""VideoView: paints a :class:`~.video_surface.VideoSurface`'s newest image, aspect kept.

The view does no conversion: it tells the surface how big it is (the surface converts at that
size on its worker thread) and, when told a new image is ready, schedules one repaint. Between
repaints any number of frames may arrive; only the newest is painted. Bars around the picture
are black, as in any video player; without a picture the view shows its placeholder text.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from .video_surface import VideoSurface, fit_size

BAR_COLOUR = QColor("#000000")
"""Letterbox bars: black by convention (OBS captures them as part of the picture)."""


class VideoView(QWidget):
    """A widget showing a video surface's newest frame, scaled to fit, aspect ratio kept."""

    def __init__(
        self,
        surface: VideoSurface,
        parent: QWidget | None = None,
        *,
        placeholder: str = "No video",
    ) -> None:
        """Show ``surface``.

        Args:
            surface: Where the images come from (shared by several views).
            parent: Qt parent.
            placeholder: Shown while there is no picture.
        """
        super().__init__(parent)
        self.surface = surface
        self._placeholder = placeholder
        self.frames_painted = 0
        """Paints that showed a new image (not counting repaints of the same one)."""
        self._last_painted: int | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we fill every pixel
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        surface.frameReady.connect(self.update)

    def placeholder(self) -> str:
        """The text shown without a picture."""
        return self._placeholder

    def set_placeholder(self, text: str) -> None:
        """Change the text shown without a picture (e.g. "Connecting...")."""
        self._placeholder = text
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(640, 360)

    def detach(self) -> None:
        """Stop asking the surface for frames at this view's size (before the view goes)."""
        self.surface.set_target(id(self), None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        ratio = self.devicePixelRatioF()
        size = event.size()
        self.surface.set_target(
            id(self), QSize(round(size.width() * ratio), round(size.height() * ratio))
        )

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        self.detach()  # a hidden view needs no pixels; the visible ones get their size
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        ratio = self.devicePixelRatioF()
        self.surface.set_target(
            id(self), QSize(round(self.width() * ratio), round(self.height() * ratio))
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        try:
            image = self.surface.image()
            area = self.rect()
            if image is None or image.isNull():
                painter.fillRect(area, BAR_COLOUR)
                painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self._placeholder)
                self._last_painted = None
                return
            ratio = self.devicePixelRatioF()
            logical = QSize(round(image.width() / ratio), round(image.height() / ratio))
            shown = fit_size(logical, area.size()) if logical != area.size() else logical
            target = QRect(0, 0, shown.width(), shown.height())
            target.moveCenter(area.center())
            _fill_bars(painter, area, target)
            if shown.width() * ratio != image.width():
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
            key = image.cacheKey()
            if key != self._last_painted:
                self._last_painted = key
                self.frames_painted += 1
        finally:
            painter.end()


def _fill_bars(painter: QPainter, area: QRect, picture: QRect) -> None:
    # Only the bars: filling the whole area first would paint the picture's pixels twice.
    if picture.top() > area.top():
        painter.fillRect(QRect(area.left(), area.top(), area.width(),
                               picture.top() - area.top()), BAR_COLOUR)
    if picture.bottom() < area.bottom():
        painter.fillRect(QRect(area.left(), picture.bottom() + 1, area.width(),
                               area.bottom() - picture.bottom()), BAR_COLOUR)
    if picture.left() > area.left():
        painter.fillRect(QRect(area.left(), picture.top(), picture.left() - area.left(),
                               picture.height()), BAR_COLOUR)
    if picture.right() < area.right():
        painter.fillRect(QRect(picture.right() + 1, picture.top(),
                               area.right() - picture.right(), picture.height()), BAR_COLOUR)
