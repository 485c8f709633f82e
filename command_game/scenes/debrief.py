"""The debrief: how the mission went, from what the world recorded.

Outcome and the level's debrief text; in-game time against par and the personal best;
the split of every objective with its delta against the personal best's split; the
score breakdown; a tension-over-time chart (every site, plus the kamtibmas index) and a
crowd-density heat map over the map, both from ``world.history``. Buttons: retry, next
level, level select, leaderboard, save replay.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import arcade
import numpy as np
import PIL.Image

from command_game.i18n import pick, t
from command_game.render import layout, ui_scale
from command_game.render.gpu import Triangles
from command_game.render.hud import status_mark
from command_game.render.map_camera import MapCamera
from command_game.render.static_map import StaticMapLayer
from command_game.render.text_pool import TextPool
from command_game.render.world_view import density_rgba
from command_game.scenes import ui
from command_game.speedrun.timing import format_time
from command_game.userdata import replays_dir

log = logging.getLogger(__name__)

COLUMN_A = 400  # outcome and score, interface units
COLUMN_B = 410  # splits and record
GAP = 12
SPLIT_ROW = 22
RECORD_ROW = 20
NATURAL_WIDTH = 16 + COLUMN_A + GAP + COLUMN_B + GAP + 300 + 16  # the chart's least width
CHART_LINES = ((96, 178, 232, 255), (226, 120, 76, 255), (150, 102, 214, 255),
               (86, 178, 96, 255), (232, 146, 44, 255), (214, 58, 58, 255),
               (200, 200, 120, 255), (120, 220, 220, 255))


def delta_text(seconds: float | None) -> str:
    """'-0:12.500' when faster than the best, '+0:03.000' when slower, '' with no best."""
    if seconds is None:
        return ""
    sign = "-" if seconds < 0 else "+"
    return sign + format_time(abs(seconds))


class DebriefScene(ui.UIScene):
    def __init__(self, world: Any, level_path: str | Path | None, real_time_s: float,
                 previous_best: Any = None, run: Any = None,
                 real_splits: Sequence[tuple[str, float]] = (), seed_kind: str = "set") -> None:
        super().__init__()
        self.world = world
        self.level = getattr(world, "base_level", world.level)  # as written, not the night
        self.seed_kind = seed_kind
        self.level_path = str(level_path) if level_path is not None else None
        self.real_time_s = float(real_time_s)
        self.previous_best = previous_best
        self.run = run
        self.real_splits = list(real_splits)  # objective, player's clock when it was met
        self.message = ""
        self.score = world.score()  # the mission is over: worked out once
        self.reasons = self.loss_lines()
        self._lines: list[tuple[str, str]] | None = None
        self.texts = TextPool()
        self.shapes = Triangles()
        self.static_layer = StaticMapLayer(self.level, show_labels=False)
        self.heat_texture = self._heat_texture()
        won = world.outcome == "won"
        self.title_bar = ui.TitleBar(t("debrief.won") if won else t("debrief.lost"),
                                     pick(self.level.meta.title))
        self.fit = self._fit_scale()
        self.buttons = self._make_buttons()

    # -- figures ----------------------------------------------------------------------

    @property
    def game_time_s(self) -> float:
        return self.world.tick / 60

    def splits(self) -> list[tuple[Any, float | None, float | None]]:
        """(objective, this run's split s or None, delta against the best's split or None)."""
        best = self.previous_best.splits if self.previous_best is not None else {}
        rows = []
        for obj in self.world.objectives:
            split = obj.met_tick / 60 if obj.met_tick is not None else None
            delta = split - best[obj.id] if split is not None and obj.id in best else None
            rows.append((obj, split, delta))
        return rows

    def time_delta(self) -> float | None:
        if self.previous_best is None or self.world.outcome != "won":
            return None
        return self.game_time_s - self.previous_best.time_s

    def _heat_texture(self) -> arcade.Texture | None:
        """The crowd's density summed over the mission, as an image over the map."""
        grids = [grid for _, grid in self.world.history.density]
        if not grids:
            grid, _ = self.world.density_grid()
            grids = [grid]
        total = np.sum([np.asarray(g, dtype=np.float64) for g in grids], axis=0)
        if not total.any():
            return None
        image = PIL.Image.fromarray(density_rgba(total))
        return arcade.Texture(image, hash=f"debrief-heat-{id(self)}")

    # -- buttons ----------------------------------------------------------------------

    def _content_height(self) -> float:
        """The taller of the two text columns, in interface units."""
        summary = 150 + 14 * 5  # outcome, times, par and a few lines of the debrief text
        if self.reasons:  # the heading, and each reason on up to two lines
            summary += 26 + 30 * len(self.reasons)
        score = 40 + 20 * len(self.score_rows())
        splits = 40 + SPLIT_ROW * len(self.world.objectives)
        record = 40 + RECORD_ROW * len(self.record_lines())
        return max(summary + GAP + score, splits + GAP + record)

    def _fit_scale(self) -> float:
        """The UI scale, as far as the window holds the three columns and the buttons:
        a nine-objective finale on a small window shrinks rather than overlaps."""
        w, h = self.window.get_size()
        tall = (h - ui.TitleBar.HEIGHT - 20 - 40) / (GAP + self._content_height() + 44 + 40)
        count = len(self.button_specs())
        wide = min(w / NATURAL_WIDTH, (w - (count - 1) * 12 - 24) / (count * 200))
        return max(0.6, min(self.scale, tall, wide))

    def on_resize(self, width: int, height: int) -> None:
        super().on_resize(width, height)
        self.refit(self._fit_scale(), self._remake_buttons)

    def _remake_buttons(self) -> None:
        self.buttons = self._make_buttons()

    def button_specs(self) -> list[tuple[str, Any, Any]]:
        """The buttons along the bottom: label key, action, style."""
        return [
            ("debrief.retry", self.retry, ui.STYLE_PRIMARY),
            ("debrief.next", self.next_level, ui.STYLE_DEFAULT),
            ("debrief.level_select", self.level_select, ui.STYLE_DEFAULT),
            ("debrief.leaderboard", self.leaderboard, ui.STYLE_DEFAULT),
            ("debrief.save_replay", self.save_replay, ui.STYLE_DEFAULT),
            ("online.submit.button", self.submit_online, ui.STYLE_DEFAULT),
        ]

    def _make_buttons(self) -> list[Any]:
        specs = self.button_specs()
        row = arcade.gui.UIBoxLayout(vertical=False, space_between=12)
        buttons = []
        for key, action, style in specs:
            widget = ui.button(t(key), action, width=200, height=44, style=style,
                               scale=self.fit)
            row.add(widget)
            buttons.append(widget)
        buttons[1].disabled = self._next_entry() is None
        anchor = arcade.gui.UIAnchorLayout()
        anchor.add(row, anchor_x="center", anchor_y="bottom", align_y=20)
        self.button_top = 20 + 44 * self.fit
        self.ui.add(anchor)
        # nothing focused: Space (pause, a moment ago) must not click Retry; the arrows
        # or Tab reach the buttons, R retries
        self.focus.set_buttons(buttons, None)
        return buttons

    def retry(self) -> None:
        """Another attempt: a new night after a random one, the same night after a set or
        daily seed."""
        from command_game.night_seed import draw_seed
        from command_game.scenes.map import MapScene

        seed = draw_seed() if self.seed_kind == "random" else self.world.seed
        if self.stack is not None:
            self.stack.replace(MapScene(self.level, self.level_path, seed=seed,
                                        seed_kind=self.seed_kind))

    def _next_entry(self) -> Any:
        from command_game.level.catalog import campaign

        entries = campaign()
        ids = [e.level.meta.id for e in entries]
        if self.level.meta.id not in ids or self.world.outcome != "won":
            return None
        index = ids.index(self.level.meta.id) + 1
        return entries[index] if index < len(entries) else None

    def next_level(self) -> None:
        entry = self._next_entry()
        if entry is None or self.stack is None:
            return
        try:
            from command_game.scenes.briefing import BriefingScene

            self.stack.replace(BriefingScene(entry.path))
        except ImportError:
            from command_game.scenes.map import MapScene

            self.stack.replace(MapScene(entry.level, entry.path))

    def level_select(self) -> None:
        from command_game.scenes.level_select import LevelSelectScene
        from command_game.scenes.title import TitleScene

        stack = self.stack  # reset() detaches this scene from the stack
        if stack is not None:
            stack.reset(TitleScene())
            stack.push(LevelSelectScene())

    def leaderboard(self) -> None:
        try:
            from command_game.scenes.leaderboard import LeaderboardScene
        except ImportError:
            self.message = t("debrief.no_leaderboard")
            return
        if self.stack is not None:
            self.stack.push(LeaderboardScene(self.level.meta.id))

    def submit_online(self) -> None:
        """Sends this run to the online board once it verifies (in the background)."""
        from command_game.scenes.leaderboard_global import submit_from_debrief

        self.submission = submit_from_debrief(self)

    def save_replay(self) -> Path | None:
        """Keeps this run's replay under replays/saved (the automatic ones may be pruned)."""
        try:
            source = Path(self.run.replay_path) if self.run is not None else None
            if source is None or not source.exists():
                source = self._write_replay()
            folder = replays_dir() / "saved"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / source.name
            shutil.copyfile(source, target)
        except Exception as exc:
            log.exception("replay not saved")
            self.message = t("debrief.replay_failed", error=str(exc))
            return None
        self.message = t("debrief.replay_saved", path=str(target))
        return target

    def _write_replay(self) -> Path:
        from command_game.speedrun.record import replay_from_world, replay_path_for
        from command_game.speedrun.replay import write_replay

        replay = replay_from_world(self.level, self.world, self.real_time_s, "player",
                                   real_splits=self.real_splits)
        path = replay_path_for(replay)
        write_replay(path, replay)
        return path

    def relocalized(self) -> DebriefScene:
        """The same debrief in the language and scale the player just chose."""
        fresh = DebriefScene(self.world, self.level_path, self.real_time_s,
                             previous_best=self.previous_best, run=self.run,
                             real_splits=self.real_splits, seed_kind=self.seed_kind)
        fresh.message = self.message
        return fresh

    def on_key(self, symbol: int, modifiers: int) -> bool | None:
        return ui.run_key(symbol, {arcade.key.ESCAPE: self.level_select,
                                   arcade.key.R: self.retry})

    # -- drawing ----------------------------------------------------------------------

    def draw_content(self) -> None:
        """Three columns in interface units (window pixels over the fitted scale):
        outcome and score; splits and record; tension chart and crowd heat map."""
        w, h = self.window.get_size()
        f = self.fit
        self.units = (w / f, h / f)
        uw, uh = self.units
        with layout.scaled(f, "debrief"), ui_scale.pixel_grid(f):
            self._draw_columns(uw, uh, f)
        with ui_scale.camera(f, w, h).activate(), layout.scaled(f, "debrief"):
            self.shapes.draw()
            self.texts.end()
            self.texts.draw()
        self._heat_map()

    def _draw_columns(self, uw: float, uh: float, f: float) -> None:
        self.shapes.clear()
        self.texts.begin()
        top = uh - (ui.TitleBar.HEIGHT + 16) / f
        bottom = (self.button_top + 30) / f
        self._summary(16, top)
        self._score(16, top - self._summary_h - GAP)
        middle = 16 + COLUMN_A + GAP
        splits_h = 40 + SPLIT_ROW * len(self.world.objectives)
        self._splits(middle, top, splits_h)
        self._record(middle, top - splits_h - GAP, COLUMN_B)
        right = middle + COLUMN_B + GAP
        right_w = uw - right - 16
        chart_h = (top - bottom - GAP) * 0.55
        self._chart(right, top - chart_h, right_w, chart_h)
        self._heat_frame(right, bottom, right_w, top - chart_h - GAP - bottom)
        if self.message:
            self.texts.put("message", self.message, 16, bottom - 22, ui.GOLD, size=10,
                           clip=uw - 32)

    def _panel(self, left: float, top: float, width: float, height: float, title: str,
               key: str) -> None:
        self.shapes.rect(left, top - height, width, height, ui.PANEL)
        layout.record_panel(left, top - height, width, height)
        self.shapes.rect(left, top - 26, width, 26, ui.PANEL_HEADER)
        self.shapes.rect_outline(left, top - height, width, height, 1, ui.PANEL_BORDER)
        self.texts.put(f"{key}:title", title.upper(), left + 12, top - 18, ui.GOLD, size=11,
                       bold=True, clip=width - 24 - (60 if key == "score" else 0))

    def _summary(self, left: float, top: float) -> None:
        meta = self.level.meta
        par = self.texts.put("par", t("debrief.par", par=format_time(meta.par_time_s),
                                      real=format_time(self.real_time_s)) + "  ·  "
                             + self.night_line(), left + 14, top - 131, ui.TEXT_MUTED,
                             size=10, width=COLUMN_A - 28, anchor_y="top")
        below = max(0.0, par.content_height - 14)  # the night's seed on a line of its own
        story = pick(text) if (text := self._story()) is not None else ""
        label = self.texts.put("story", story, left + 14, top - 150 - below, ui.TEXT,
                               size=10, width=COLUMN_A - 28, anchor_y="top")
        self._summary_h = 160 + below + (label.content_height if story else 0)
        self._summary_h += self._reasons(left, top - self._summary_h + 4)
        self._panel(left, top, COLUMN_A, self._summary_h, t("debrief.summary"), "summary")
        won = self.world.outcome == "won"
        self.texts.put("outcome", t("debrief.won") if won else t("debrief.lost"), left + 14,
                       top - 58, ui.GOOD if won else ui.BAD, size=20, bold=True)
        self.texts.put("time:label", t("debrief.game_time"), left + 14, top - 86,
                       ui.TEXT_MUTED, size=10)
        self.texts.put("time", format_time(self.game_time_s), left + 14, top - 118, ui.TEXT,
                       size=24, bold=True, mono=True)
        delta = self.time_delta()
        if delta is not None:
            self.texts.put("time:delta", t("debrief.vs_best", delta=delta_text(delta)),
                           left + 190, top - 114, ui.GOOD if delta <= 0 else ui.BAD, size=11,
                           bold=True, width=COLUMN_A - 204, anchor_y="bottom")
        elif won:
            self.texts.put("time:delta", t("debrief.first_best"), left + 190, top - 114,
                           ui.GOLD, size=11, bold=True, width=COLUMN_A - 204,
                           anchor_y="bottom")

    def loss_lines(self) -> list[str]:
        """Why the night was lost, most decisive first (at most three): the world's
        ``loss_reasons`` (sim/loss_reasons.py), each in the current language."""
        return [reason.text(t) for reason in getattr(self.world, "loss_reasons", ())[:3]]

    def _reasons(self, left: float, top: float) -> float:
        """The reasons under the story, in the summary panel; the height they take."""
        if not self.reasons:
            return 0.0
        self.texts.put("why:title", t("debrief.why_lost").upper(), left + 14, top - 12,
                       ui.BAD, size=10, bold=True, clip=COLUMN_A - 28)
        y = top - 22
        for i, line in enumerate(self.reasons):
            label = self.texts.put(f"why:{i}", "\u2022 " + line, left + 14, y, ui.TEXT,
                                   size=10, width=COLUMN_A - 28, anchor_y="top")
            y -= label.content_height + 4
        return top - y + 10

    def _story(self) -> Any:
        meta = self.level.meta
        return meta.debrief_win if self.world.outcome == "won" else meta.debrief_loss

    def _splits(self, left: float, top: float, height: float) -> None:
        rows = self.splits()
        self._panel(left, top, COLUMN_B, height, t("debrief.splits"), "splits")
        for i, (obj, split, delta) in enumerate(rows):
            y = top - 46 - i * SPLIT_ROW
            status_mark(self.shapes, left + 18, y + 4, obj.status)
            self.texts.put(f"split:{obj.id}:title", pick(obj.title), left + 32, y, ui.TEXT,
                           size=10, clip=COLUMN_B - 32 - 160)
            self.texts.put(f"split:{obj.id}:time", format_time(split), left + COLUMN_B - 84, y,
                           ui.TEXT, size=10, mono=True, anchor_x="right")
            if delta is not None:
                self.texts.put(f"split:{obj.id}:delta", delta_text(delta), left + COLUMN_B - 10,
                               y, ui.GOOD if delta <= 0 else ui.BAD, size=10, mono=True,
                               anchor_x="right")

    def score_rows(self) -> list[tuple[str, tuple[str, float] | None, float]]:
        """(points key, the measure it was earned from or None, points), in the world's order."""
        rows, measure = [], None
        for name, value in self.score.breakdown.items():
            if name.endswith("_points"):
                rows.append((name, measure, float(value)))
                measure = None
            else:
                measure = (name, float(value))
        return rows

    def _score(self, left: float, top: float) -> None:
        rows = self.score_rows()
        self._panel(left, top, COLUMN_A, 40 + 20 * len(rows), t("debrief.score"), "score")
        self.texts.put("score:total", str(self.score.total), left + COLUMN_A - 14,
                       top - 20, ui.GOLD, size=13, bold=True, anchor_x="right")
        known = _known_keys()
        for i, (name, measure, points) in enumerate(rows):
            y = top - 46 - i * 20
            label_key = f"debrief.score.{name}"
            self.texts.put(f"score:{name}", t(label_key) if label_key in known else name,
                           left + 14, y, ui.TEXT_MUTED, size=9, clip=COLUMN_A - 150)
            if measure is not None and measure[1] >= 0:
                self.texts.put(f"score:{name}:m", f"{measure[1]:g}", left + COLUMN_A - 80, y,
                               ui.TEXT, size=9, mono=True, anchor_x="right")
            self.texts.put(f"score:{name}:v", f"{points:+.0f}", left + COLUMN_A - 14, y,
                           ui.GOOD if points > 0 else ui.TEXT_MUTED, size=9, mono=True,
                           anchor_x="right")

    def _chart(self, left: float, bottom: float, width: float, height: float) -> None:
        """Tension of every site (thin) and the kamtibmas index (thick), per second."""
        top = bottom + height
        self._panel(left, top, width, height, t("debrief.chart"), "chart")
        legend_w = min(170.0, width * 0.4)
        plot = (left + 44, bottom + 30, width - 60 - legend_w, height - 70)
        px, py, pw, ph = plot
        self.shapes.rect(px, py, pw, ph, (10, 16, 28, 255))
        for level in (0, 25, 50, 75, 100):
            y = py + ph * level / 100
            self.shapes.rect(px, y, pw, 1, (48, 64, 92, 255))
            self.texts.put(f"chart:y{level}", str(level), px - 6, y - 4, ui.TEXT_MUTED, size=8,
                           anchor_x="right")
        history = self.world.history
        n = max(len(history.index), 2)
        self.texts.put("chart:x", format_time(len(history.index)), px + pw, py - 16,
                       ui.TEXT_MUTED, size=8, anchor_x="right")
        self.texts.put("chart:x0", "0:00", px, py - 16, ui.TEXT_MUTED, size=8)
        legend_y = top - 50
        row_top = legend_y - 5  # the sites under the index, each name whole (wrapped)
        for i, (site_id, series) in enumerate(history.tension.items()):
            color = CHART_LINES[i % len(CHART_LINES)]
            self._series(series, plot, n, 1.6, color)
            if row_top is None:
                continue
            site = self.world.sites.get(site_id)
            label = self.texts.put(f"chart:legend:{site_id}", site.name if site else site_id,
                                   px + pw + 32, row_top, ui.TEXT, size=8,
                                   width=int(legend_w - 40), anchor_y="top")
            if row_top - label.content_height < bottom + 10:  # no room left: the rest wait
                label.visible, row_top = False, None
                continue
            self.shapes.rect(px + pw + 14, row_top - 8, 14, 4, color)
            row_top -= label.content_height + 5
        self._series(history.index, plot, n, 3.0, ui.GOLD)
        k = -1  # the index first, at the top of the legend
        self.shapes.rect(px + pw + 14, legend_y - (k + 1) * 16 + 3, 14, 4, ui.GOLD)
        self.texts.put("chart:legend:index", t("map.hud.index"), px + pw + 32,
                       legend_y - (k + 1) * 16, ui.GOLD, size=8, bold=True, clip=legend_w - 40)

    def _series(self, values: Any, plot: tuple[float, float, float, float], n: int,
                width: float, color: Any) -> None:
        px, py, pw, ph = plot
        v = np.asarray(values, dtype=np.float64)
        if len(v) < 2:
            return
        step = max(1, len(v) // 600)  # at most ~600 segments per line
        v = v[::step]
        xs = px + np.arange(len(v)) * step / (n - 1) * pw
        ys = py + np.clip(v, 0, 100) / 100 * ph
        self.shapes.polyline(np.column_stack([xs, ys]), width, color)

    def _heat_frame(self, left: float, bottom: float, width: float, height: float) -> None:
        """The heat map's panel; the map keeps its aspect, centred in it."""
        w, h = self.level.map.width_m, self.level.map.height_m
        inner_h = max(10.0, height - 36)
        inner_w = min(width - 20, inner_h * w / h)
        inner_h = inner_w * h / w
        self._panel(left, bottom + height, width, height, t("debrief.heat"), "heat")
        x = left + (width - inner_w) / 2
        y = bottom + 6 + (height - 36 - inner_h) / 2
        f = self.fit
        self._heat_rect = (x * f, y * f, inner_w * f, inner_h * f)  # pixels, for the camera
        if self.heat_texture is None:
            self.texts.put("heat:none", t("debrief.no_crowd"), left + 20, bottom + height / 2,
                           ui.TEXT_MUTED, size=10, clip=width - 40)

    def night_line(self) -> str:
        """Which night this was: its seed (to replay it) and how it was chosen."""
        return t("debrief.night_line", seed=self.world.seed,
                 kind=t(f"night.kind.{self.seed_kind}"))

    def record_lines(self) -> list[tuple[str, str]]:
        """(label, value) rows of the run's record: categories, best, force used."""
        from command_game.speedrun.timing import CATEGORY_NAMES, categories_of

        world = self.world
        categories = " \u00b7 ".join(CATEGORY_NAMES[c] for c in categories_of(world))
        best = self.previous_best.time_s if self.previous_best is not None else None
        shown = [i for i in world.incidents if i.status != "hidden"]
        resolved = sum(1 for i in shown if i.status == "resolved")
        lines = [
            (t("debrief.categories"), categories or t("debrief.none")),
            (t("debrief.previous_best"), format_time(best) if best is not None
             else t("debrief.none")),
            (t("debrief.incidents"), t("debrief.incidents_value", resolved=resolved,
                                       total=len(shown))),
            (t("debrief.brimob"), t("debrief.yes") if world.brimob_used else t("debrief.no")),
            (t("debrief.final_index"), f"{world.kamtibmas_index:.1f}"),
            # from where the night started to where it ended: a riot on the last tick
            # costs trust the map never showed (the debrief follows at once)
            (t("debrief.trust"), t("debrief.trust_value", start=f"{world.start_trust:.1f}",
                                   end=f"{world.trust:.1f}")),
        ]
        if self.run is not None:
            lines.append((t("debrief.replay"), Path(self.run.replay_path).name))
        return lines

    def _record(self, left: float, top: float, width: float) -> None:
        if self._lines is None:  # the run is over: these do not change
            self._lines = self.record_lines()
        lines = self._lines
        self._panel(left, top, width, 40 + RECORD_ROW * len(lines), t("debrief.record"),
                    "record")
        for i, (label, value) in enumerate(lines):
            y = top - 46 - i * RECORD_ROW
            value_label = self.texts.put(f"record:{i}:value", value, left + width - 12, y,
                                         ui.TEXT, size=10, bold=True, anchor_x="right",
                                         clip=width * 0.55)
            self.texts.put(f"record:{i}:label", label, left + 14, y, ui.TEXT_MUTED, size=9,
                           clip=width - 40 - value_label.content_width)

    def _heat_map(self) -> None:
        left, bottom, width, height = self._heat_rect
        camera = MapCamera(self.level.map.width_m, self.level.map.height_m,
                           (int(left), int(bottom), int(width), int(height)))
        camera.camera.zoom = min(width / self.level.map.width_m,
                                 height / self.level.map.height_m)
        with camera.activate():
            self.static_layer.draw()
            if self.heat_texture is not None:
                arcade.draw_texture_rect(self.heat_texture, arcade.LBWH(
                    0, 0, self.level.map.width_m, self.level.map.height_m))
        self.window.default_camera.use()


def _known_keys() -> set[str]:
    from command_game.i18n import catalog

    return set(catalog("en"))
