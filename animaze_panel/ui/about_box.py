"""Help > About: what the panel is, and the versions a bug report needs."""

from __future__ import annotations

import platform
from html import escape

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from .. import __version__
from .widgets import resources


def about_text() -> str:
    """The About text (rich text): panel, Qt, PySide6 and Python versions, OS and platform."""
    return (
        f"<b>Animaze Panel {escape(__version__)}</b><br>A control panel for the Animaze "
        "avatar app over its WebSocket API.<br><br>Enable the API in Animaze: Settings "
        "&gt; Animaze API.<br><br>"
        f"Qt {escape(qVersion())} \u00b7 PySide6 {escape(PySide6.__version__)} \u00b7 "
        f"Python {escape(platform.python_version())}<br>"
        f"{escape(platform.system())} {escape(platform.release())} "
        f"({escape(QGuiApplication.platformName())})"
    )


def open_about_box(parent: QWidget) -> QMessageBox:
    """Open the About box, window-modal (never a nested event loop); it deletes itself."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Animaze Panel")
    box.setIconPixmap(resources.app_icon().pixmap(64, 64))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
