"""Web pages for people without the game: boards, runs and players, rendered on the server.

Jinja2 with autoescape on for every template, so a player name like
`<script>alert(1)</script>` shows as those characters and never runs; nothing is marked
safe. The tension chart is inline SVG built from numbers only. Text comes from the game's
catalogs, in the language the browser asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from command_game.i18n import LANGUAGES, catalog
from command_game.level.models import Level
from command_game.online import store
from command_game.speedrun.timing import CATEGORIES, CATEGORY_NAMES, format_time
from command_game.speedrun.verify import LevelIndex

TEMPLATES = Path(__file__).parent / "templates"
CHART_W, CHART_H = 640, 200  # the plot; the axes' labels sit in a margin round it
TICK_STEPS_S = (5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)  # the first giving <= 8 marks


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["clock"] = lambda ticks: format_time(ticks / 60)
    env.filters["segment"] = lambda text: quote(str(text), safe="")  # one path segment
    env.globals["CATEGORY_NAMES"] = CATEGORY_NAMES
    return env


def translator(lang: str) -> Callable[..., str]:
    """The game's catalogs in one language for one page; the game's own `t` follows the
    player's setting, process-wide, which a server answering many people cannot use."""
    def tr(key: str, **values: object) -> str:
        text = catalog(lang).get(key) or catalog("en").get(key) or key
        return text.format(**values) if values else text
    return tr


def language_of(request: Request) -> str:
    """?lang=id or ?lang=en, else the browser's first choice if the game has it."""
    asked = request.query_params.get("lang") or \
        request.headers.get("accept-language", "").split(",")[0].split("-")[0].strip()
    return asked if asked in LANGUAGES else "en"


def score_rows(breakdown: list, tr: Callable[..., str]) -> list[tuple[str, str, float]]:
    """(label, the measure the points came from, points), as the debrief lists them."""
    rows, measure = [], ""
    for name, value in breakdown:
        if name.endswith("_points"):
            key = f"debrief.score.{name}"
            rows.append((tr(key) if tr(key) != key else name, measure, float(value)))
            measure = ""
        else:
            measure = f"{value:g}" if value >= 0 else ""
    return rows


def chart(series: list[float], seconds_per_sample: int) -> dict[str, Any] | None:
    """SVG polyline points for a 0-100 series over game time, and the time axis' marks."""
    if len(series) < 2:
        return None
    step = CHART_W / (len(series) - 1)
    points = " ".join(f"{i * step:.1f},{CHART_H - CHART_H * min(max(v, 0), 100) / 100:.1f}"
                      for i, v in enumerate(series))
    seconds = (len(series) - 1) * seconds_per_sample
    every = next((s for s in TICK_STEPS_S if seconds / s <= 8), TICK_STEPS_S[-1])
    marks = [(CHART_W * at / seconds, f"{at // 60}:{at % 60:02d}")
             for at in range(0, seconds + 1, every)]
    return {"points": points, "seconds": seconds, "width": CHART_W, "height": CHART_H,
            "marks": marks}


class LevelNames:
    """The titles of the levels this server checks runs against, so a page names
    "Singkawang: the count at the KPU" and its objectives as the game does, in the page's
    language; a level the server does not have (a run rejected for it) shows its id."""

    def __init__(self, index: LevelIndex | None = None):
        self.index = index or LevelIndex()

    def load(self) -> None:
        self.index.candidates("")  # reads every level file once (call it off the loop)

    def _level(self, level_id: str) -> Level | None:
        found = self.index.candidates(level_id)
        return found[0][1] if found else None

    def level(self, level_id: str, lang: str) -> str:
        level = self._level(level_id)
        return _in(level.meta.title, lang) if level else level_id

    def objective(self, level_id: str, objective_id: str, lang: str) -> str:
        level = self._level(level_id)
        found = next((o for o in level.objectives if o.id == objective_id), None) \
            if level else None
        return _in(found.title, lang) if found else objective_id


def _in(text: Any, lang: str) -> str:
    return getattr(text, lang, "") or text.en


def add_pages(app: FastAPI, names: LevelNames) -> None:
    """The pages; `names` must be loaded (`LevelNames.load`) before the first request."""
    templates = Jinja2Templates(env=environment())

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = language_of(request)
        return templates.TemplateResponse(request, name, {
            **context, "lang": lang, "t": translator(lang),
            "level_title": lambda level_id: names.level(level_id, lang),
            "objective_title": lambda level_id, obj: names.objective(level_id, obj, lang)},
            status_code=status)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request):
        async with request.app.state.pool.connection() as conn:
            levels = await store.levels(conn)
        return page(request, "index.html", levels=levels)

    @app.get("/boards/{level}", response_class=HTMLResponse, include_in_schema=False)
    async def board_page(request: Request, level: str,
                         category: Annotated[str, Query(max_length=16)] = "any"):
        cat = category.strip().lower().rstrip("%")
        if cat not in CATEGORIES:
            return page(request, "missing.html", 404, what=category)
        async with request.app.state.pool.connection() as conn:
            rows, _mine, total = await store.board(conn, level, cat, limit=200)
        return page(request, "board.html", level=level, category=cat, rows=rows,
                    total=total, categories=CATEGORIES)

    @app.get("/runs/{run_id}", response_class=HTMLResponse, include_in_schema=False)
    async def run_page(request: Request, run_id: int):
        async with request.app.state.pool.connection() as conn:
            run = await store.get_run(conn, run_id)
            if run is None:
                return page(request, "missing.html", 404, what=f"#{run_id}")
            ranks = await store.ranks_of(conn, run) if run["status"] == "verified" else {}
        profile = run["profile"] or {}
        every = int(profile.get("seconds_per_sample", 1))
        score = score_rows(profile.get("breakdown", []), translator(language_of(request)))
        return page(request, "run.html", run=run, ranks=ranks, profile=profile, score=score,
                    tension=chart(profile.get("peak_tension", []), every),
                    index=chart(profile.get("index", []), every))

    @app.get("/players/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    async def player_page(request: Request, name: str):
        async with request.app.state.pool.connection() as conn:
            player = await store.player_by_name(conn, name)
            if player is None:
                return page(request, "missing.html", 404, what=name)
            runs = await store.player_runs(conn, player)
        return page(request, "player.html", player=player, runs=runs)
