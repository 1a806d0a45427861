"""GalleryDock: avatars and scenes as a searchable icon grid, plus what is loaded now.

It shows the avatars, scenes and the current avatar/scene info of the shared
:class:`AnimazeState` (read on connect, all at once). Icons come lazily from the
:class:`IconCache` for the items on screen only. Double-click
or Enter loads an item (LoadAvatar / LoadScene); the "Now loaded" card shows the current
avatar's friendly name, description and props (GetCurrentAvatarInfo) and the current scene
(GetCurrentSceneInfo), and follows the state: the AvatarChanged trigger, a load by the panel,
a quickscene, and a scene changed outside the panel (the state polls it).

Each tab is a :class:`~.gallery_pane.GalleryPane`: a :class:`~.gallery_view.GalleryView` grid
over a filtered :class:`~.gallery_model.GalleryModel`.
"""

from __future__ import annotations

import asyncio
import json
import logging
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...animaze.requests import LoadAvatar, LoadScene
from ...animaze.responses import AvatarInfo, CurrentSceneInfo
from ..animaze_state import Part
from ..session import AnimazeSession
from ..widgets import resources
from ..widgets.icon_cache import IconCache
from ..widgets.letter_tile import placeholder
from .gallery_model import GalleryModel, display_name
from .gallery_pane import GalleryPane
from .gallery_view import ICON_PX

log = logging.getLogger(__name__)

NAMES_FILE = "display-names.json"
"""Friendly names learned from Animaze, kept beside the icon cache (it only tells the current
avatar's and scene's)."""


