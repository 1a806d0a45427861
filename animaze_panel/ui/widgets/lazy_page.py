"""LazyPage: a page whose content is built the first time it is shown.

Cloud pages pull in httpx, QtMultimedia or QtWebEngine (a few tenths of a second of imports);
building them when first opened keeps the panel's cold start fast. :meth:`LazyPage.aclose`
closes the content if it was built and can be closed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..pages import ClosablePage


class LazyPage(QWidget):
    """Hosts the widget made by ``factory()`` once the page is first shown."""

    built = Signal()

    def __init__(self, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        """Remember ``factory``; nothing is built yet.

        Args:
            factory: Makes the page's content (runs on the GUI thread, inside the event loop,
                so it may start async work).
            parent: Qt parent.
        """
        super().__init__(parent)
        self._factory = factory
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def content(self) -> QWidget | None:
        """The built content, or ``None`` before the page was first shown."""
        return self._content

    def ensure_built(self) -> QWidget:
        """Build the content now if it is not built yet; return it."""
        if self._content is None:
            content = self._factory()
            self._content = content
            self._layout.addWidget(content)
            content.show()  # added while the page is being shown: Qt will not show it itself
            self.built.emit()
        return self._content

    async def aclose(self) -> None:
        """Close the content (a no-op if it was never built or has nothing to close)."""
        content = self._content
        if isinstance(content, ClosablePage):
            await content.aclose()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Build on first show."""
        self.ensure_built()
        super().showEvent(event)
