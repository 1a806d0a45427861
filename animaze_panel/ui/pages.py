"""The main window's pages: which ones exist and what a page may promise the window.

The window shows one page at a time beside a vertical side bar (icon + label, Ctrl+1..4). The
Animaze page (every Animaze dock, freely dockable inside it) is always there; the cloud pages
join with :meth:`~.main_window.MainWindow.add_page` once they are built::

    window.add_page(PageKey.KINETIX, "Kinetix", resources.icon("kinetix"), kinetix_widget)

A page that holds a paid cloud session implements :class:`ClosablePage`; the app awaits
:meth:`~.main_window.MainWindow.close_pages` before its loop stops. A page that fetches what it
shows when first opened implements :class:`SettlingPage`, so whoever needs it complete (the
screenshot mode) can wait for exactly that instead of guessing a delay.
"""

from __future__ import annotations

import enum
from typing import Protocol, runtime_checkable


class PageKey(enum.Enum):
    """The window's pages, in side-bar order (Ctrl+1 is the first)."""

    ANIMAZE = "animaze"
    KINETIX = "kinetix"
    AKOOL = "akool"
    KALTURA = "kaltura"

    @property
    def number(self) -> int:
        """The page's place in the side bar and its Ctrl+number shortcut (1-based)."""
        return list(PageKey).index(self) + 1

    @classmethod
    def parse(cls, value: object) -> PageKey | None:
        """Read a stored page name; ``None`` for anything unknown."""
        try:
            return cls(str(value))
        except ValueError:
            return None


@runtime_checkable
class ClosablePage(Protocol):
    """A page with something to close on quit (an HTTP client, a paid streaming session)."""

    async def aclose(self) -> None:
        """Close what the page holds; must not raise for a page that never started."""


@runtime_checkable
class SettlingPage(Protocol):
    """A page that fetches what it shows when it is first opened."""

    async def settled(self) -> None:
        """Return once that first fetch has ended, loaded or failed (at once if there is none)."""
