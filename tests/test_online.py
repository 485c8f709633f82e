"""The community board with its real parts: `command-game board serve` starts a private
PostgreSQL cluster, two real worker processes and the API on localhost; the tests talk to
it over HTTP, read its database, SIGKILL a worker mid-job and load its pages in Chromium.

Order matters only for the last test, which stops the service with Ctrl+C (SIGINT).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import arcade
import psycopg
import pytest

from command_game.cli import sim as sim_cli
from command_game.level.io import level_digest, load_level
from command_game.online import account
from command_game.online.client import BoardClient, BoardClientError
from command_game.online.cluster import free_port
from command_game.speedrun.replay import HEADER, MAGIC, decode, encode, read_replay
from tests.conftest import ARTIFACTS, LEVELS, REPO, click, pump, save_frame

SPRINT = REPO / "tests" / "data" / "speedrun_sprint.json"
PER_MINUTE = 12
REGISTRATIONS = 40  # per address and hour; the tests before the one that checks it use ~15
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="PostgreSQL server binaries "
                                "and Chromium are found the Debian way")


class Board:
    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client = BoardClient(self.url, timeout=10)
        self.proc: subprocess.Popen | None = None
        self.database_url = ""
        self.log = root / "serve.log"

    def start(self) -> None:
        env = {**os.environ, "COMMAND_GAME_HOME": str(self.home)}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client = BoardClient(self.url, timeout=10)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "command_game", "board", "serve", "--workers", "2",
             "--port", str(self.port), "--per-minute", str(PER_MINUTE), "--heartbeat", "0.5",
             "--registrations-per-hour", str(REGISTRATIONS),
             "--stalled-after", "5"], env=env, stdout=open(self.log, "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while True:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if self.client.health()["workers"] >= 2:
                    break
            except BoardClientError:
                pass
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.3)
        port = re.search(r"127\.0\.0\.1:(\d+)\)", self.log.read_text()).group(1)
        password = (self.home / "board-postgres" / "password").read_text().strip()
        self.database_url = f"postgresql://kamtibmas:{password}@127.0.0.1:{port}/kamtibmas_board"

    def sql(self, query: str, *args):
        with psycopg.connect(self.database_url) as conn:
            return conn.execute(query, args).fetchall()

    def wait_done(self, run_id: int, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            run = self.client.status(run_id)
            if run["status"] != "queued":
                return run
            assert time.monotonic() < deadline, f"run {run_id} still queued"
            time.sleep(0.2)

    def player(self, name: str) -> str:
        return self.client.register(name)["token"]


@pytest.fixture(scope="module")
def board():
    # PostgreSQL runs as the 'postgres' user when the tests run as root: it must be able
    # to walk down to the cluster, so the folder is searchable (not readable) by others.
    root = Path(tempfile.mkdtemp(prefix="kmtb-online-"))
    os.chmod(root, 0o711)
    (root / "home" / "levels").mkdir(parents=True)
    os.chmod(root / "home", 0o711)
    shutil.copy(SPRINT, root / "home" / "levels" / SPRINT.name)
    service = Board(root)
    service.start()
    yield service
    if service.proc.poll() is None:
        service.proc.send_signal(signal.SIGINT)
        service.proc.wait(60)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def replays(tmp_path_factory) -> dict[str, Path]:
    """Real autopilot runs: wins of the sprint level on several seeds, and a longer
    (unfinished) run of a campaign level, slow enough to kill a worker during it."""
    folder = tmp_path_factory.mktemp("replays")
    out = {}
    for seed in range(1, 9):
        path = folder / f"sprint{seed}.kmrp"
        result = sim_cli.run(SPRINT, autopilot=True, seed=seed, replay_out=path)
        assert result["outcome"] == "won" and result["replay_verified"]
        out[f"sprint{seed}"] = path
    long = folder / "long.kmrp"
    assert sim_cli.run(LEVELS / "01_singkawang.json", autopilot=True, seed=4, ticks=6000,
                       replay_out=long)["replay_verified"]
    out["long"] = long
    return out


def edited(path: Path, **changes) -> bytes:
    """A forged replay: fields changed, then encoded again (so its CRC is right)."""
    return encode(read_replay(path).model_copy(update=changes))


def test_a_run_is_simulated_once_for_its_verdict_and_its_profile(replays, monkeypatch):
    from command_game.online import jobs
    from command_game.sim.world import World
    from command_game.userdata import levels_dir

    shutil.copy(SPRINT, levels_dir() / SPRINT.name)  # the levels a worker checks against
    monkeypatch.setattr(jobs, "_levels", None)
    built = []
    make = World.from_level.__func__
    monkeypatch.setattr(World, "from_level", classmethod(
        lambda cls, *args, **kwargs: built.append(args) or make(cls, *args, **kwargs)))
    verdict, profile = jobs.check(replays["sprint1"].read_bytes(), "run 1")
    assert verdict.valid and len(built) == 1
    assert profile["score"] == verdict.score and dict(profile["breakdown"])["win_points"] > 0
    forged, none = jobs.check(edited(replays["sprint2"], outcome="lost", categories=[]), "2")
    assert (forged.valid, forged.key, none) == (False, "speedrun.verify.outcome", None)


def test_submitted_run_verifies_and_ranks_with_splits_and_profile(board, replays):
    token = board.player("Rani")
    data = replays["sprint1"].read_bytes()
    answer = board.client.submit(data, token)
    assert answer["status"] == "queued"
    run = board.wait_done(answer["run_id"])
    assert run["status"] == "verified", run
    assert run["ranks"]["Any%"] == 1 and dict(run["profile"]["breakdown"])["win_points"] > 0
    assert len(run["profile"]["peak_tension"]) > 5
    top = board.client.top("speedrun_sprint", "Any%", player="rani")
    first = top["runs"][0]
    replay = decode(data)
    assert (first["player"], first["run_id"], first["ticks"]) == (
        "Rani", answer["run_id"], replay.final_tick)
    assert [s["objective"] for s in first["splits"]] == [o for o, _ in replay.splits]
    assert top["player"]["rank"] == 1
    assert board.client.replay(answer["run_id"]) == data


def test_forged_replays_are_rejected_with_the_reason(board, replays):
    token = board.player("Forger")
    splits = read_replay(replays["sprint2"]).splits
    other_digest = level_digest(load_level(LEVELS / "01_singkawang.json"))
    forgeries = {
        "speedrun.verify.splits": edited(replays["sprint2"], splits=[
            (obj, max(0, tick - 120)) for obj, tick in splits]),
        "speedrun.verify.outcome": edited(replays["sprint3"], outcome="lost", categories=[]),
        "speedrun.verify.level_mismatch": edited(replays["sprint4"],
                                                 level_digest=other_digest),
    }
    ids = {key: board.client.submit(data, token)["run_id"] for key, data in forgeries.items()}
    for key, run_id in ids.items():
        run = board.wait_done(run_id)
        assert (run["status"], run["reason_key"]) == ("rejected", key), run
        assert run["reason"]
    top = board.client.top("speedrun_sprint", "Any%", limit=100)
    assert not set(ids.values()) & {r["run_id"] for r in top["runs"]}
    # a forged copy sent first never blocks the genuine run of the same identity
    genuine = board.client.submit(replays["sprint2"].read_bytes(), token)["run_id"]
    assert board.wait_done(genuine)["status"] == "verified"


def test_the_same_run_ranks_once_whoever_sends_it(board, replays):
    first = board.client.submit(replays["sprint5"].read_bytes(), board.player("Ayu"))
    board.wait_done(first["run_id"])
    renamed = edited(replays["sprint5"], player="Thief", recorded_at="2030-01-01T00:00:00")
    with pytest.raises(BoardClientError) as err:
        board.client.submit(renamed, board.player("Thief"))
    assert err.value.code == "duplicate_run" and err.value.status == 409
    assert err.value.detail["run_id"] == first["run_id"]
    rows = board.sql("SELECT count(*) FROM runs WHERE identity = %s",
                     read_replay(replays["sprint5"]).run_identity())
    assert rows == [(1,)]


def test_a_worker_killed_mid_job_loses_nothing(board, replays):
    run_id = board.client.submit(replays["long"].read_bytes(), board.player("Budi"))["run_id"]
    deadline = time.monotonic() + 30
    while not (rows := board.sql("SELECT worker FROM verifications WHERE run_id = %s"
                                 " AND finished_at IS NULL", run_id)):
        assert time.monotonic() < deadline, "no worker took the job"
        time.sleep(0.05)
    pid = int(rows[0][0].rsplit(":", 1)[1])
    os.kill(pid, signal.SIGKILL)
    run = board.wait_done(run_id, timeout=90)
    assert run["status"] == "verified", run
    attempts = board.sql("SELECT worker, finished_at IS NOT NULL, outcome FROM verifications"
                         " WHERE run_id = %s ORDER BY id", run_id)
    assert len(attempts) == 2 and attempts[0][1:] == (False, None)
    assert attempts[1][1:] == (True, "verified") and attempts[1][0] != attempts[0][0]
    jobs = board.sql("SELECT status, attempts FROM procrastinate_jobs"
                     " WHERE args->>'run_id' = %s", str(run_id))
    assert jobs == [("succeeded", 2)]  # the same job, put back by the stall watcher
    wait_for_workers(board, 2)  # serve replaced the dead worker


def wait_for_workers(board: Board, count: int) -> None:
    deadline = time.monotonic() + 30
    while board.client.health()["workers"] < count:
        assert time.monotonic() < deadline
        time.sleep(0.3)


def test_two_workers_never_verify_the_same_job_twice(board, replays):
    token = board.player("Citra")
    sent = [board.client.submit(edited(replays["sprint6"], seed=100 + i), token)["run_id"]
            for i in range(8)]  # another seed: distinct runs, each rejected (diverges)
    for run_id in sent:
        assert board.wait_done(run_id)["reason_key"] == "speedrun.verify.diverged"
    counts = board.sql("SELECT run_id, count(*), count(DISTINCT worker) FROM verifications"
                       " WHERE run_id = ANY(%s) GROUP BY run_id", sent)
    assert sorted(c[0] for c in counts) == sorted(sent)
    assert all(c[1] == 1 for c in counts), counts


def test_limits_and_errors_are_clear_json(board, replays):
    token = board.player("Dewi")
    with pytest.raises(BoardClientError) as err:
        board.client.submit(b"\0" * (1024 * 1024 + 10), token)
    assert (err.value.status, err.value.code) == (413, "replay_too_large")
    with pytest.raises(BoardClientError) as err:
        board.client.submit(b"not a replay at all", token)
    assert (err.value.status, err.value.code) == (400, "bad_replay")
    bomb = bytearray(replays["sprint7"].read_bytes())
    fields = list(HEADER.unpack_from(bomb))
    fields[4] = 512 * 1024 * 1024
    bomb[: HEADER.size] = HEADER.pack(*fields)
    assert bomb.startswith(MAGIC)
    with pytest.raises(BoardClientError) as err:
        board.client.submit(bytes(bomb), token)
    assert err.value.code == "replay_inflates_too_large"
    with pytest.raises(BoardClientError) as err:
        board.client.submit(edited(replays["sprint7"], final_tick=4 * 3600 * 60), token)
    assert (err.value.status, err.value.code) == (422, "run_too_long")
    with pytest.raises(BoardClientError) as err:
        board.client.submit(replays["sprint7"].read_bytes(), "wrong-token")
    assert (err.value.status, err.value.code) == (401, "token_unknown")
    with pytest.raises(BoardClientError) as err:
        board.client.top("speedrun_sprint", "Fastest%")
    assert err.value.code == "unknown_category"
    with pytest.raises(BoardClientError) as err:
        board.client.register("dEWI")
    assert err.value.code == "name_taken"
    assert board.client.register("  Eka\x07\nPutri  ")["name"] == "Eka Putri"
    flood = board.player("Flood")
    codes = []
    for i in range(PER_MINUTE + 1):
        try:
            board.client.submit(edited(replays["sprint7"], seed=500 + i), flood)
            codes.append("ok")
        except BoardClientError as exc:
            codes.append(exc.code)
    assert codes == ["ok"] * PER_MINUTE + ["rate_limited"]


def test_a_replay_goes_as_a_multipart_upload_too(board, replays):
    boundary = "kmtb-boundary"
    data = edited(replays["sprint7"], seed=700)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"replay\"; "
            f"filename=\"run.kmrp\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    answer = board.client._request("POST", "/api/runs", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Authorization": f"Bearer {board.player('Multi')}"})
    assert answer["status"] == "queued"
    assert board.client.replay(answer["run_id"]) == data
    assert board.wait_done(answer["run_id"])["status"] == "rejected"  # another seed


def test_cli_and_outbox_deliver_when_the_server_answers(board, replays, capsys):
    dead = f"http://127.0.0.1:{free_port()}"
    from command_game.cli import main

    account.save_player(dead, "Gita", board.player("Gita"))
    assert main(["board", "submit", str(replays["sprint8"]), "--url", dead]) == 0
    assert "outbox" in capsys.readouterr().out
    assert len(account.waiting(dead)) == 1
    # the same player's token on the live server, then the queued run goes with the next
    account.save_player(board.url, "Gita", account.saved_player(dead)["token"])
    account.queue_offline(board.url, replays["sprint8"])
    assert main(["board", "submit", str(replays["sprint8"]), "--url", board.url]) == 0
    out = capsys.readouterr().out
    assert account.waiting(board.url) == []
    run_id = int(re.search(r"run (\d+)", out).group(1))
    board.wait_done(run_id)
    assert main(["board", "status", str(run_id), "--url", board.url]) == 0
    assert "verified" in capsys.readouterr().out
    assert main(["board", "top", "speedrun_sprint", "--category", "any", "--url", board.url,
                 "--json"]) == 0
    assert '"Gita"' in capsys.readouterr().out


def test_a_real_browser_shows_the_board_and_names_as_text(board, replays):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    name = '<b id="x">Hax</b><img src=x>'  # names are cut at 32 characters
    token = board.player(name)
    forged = edited(replays["sprint1"], seed=901)  # any run by that player: it shows too
    run_id = board.client.submit(replays["sprint3"].read_bytes(), token)["run_id"]
    board.client.submit(forged, token)
    assert board.wait_done(run_id)["status"] == "verified"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1200,1500", f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(f"{board.url}/boards/speedrun_sprint?category=any")
        title = driver.find_element(By.ID, "board-title").text  # the level's own title
        assert title == "Speedrun test: sprint to the KPU \u00b7 Any%"
        players = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#board td.player")]
        assert name in players
        assert driver.find_elements(By.ID, "x") == []
        assert driver.find_elements(By.CSS_SELECTOR, "#board img") == []
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "online_board.png"))
        driver.get(f"{board.url}/runs/{run_id}")
        assert driver.find_element(By.CSS_SELECTOR, "a.player").text == name
        assert "verified" in driver.find_element(By.ID, "status").text
        assert driver.find_elements(By.CSS_SELECTOR, "#tension-chart polyline")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#splits tr")) >= 2
        first = driver.find_element(By.CSS_SELECTOR, "#splits tr:nth-child(2) td").text
        assert first == "Keep a unit at the KPU office for 3 seconds"
        axes = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#tension-chart text")]
        assert axes[:5] == ["0", "25", "50", "75", "100"] and "0:00" in axes
        driver.save_screenshot(str(ARTIFACTS / "online_run.png"))
        driver.get(f"{board.url}/runs/{run_id}?lang=id")
        assert "terverifikasi" in driver.find_element(By.ID, "status").text
        first = driver.find_element(By.CSS_SELECTOR, "#splits tr:nth-child(2) td").text
        assert first == "Jaga kantor KPU selama 3 detik"
        assert driver.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "id"
        driver.save_screenshot(str(ARTIFACTS / "online_run_id.png"))
        driver.find_element(By.CSS_SELECTOR, "a.player").click()
        assert driver.find_element(By.ID, "player-name").text == name
        assert len(driver.find_elements(By.CSS_SELECTOR, "#runs tr")) == 3
    finally:
        driver.quit()


def press(window, symbol: int) -> None:
    window.dispatch_event("on_key_press", symbol, 0)
    window.dispatch_pending_events()
    pump(window)


def type_into(window, field, text: str) -> None:
    click(window, field)
    field.text = ""
    window.dispatch_event("on_text", text)
    window.dispatch_pending_events()
    pump(window)


def pump_until(window, done, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline
        pump(window)
        time.sleep(0.05)


@pytest.mark.gl
def test_the_game_sets_up_submits_and_shows_the_global_tab(board, clean_window, stack):
    from command_game import settings
    from command_game.scenes.board_settings import BoardSettingsScene
    from command_game.scenes.debrief import DebriefScene
    from command_game.scenes.leaderboard import LeaderboardScene
    from command_game.sim.autopilot import play
    from command_game.sim.world import World
    from command_game.speedrun.record import record_finished_run
    from command_game.userdata import levels_dir

    shutil.copy(SPRINT, levels_dir() / SPRINT.name)  # a level of the player's own
    # offline first: the Global tab says so at once and the game goes on
    dead = f"http://127.0.0.1:{free_port()}"
    from command_game.scenes.settings import SettingsScene

    screen = stack.push(SettingsScene())
    pump(clean_window, 2)
    while screen.rows[screen.focus_index].main is not screen.value_buttons["board_url"]:
        press(clean_window, arcade.key.DOWN)  # the row scrolls into view on the way
    save_frame(clean_window, "online_settings_row")
    press(clean_window, arcade.key.ENTER)
    form = stack.top
    assert isinstance(form, BoardSettingsScene)
    type_into(clean_window, form.url_field, dead)
    type_into(clean_window, form.name_field, "Kiki")
    click(clean_window, next(w for w in form.focus.buttons if w.text == "Save"))
    save_frame(clean_window, "online_settings")
    assert (settings.current().board_url, settings.current().player_name) == (dead, "Kiki")
    offline = stack.push(LeaderboardScene("speedrun_sprint"))
    pump(clean_window, 2)
    click(clean_window, offline.global_button)
    tab = stack.top
    started = time.monotonic()
    pump_until(clean_window, lambda: tab.call is None)
    assert time.monotonic() - started < 6 and "does not answer" in tab.status
    while len(stack):
        stack.pop()
    # online: a real run, verified locally, submitted from the debrief
    settings.update(board_url=board.url)
    level = load_level(SPRINT)
    world = play(World.from_level(level, seed=21))
    run = record_finished_run(SPRINT, level, world, 31.0, "Kiki", background=False)
    debrief = stack.push(DebriefScene(world, SPRINT, 31.0, run=run))
    pump(clean_window, 2)
    click(clean_window, next(b for b in debrief.buttons if b.text == "Submit to board"))
    assert debrief.submission.wait(60)
    pump(clean_window, 2)
    save_frame(clean_window, "online_debrief_submitted")
    run_id = int(re.search(r"run (\d+)", debrief.message).group(1))
    assert board.wait_done(run_id)["status"] == "verified"
    scene = stack.push(LeaderboardScene("speedrun_sprint"))
    pump(clean_window, 2)
    click(clean_window, scene.global_button)
    tab = stack.top
    pump_until(clean_window, lambda: tab.call is None)
    pump(clean_window, 2)
    names = [row[1].text for row in tab.rows]
    assert "Kiki" in names and tab.status.startswith("Your rank: #")
    save_frame(clean_window, "online_global_tab")
    press(clean_window, arcade.key.C)  # the local board's keys: C, the next category
    assert tab.category == "100"
    pump_until(clean_window, lambda: tab.call is None)
    assert tab.status.startswith("Your rank: #")
    press(clean_window, arcade.key.ESCAPE)
    assert stack.top is scene
    while len(stack):
        stack.pop()


def test_a_moderator_ban_takes_a_player_off_the_boards(board, replays, capsys):
    from command_game.cli import main

    def ranked() -> list[str]:
        return [r["player"] for r in board.client.top("speedrun_sprint", limit=100)["runs"]]

    def eventually(check) -> None:
        deadline = time.monotonic() + 10
        while not check():
            assert time.monotonic() < deadline
            time.sleep(0.1)

    if not ranked():  # run on its own: a run to take off the board first
        sent = board.client.submit(replays["sprint5"].read_bytes(), board.player("Ayu"))
        board.wait_done(sent["run_id"])
    victim = ranked()[0]
    assert main(["board", "ban", victim.upper(), "--reason", "rude name",
                 "--database-url", board.database_url]) == 0
    eventually(lambda: victim not in ranked())
    token = board.player("Mallory")
    assert main(["board", "ban", "Mallory", "--database-url", board.database_url]) == 0
    with pytest.raises(BoardClientError) as err:
        board.client.submit(edited(replays["sprint8"], seed=800), token)
    assert (err.value.status, err.value.code) == (403, "player_banned")
    assert main(["board", "ban", victim, "--lift", "--database-url", board.database_url]) == 0
    eventually(lambda: victim in ranked())
    assert main(["board", "ban", "Nobody", "--database-url", board.database_url]) == 1
    capsys.readouterr()


def test_one_address_cannot_farm_names(board):
    (before,), = board.sql("SELECT count(*) FROM players WHERE created_from = '127.0.0.1'")
    made, refused = 0, None
    for i in range(REGISTRATIONS + 1):
        try:
            board.client.register(f"farm{i}")
            made += 1
        except BoardClientError as exc:
            refused = exc
            break
    assert made == REGISTRATIONS - before
    assert (refused.status, refused.code) == (429, "registrations_limited")


def test_openapi_describes_the_api(board):
    doc = board.client._request("GET", "/openapi.json")
    for path in ("/api/runs", "/api/runs/{run_id}", "/api/runs/{run_id}/replay",
                 "/api/boards/{level}", "/api/players", "/healthz"):
        assert path in doc["paths"]


def test_ctrl_c_stops_everything(board):
    board.proc.send_signal(signal.SIGINT)
    assert board.proc.wait(60) == 0, board.log.read_text()
    assert "board: stopped" in board.log.read_text()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(board.database_url, connect_timeout=2)
    with pytest.raises(BoardClientError):
        board.client.health()


def _worker_pids(board: Board) -> list[int]:
    out = subprocess.run(["pgrep", "-f", "board worker.*--exit-with-parent"],
                         capture_output=True, text=True).stdout.split()
    mine = []
    for pid in map(int, out):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"COMMAND_GAME_HOME={board.home}".encode() in environ:
            mine.append(pid)
    return mine


def test_a_killed_service_restarts_with_every_run_kept(board):
    """After Ctrl+C the board starts again on the same cluster with all its runs; after a
    SIGKILL of the service its workers stop by themselves, and the next start shuts the
    orphaned PostgreSQL down cleanly before starting its own."""
    board.start()
    top = board.client.top("speedrun_sprint", "Any%", limit=100)
    assert "Rani" in [r["player"] for r in top["runs"]]
    assert len(_worker_pids(board)) == 2
    board.proc.kill()
    board.proc.wait(10)
    deadline = time.monotonic() + 30
    while _worker_pids(board):
        assert time.monotonic() < deadline, "workers outlived the killed service"
        time.sleep(0.3)
    board.start()
    assert board.client.top("speedrun_sprint", "Any%", limit=100)["players_ranked"] == \
        top["players_ranked"]
    board.proc.send_signal(signal.SIGINT)
    assert board.proc.wait(60) == 0
