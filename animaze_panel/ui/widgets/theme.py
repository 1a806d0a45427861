"""App-wide theme: Fusion style with a dark and a light palette that follow the system.

:class:`ThemeManager` owns the choice (:class:`ThemeMode`: system, dark, light). In *system* mode
it follows ``QStyleHints.colorScheme`` live (Qt 6.5+); when the platform does not say (offscreen,
many X11 desktops) it falls back to the dark theme, which is what streaming tools usually use.
A short style sheet adds the few accents a palette cannot express (the connection banner, the
gallery's selection, slot buttons); widgets tag themselves with ``objectName``/properties.

**Tones** are the meaning colours - error, warning, success, muted - defined once per theme
(:data:`DARK_TONES`, :data:`LIGHT_TONES`). A widget never names a colour: it calls
:func:`set_tone` (the style sheet colours ``[tone="error"]`` etc.) or, where it paints or fills
a model, asks :func:`tone_color` for the current theme's colour. Success is never the error
colour.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from . import resources

ACCENT = "#7c5cff"
"""Animaze-ish violet, readable on both palettes."""


class Tone(enum.Enum):
    """What a coloured text or mark means."""

    ERROR = "error"
    WARNING = "warning"
    SUCCESS = "success"
    MUTED = "muted"


@dataclass(frozen=True)
class Tones:
    """The meaning colours of one theme (``#rrggbb``), readable on its window colour."""

    error: str
    warning: str
    success: str
    muted: str

    def of(self, tone: Tone) -> str:
        """The colour of ``tone``."""
        return str(getattr(self, tone.value))


DARK_TONES = Tones(error="#f87171", warning="#fbbf24", success="#4ade80", muted="#8a8d96")
LIGHT_TONES = Tones(error="#c62828", warning="#b45309", success="#15803d", muted="#6b6e76")
_current = {"dark": True}  # the theme applied last (dark before any ThemeManager runs)


def tones() -> Tones:
    """The meaning colours of the theme in use."""
    return DARK_TONES if _current["dark"] else LIGHT_TONES


def tone_color(tone: Tone) -> QColor:
    """The current theme's colour of ``tone`` (for painting and item models)."""
    return QColor(tones().of(tone))


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Colour ``widget``'s text by meaning (``None``: the normal text colour).

    The colour comes from the app style sheet's ``[tone="..."]`` rules, so it follows theme
    changes by itself.
    """
    value = "" if tone is None else tone.value
    if widget.property("tone") == value:
        return
    widget.setProperty("tone", value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class ThemeMode(enum.Enum):
    """What the user picked in View > Theme."""

    SYSTEM = "system"
    DARK = "dark"
    LIGHT = "light"

    @classmethod
    def parse(cls, value: object) -> ThemeMode:
        """Read a stored setting, defaulting to :attr:`SYSTEM` for anything unknown."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.SYSTEM


def _palette(dark: bool) -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    if dark:
        colors = {
            role.Window: "#1f2126", role.WindowText: "#e6e6eb", role.Base: "#16181c",
            role.AlternateBase: "#24272d", role.ToolTipBase: "#2b2e35",
            role.ToolTipText: "#e6e6eb", role.Text: "#e6e6eb", role.Button: "#2a2d34",
            role.ButtonText: "#e6e6eb", role.BrightText: "#ff6b6b", role.Link: "#a996ff",
            role.Highlight: ACCENT, role.HighlightedText: "#ffffff",
            role.PlaceholderText: "#8a8d96", role.Mid: "#3a3d45", role.Dark: "#111216",
            role.Light: "#3b3f48", role.Midlight: "#32353d", role.Shadow: "#000000",
        }
        disabled_text = "#6b6e76"
    else:
        colors = {
            role.Window: "#f3f3f6", role.WindowText: "#1d1f24", role.Base: "#ffffff",
            role.AlternateBase: "#f0f0f4", role.ToolTipBase: "#ffffff",
            role.ToolTipText: "#1d1f24", role.Text: "#1d1f24", role.Button: "#e9e9ee",
            role.ButtonText: "#1d1f24", role.BrightText: "#c62828", role.Link: "#5a3de6",
            role.Highlight: ACCENT, role.HighlightedText: "#ffffff",
            role.PlaceholderText: "#85878f", role.Mid: "#c4c5cc", role.Dark: "#a0a1a8",
            role.Light: "#ffffff", role.Midlight: "#e2e2e8", role.Shadow: "#7a7a80",
        }
        disabled_text = "#a4a6ad"
    for r, value in colors.items():
        p.setColor(r, QColor(value))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(group.Disabled, r, QColor(disabled_text))
    return p


def _style_sheet(dark: bool) -> str:
    banner_bg, banner_fg, banner_border = (
        ("#3a2a12", "#ffd9a0", "#8a5a14") if dark else ("#fff4e0", "#5a3a00", "#e0b060")
    )
    slot_bg = "#2a2d34" if dark else "#ffffff"
    t = DARK_TONES if dark else LIGHT_TONES
    return f"""
    QFrame#connectionBanner {{
        background: {banner_bg}; color: {banner_fg};
        border: 1px solid {banner_border}; border-radius: 6px;
    }}
    QFrame#connectionBanner QLabel {{ color: {banner_fg}; }}
    QLabel[role="heading"] {{ font-weight: 600; font-size: 11pt; }}
    QLabel[role="muted"] {{ color: {t.muted}; }}
    QLabel#connectionIndicator[state="connected"] {{ color: {t.success}; }}
    QLabel#connectionIndicator[state="connecting"] {{ color: {t.warning}; }}
    QLabel#connectionIndicator[state="disconnected"] {{ color: {t.error}; }}
    *[tone="error"] {{ color: {t.error}; }}
    *[tone="warning"] {{ color: {t.warning}; }}
    *[tone="success"] {{ color: {t.success}; }}
    *[tone="muted"] {{ color: {t.muted}; }}
    QLineEdit[invalid="true"] {{ border: 1px solid {t.error}; }}
    QToolButton[role="slot"] {{
        background: {slot_bg}; border: 1px solid palette(mid); border-radius: 6px;
        padding: 4px;
    }}
    QToolButton[role="slot"]:hover {{ border-color: {ACCENT}; }}
    QToolButton[role="slot"]:checked {{ border: 2px solid {ACCENT}; }}
    QListView {{ outline: 0; }}
    QDockWidget::title {{ padding: 4px 6px; }}
    """


def system_prefers_dark() -> bool:
    """Whether the platform asks for a dark scheme (dark when it does not say)."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        return True
    return app.styleHints().colorScheme() is not Qt.ColorScheme.Light


class ThemeManager(QObject):
    """Applies and tracks the app theme; emits :attr:`changed` with ``dark`` after each change."""

    changed = Signal(bool)

    def __init__(self, app: QApplication, mode: ThemeMode = ThemeMode.SYSTEM) -> None:
        """Apply ``mode`` to ``app`` now and follow the system scheme while in system mode."""
        super().__init__(app)
        self._app = app
        self._mode = mode
        self._dark: bool | None = None
        app.setStyle("Fusion")
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        self.apply()

    @property
    def mode(self) -> ThemeMode:
        """The user's choice."""
        return self._mode

    @property
    def dark(self) -> bool:
        """Whether the dark palette is in use."""
        return bool(self._dark)

    def set_mode(self, mode: ThemeMode) -> None:
        """Switch to ``mode`` (and re-apply)."""
        self._mode = mode
        self.apply()

    def apply(self) -> None:
        """Apply the palette for the current mode and system scheme."""
        dark = system_prefers_dark() if self._mode is ThemeMode.SYSTEM else (
            self._mode is ThemeMode.DARK
        )
        if dark == self._dark:
            return
        self._dark = dark
        _current["dark"] = dark
        self._app.setPalette(_palette(dark))
        self._app.setStyleSheet(_style_sheet(dark))
        resources.clear_cache()
        self.changed.emit(dark)

    def _on_system_scheme(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode is ThemeMode.SYSTEM:
            self.apply()
