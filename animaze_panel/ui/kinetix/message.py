"""MessageLabel: a one- or two-line status message in the success or the error colour.

Its height is fixed (``lines`` lines) whether empty or full, so a message that appears, grows or
goes never moves the controls around it (a button must not slide away under the cursor). A
message longer than that is cut at a word with "…"; the whole text is in :attr:`message` and
the tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ..widgets import theme

# The theme's state colours (its connection indicator) on the dark palette, and darker shades
# of them that keep their contrast on the light palette.
SUCCESS_COLOR = getattr(theme, "SUCCESS", "#3ecf8e")
ERROR_COLOR = getattr(theme, "ERROR", "#ef4444")
_ON_LIGHT = {SUCCESS_COLOR: "#1e7e4f", ERROR_COLOR: "#c62828"}
_WRAP = Qt.TextFlag.TextWordWrap.value


class MessageLabel(QLabel):
    """A status message of constant height; :meth:`show_message` sets text and tone."""

    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        """Build an empty label ``lines`` text lines high."""
        super().__init__(parent)
        self._lines = lines
        self.message = ""
        self.ok = True
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def show_message(self, text: str, ok: bool = True) -> None:
        """Show ``text`` in the success (``ok``) or the error colour."""
        self.ok = ok
        self.message = text
        self._colour()
        self.setToolTip(text)
        self._fit()

    def colour(self) -> str:
        """The colour the message is shown in (its tone, for the current palette)."""
        base = SUCCESS_COLOR if self.ok else ERROR_COLOR
        light = self.palette().color(QPalette.ColorRole.Window).lightness() >= 128
        return _ON_LIGHT[base] if light else base

    def _colour(self) -> None:
        sheet = f"color: {self.colour()};"
        if self.styleSheet() != sheet:  # setting it again would re-polish for nothing
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Follow a theme switch (dark <-> light)."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.message:
            self._colour()

    def clear(self) -> None:
        """Empty the message (the height stays)."""
        self.message = ""
        self.setToolTip("")
        super().clear()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """No: the height never depends on the text (layouts must not reflow for it)."""
        return False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The fixed height; any width (the text is cut to fit)."""
        return QSize(0, self.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """As :meth:`sizeHint`."""
        return self.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Re-cut the message for the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        text = self.message
        metrics = self.fontMetrics()
        width = max(1, self.contentsRect().width())
        room = metrics.lineSpacing() * self._lines

        def fits(candidate: str) -> bool:
            return metrics.boundingRect(0, 0, width, 1 << 20, _WRAP, candidate).height() <= room

        if not fits(text):
            low, high = 0, len(text)
            while low < high:  # the longest prefix that fits with the ellipsis
                middle = (low + high + 1) // 2
                if fits(text[:middle].rstrip() + "…"):
                    low = middle
                else:
                    high = middle - 1
            cut = text[:low]
            if " " in cut:
                cut = cut[: cut.rfind(" ")]
            text = cut.rstrip() + "…"
        super().setText(text)
