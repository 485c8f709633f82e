"""`command-game board ...`: run the community board, or use one from the terminal.

serve starts the whole service (database, workers, API); worker starts one more worker on
any machine that reaches the database; register, submit, status and top talk to a board
over HTTP. Submissions the server cannot take now wait in the outbox and go with the next
`board submit` (or from the game) once it answers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from command_game.i18n import t
from command_game.speedrun.timing import CATEGORY_NAMES, parse_category

DEFAULT_PORT = 8765


def register(sub: argparse._SubParsersAction) -> None:
    board = sub.add_parser("board", help="the online community board: serve it or use it")
    bsub = board.add_subparsers(dest="board_command", metavar="ACTION", required=True)

    serve = bsub.add_parser("serve", help="start the board: database, workers and API")
    _database_url_option(serve, "an existing PostgreSQL (or $KAMTIBMAS_BOARD_DATABASE_URL, which "
                         "keeps the password out of the process list; default: a private "
                         "cluster in your user data directory)")
    serve.add_argument("--workers", type=int, default=2, metavar="N",
                       help="verification worker processes (default 2)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--per-minute", type=int, default=None, metavar="N",
                       help="submissions a player may make per minute (default 20)")
    serve.add_argument("--registrations-per-hour", type=int, default=None, metavar="N",
                       help="names one address may register per hour (default 30)")
    _worker_options(serve)
    serve.set_defaults(func=cmd_serve)

    worker = bsub.add_parser("worker", help="one more verification worker")
    _database_url_option(worker, "the board's database (default: $KAMTIBMAS_BOARD_DATABASE_URL)")
    worker.add_argument("--name", default=None, help="worker name in the logs")
    worker.add_argument("--exit-with-parent", action="store_true",
                        help="stop when the process that started this worker ends")
    _worker_options(worker)
    worker.set_defaults(func=cmd_worker)

    migrate = bsub.add_parser("migrate", help="bring a board database's schema up to date")
    _database_url_option(migrate)
    migrate.set_defaults(func=cmd_migrate)

    ban = bsub.add_parser("ban", help="moderators: take a player off the boards")
    ban.add_argument("name", metavar="NAME")
    ban.add_argument("--reason", default=None, help="shown to the player when they submit")
    ban.add_argument("--lift", action="store_true", help="undo a ban")
    _database_url_option(ban)
    ban.set_defaults(func=cmd_ban)

    reg = bsub.add_parser("register", help="register a player name on a board")
    reg.add_argument("name", metavar="NAME")
    _url(reg)
    reg.set_defaults(func=cmd_register)

    submit = bsub.add_parser("submit", help="send replays to a board to be verified")
    submit.add_argument("replays", nargs="+", type=Path, metavar="REPLAY")
    submit.add_argument("--name", default=None,
                        help="your player name, to register it if you have not yet "
                             "(default: the settings' player name)")
    _url(submit)
    submit.set_defaults(func=cmd_submit)

    status = bsub.add_parser("status", help="is a submitted run verified?")
    status.add_argument("run_id", type=int, metavar="RUN_ID")
    status.add_argument("--json", action="store_true")
    _url(status)
    status.set_defaults(func=cmd_status)

    top = bsub.add_parser("top", help="print the top runs of a level")
    top.add_argument("level", metavar="LEVEL", help="level id")
    top.add_argument("--category", default="Any%", metavar="C",
                     help="Any%%, 100%% or Cooling%%")
    top.add_argument("--seed", type=int, default=None)
    top.add_argument("--limit", type=int, default=10)
    top.add_argument("--json", action="store_true")
    _url(top)
    top.set_defaults(func=cmd_top)


def _database_url_option(parser: argparse.ArgumentParser,
                         help: str = "default: $KAMTIBMAS_BOARD_DATABASE_URL") -> None:
    parser.add_argument("--database-url", default=None, metavar="URL", help=help)


def _worker_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--heartbeat", type=float, default=2.0, metavar="S",
                        help="seconds between a worker's heartbeats")
    parser.add_argument("--stalled-after", type=float, default=10.0, metavar="S",
                        help="a worker silent this long is taken as dead; its job is retried")
    parser.add_argument("--nice", type=int, default=10, metavar="N",
                        help="how much lower than normal a worker's CPU priority is "
                             "(default 10; 0 keeps it), so board reads stay quick on a "
                             "machine that also serves the API")


def _url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default=None,
                        help="the board, e.g. http://127.0.0.1:8765 (default: the settings' "
                             "board URL)")


def _say(line: str, err: bool = False) -> None:
    print(line, file=sys.stderr if err else sys.stdout, flush=True)


def _client(args: argparse.Namespace):
    from command_game import settings
    from command_game.online.client import BoardClient

    url = args.url or settings.current().board_url
    if not url:
        _say(t("online.cli.no_url"), err=True)
        return None
    return BoardClient(url)


def cmd_serve(args: argparse.Namespace) -> int:
    from command_game.online.cluster import ClusterError
    from command_game.online.limits import Limits
    from command_game.online.service import WorkerOptions, serve

    changes = {"submissions_per_minute": args.per_minute,
               "registrations_per_hour": args.registrations_per_hour}
    limits = Limits(**{k: v for k, v in changes.items() if v is not None})
    try:
        return serve(_database_url(args), args.workers, args.host, args.port, limits,
                     WorkerOptions(args.heartbeat, args.stalled_after, args.nice))
    except ClusterError as exc:
        _say(str(exc), err=True)
        return 1


def _database_url(args: argparse.Namespace) -> str | None:
    from command_game.online.jobs import URL_ENV

    return args.database_url or os.environ.get(URL_ENV) or None


def _needs_database(args: argparse.Namespace) -> str | None:
    """The database URL, or None after saying how to give one."""
    from command_game.online.jobs import URL_ENV

    url = _database_url(args)
    if not url:
        _say(t("online.cli.no_database", env=URL_ENV), err=True)
    return url


def cmd_worker(args: argparse.Namespace) -> int:
    from command_game.online.jobs import run_worker

    url = _needs_database(args)
    if not url:
        return 2
    run_worker(url, name=args.name, heartbeat=args.heartbeat,
               stalled_after=args.stalled_after, with_parent=args.exit_with_parent,
               nice=args.nice)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from command_game.online.migrations import migrate, schema_version

    url = _needs_database(args)
    if not url:
        return 2
    applied = migrate(url)
    _say(t("online.cli.migrated", applied=", ".join(applied) or "-",
           version=schema_version(url)))
    return 0


def cmd_ban(args: argparse.Namespace) -> int:
    from command_game.online import store

    url = _needs_database(args)
    if not url:
        return 2
    reason = None if args.lift else (args.reason or t("online.cli.ban_default"))
    if not store.ban(url, args.name, reason):
        _say(t("online.cli.no_player", name=args.name), err=True)
        return 1
    _say(t("online.cli.lifted" if args.lift else "online.cli.banned", name=args.name))
    return 0


def _ask(args: argparse.Namespace, request: Callable[[Any], Any]) -> tuple[Any, Any] | int:
    """(client, the board's answer to `request(client)`), or the exit code when the
    command is done: 0 once the answer is printed as JSON (`--json`), 2 without a board
    URL, 1 when the board refused or did not answer (said on stderr with its URL)."""
    from command_game.online.client import BoardClientError

    client = _client(args)
    if client is None:
        return 2
    try:
        answer = request(client)
    except BoardClientError as exc:
        _say(f"{client.url}: {exc.message}", err=True)
        return 1
    if getattr(args, "json", False):
        _say(json.dumps(answer, ensure_ascii=False))
        return 0
    return client, answer


def cmd_register(args: argparse.Namespace) -> int:
    from command_game.online import account

    asked = _ask(args, lambda client: client.register(args.name))
    if isinstance(asked, int):
        return asked
    client, answer = asked
    account.save_player(client.url, answer["name"], answer["token"])
    _say(t("online.cli.registered", name=answer["name"], url=client.url,
           file=str(account.credentials_path())))
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from command_game import settings
    from command_game.online import account

    client = _client(args)
    if client is None:
        return 2
    name = args.name or settings.current().player_name
    saved = account.saved_player(client.url)
    if saved is None and not name:
        _say(t("online.cli.no_name"), err=True)
        return 2
    name = saved["name"] if saved else name
    results = account.flush(client, name)
    results += [account.submit(client, name, path) for path in args.replays]
    failed = 0
    for res in results:
        if res.ok:
            _say(t("online.cli.submitted", file=res.replay, run=res.run_id,
                   url=f"{client.url}/runs/{res.run_id}", status=res.message))
        elif res.queued_offline:
            _say(t("online.cli.queued_offline", file=res.replay, reason=res.message))
        else:
            failed += 1
            _say(f"{res.replay}: {t('online.cli.refused')}: {res.message}", err=True)
    return 1 if failed else 0


def cmd_status(args: argparse.Namespace) -> int:
    asked = _ask(args, lambda client: client.status(args.run_id))
    if isinstance(asked, int):
        return asked
    run = asked[1]
    line = t("online.cli.status", run=run["run_id"], status=run["status"],
             player=run["player"], level=run["level"], time=run["time"])
    if run["reason"]:
        line += f": {run['reason']}"
    ranks = ", ".join(f"{cat} #{rank}" for cat, rank in run.get("ranks", {}).items())
    _say(line + (f" ({ranks})" if ranks else ""))
    return 0 if run["status"] != "rejected" else 1


def cmd_top(args: argparse.Namespace) -> int:
    from command_game import settings

    try:
        category = CATEGORY_NAMES[parse_category(args.category)]
    except ValueError as exc:
        _say(str(exc), err=True)
        return 2
    me = settings.current().player_name or None
    asked = _ask(args, lambda client: client.top(args.level, category, me, args.seed,
                                                 args.limit))
    if isinstance(asked, int):
        return asked
    board = asked[1]
    _say(f"{board['level']} - {board['category']}")
    if not board["runs"]:
        _say(t("speedrun.cli.no_runs"))
    for row in board["runs"]:
        _say(f"{row['rank']:>3}. {row['player']:<24} {row['time']:>11}  #{row['run_id']}")
    mine = board.get("player")
    if mine and all(r["run_id"] != mine["run_id"] for r in board["runs"]):
        _say(f"...\n{mine['rank']:>3}. {mine['player']:<24} {mine['time']:>11}  "
             f"#{mine['run_id']}")
    return 0
