"""BehavioursDock: all 19 override behaviours as toggles with their parameters.

Every behaviour of :data:`~animaze_panel.animaze.overrides.BEHAVIOURS` gets a check box and, for
each of its parameters, a spin box with the catalogue's range (so an invalid number cannot be
typed). Toggling sends SetOverride at once; spinning a parameter sends SetOverride (with the
toggle's state and all of the behaviour's parameters) through a per-behaviour
:class:`Coalescer`, so holding an arrow key costs at most ~30 messages a second and the final
value is always sent. State is read with GetOverride (all behaviours, concurrently) on connect
and after the avatar changes, since Animaze keeps overrides per avatar. If Animaze refuses a
change, the behaviour is read back so the dock never shows a state Animaze does not have.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...animaze.errors import ValidationError
from ...animaze.overrides import BEHAVIOURS, Behaviour, OverrideParam
from ...animaze.requests import GetOverride, SetOverride
from ...animaze.responses import OverrideState
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets.coalescer import Coalescer, QtScheduler
from .control_dock import ControlDock


def _label(param: OverrideParam) -> str:
    return param.name.replace("_", " ").capitalize()


class _BehaviourRow(QObject):
    """The widgets of one behaviour and the coalesced sending of its changes."""

    def __init__(self, dock: BehavioursDock, behaviour: Behaviour, parent: QWidget) -> None:
        super().__init__(parent)
        self.dock = dock
        self.behaviour = behaviour
        self.frame = QWidget(parent)
        self.checkbox = QCheckBox(behaviour.name, self.frame)
        self.checkbox.setObjectName(f"override:{behaviour.name}")
        self.checkbox.toggled.connect(self._on_toggled)
        self.spins: dict[str, QDoubleSpinBox] = {}
        layout = QVBoxLayout(self.frame)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.checkbox)
        if behaviour.params:
            grid = QGridLayout()
            grid.setContentsMargins(22, 0, 0, 4)  # indented under the check box
            grid.setHorizontalSpacing(6)
            grid.setVerticalSpacing(2)
            for i, param in enumerate(behaviour.params):
                spin = QDoubleSpinBox(self.frame)
                spin.setRange(param.minimum, param.maximum)
                spin.setDecimals(2)
                spin.setSingleStep(round((param.maximum - param.minimum) / 20, 2) or 0.01)
                spin.setKeyboardTracking(False)
                spin.setAccelerated(True)
                spin.setMinimumWidth(72)
                spin.setValue(param.default)
                spin.setObjectName(f"override:{behaviour.name}:{param.name}")
                spin.setToolTip(f"{param.wire.strip()}: {param.minimum:g} to {param.maximum:g}")
                spin.valueChanged.connect(self._on_param)
                spin.editingFinished.connect(self._flush)
                label = QLabel(_label(param), self.frame)
                label.setBuddy(spin)
                row, column = divmod(i, 2)
                grid.addWidget(label, row, column * 2)
                grid.addWidget(spin, row, column * 2 + 1)
                self.spins[param.name] = spin
            grid.setColumnStretch(4, 1)  # compact spin boxes, spare width on the right
            layout.addLayout(grid)
        self._sender: Coalescer[SetOverride] = Coalescer(self._send, schedule=QtScheduler(self))

    def matches(self, text: str) -> bool:
        """Whether the behaviour or one of its parameters contains ``text``."""
        needle = text.strip().casefold()
        return (
            not needle
            or needle in self.behaviour.name.casefold()
            or any(needle in _label(p).casefold() for p in self.behaviour.params)
        )

    def show_state(self, state: OverrideState) -> None:
        """Display what GetOverride said, without sending anything."""
        if self._sender.pending:
            return  # the user's unsent change is newer than this answer
        for widget in (self.checkbox, *self.spins.values()):
            widget.blockSignals(True)
        self.checkbox.setChecked(state.value)
        for name, value in state.params.items():
            if name in self.spins:
                self.spins[name].setValue(value)
        for widget in (self.checkbox, *self.spins.values()):
            widget.blockSignals(False)

    def request(self) -> SetOverride:
        """The SetOverride matching what the widgets show."""
        return SetOverride(
            self.behaviour.name,
            self.checkbox.isChecked(),
            {name: spin.value() for name, spin in self.spins.items()},
        )

    def cancel(self) -> None:
        """Drop an unsent change (the link went down)."""
        self._sender.cancel()

    def _on_toggled(self, _checked: bool) -> None:
        self._submit()
        self._sender.flush()

    def _on_param(self, _value: float) -> None:
        # Arrow keys and the wheel step without editingFinished; the coalescer's trailing
        # send delivers the last step.
        self._submit()

    def _flush(self) -> None:
        self._sender.flush()

    def _submit(self) -> None:
        try:
            request = self.request()
        except ValidationError:  # cannot happen with ranged spin boxes; never send garbage
            return
        self._sender.submit(request)

    def _send(self, request: SetOverride) -> None:
        self.dock.session.spawn(self.dock.send_override(request))


class BehavioursDock(ControlDock):
    """Override behaviours as a filterable list of toggles with parameters."""

    def __init__(self, session: AnimazeSession, parent: QWidget | None = None) -> None:
        """Build the dock bound to ``session``."""
        super().__init__(session, "Behaviours", "behavioursDock", parent)
        self.filter_edit = QLineEdit(self.controls)
        self.filter_edit.setPlaceholderText("Filter behaviours\u2026")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        self.refresh_button = QToolButton(self.controls)
        self.refresh_button.setText("\u21bb")
        self.refresh_button.setToolTip("Read every behaviour's state from Animaze")
        self.refresh_button.clicked.connect(lambda: self.request_refresh(immediate=True))
        scroll = QScrollArea(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        rows_layout = QVBoxLayout(inner)
        rows_layout.setContentsMargins(0, 0, 4, 0)
        rows_layout.setSpacing(4)
        self._rows: dict[str, _BehaviourRow] = {}
        for behaviour in BEHAVIOURS:
            row = _BehaviourRow(self, behaviour, inner)
            rows_layout.addWidget(row.frame)
            self._rows[behaviour.name] = row
        rows_layout.addStretch(1)
        scroll.setWidget(inner)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self.controls)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

        # Overrides belong to the avatar: read them again whenever the shared state sees a
        # different avatar (trigger, a load by the panel or a quickscene, an outside change).
        session.model.changed.connect(self._on_model_changed)

    # ------------------------------------------------------------------ for tests and hotkeys

    def checkbox(self, behaviour: str) -> QCheckBox:
        """The toggle of ``behaviour`` (catalogue name)."""
        return self._rows[behaviour].checkbox

    def param_spin(self, behaviour: str, param: str) -> QDoubleSpinBox:
        """The spin box of parameter ``param`` (snake_case) of ``behaviour``."""
        return self._rows[behaviour].spins[param]

    def visible_behaviours(self) -> list[str]:
        """Names of the behaviours that match the filter."""
        return [name for name, row in self._rows.items() if not row.frame.isHidden()]

    # ------------------------------------------------------------------ Animaze

    async def refresh(self) -> None:
        """Read every behaviour with GetOverride, concurrently."""
        states = await asyncio.gather(
            *(self.session.call(GetOverride(name)) for name in self._rows)
        )
        for name, state in zip(self._rows, states, strict=True):
            if state is not None:
                self._rows[name].show_state(state)

    async def send_override(self, request: SetOverride) -> None:
        """Send one change; if Animaze refuses it, show Animaze's state again."""
        if await self.session.call(request) is None and self.session.connected:
            state = await self.session.call(GetOverride(request.behavior))
            if state is not None:
                self._rows[request.behavior].show_state(state)

    def connected_changed(self, connected: bool) -> None:
        """Drop unsent parameter changes when the link goes down."""
        if not connected:
            for row in self._rows.values():
                row.cancel()

    def _on_model_changed(self, part: Part) -> None:
        if part is Part.AVATAR:
            self.request_refresh()

    def _on_filter(self, text: str) -> None:
        for row in self._rows.values():
            row.frame.setHidden(not row.matches(text))