class GalleryDock(QDockWidget):
    """The gallery dock (objectName ``galleryDock``)."""

    populated = Signal()
    """Lists and current info were (re)loaded from Animaze."""
    infoChanged = Signal()

    def __init__(
        self,
        session: AnimazeSession,
        parent: QWidget | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        """Build the dock; it loads itself whenever the session connects.

        Args:
            session: The shared Animaze session.
            parent: Qt parent.
            cache_dir: Icon disk cache (platformdirs' cache folder by default).
        """
        super().__init__("Gallery", parent)
        self.setObjectName("galleryDock")
        self._session = session
        # Thumbnails are made at exactly the grid's icon size (times the screen's pixel ratio)
        # in the worker threads, so painting never rescales on the GUI thread.
        ratio = self.devicePixelRatioF()
        self.icons = IconCache(session, cache_dir, size=round(ICON_PX * ratio), parent=self)
        self._refresh_task: asyncio.Task[None] | None = None
        self.avatar_info: AvatarInfo | None = None
        self.scene_info: CurrentSceneInfo | None = None

        body = QWidget(self)
        self._card = self._build_card(body)
        self.search = QLineEdit(body)
        self.search.setObjectName("gallerySearch")
        self.search.setPlaceholderText("Search avatars and scenes…")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(resources.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._filter)
        self.tabs = QTabWidget(body)
        self.tabs.setDocumentMode(True)
        self.avatars = GalleryPane(self.icons, self.tabs)
        self.scenes = GalleryPane(self.icons, self.tabs)
        self.tabs.addTab(self.avatars, resources.icon("avatar"), "Avatars")
        self.tabs.addTab(self.scenes, resources.icon("scene"), "Scenes")
        self.status = QLabel("Waiting for Animaze…", body)
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)  # never what sets the dock's width
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._card)
        layout.addWidget(self.search)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.setWidget(body)

        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_search)
        body.addAction(find)

        # Ask for the icons on screen after anything that changes what is on screen.
        self._visible_timer = QTimer(self)
        self._visible_timer.setSingleShot(True)
        self._visible_timer.setInterval(30)
        self._visible_timer.timeout.connect(self.request_visible_icons)
        for pane in (self.avatars, self.scenes):
            pane.view.activated.connect(lambda index, p=pane: self._activate(p, index))
            pane.view.verticalScrollBar().valueChanged.connect(self._schedule_visible)
            pane.proxy.layoutChanged.connect(self._schedule_visible)
            pane.proxy.modelReset.connect(self._schedule_visible)
            pane.proxy.rowsRemoved.connect(self._schedule_visible)
            pane.proxy.rowsInserted.connect(self._schedule_visible)
        self.tabs.currentChanged.connect(self._schedule_visible)
        self.visibilityChanged.connect(self._schedule_visible)

        self._names_writer: asyncio.Task[None] | None = None
        self._names_dirty = False
        self._load_names()
        session.connectedChanged.connect(self._on_connected)
        session.avatarChanged.connect(self._on_avatar_changed)
        session.model.changed.connect(self._on_model_changed)
        self._on_connected(session.connected)

    # ------------------------------------------------------------------ public

    def current_pane(self) -> GalleryPane:
        """The tab shown (avatars or scenes)."""
        return self.avatars if self.tabs.currentIndex() == 0 else self.scenes

    def visible_names(self) -> list[str]:
        """Items on screen in the current tab."""
        return self.current_pane().visible_names()

    def visible_icons_loaded(self) -> bool:
        """Whether every item on screen shows its real icon (not the placeholder)."""
        names = self.visible_names()
        return bool(names) and all(self.icons.pixmap(n) is not None for n in names)

    def refresh(self) -> asyncio.Task[None]:
        """Reload lists and current info from Animaze (one refresh at a time)."""
        if self._refresh_task is None or self._refresh_task.done():
            self._refresh_task = self._session.spawn(self._refresh())
        return self._refresh_task

    def request_visible_icons(self) -> None:
        """Ask the cache for the icons of the items on screen."""
        if not self.isVisible():
            return
        for name in reversed(self.visible_names()):  # newest request = top-left first
            self.icons.request(name)

    def shutdown(self) -> None:
        """Stop icon work (window closing)."""
        self.icons.shutdown()

    # ------------------------------------------------------------------ building

    def _build_card(self, parent: QWidget) -> QFrame:
        card = QFrame(parent)
        card.setObjectName("nowLoadedCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        self.avatar_icon = QLabel(card)
        self.avatar_icon.setFixedSize(64, 64)
        self.avatar_icon.setScaledContents(True)
        self.avatar_name = QLabel("No avatar", card)
        self.avatar_name.setObjectName("currentAvatarName")
        self.avatar_name.setProperty("role", "heading")
        self.avatar_description = QLabel(card)
        self.avatar_description.setWordWrap(True)
        self.avatar_props = QLabel(card)
        self.avatar_props.setProperty("role", "muted")
        self.avatar_props.setWordWrap(True)
        self.scene_label = QLabel(card)
        self.scene_label.setObjectName("currentSceneName")
        self.scene_label.setWordWrap(True)
        grid = QGridLayout(card)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.addWidget(self.avatar_icon, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.avatar_name, 0, 1)
        grid.addWidget(self.avatar_description, 1, 1)
        grid.addWidget(self.avatar_props, 2, 1)
        grid.addWidget(self.scene_label, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        return card

    # ------------------------------------------------------------------ behaviour

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _schedule_visible(self, *_args: object) -> None:
        if not self._visible_timer.isActive():
            self._visible_timer.start()

    def _filter(self, text: str) -> None:
        for pane in (self.avatars, self.scenes):
            pane.proxy.setFilterFixedString(text.strip())
        self.icons.cancel_pending()
        self._update_status()

    def _on_connected(self, connected: bool) -> None:
        for pane in (self.avatars, self.scenes):
            pane.view.setEnabled(connected)
        if connected:
            self.status.setText("Loading the gallery…")
            self.refresh()
        else:
            self.status.setText("Not connected: showing the last known gallery")

    def _on_avatar_changed(self, name: str) -> None:
        self.avatars.model.set_current(name)  # at once; the card follows the state's re-read

    def _on_model_changed(self, part: Part) -> None:
        model = self._session.model
        if part is Part.AVATAR:
            self._show_avatar_info(model.avatar)
        elif part is Part.SCENE:
            self._show_scene_info(model.scene)
        elif part is Part.AVATARS:
            self.avatars.model.set_names(list(model.avatars))
            self._update_status()
        elif part is Part.SCENES:
            self.scenes.model.set_names(list(model.scenes))
            self._update_status()

    def _activate(self, pane: GalleryPane, index: QModelIndex) -> None:
        name = str(index.data(GalleryModel.NameRole))
        self._session.spawn(self._load(pane, name))

    async def _load(self, pane: GalleryPane, name: str) -> None:
        if pane is self.avatars:
            self.status.setText(f"Loading avatar {pane.model.label(name)}…")
            if await self._session.call(LoadAvatar(name)) is not None:
                self.avatars.model.set_current(name)
                await self._session.model.settled(Part.AVATAR)  # the re-read it caused
        else:
            self.status.setText(f"Loading scene {pane.model.label(name)}…")
            if await self._session.call(LoadScene(name)) is not None:
                await self._session.model.settled(Part.SCENE)
        self._update_status()

    async def _refresh(self) -> None:
        model = self._session.model
        await model.settled(Part.AVATARS, Part.SCENES, Part.AVATAR, Part.SCENE)
        if model.loaded(Part.AVATARS):
            self.avatars.model.set_names(list(model.avatars))
        if model.loaded(Part.SCENES):
            self.scenes.model.set_names(list(model.scenes))
        self._show_avatar_info(model.avatar)
        self._show_scene_info(model.scene)
        self._update_status()
        self._schedule_visible()
        self.populated.emit()

    def _show_avatar_info(self, info: AvatarInfo | None) -> None:
        self.avatar_info = info
        if info is None:
            self.avatar_name.setText("Current avatar unknown")
            self.avatar_description.setText("")
            self.avatar_props.setText("")
        else:
            self.avatars.model.set_current(info.item_name)
            self._learn(self.avatars.model, info.item_name, info.friendly_name)
            self.avatar_name.setText(info.friendly_name or display_name(info.item_name))
            self.avatar_name.setToolTip(info.item_name)
            self.avatar_description.setText(info.description)
            props = ", ".join(info.props) if info.props else "none"
            self.avatar_props.setText(f"Props: {props}")
            self._show_avatar_icon(info.item_name)
        self.infoChanged.emit()

    def _names_file(self) -> Path:
        return self.icons.cache_dir / NAMES_FILE

    def _load_names(self) -> None:
        try:
            stored = json.loads(self._names_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # first run, or a damaged file: names are learned again
        for kind, model in (("avatars", self.avatars.model), ("scenes", self.scenes.model)):
            names = stored.get(kind) if isinstance(stored, dict) else None
            if isinstance(names, dict):
                for item, friendly in names.items():
                    if isinstance(item, str) and isinstance(friendly, str):
                        model.set_display_name(item, friendly)

    def _learn(self, model: GalleryModel, item: str, friendly: str) -> None:
        if not model.set_display_name(item, friendly):
            return
        # One writer at a time, always writing the newest names: two writes racing on worker
        # threads could finish in either order and leave the older list on disk.
        self._names_dirty = True
        if self._names_writer is None or self._names_writer.done():
            self._names_writer = self._session.spawn(self._write_names())

    async def _write_names(self) -> None:
        while self._names_dirty:
            self._names_dirty = False
            data = {"avatars": self.avatars.model.display_names(),
                    "scenes": self.scenes.model.display_names()}
            await asyncio.to_thread(_write_json, self._names_file(), data)

    def _show_avatar_icon(self, name: str) -> None:
        pixmap = self.icons.pixmap(name)
        if pixmap is None:
            self.avatar_icon.setPixmap(placeholder(name[:1] or "?", self.icons.size))

            def ready(ready_name: str) -> None:
                if ready_name == name and self.avatar_info and self.avatar_info.item_name == name:
                    self.icons.iconReady.disconnect(ready)
                    self._show_avatar_icon(name)

            self.icons.iconReady.connect(ready)
            self.icons.request(name)
        else:
            self.avatar_icon.setPixmap(pixmap)

    def _show_scene_info(self, info: CurrentSceneInfo | None) -> None:
        self.scene_info = info
        if info is None:
            self.scene_label.setText("Scene: unknown")
            return
        self.scenes.model.set_current(info.item_name)
        self._learn(self.scenes.model, info.item_name, info.friendly_name)
        name = escape(info.friendly_name or display_name(info.item_name))
        detail = f" — {escape(info.description)}" if info.description else ""
        self.scene_label.setText(f"Scene: <b>{name}</b>{detail}")
        self.infoChanged.emit()

    def _update_status(self) -> None:
        shown_a, total_a = self.avatars.proxy.rowCount(), self.avatars.model.rowCount()
        shown_s, total_s = self.scenes.proxy.rowCount(), self.scenes.model.rowCount()
        self.tabs.setTabText(0, f"Avatars ({shown_a})")
        self.tabs.setTabText(1, f"Scenes ({shown_s})")
        if self.search.text().strip():
            self.status.setText(
                f"{shown_a} of {total_a} avatars, {shown_s} of {total_s} scenes match"
            )
        else:
            self.status.setText(
                f"{total_a} avatars, {total_s} scenes — double-click or Enter to load"
            )


def _write_json(path: Path, data: dict[str, dict[str, str]]) -> None:
    """Write ``data`` to ``path`` (worker thread; a failure only costs names to learn again)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.debug("Could not keep the display names: %s", exc)
