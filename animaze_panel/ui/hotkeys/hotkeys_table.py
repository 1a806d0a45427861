"""HotkeysTable: the Hotkeys dock's list of bindings, one row each, with its status.

A row shows the keys, what the binding does (in Animaze's words), its kind, cooldown, an
enabled box and its status (:mod:`.hotkeys_status`). The table is read-only except for the
enabled box, whose changes it reports through :attr:`HotkeysTable.enabledToggled`: the dock
decides what they do to the profile.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...hotkeys.conflicts import Conflict, Severity
from ..widgets import resources
from ..widgets.note_list import ICONS
from ..widgets.theme import tone_color
from .hotkeys_service import HotkeyService
from .hotkeys_status import binding_kind, binding_status, describe_binding

COLUMNS = ("Keys", "Action", "Kind", "Cooldown", "On", "Status")
KEYS, ACTION, KIND, COOLDOWN, ENABLED, STATUS = range(len(COLUMNS))


class HotkeysTable(QTableWidget):
    """The bindings of a profile (objectName ``hotkeysTable``), one selectable row each."""

    enabledToggled = Signal(int, bool)
    """A row's enabled box was changed by the user: ``(row, on)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        """Build the empty table."""
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("hotkeysTable")
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        self.itemChanged.connect(self._on_item_changed)

    def show_bindings(self, service: HotkeyService, conflicts: Sequence[Conflict]) -> None:
        """Fill the rows from the service's profile, keeping the selected row.

        Args:
            service: The running service (profile, registrations, Animaze's names).
            conflicts: The profile's conflicts; error-level ones show in the Status column.
        """
        profile = service.profile
        row_conflicts: dict[int, list[str]] = {}
        for conflict in conflicts:
            if conflict.severity is Severity.ERROR:
                for index in conflict.bindings:
                    row_conflicts.setdefault(index, []).append(conflict.message)
        selected = self.current_row()
        self.blockSignals(True)  # filling the enabled boxes is not the user toggling them
        self.setRowCount(len(profile.bindings))
        for row, binding in enumerate(profile.bindings):
            status, tone = binding_status(service, binding, row_conflicts.get(row, []))
            cells = (str(binding.keys), describe_binding(binding, service.session.model),
                     binding_kind(binding),
                     f"{binding.cooldown:g} s", "", status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if column == ENABLED:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked if binding.enabled
                                       else Qt.CheckState.Unchecked)
                    item.setToolTip("Enabled (disabled hotkeys stay in the file)")
                if column == ACTION:
                    item.setToolTip(", ".join(step.describe() for step in binding.press))
                if column == STATUS:
                    item.setToolTip(status)
                    if tone is not None:
                        item.setForeground(QBrush(tone_color(tone)))
                        item.setIcon(resources.icon(ICONS[tone], tone_color(tone)))
                self.setItem(row, column, item)
        self.blockSignals(False)
        if 0 <= selected < len(profile.bindings):
            self.selectRow(selected)

    def status_text(self, row: int) -> str:
        """The Status cell of ``row``."""
        item = self.item(row, STATUS)
        return item.text() if item is not None else ""

    def current_row(self) -> int:
        """The selected row, or -1."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == ENABLED:
            self.enabledToggled.emit(item.row(), item.checkState() == Qt.CheckState.Checked)
