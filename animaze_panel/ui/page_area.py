"""PageArea: the side bar and the stack of pages right of it (the main window's centre).

Holds the pages added with :meth:`PageArea.add_page` by :class:`~.pages.PageKey`; the side bar
lists them in key order and shows one at a time. :meth:`PageArea.close_pages` closes the pages
that hold a cloud session (:class:`~.pages.ClosablePage`) on quit.

The stack's minimum is the largest minimum of every page built so far, hidden ones included
(QStackedLayout), and the window's minimum follows it: a page that does not fit the room the
window leaves at 1280x720 (about 1200x610 below the tool bars and the say bar) grows the window
on every page, not only on its own. ``--screenshot`` (ui/screenshots.py) reports such a page.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from .pages import ClosablePage, PageKey
from .side_bar import SideBar

log = logging.getLogger(__name__)

PAGE_CLOSE_TIMEOUT = 5.0
"""Seconds each page may take to close its cloud session on quit."""


class PageArea(QWidget):
    """Side bar + page stack (objectName ``pagesArea``); :attr:`pageShown` after a switch."""

    pageShown = Signal(object)  # PageKey

    def __init__(self, parent: QWidget | None = None) -> None:
        """An area without pages."""
        super().__init__(parent)
        self.setObjectName("pagesArea")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.side_bar = SideBar(self)
        self.side_bar.pageRequested.connect(self.show_page)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pageStack")
        row.addWidget(self.side_bar)
        row.addWidget(self.stack, 1)
        self._pages: dict[PageKey, QWidget] = {}

    def add_page(self, key: PageKey, title: str, icon: QIcon, widget: QWidget) -> None:
        """Add ``widget`` as ``key``'s page with a side-bar button.

        Raises:
            ValueError: ``key`` already has a page.
        """
        if key in self._pages:
            raise ValueError(f"the {key.value} page exists already")
        if not widget.objectName():
            widget.setObjectName(f"{key.value}Page")
        self._pages[key] = widget
        self.stack.addWidget(widget)
        self.side_bar.add_page(key, title, icon)

    def page(self, key: PageKey) -> QWidget | None:
        """The page added for ``key``, or ``None``."""
        return self._pages.get(key)

    def keys(self) -> list[PageKey]:
        """The pages that exist, in side-bar order."""
        return self.side_bar.keys()

    def current(self) -> PageKey:
        """The page on screen."""
        shown = self.stack.currentWidget()
        return next((k for k, w in self._pages.items() if w is shown), PageKey.ANIMAZE)

    def show_page(self, key: PageKey) -> None:
        """Bring ``key``'s page to the front (ignored for a page that does not exist)."""
        widget = self._pages.get(key)
        if widget is None:
            return
        self.stack.setCurrentWidget(widget)
        self.side_bar.set_current(key)
        self.pageShown.emit(key)

    async def close_pages(self, timeout: float = PAGE_CLOSE_TIMEOUT) -> None:
        """Await ``aclose()`` of every :class:`~.pages.ClosablePage`, each within ``timeout``.

        A page that fails or hangs is logged and skipped so the others still close.
        """
        for key, widget in self._pages.items():
            if not isinstance(widget, ClosablePage):
                continue
            try:
                await asyncio.wait_for(widget.aclose(), timeout)
            except TimeoutError:
                log.error("The %s page did not close within %g s", key.value, timeout)
            except Exception:
                log.exception("Closing the %s page failed", key.value)
