"""The editor's tool bar and side panel: tools, actions, tabs and what each tab shows.

A mixin of EditorScene (it reads the scene's document and selection and calls its
commands), kept apart so the scene file is about input and drawing. Positions are in
interface units (the scene's ``s`` pixels each). Widgets are built once per window size
and scale, or when what a tab shows changes, because making arcade.gui widgets is slow;
in between they are only restyled.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from command_game.editor import edits
from command_game.editor.document import COLLECTIONS, Ref
from command_game.editor.fields import LEVEL_FIELDS, OBJECTIVE_KINDS, UNIT_TYPES, fields_for
from command_game.i18n import pick as pick_text
from command_game.i18n import t
from command_game.level.models import HQ_TYPES
from command_game.level.models import OFFICE_TYPES as ALL_OFFICE_TYPES
from command_game.level.problems import LevelError
from command_game.level.tiled import import_tiled_data
from command_game.scenes import ui
from command_game.scenes.editor_panel import (
    STYLE,
    STYLE_ACTIVE,
    clip_text,
    dropdown,
    flat,
    label,
    shared_widths,
)
from command_game.userdata import levels_dir

TOOLS = ("select", "district", "building", "road", "office", "crowd", "incident")
#: The office tool offers police HQs first: a new level needs one before anything else.
OFFICE_TYPES = HQ_TYPES + tuple(o for o in ALL_OFFICE_TYPES if o not in HQ_TYPES)
TABS = ("selection", "level", "roster", "script", "tiled")
TOOLBAR_W = 150
TOP_H = 40
PANEL_W = 340
PROBLEMS_H = 140
TILED_ROWS = 8  # the newest Tiled maps offered for import
LIST_ROWS = 6  # roster/script rows per list (the rest: select them on the map or by problem)


class SidebarMixin:
    """Tool bar (left) and property panel with tabs (right) of the editor."""

    def _rebuild_toolbar(self) -> None:
        """Builds the tool bar and the panel tabs once per window size; after that
        _update_toolbar only restyles them (making arcade.gui widgets is slow)."""
        shape = (self.window.get_size(), self.s)
        if getattr(self, "_toolbar_shape", None) == shape:
            self._update_toolbar()
            return
        self._toolbar_shape = shape
        self._toolbar.clear()
        self._style_on = ui.scaled_style(STYLE_ACTIVE, self.s)
        self._style_off = ui.scaled_style(STYLE, self.s)
        s, (x, w) = self.s, (8, TOOLBAR_W - 16)
        y = self.units[1] - TOP_H - 36
        self._tool_buttons = {}
        for i, tool in enumerate(TOOLS):
            self._tool_buttons[tool] = self._toolbar.add(flat(
                f"{i + 1}  {t('editor.tool.' + tool)}", lambda tool=tool: self.set_tool(tool),
                x, y, w, 26, scale=s))
            y -= 29
        self._office_types = dropdown(self.office_type, list(OFFICE_TYPES), x, y, w, 26, s)
        self._office_types.event("on_change")(lambda e: self._set_office_type(e.new_value))
        self._toolbar.add(self._office_types, layer=1)
        y -= 35
        self._action_buttons = {}
        for name, action in (("undo", self.undo), ("redo", self.redo),
                             ("snap", self.toggle_snap), ("save", self.save),
                             ("playtest", self.playtest), ("export", self.export_tmj),
                             ("exit", self.leave)):
            self._action_buttons[name] = self._toolbar.add(flat(
                t("editor.action." + name if name != "snap" else "editor.action.snap_on"),
                action, x, y, w, 26, scale=s))
            y -= 29
        rect = self.panel_box
        names = [t("editor.tab." + tab) for tab in TABS]
        left, self._tab_buttons = rect.left + 10, {}
        for tab, name, width in zip(TABS, names, shared_widths(
                names, rect.width - 20 - 4 * len(TABS), s), strict=True):
            self._tab_buttons[tab] = self._toolbar.add(flat(
                name, lambda tab=tab: self.set_tab(tab), left, rect.top - 34, width, 26,
                scale=s))
            left += width + 4
        self._update_toolbar()

    def _update_toolbar(self) -> None:
        for tool, button in self._tool_buttons.items():
            restyle(button, self._style_on if tool == self.tool else self._style_off)
        for tab, button in self._tab_buttons.items():
            restyle(button, self._style_on if tab == self.tab else self._style_off)
        self._office_types.visible = self.tool == "office"
        self._action_buttons["undo"].disabled = not self.doc.can_undo
        self._action_buttons["redo"].disabled = not self.doc.can_redo
        snap = t("editor.action.snap_on" if self.snap_on else "editor.action.snap_off")
        if self._action_buttons["snap"].text != snap:
            self._action_buttons["snap"].text = snap

    def _set_office_type(self, value: str) -> None:
        self.office_type = value

    def _panel_content_key(self) -> tuple:
        """What the current tab shows: the panel is rebuilt only when this changes."""
        if self.tab == "selection":
            if len(self.selection) != 1 or self.doc.get(self.selection[0]) is None:
                return (len(self.selection),)
            ref = self.selection[0]
            return (ref, tuple((f.key, f.choices) for f in fields_for(self.doc, ref)))
        if self.tab == "roster":
            return tuple(self._describe("units", u) for u in self.doc.items("units"))
        if self.tab == "script":
            return (self._default_site(),) + tuple(
                self._describe(c, item) for c in ("incidents", "objectives", "triggers",
                                                  "convoys") for item in self.doc.items(c))
        if self.tab == "tiled":
            return tuple(p.name for p in tiled_maps()[:TILED_ROWS])
        return ()

    def _rebuild_panel(self) -> None:
        key = (self.tab, self.window.get_size(), self.s, self._panel_content_key())
        if key == self._panel_key:
            return
        self._panel_key = key
        self.form.stop_typing()
        self._panel.clear()
        self.form.rows = []
        if hasattr(self, "_tab_buttons"):
            self._update_toolbar()
        rect = self.panel_box
        x, width = rect.left + 10, rect.width - 20
        self.form.scale = self.s
        getattr(self, f"_panel_{self.tab}")(x, rect.top - 46, width)

    def _panel_selection(self, x: float, top: float, width: float) -> None:
        if len(self.selection) != 1:
            text = (t("editor.panel.nothing") if not self.selection else
                    t("editor.panel.many", count=len(self.selection)))
            self._panel.add(label(text, x, top - 22, width, 12, ui.TEXT, scale=self.s))
            if self.selection:
                self._panel.add(flat(t("editor.action.delete"), self.delete_selection, x,
                                     top - 56, 120, scale=self.s))
            return
        ref = self.selection[0]
        item = self.doc.get(ref) or {}
        self._panel.add(label(t("editor.kind." + ref.collection) + f": {ref.id}", x, top - 22,
                              width, 12, ui.GOLD, bold=True, scale=self.s))
        base = edits.object_path(self.doc, ref)
        y = self.form.build(fields_for(self.doc, ref), base, item, x, top - 30, width)
        self._panel.add(flat(t("editor.action.delete"), self.delete_selection, x, y - 34, 120,
                             scale=self.s))

    def _panel_level(self, x: float, top: float, width: float) -> None:
        s = self.s
        self._panel.add(label(t("editor.panel.level"), x, top - 22, width, 12, ui.GOLD,
                              bold=True, scale=s))
        self.form.build(list(LEVEL_FIELDS), (), self.doc.data, x, top - 30, width)

    def _panel_tiled(self, x: float, top: float, width: float) -> None:
        """Tiled maps to import: a tab of their own, so the Level tab's fields fit the
        panel at 150 % on 1280x800."""
        s, y = self.s, top - 40
        folder = levels_dir()
        self._panel.add(label(t("editor.panel.tiled", folder=f"\u2026/{folder.parent.name}/"
                                f"{folder.name}"), x, y, width, 10, lines=2, scale=s))
        if not tiled_maps():
            y -= 34
            self._panel.add(label(t("editor.panel.no_tiled"), x, y, width, 10, lines=2,
                                  scale=s))
        for path in tiled_maps()[:TILED_ROWS]:
            y -= 28
            self._panel.add(flat(t("editor.action.import", name=path.name),
                                 lambda path=path: self.import_tmj(path), x, y, width, 24,
                                 scale=s))

    def import_tmj(self, path: Path) -> None:
        """Brings a Tiled map's geometry and properties into this level (undoable)."""
        try:
            data = import_tiled_data(path)
        except LevelError as exc:
            self.say(exc.problems[0].format(exc.file))
            return
        if self.apply(edits.replace_content(self.doc, data, f"import {path.name}")):
            self.selection = []
            self.say(t("editor.status.imported", path=str(path)))

    def _panel_roster(self, x: float, top: float, width: float) -> None:
        y = self._list_rows("units", x, top, width)
        unit_type = dropdown("samapta", list(UNIT_TYPES), x, y - 30, 150, 26, self.s)
        self._panel.add(unit_type, layer=1)
        self._panel.add(flat(t("editor.action.add_unit"),
                             lambda: self.add_and_select(edits.add_unit(self.doc, unit_type.value)),
                             x + 160, y - 30, width - 160, scale=self.s))

    def _panel_script(self, x: float, top: float, width: float) -> None:
        y, s = top, self.s
        lists = ("incidents", "objectives", "triggers", "convoys")
        room = top - 100 - len(lists) * 28  # the add buttons and the cards' below the lists
        rows = max(1, min(LIST_ROWS, int(room // 26) // len(lists)))
        for collection in lists:
            y = self._list_rows(collection, x, y, width, rows) - 6
        kind = dropdown("hold_site", list(OBJECTIVE_KINDS), x, y - 24, 150, 26, s)
        self._panel.add(kind, layer=1)
        self._panel.add(flat(t("editor.action.add_objective"),
                             lambda: self.add_and_select(edits.add_objective(self.doc,
                                                                             kind.value)),
                             x + 160, y - 24, width - 160, scale=s))
        site = self._default_site()
        self._panel.add(flat(t("editor.action.add_incident"),
                             lambda: self.add_and_select(edits.add_incident(self.doc, site)),
                             x, y - 56, 104, scale=s))
        self._panel.add(flat(t("editor.action.add_trigger"),
                             lambda: self.add_and_select(edits.add_trigger(self.doc, site)),
                             x + 108, y - 56, 104, scale=s))
        self._panel.add(flat(t("editor.action.add_convoy"),
                             lambda: self.add_and_select(edits.add_convoy(self.doc)),
                             x + 216, y - 56, width - 216, scale=s))
        self._panel.add(flat(t("editor.action.cards"), self.open_cards, x, y - 88, width,
                             scale=s))

    @staticmethod
    def _describe(collection: str, item: dict[str, Any]) -> str:
        """One line per roster/script entry."""
        if collection == "units":
            return f"{item.get('id')} · {item.get('type')} @ {item.get('base')}"
        if collection == "incidents":
            return f"{item.get('id')} · {item.get('at_s', 0)}s {item.get('type')} @ " \
                   f"{item.get('site')}"
        if collection == "objectives":
            return f"{item.get('id')} · {pick_text_safe(item.get('title'))}"
        if collection == "triggers":
            return f"{item.get('id')} · {item.get('tension', 0)} @ {item.get('site')}"
        return f"{item.get('id')} · {item.get('origin')} > {item.get('destination')}"

    def _default_site(self) -> str:
        sites = [o["id"] for o in self.doc.items("offices") if o.get("type") not in HQ_TYPES]
        return sites[0] if sites else (self.doc.ids("offices") or [""])[0]

    def _list_rows(self, collection: str, x: float, top: float, width: float,
                   rows: int = LIST_ROWS) -> float:
        """A collection's heading (with its count) and its first ``rows`` items."""
        items = self.doc.items(collection)
        self._panel.add(label(f"{t('editor.kind.' + collection)} ({len(items)})", x, top - 20,
                              width, 12, ui.GOLD, bold=True, scale=self.s))
        y = top - 22
        for item in items[:rows]:
            y -= 26
            ref = Ref(collection, item.get("id", ""))
            self._panel.add(flat(clip_text(self._describe(collection, item), width - 14, self.s),
                                 lambda ref=ref: self.select([ref]), x, y, width, 24,
                                 scale=self.s))
        return y

    def set_tab(self, tab: str) -> None:
        self.tab = tab
        self._rebuild_panel()

    def _commit_field(self, path: tuple, value: Any) -> None:
        if path and path[-1] == "id" and len(path) >= 2 and isinstance(path[-2], int):
            ref = self._ref_at(path)
            if ref is not None:
                action = edits.rename(self.doc, ref, str(value))
                if self.apply(action):
                    self.selection = [Ref(ref.collection, str(value))]
                    self._panel_key = None
                    self._rebuild_panel()
                return
        self.apply(edits.set_value(self.doc, path, value))

    def _ref_at(self, path: tuple) -> Ref | None:
        for name, list_path in COLLECTIONS.items():
            if tuple(path[: len(list_path)]) == list_path and len(path) > len(list_path):
                index = path[len(list_path)]
                items = self.doc.items(name)
                if isinstance(index, int) and index < len(items):
                    return Ref(name, items[index]["id"])
        return None


def pick_text_safe(value: Any) -> str:
    """Bilingual text from raw data that may be half-filled."""
    if not isinstance(value, dict):
        return ""
    if value.get("en") and value.get("id"):
        return pick_text(SimpleNamespace(en=value["en"], id=value["id"]))
    return str(value.get("en") or value.get("id") or "")


def restyle(button, style) -> None:
    if button.style is not style:
        button.style = style
        button.trigger_render()


def tiled_maps() -> list[Path]:
    """Tiled maps in the player's levels folder, newest first."""
    return sorted(levels_dir().glob("*.tmj"), key=lambda p: p.stat().st_mtime, reverse=True)
