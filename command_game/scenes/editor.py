"""The level editor: build, check and play-test a mission on the game's own map view.

Input becomes edits on the document (command_game.editor), never direct changes: every
click that changes the level is one undoable action, and every change re-runs the same
checks as `command-game levels validate`, shown along the bottom. The map is drawn by
the game's StaticMapLayer, rebuilt after edits, so what the author sees is what the
player will see. F5 play-tests the level as edited on top of the editor and comes back
to it unchanged.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import arcade
from arcade.gui import UIManager

from command_game.editor import edits
from command_game.editor.autosave import Autosaver, find_recovery
from command_game.editor.document import COLLECTIONS, Document, EditAction, Ref
from command_game.editor.files import EditorFile, open_file
from command_game.editor.template import new_level_data
from command_game.editor.validation import is_playable, place_of, preview_level, validate
from command_game.i18n import t
from command_game.level.models import Level
from command_game.level.problems import Problem
from command_game.level.tiled import export_tiled, import_tiled_data
from command_game.render import layout, ui_scale
from command_game.render.map_camera import MapCamera
from command_game.render.static_map import StaticMapLayer
from command_game.render.text_pool import fit_ellipsis
from command_game.scenes import editor_overlay as overlay
from command_game.scenes import ui
from command_game.scenes.editor_panel import FieldForm, ProblemList, WidgetGroup, fit_scale
from command_game.scenes.editor_sidebar import (
    PANEL_W,
    PROBLEMS_H,
    TOOLBAR_W,
    TOOLS,
    TOP_H,
    SidebarMixin,
    pick_text_safe,
)
from command_game.scenes.editor_tools import ToolsMixin, anchor_point
from command_game.scenes.stack import Scene

TOOL_KEYS = {getattr(arcade.key, f"KEY_{i + 1}"): tool for i, tool in enumerate(TOOLS)}
SNAP_M = 10.0
PICK_PX = 9.0  # interface units
MAP_FAST_S = 0.04  # a map layer rebuilt faster than this follows every edit at once
MAP_IDLE_S = 0.3  # otherwise it is rebuilt once edits pause this long


class EditorScene(ToolsMixin, SidebarMixin, Scene):
    """Edits the level at `level_path` (a level, a draft or a Tiled map), or a new one."""

    def __init__(self, level_path: str | Path | None = None) -> None:
        super().__init__()
        ui.load_fonts()
        self.file = _open(level_path)
        self.ui = UIManager()
        self.tool = "select"
        self.office_type = "polres"
        self.selection: list[Ref] = []
        self.snap_on = True
        self.tab = "level"
        self.clipboard: edits.Clipboard | None = None
        self.pending: list[tuple[float, float]] = []  # polygon being drawn
        self.road_from: str | None = None  # road tool: the node the next edge starts at
        self.drag: dict[str, Any] | None = None
        self.cursor: tuple[float, float] | None = None
        self.status = ""
        self._status_at = 0.0
        self._seen_revision = -1
        self._map_revision = -1
        self._map_cost = 0.0
        self._check_cost = 0.0
        self._last_edit = 0.0
        self._preview: Level | None = None
        self.level: Level | None = None
        self.problems: list[Problem] = []
        self.layer: StaticMapLayer | None = None
        self.camera: MapCamera | None = None
        self.autosaver: Autosaver | None = None
        self.dialog: ui.Dialog | None = None
        self._leaving = False
        self._toolbar = WidgetGroup(self.ui)
        self._panel = WidgetGroup(self.ui)
        self.form = FieldForm(self._panel, self._commit_field, self.say)
        self.problem_list = ProblemList(self.ui, self.select_problem)
        self._panel_key: tuple | None = None
        self.title_text = ui.text("", 13, ui.TEXT, bold=True)
        # wraps over the map's lower edge: a tool's hint is read whole, at every scale
        self.status_text = ui.text("", 11, ui.TEXT_MUTED, width=400, anchor_y="bottom")
        self.hint_text = ui.text("", 11, ui.TEXT_MUTED)
        self.hover_text = ui.text("", 11, ui.GOLD)
        self.hover: Ref | None = None
        self.s = fit_scale(*self.window.get_size())  # pixels per interface unit

    # --- the document ---------------------------------------------------------------
    @property
    def doc(self) -> Document:
        return self.file.document

    def apply(self, action: EditAction) -> bool:
        done = self.doc.apply(action)
        if done:
            self._last_edit = time.monotonic()
            self.refresh()
        return done

    def refresh(self, force_map: bool = False) -> None:
        """After any change: revalidate and update the panels (once per revision), and
        rebuild the map layer when it is due (see _map_due)."""
        self._follow_scale()
        dragging = self.drag is not None and self.drag["kind"] == "move"
        if self.doc.revision != self._seen_revision and dragging and \
                self._check_cost > MAP_FAST_S / 4 and self.camera is not None:
            return  # a large level is checked when the drag ends, not on every motion
        if self.doc.revision != self._seen_revision or self.camera is None:
            self._seen_revision = self.doc.revision
            started = time.perf_counter()
            self.level, self.problems = validate(self.doc.data)
            self._preview = self.level or preview_level(self.doc.data)
            self._check_cost = time.perf_counter() - started
            size = (self._preview.map.width_m, self._preview.map.height_m)
            if self.camera is None or self.camera.map_size != size:
                self.camera = MapCamera(*size, self.map_viewport)
            self.selection = [r for r in self.selection if self.doc.get(r) is not None]
            if self.hover is not None and self.doc.get(self.hover) is None:
                self.hover = None
            self._lay_out()
        if self._map_revision != self.doc.revision and (force_map or self._map_due()):
            started = time.perf_counter()
            if self.layer is None:
                self.layer = StaticMapLayer(self._preview)
            else:
                self.layer.rebuild(self._preview)
            self._map_cost = time.perf_counter() - started
            self._map_revision = self.doc.revision

    def _lay_out(self) -> None:
        """The problem list, the panel and the tool bar, for this revision, window size
        and scale (each rebuilds only what changed)."""
        self.problem_list.show(self.problems, self.problems_box, self.s)
        self._rebuild_panel()
        self.form.sync(self.doc.data)
        self._rebuild_toolbar()

    def _map_due(self) -> bool:
        """The game's map layer rebuilds whole (0.1-0.4 s on a large map): on a large map
        it waits until a drag ends and edits pause, while the overlay shows the edit."""
        if self.layer is None:
            return True
        if self.drag is not None and self.drag["kind"] == "move":
            return self._map_cost < MAP_FAST_S / 2
        return self._map_cost < MAP_FAST_S or time.monotonic() - self._last_edit >= MAP_IDLE_S

    def say(self, message: str) -> None:
        self.status = message
        self._status_at = time.monotonic()

    # --- layout -----------------------------------------------------------------------
    def _follow_scale(self) -> None:
        """The panels follow the UI scale (and the window's size): laid out again when the
        scale they are drawn at changes."""
        fit = fit_scale(*self.window.get_size())
        if abs(fit - self.s) < 1e-6:
            return
        self.s = fit
        if self.camera is not None:  # laid out again; the level needs no new check
            self.camera.set_viewport(self.map_viewport)
            self._lay_out()

    @property
    def units(self) -> tuple[float, float]:
        """The window's size in interface units."""
        return self.window.width / self.s, self.window.height / self.s

    @property
    def map_viewport(self) -> tuple[int, int, int, int]:
        """Where the map shows, in window pixels: between the bars and the panels."""
        s, (w, h) = self.s, self.window.get_size()
        left, bottom = round(TOOLBAR_W * s), round(PROBLEMS_H * s)
        return (left, bottom, w - left - round(PANEL_W * s), h - round(TOP_H * s) - bottom)

    @property
    def problems_box(self) -> arcade.Rect:
        """The problem list along the bottom, in interface units."""
        return arcade.LBWH(TOOLBAR_W, 0, self.units[0] - TOOLBAR_W - PANEL_W, PROBLEMS_H)

    @property
    def panel_box(self) -> arcade.Rect:
        """The property panel on the right, in interface units."""
        w, h = self.units
        return arcade.LBWH(w - PANEL_W, 0, PANEL_W, h - TOP_H)

    def _panels_px(self) -> tuple[tuple[float, float, float, float], ...]:
        """(left, bottom, right, top) window pixels of the bars and panels round the map."""
        left, bottom, width, height = self.map_viewport
        w, h = self.window.get_size()
        return ((0, 0, left, h), (left + width, 0, w, h), (0, 0, w, bottom),
                (0, bottom + height, w, h))

    def in_map(self, x: float, y: float) -> bool:
        left, bottom, w, h = self.map_viewport
        return left <= x < left + w and bottom <= y < bottom + h

    # --- scene hooks ------------------------------------------------------------------
    def on_enter(self) -> None:
        self.autosaver = Autosaver(self.doc)
        self.refresh()
        self.window.push_handlers(on_close=self._window_closing)
        recovery = find_recovery(self.doc.path)
        if recovery is not None:
            self._offer_recovery(recovery)

    def on_exit(self) -> None:
        self._leaving = True
        if self.autosaver is not None:
            self.autosaver.close()
        self.window.remove_handlers(on_close=self._window_closing)

    def on_show_view(self) -> None:
        self.ui.enable()

    def on_hide_view(self) -> None:
        self.ui.disable()

    def _window_closing(self) -> None:
        if self.autosaver is not None and not self._leaving:
            self.autosaver.close()

    def on_resize(self, width: int, height: int) -> None:
        if self.camera is not None:
            self.camera.set_viewport(self.map_viewport)
        self._panel_key = None
        self._seen_revision = -1
        self.refresh()

    def on_update(self, delta_time: float) -> None:
        self.refresh()
        if self.autosaver is not None:
            self.autosaver.tick()

    # --- crash recovery -----------------------------------------------------------------
    def ask(self, title: str, body: str, choices: dict[str, Any]) -> None:
        """A modal question in the game's own style; each choice's text maps to what
        it does."""
        def chosen(action: Any) -> Any:
            def run() -> None:
                if self.dialog is not None:
                    self.ui.remove(self.dialog)
                self.dialog = None
                action()
            return run

        self.dialog = ui.Dialog(title, body, {text: chosen(a) for text, a in choices.items()},
                                scale=self.s)
        self.ui.add(self.dialog, layer=2)

    def _offer_recovery(self, recovery) -> None:
        def discard() -> None:
            recovery.discard()
            self.say(t("editor.status.discarded"))

        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(recovery.saved_at))
        self.ask(t("editor.recover.title"), t("editor.recover.body", when=when),
                 {t("editor.recover.restore"): lambda: self.restore(recovery),
                  t("editor.recover.discard"): discard})

    def restore(self, recovery) -> None:
        self.file = EditorFile(recovery.document())
        self.autosaver = Autosaver(self.doc)
        self.selection = []
        self._seen_revision = -1
        self._map_revision = -1
        self._panel_key = None
        self.refresh(force_map=True)
        self.say(t("editor.status.restored"))

    # --- selection --------------------------------------------------------------------
    def select(self, refs: list[Ref]) -> None:
        self.selection = list(dict.fromkeys(refs))
        if len(self.selection) == 1 or self.tab == "selection":
            self.tab = "selection"
        self._rebuild_panel()

    def select_problem(self, problem: Problem) -> None:
        ref = self.doc.find(problem.ref) if problem.ref else None
        if ref is None:
            self.tab = "level" if problem.path.startswith(("meta", "map")) else self.tab
            self._panel_key = None
            self._rebuild_panel()
            self.say(f"{place_of(problem.path)}: {problem.fix}")
            return
        self.select([ref])
        where = anchor_point(self.doc.get(ref))
        if self.camera is not None and where is not None:
            self.camera.centre_on(*where)
        self.say(f"{problem.message} ({problem.fix})")

    def add_and_select(self, action: EditAction) -> None:
        if self.apply(action):
            step = action.steps[0]
            self.select([Ref(_collection_of(step.path), step.value["id"])])

    # --- commands ---------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        self.tool = tool
        self.pending = []
        self.road_from = None
        self.say(t("editor.hint." + tool))
        self._rebuild_toolbar()

    def toggle_snap(self) -> None:
        self.snap_on = not self.snap_on
        self._rebuild_toolbar()

    def undo(self) -> None:
        if self.doc.undo():
            self.refresh()
            self.say(t("editor.status.undone"))

    def redo(self) -> None:
        if self.doc.redo():
            self.refresh()
            self.say(t("editor.status.redone"))

    def delete_selection(self) -> None:
        if self.apply(edits.delete(self.doc, self.selection)):
            self.selection = []
            self._rebuild_panel()

    def copy(self) -> None:
        self.clipboard = edits.copy_selection(self.doc, [r for r in self.selection
                                                         if r.vertex is None])
        self.say(t("editor.status.copied", count=len(self.clipboard.items)))

    def paste(self) -> None:
        if not self.clipboard:
            return
        dx, dy = SNAP_M * 2, -SNAP_M * 2
        anchor = _anchor(self.clipboard)
        if self.cursor is not None and anchor is not None:
            tx, ty = self.snap(*self.cursor)
            dx, dy = tx - anchor[0], ty - anchor[1]
        action, refs = edits.paste(self.doc, self.clipboard, dx, dy)
        if self.apply(action):
            self.select(refs)

    def save(self) -> None:
        result = self.file.save()
        if self.autosaver is not None:
            self.autosaver.write(clean=True)
        self._rebuild_toolbar()
        if result.draft:
            self.say(t("editor.status.saved_draft", path=str(result.path), errors=result.errors))
        else:
            self.say(t("editor.status.saved", path=str(result.path)))

    def export_tmj(self) -> None:
        if self.level is None or not is_playable(self.problems, self.level):
            self.say(t("editor.status.fix_first"))
            return
        path = Path(self.file.target()).with_suffix(".tmj")
        export_tiled(self.level, path)
        self.say(t("editor.status.exported", path=str(path)))

    def playtest(self) -> None:
        """Plays the level as edited, above the editor; the mission's end comes back here."""
        self.refresh()
        if self.level is None or not is_playable(self.problems, self.level):
            errors = sum(1 for p in self.problems if p.severity == "error")
            self.say(t("editor.status.cannot_play", errors=errors))
            return
        from command_game.scenes.map import MapScene

        self.stack.push(MapScene(self.level.model_copy(deep=True), level_path=self.doc.path,
                                 on_finish=self._playtest_finished))

    def open_cards(self) -> None:
        """The event cards and variation block, as JSON (undoable edits like the rest)."""
        from command_game.scenes.editor_cards import EditorCardsScene

        self.stack.push(EditorCardsScene(self))

    def open_balance(self) -> None:
        """The balance table of the level as edited, run on request (F6)."""
        from command_game.scenes.editor_balance import EditorBalanceScene

        self.stack.push(EditorBalanceScene(self))

    def _playtest_finished(self, world) -> None:
        while self.stack is not None and self.stack.top is not self:
            self.stack.pop()
        self.say(t("editor.status.playtest_" + (world.outcome or "quit")))

    def leave(self, confirmed: bool = False) -> None:
        """Back to the screen below; unsaved work first asks (and is autosaved anyway)."""
        if self.doc.modified and not confirmed:
            def save_and_leave() -> None:
                self.save()
                self.leave(confirmed=True)

            self.ask(t("editor.leave.title"), t("editor.leave.body"),
                     {t("editor.leave.save"): save_and_leave,
                      t("editor.leave.discard"): lambda: self.leave(confirmed=True),
                      t("editor.leave.cancel"): lambda: None})
            return
        if self.stack is not None:
            if len(self.stack) > 1:
                self.stack.pop()
            else:
                from command_game.scenes.title import TitleScene

                self.stack.replace(TitleScene())

    # --- snapping and coordinates -------------------------------------------------------
    def snap(self, x: float, y: float) -> tuple[float, float]:
        return edits.snap_point(x, y, SNAP_M if self.snap_on else None)

    def world(self, x: float, y: float) -> tuple[float, float]:
        assert self.camera is not None
        return self.camera.to_world(x, y)

    def pick_radius(self) -> float:
        return PICK_PX * self.s / (self.camera.zoom if self.camera else 1.0)

    # --- keyboard -----------------------------------------------------------------------
    def on_key_press(self, symbol: int, modifiers: int) -> bool | None:
        ctrl = modifiers & (arcade.key.MOD_CTRL | arcade.key.MOD_COMMAND)
        shift = modifiers & arcade.key.MOD_SHIFT
        if self.form.typing():
            if symbol in (arcade.key.ENTER, arcade.key.RETURN, arcade.key.ESCAPE):
                self.form.stop_typing()
                return True
            if ctrl and symbol == arcade.key.S:
                self.save()
            return None
        if self.dialog is not None:
            return None
        if ctrl:
            handlers = {arcade.key.Z: self.redo if shift else self.undo, arcade.key.Y: self.redo,
                        arcade.key.S: self.save, arcade.key.C: self.copy,
                        arcade.key.V: self.paste, arcade.key.E: self.export_tmj}
            if symbol in handlers:
                handlers[symbol]()
                return True
            return None
        if symbol in TOOL_KEYS:
            self.set_tool(TOOL_KEYS[symbol])
        elif symbol == arcade.key.F5:
            self.playtest()
        elif symbol == arcade.key.F6:
            self.open_balance()
        elif symbol == arcade.key.G:
            self.toggle_snap()
        elif symbol in (arcade.key.DELETE, arcade.key.BACKSPACE):
            self.delete_selection()
        elif symbol in (arcade.key.ENTER, arcade.key.RETURN):
            self.finish_polygon()
        elif symbol == arcade.key.ESCAPE:
            self.escape()
        elif symbol in (arcade.key.LEFT, arcade.key.RIGHT, arcade.key.UP, arcade.key.DOWN):
            self._nudge(symbol, shift)
        else:
            return None
        return True

    def escape(self) -> None:
        if self.pending or self.road_from:
            self.pending, self.road_from = [], None
        elif self.selection:
            self.select([])
        elif self.tool != "select":
            self.set_tool("select")

    def _nudge(self, symbol: int, shift: bool) -> None:
        """Arrow keys move the selection by one grid step (shift: pan the view)."""
        step = SNAP_M if self.snap_on else 1.0
        dx = {arcade.key.LEFT: -step, arcade.key.RIGHT: step}.get(symbol, 0.0)
        dy = {arcade.key.DOWN: -step, arcade.key.UP: step}.get(symbol, 0.0)
        if shift or not self.selection:
            if self.camera is not None:
                self.camera.pan_pixels(-dx * 4, -dy * 4)
            return
        self.apply(edits.move(self.doc, self.selection, dx, dy))

    # --- drawing ------------------------------------------------------------------------
    def on_draw(self) -> None:
        self.refresh()
        self.clear(color=ui.BACKGROUND)
        assert self.camera is not None and self.layer is not None
        w, h = self.doc.data["map"].get("width_m", 0), self.doc.data["map"].get("height_m", 0)
        self.layer.covered = self._panels_px()  # the map's names keep off the panels
        with self.camera.activate():
            self.layer.draw()
            zoom = self.camera.zoom / self.s  # handles keep their size in interface units
            if self.snap_on and isinstance(w, (int, float)) and isinstance(h, (int, float)):
                overlay.draw_grid(float(w), float(h), SNAP_M, zoom)
            overlay.draw_boundary(float(w or 0), float(h or 0), zoom)
            overlay.draw_objects(self.doc, zoom, self.selection)
            overlay.draw_in_progress(self.pending, self.cursor, zoom)
            if self.road_from is not None and self.tool == "road":
                node = self.doc.get(Ref("nodes", self.road_from))
                overlay.draw_rubber_band(node, self.cursor, zoom)
            if self.drag is not None and self.drag["kind"] == "box" and "end" in self.drag:
                overlay.draw_box(*self.drag["start"], *self.drag["end"], zoom)
        self.window.default_camera.use()
        with ui_scale.camera(self.s, *self.window.get_size()).activate(), \
                layout.scaled(self.s, "editor"), ui_scale.pixel_grid(self.s):
            self._draw_chrome()
        self.window.default_camera.use()
        self.ui.draw()
        ui.record_widgets(self.ui)

    def _draw_chrome(self) -> None:
        """The bars and panels round the map, in interface units."""
        width, height = self.units
        arcade.draw_lbwh_rectangle_filled(0, height - TOP_H, width, TOP_H, ui.PANEL_HEADER)
        arcade.draw_lbwh_rectangle_filled(0, height - TOP_H - 2, width, 2, ui.GOLD)
        for rect in (arcade.LBWH(0, 0, TOOLBAR_W, height - TOP_H), self.panel_box,
                     self.problems_box):
            arcade.draw_rect_filled(rect, ui.BACKGROUND)  # the map's labels stop here
            ui.draw_panel(rect)
        title = self.doc.data.get("meta", {}).get("title", {})
        name = pick_text_safe(title) or t("editor.untitled")
        where = Path(self.doc.path).name if self.doc.path else t("editor.new_file")
        mark = " *" if self.doc.modified else ""
        ui.place(self.title_text, 12, height - 26)
        _fit(self.title_text, f"{t('editor.title')}: {name}{mark}  ·  {where}", width - 24)
        self.title_text.draw()
        if self.status and time.monotonic() - self._status_at < 12:
            label = self.status_text
            label.width = int(self.problems_box.width - 20)
            _set_text(label, self.status)
            ui.place(label, TOOLBAR_W + 10, PROBLEMS_H + 6)
            arcade.draw_lbwh_rectangle_filled(TOOLBAR_W, PROBLEMS_H, label.content_width + 20,
                                              label.content_height + 10, (10, 18, 33, 220))
            label.draw()
        ui.place(self.hint_text, TOOLBAR_W + 10, 8)
        _fit(self.hint_text, t("editor.keys"), self.problems_box.width - 20)
        self.hint_text.draw()
        self.problem_list.draw(self.problems_box)
        self._draw_hover()

    def _draw_hover(self) -> None:
        """The id of the road node, road, office or crowd source under the cursor: the
        names the panel's dropdowns use."""
        if self.hover is None or self.cursor is None or self.camera is None:
            return
        sx, sy = (v / self.s for v in self.camera.to_screen(*self.cursor))
        _set_text(self.hover_text, f"{t('editor.kind.' + self.hover.collection)}: "
                                   f"{self.hover.id}")
        ui.place(self.hover_text, sx + 14, sy + 12)
        arcade.draw_lbwh_rectangle_filled(sx + 10, sy + 6, self.hover_text.content_width + 8,
                                          20, (10, 18, 33, 230))
        self.hover_text.draw()


def _set_text(text: arcade.Text, value: str) -> None:
    if text.text != value:
        text.text = value


def _fit(label: arcade.Text, value: str, width: float) -> None:
    """Shows ``value`` cut to ``width``; worked out once per text and width, not every
    frame (each cut re-lays out the glyphs)."""
    key = (value, width, ui_scale.grid())  # cut again at another scale: glyphs differ
    if getattr(label, "fitted_for", None) != key:
        label.fitted_for = key
        fit_ellipsis(label, value, width)


def _collection_of(path: tuple) -> str:
    return next(name for name, p in COLLECTIONS.items() if p == tuple(path))


def _anchor(clip: edits.Clipboard) -> tuple[float, float] | None:
    return next((p for _, item in clip.items if (p := anchor_point(item))), None)


def _open(level_path: str | Path | None) -> EditorFile:
    """A level or draft opens as itself; a Tiled map opens as a new level to finish."""
    if level_path is None:
        return EditorFile(Document(new_level_data()))
    path = Path(level_path)
    if path.suffix.lower() == ".tmj":
        return EditorFile(Document(import_tiled_data(path)))
    return open_file(path)
