"""SideBar: the vertical page switcher on the window's left edge (icon above label).

Like the activity bar of VS Code or OBS's dock tabs: one checkable button per page, exactly one
checked, in :class:`~.pages.PageKey` order whatever order the pages were added in. The bar only
reports clicks (:attr:`SideBar.pageRequested`); the window decides what is shown and calls
:meth:`SideBar.set_current` back.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QButtonGroup, QFrame, QToolButton, QVBoxLayout, QWidget

from .pages import PageKey

BUTTON_SIZE = QSize(76, 64)
ICON_SIZE = QSize(26, 26)

_STYLE = """
QFrame#sideBar { background: palette(base); border: 0; border-right: 1px solid palette(mid); }
QToolButton[role="page"] {
    border: 0; border-left: 3px solid transparent; border-radius: 0;
    padding: 6px 2px; color: palette(placeholder-text);
}
QToolButton[role="page"]:hover { color: palette(window-text); background: palette(alternate-base); }
QToolButton[role="page"]:checked {
    color: palette(window-text); border-left: 3px solid palette(highlight);
    background: palette(window);
}
"""


class SideBar(QFrame):
    """One button per page (objectName ``sideBar``; buttons ``pageButton_<key>``)."""

    pageRequested = Signal(object)  # PageKey

    def __init__(self, parent: QWidget | None = None) -> None:
        """An empty bar; :meth:`add_page` adds the buttons."""
        super().__init__(parent)
        self.setObjectName("sideBar")
        self.setStyleSheet(_STYLE)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 4)
        self._layout.setSpacing(2)
        self._layout.addStretch(1)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[PageKey, QToolButton] = {}

    def add_page(self, key: PageKey, title: str, icon: QIcon) -> QToolButton:
        """Add (or relabel) the button for ``key`` in its place; returns it."""
        button = self._buttons.get(key)
        if button is None:
            button = QToolButton(self)
            button.setObjectName(f"pageButton_{key.value}")
            button.setProperty("role", "page")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setFixedSize(BUTTON_SIZE)
            button.setIconSize(ICON_SIZE)
            button.clicked.connect(lambda _checked=False, k=key: self.pageRequested.emit(k))
            self._group.addButton(button)
            self._buttons[key] = button
            index = sorted(self._buttons, key=lambda k: k.number).index(key)
            self._layout.insertWidget(index, button)
        button.setText(title)
        button.setIcon(icon)
        button.setToolTip(f"{title} (Ctrl+{key.number})")
        button.setAccessibleName(title)
        return button

    def button(self, key: PageKey) -> QToolButton | None:
        """The button of ``key``'s page, if the page exists."""
        return self._buttons.get(key)

    def keys(self) -> list[PageKey]:
        """The pages shown, top to bottom."""
        return sorted(self._buttons, key=lambda k: k.number)

    def set_current(self, key: PageKey) -> None:
        """Check ``key``'s button (without emitting :attr:`pageRequested`)."""
        button = self._buttons.get(key)
        if button is not None:
            button.setChecked(True)
