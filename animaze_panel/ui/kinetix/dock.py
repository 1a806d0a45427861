"""KinetixDock: hosts the Kinetix tab as a dock, built the first time it is shown.

The Kinetix tab pulls in httpx and QtMultimedia (video preview), about 0.2 s of imports; creating
it lazily keeps the panel's cold start fast when the dock sits behind another tab. The factory
runs on the first ``visibilityChanged(True)`` (or :meth:`KinetixDock.ensure_built`);
:meth:`KinetixDock.aclose` closes the tab's HTTP client on quit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QScrollArea, QWidget


class KinetixDock(QDockWidget):
    """The Kinetix dock (objectName ``kinetixDock``)."""

    built = Signal()

    def __init__(
        self,
        factory: Callable[[], QWidget],
        parent: QWidget | None = None,
    ) -> None:
        """Create the dock; ``factory()`` makes the tab widget when first needed."""
        super().__init__("Kinetix", parent)
        self.setObjectName("kinetixDock")
        self._factory = factory
        self.tab: QWidget | None = None
        placeholder = QLabel("Kinetix: turn a video into an emote (opens when shown)", self)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(placeholder)
        self.visibilityChanged.connect(self._on_visible)

    def ensure_built(self) -> QWidget:
        """Build the tab now if it is not built yet; return it."""
        if self.tab is None:
            tab = self._factory()
            self.tab = tab
            # Scroll rather than force the whole window taller than a 1000 px screen.
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(tab)
            self.setWidget(scroll)
            start = getattr(tab, "start", None)
            if callable(start):
                start()
            self.built.emit()
        return self.tab

    async def aclose(self) -> None:
        """Close the tab's HTTP client (no-op if it was never built)."""
        tab = self.tab
        close = getattr(tab, "aclose", None)
        if close is not None:
            await close()

    def _on_visible(self, visible: bool) -> None:
        if visible and self.tab is None:
            self.ensure_built()
