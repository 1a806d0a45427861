"""``--screenshot DIR``: PNGs of every side page at common screen sizes, and a layout check.

Used by ``scripts/screenshots`` (README images) and the screenshot test, both under Xvfb with
``--demo``. For each size in :data:`SIZES` the window is resized to exactly that size and each
page that exists is shown and saved as ``<page>-<W>x<H>.png`` in the dark theme (plus
``animaze-<W>x<H>-hotkeys.png`` with the Hotkeys dock raised, and ``animaze-<W>x<H>-light.png``
for the light theme at the first size).

While each page is on screen, :func:`layout_problems` lists what a streamer should never see:
the window forced larger than the screen, a horizontal scroll bar anywhere, a page that is a form
(every cloud page) needing a vertical scroll bar, or a push button too narrow for its text. They
are written to ``layout-problems.txt`` (one line each, empty when all is well).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QPushButton, QScrollArea, QWidget

from .main_window import MainWindow
from .pages import PageKey, SettlingPage
from .self_test import wait_ready
from .widgets.button_grid import ButtonGrid
from .widgets.lazy_page import LazyPage
from .widgets.theme import ThemeMode

SIZES = (QSize(1280, 720), QSize(1920, 1080))
PROBLEMS_FILE = "layout-problems.txt"
SETTLE_S = 0.3
"""Time for Qt to lay out and repaint after a change (no nested processEvents under qasync)."""


def layout_problems(window: MainWindow, key: PageKey, size: QSize) -> list[str]:
    """What is wrong with ``key``'s page at ``size`` (the page must be on screen).

    Returns:
        One readable line per problem; empty when the page fits.
    """
    where = f"{key.value} at {size.width()}x{size.height()}"
    problems = []
    if window.size() != size:
        hint = window.minimumSizeHint()
        problems.append(
            f"{where}: the window is {window.width()}x{window.height()} "
            f"(its minimum is {hint.width()}x{hint.height()})"
        )
    problems += _pages_too_big(window, size, where)
    page = window.page(key)
    if page is None:
        return [f"{where}: the page does not exist"]
    for area in page.findChildren(QScrollArea):
        if not area.isVisible():
            continue
        name = _describe(area)
        if area.horizontalScrollBar().isVisible():
            problems.append(f"{where}: horizontal scroll bar in {name}")
        # Decks and the Animaze docks' lists scroll their data; a form never should.
        is_list = key is PageKey.ANIMAZE or isinstance(area.parentWidget(), ButtonGrid)
        if not is_list and area.verticalScrollBar().isVisible():
            problems.append(f"{where}: vertical scroll bar in {name}")
    for button in page.findChildren(QPushButton):
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            problems.append(
                f"{where}: button {button.text()!r} is clipped "
                f"({button.width()} of {button.sizeHint().width()} px)"
            )
    return problems


async def save_screenshots(window: MainWindow, folder: Path, t0: float) -> list[Path]:
    """Save every page at every size of :data:`SIZES`, and the layout problems found.

    Returns:
        The PNG files written.

    Raises:
        OSError: A file could not be written.
    """
    await wait_ready(window)
    ready = time.perf_counter() - t0
    await _wait_deck_icons(window)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    problems: list[str] = []
    window.set_theme(ThemeMode.DARK)
    for size in SIZES:
        window.resize(size)
        window.move(0, 0)
        await _settle()
        window.reset_layout()  # the default layout as it starts on a screen of this size
        window.statusBar().clearMessage()
        _park_pointer(window)
        await _settle()
        tag = f"{size.width()}x{size.height()}"
        for key in window.pages():
            window.show_page(key)
            window.statusBar().clearMessage()  # a message of the previous page is no part of it
            await _settle()
            await _wait_settled(window, key)
            problems += layout_problems(window, key, size)
            written.append(_save(window, folder / f"{key.value}-{tag}.png"))
        if window.hotkeys is not None:  # a tab behind Behaviours by default
            window.show_page(PageKey.ANIMAZE)
            window.hotkeys.raise_()
            await _settle()
            problems += layout_problems(window, PageKey.ANIMAZE, size)
            written.append(_save(window, folder / f"animaze-{tag}-hotkeys.png"))
            window.animaze_page.raise_defaults()
        if size == SIZES[0]:
            window.show_page(PageKey.ANIMAZE)
            window.set_theme(ThemeMode.LIGHT)
            await _settle()
            written.append(_save(window, folder / f"animaze-{tag}-light.png"))
            window.set_theme(ThemeMode.DARK)
    window.show_page(PageKey.ANIMAZE)
    (folder / PROBLEMS_FILE).write_text("".join(f"{p}\n" for p in problems), encoding="utf-8")
    print(f"screenshots: {len(written)} files in {folder} (ready after {ready:.2f} s); "
          f"layout problems: {len(problems)}", flush=True)
    for problem in problems:
        print(f"  {problem}", flush=True)
    return written


def _pages_too_big(window: MainWindow, size: QSize, where: str) -> list[str]:
    """Pages (hidden ones too) whose minimum exceeds what the window at ``size`` leaves them.

    The page stack is as large as the largest minimum of every page built so far, shown or not
    (QStackedLayout), so one page that does not fit grows the window on every page.
    """
    stack = window.page_stack
    room = stack.size() - (window.size() - size)
    problems = []
    for key in window.pages():
        page = window.page(key)
        if page is None:
            continue
        need = page.minimumSizeHint()
        if need.width() > room.width() or need.height() > room.height():
            problems.append(
                f"{where}: the {key.value} page needs at least {need.width()}x{need.height()} "
                f"but the pages get {room.width()}x{room.height()}"
            )
    return problems


def _park_pointer(window: MainWindow) -> None:
    """Move the pointer to the empty foot of the side bar (a hovered tile is no part of a shot)."""
    bar = window.side_bar
    QCursor.setPos(bar.mapToGlobal(QPoint(bar.width() // 2, bar.height() - 8)))


def _save(window: MainWindow, path: Path) -> Path:
    if not window.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def _describe(widget: QWidget) -> str:
    names: list[str] = []
    current: QWidget | None = widget
    while current is not None and len(names) < 3:
        if current.objectName():
            names.append(current.objectName())
        current = current.parentWidget()
    return " in ".join(names) or type(widget).__name__


async def _wait_deck_icons(window: MainWindow, timeout: float = 10.0) -> None:
    """Give the emote tiles on screen their icons (best effort: screenshots still happen)."""
    grid = window.emotes.grid
    icons = window.animaze_page.deck_icons
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = grid.on_screen()
        if shown and all(icons.icon(i.icon_name) is not None for i in shown if i.icon_name):
            return
        await asyncio.sleep(0.05)


async def _wait_settled(window: MainWindow, key: PageKey, timeout: float = 10.0) -> None:
    """Give a page what it fetches when first shown (best effort, as above)."""
    holder = window.page(key)
    page = holder.content if isinstance(holder, LazyPage) else holder
    if isinstance(page, SettlingPage):
        try:
            await asyncio.wait_for(page.settled(), timeout)
        except TimeoutError:
            print(f"screenshots: the {key.value} page was still loading after {timeout:.0f} s",
                  flush=True)
    await _settle()  # what follows the lists: thumbnails, the status line


async def _settle() -> None:
    await asyncio.sleep(SETTLE_S)
