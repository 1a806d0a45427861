"""HotkeysDock: the list of hotkeys with the master switch, editor, import and export.

* a master **Hotkeys on** switch (:meth:`HotkeyService.set_enabled`): one click releases every
  key to chat and games, one click brings them back;
* a line saying which backend is active: global (works while a game has the focus) or in-app
  shortcuts, with the reason no global backend runs;
* the bindings (:class:`~.hotkeys_table.HotkeysTable`): keys, label / action, kind (press,
  hold, macro), cooldown, an enabled box, and a status - registered, refused by the OS (with
  its reason), in conflict, disabled, or off;
* Add / Edit (double-click) / Duplicate / Delete through :class:`~.binding_editor.BindingEditor`
  (conflicts shown there before saving), in a row under the list;
* *Stop macros* cancels the macros running now (the row below, with Import and Export, so the
  dock fits a side column about 360 px wide);
* the file's skipped entries (with their line numbers), the current conflicts, and the last
  message of the service (e.g. a hotkey whose emote no longer exists), all inline - no modal
  storms;
* Import (good entries merged in, bad ones reported by line, the current profile untouched on
  error) and Export (the profile written as TOML).

Dialogs are opened with ``open()`` (never ``exec()``: no nested event loop inside asyncio).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...hotkeys.bindings import Binding
from ...hotkeys.conflicts import Severity
from ...hotkeys.store import Profile, load_file, merge, save_file
from .. import messages
from ..animaze_state import Part
from ..widgets.note_list import Note, NoteList
from ..widgets.theme import Tone, set_tone
from .action_choices import ActionChoices
from .binding_editor import BindingEditor
from .hotkeys_service import HotkeyService
from .hotkeys_table import HotkeysTable

_NAMED_BY = (Part.EMOTES, Part.SPECIAL_ACTIONS, Part.POSES, Part.IDLES, Part.QUICKSCENES,
             Part.AVATAR)
EMPTY_TEXT = (
    "No hotkeys yet. Click Add… to bind a key to an emote, a pose, a camera preset or a "
    "macro (several steps with waits), or Import… a profile someone shared."
)
"""What the dock says instead of an empty list: how to start."""
FILE_FILTER = "Hotkey profiles (*.toml);;All files (*)"


class HotkeysDock(QDockWidget):
    """The Hotkeys dock (objectName ``hotkeysDock``)."""

    def __init__(
        self,
        service: HotkeyService,
        choices: ActionChoices | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Build the dock over ``service``.

        Args:
            service: The running hotkey service.
            choices: What Animaze offers, for the editor's action pickers.
            parent: Qt parent (the main window).
        """
        super().__init__("Hotkeys", parent)
        self.setObjectName("hotkeysDock")
        self.service = service
        self.choices = choices
        self.editor: BindingEditor | None = None
        self.file_dialog: QFileDialog | None = None
        self.import_problems: list[Note] = []
        body = QWidget(self)

        self.switch = QCheckBox("Hotkeys on", body)
        self.switch.setObjectName("hotkeysSwitch")
        self.switch.setToolTip("Off releases every hotkey (e.g. while you type in chat)")
        self.switch.toggled.connect(self.service.set_enabled)
        self.backend_label = QLabel(body)
        self.backend_label.setObjectName("hotkeysBackend")
        self.backend_label.setWordWrap(True)

        self.table = HotkeysTable(body)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.edit(row))
        self.table.enabledToggled.connect(self._on_enabled_toggled)
        self.table.itemSelectionChanged.connect(self._sync_buttons)

        self.empty_label = QLabel(EMPTY_TEXT, body)
        self.empty_label.setObjectName("hotkeysEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        set_tone(self.empty_label, Tone.MUTED)

        self.add_button = QPushButton("Add…", body)
        self.edit_button = QPushButton("Edit…", body)
        self.duplicate_button = QPushButton("Duplicate…", body)
        self.delete_button = QPushButton("Delete", body)
        self.stop_button = QPushButton("Stop macros", body)
        self.stop_button.setObjectName("stopMacrosButton")
        self.stop_button.setToolTip("Cancel every macro that is running now")
        self.stop_button.clicked.connect(self.stop_macros)
        self.import_button = QPushButton("Import…", body)
        self.export_button = QPushButton("Export…", body)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(lambda: self.edit(self.current_row()))
        self.duplicate_button.clicked.connect(lambda: self.duplicate(self.current_row()))
        self.delete_button.clicked.connect(lambda: self.delete(self.current_row()))
        self.import_button.clicked.connect(self._choose_import)
        self.export_button.clicked.connect(self._choose_export)

        self.problems_label = self._note("hotkeysProblems", body)
        self.conflicts_label = self._note("hotkeysConflicts", body)
        self.message_label = self._note("hotkeysMessage", body)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.switch)
        top.addWidget(self.backend_label, 1)
        # Two rows: the dock shares a side column with Camera and Behaviours, and one row of
        # seven buttons made the whole column over 600 px wide.
        edit_row = _button_row(self.add_button, self.edit_button, self.duplicate_button,
                               self.delete_button, None)
        file_row = _button_row(self.stop_button, None, self.import_button, self.export_button)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        # Either the list or the empty text is shown; whichever it is takes the spare height.
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(edit_row)
        layout.addLayout(file_row)
        for label in (self.conflicts_label, self.problems_label, self.message_label):
            layout.addWidget(label)
        self.setWidget(body)

        service.profileChanged.connect(self.refresh)
        service.registrationChanged.connect(self.refresh)
        service.reported.connect(self._on_reported)
        service.session.model.changed.connect(self._on_model_changed)
        self.refresh()

    # ------------------------------------------------------------------ view

    def refresh(self) -> None:
        """Re-read the profile, registrations, conflicts and file problems from the service."""
        service = self.service
        profile = service.profile
        self.switch.blockSignals(True)
        self.switch.setChecked(profile.enabled)
        self.switch.blockSignals(False)
        backend = service.backend
        if backend.IS_GLOBAL:
            text = f"Global hotkeys ({backend.NAME}): they work while a game has the focus."
        else:
            why = f" Global hotkeys are not available: {service.backend_note}." \
                if service.backend_note else ""
            text = f"In-app shortcuts: they work only while the panel has the focus.{why}"
        self.backend_label.setText(text)

        conflicts = service.conflicts()
        self.table.show_bindings(service, conflicts)
        self.table.setVisible(bool(profile.bindings))
        self.empty_label.setVisible(not profile.bindings)

        self.conflicts_label.set_notes([
            (Tone.ERROR if c.severity is Severity.ERROR else Tone.WARNING, c.message)
            for c in conflicts])
        self.problems_label.set_notes(
            [(Tone.WARNING, f"{service.store.path.name} {problem} (skipped, kept in the file)")
             for problem in service.problems] + self.import_problems)
        self._sync_buttons()

    def _on_model_changed(self, part: Part) -> None:
        if part in _NAMED_BY and self.service.profile.bindings:
            self.refresh()  # Animaze's names for what the bindings do

    def show_message(self, text: str, tone: Tone = Tone.WARNING) -> None:
        """Show the service's latest message (a failed hotkey, a refused key...)."""
        self.message_label.set_notes([(tone, text)])

    def _on_reported(self, message: messages.Message) -> None:
        self.show_message(message.text, message.level.tone or Tone.MUTED)

    def stop_macros(self) -> None:
        """Cancel the running macros (a long sequence fired by mistake); says how many."""
        self.service.stop_macros(self._macros_stopped)

    def _macros_stopped(self, count: int) -> None:
        self.show_message(f"Stopped {count} running macro{'s' if count != 1 else ''}", Tone.MUTED)

    def status_text(self, row: int) -> str:
        """The Status cell of ``row`` (for tests and accessibility)."""
        return self.table.status_text(row)

    def current_row(self) -> int:
        """The selected binding's index, or -1."""
        return self.table.current_row()

    # ------------------------------------------------------------------ editing

    def add(self) -> BindingEditor:
        """Open the editor for a new binding."""
        return self._open_editor(None, None, "Add hotkey")

    def edit(self, row: int) -> BindingEditor | None:
        """Open the editor on binding ``row``."""
        bindings = self.service.profile.bindings
        if not 0 <= row < len(bindings):
            return None
        return self._open_editor(row, bindings[row], "Edit hotkey")

    def duplicate(self, row: int) -> BindingEditor | None:
        """Open the editor on a copy of binding ``row`` (it needs other keys to be saved)."""
        bindings = self.service.profile.bindings
        if not 0 <= row < len(bindings):
            return None
        return self._open_editor(None, bindings[row], "Duplicate hotkey")

    def delete(self, row: int) -> None:
        """Remove binding ``row`` and save."""
        bindings = list(self.service.profile.bindings)
        if 0 <= row < len(bindings):
            del bindings[row]
            self._use(bindings)

    def _open_editor(self, row: int | None, binding: Binding | None, title: str) -> BindingEditor:
        if self.editor is not None:
            self.editor.close()
        profile = self.service.profile
        others = [b for i, b in enumerate(profile.bindings) if i != row]
        editor = BindingEditor(others, binding, self.choices, taken=self.service.refused,
                               presets=[p.name for p in profile.presets], title=title,
                               parent=self)
        editor.accepted.connect(lambda: self._on_editor_accepted(editor, row))
        editor.finished.connect(lambda _r: self._on_editor_finished(editor))
        # While recording, release our own keys so pressing a bound one records it.
        editor.recorder.recordingChanged.connect(self.service.suspend)
        self.editor = editor
        if self.choices is not None:
            self.choices.refresh()
        editor.open()
        return editor

    def _on_editor_accepted(self, editor: BindingEditor, row: int | None) -> None:
        binding = editor.binding()
        bindings = list(self.service.profile.bindings)
        if row is not None and 0 <= row < len(bindings):
            bindings[row] = binding
        else:
            bindings.append(binding)
            row = len(bindings) - 1
        self._use(bindings)
        self.table.selectRow(row)

    def _on_editor_finished(self, editor: BindingEditor) -> None:
        self.service.suspend(False)
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def _on_enabled_toggled(self, row: int, on: bool) -> None:
        bindings = list(self.service.profile.bindings)
        if 0 <= row < len(bindings) and on != bindings[row].enabled:
            old = bindings[row]
            bindings[row] = Binding(old.keys, old.press, old.release, old.name, on,
                                    old.cooldown, old.overlap)
            self._use(bindings)

    def _use(self, bindings: list[Binding]) -> None:
        profile = self.service.profile
        self.service.set_profile(Profile(profile.enabled, tuple(bindings), profile.presets))

    # ------------------------------------------------------------------ import / export

    def import_profile(self, path: Path) -> bool:
        """Merge the good entries of ``path`` into the profile; report the bad ones by line.

        Returns:
            Whether the file could be read (the profile is untouched when it could not).
        """
        try:
            if not path.is_file():
                raise FileNotFoundError(2, "no such file", str(path))
            result = load_file(path)
        except OSError as exc:
            self.import_problems = [(Tone.ERROR, f"Cannot import {path}: {exc.strerror or exc}")]
            self.service.report(f"Cannot import hotkeys from {path}: {exc.strerror or exc}",
                                messages.Level.ERROR)
            self.refresh()
            return False
        self.import_problems = [(Tone.WARNING, f"Import {path.name} {problem} (entry not imported)")
                                for problem in result.problems]
        added = len(result.profile.bindings)
        presets = len(result.profile.presets)
        self.service.set_profile(merge(self.service.profile, result.profile))
        skipped = f", {len(result.problems)} entries skipped" if result.problems else ""
        self.service.report(
            f"Imported {added} hotkeys and {presets} camera presets from {path.name}{skipped}",
            messages.Level.WARNING if result.problems else messages.Level.SUCCESS)
        return True

    def export_profile(self, path: Path) -> bool:
        """Write the current profile to ``path`` as TOML.

        Returns:
            Whether it was written (a failure is reported).
        """
        try:
            save_file(path, self.service.profile)
        except OSError as exc:
            self.service.report(f"Cannot export hotkeys to {path}: {exc}", messages.Level.ERROR)
            return False
        self.service.report(f"Exported the hotkeys to {path}", messages.Level.SUCCESS)
        return True

    def _choose_import(self) -> None:
        self._file_dialog("Import hotkeys", QFileDialog.AcceptMode.AcceptOpen,
                          lambda name: self.import_profile(Path(name)))

    def _choose_export(self) -> None:
        self._file_dialog("Export hotkeys", QFileDialog.AcceptMode.AcceptSave,
                          lambda name: self.export_profile(Path(name)))

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode,
                     done: Callable[[str], object]) -> None:
        dialog = QFileDialog(self, title, str(self.service.store.path.parent), FILE_FILTER)
        dialog.setAcceptMode(mode)
        dialog.setDefaultSuffix("toml")
        if mode is QFileDialog.AcceptMode.AcceptOpen:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(done)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()

    # ------------------------------------------------------------------ helpers

    def _sync_buttons(self) -> None:
        selected = self.current_row() >= 0
        for button in (self.edit_button, self.duplicate_button, self.delete_button):
            button.setEnabled(selected)

    @staticmethod
    def _note(name: str, parent: QWidget) -> NoteList:
        notes = NoteList(parent)
        notes.setObjectName(name)
        return notes


def _button_row(*buttons: QPushButton | None) -> QHBoxLayout:
    """A row of ``buttons``, ``None`` being the stretch that pushes the rest to the right."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for button in buttons:
        if button is None:
            row.addStretch(1)
        else:
            row.addWidget(button)
    return row
