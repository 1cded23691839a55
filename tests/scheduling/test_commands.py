"""marketnews run JOB and marketnews schedule: the job actions, overlaps refused, catch-up once, stopping.

Each test runs on both engines: a SQLite desk with the state file and its flock, and a PostgreSQL desk with the
run state in the desk and advisory locks (the settings file the commands read names the desk).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.desk.actions import approve
from generator.desk.store import Store
from generator.pipeline import generate
from generator.scheduling import Job, Scheduler
from generator.scheduling.run_state import RUN_LOCK, run_state
from generator.scheduling.runner import JobRunner
from generator.settings import Settings
from tests.conftest import make_snapshot
from tests.scheduling.test_scheduler import FrozenClock, at
from tests.sources.venues import Venues
from tests.test_cli_live import env_for, run

DESK: dict[str, Path | str] = {}  # the desk of the running test (the engine fixture sets it)


@pytest.fixture(autouse=True, params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        DESK["db"] = tmp_path / "out" / "desk.sqlite3"
        yield "sqlite"
        return
    url = request.getfixturevalue("pg_cluster").url()
    DESK["db"] = url
    yield url
    from generator.desk.engine import open_engine

    open_engine(url).close()


def desk() -> Store:
    return Store(DESK["db"])


def settings_here(tmp_path: Path, **extra: object) -> Settings:
    return Settings(output_dir=tmp_path / "out", desk_db=DESK["db"],
                    schedule_state_file=tmp_path / "state" / "schedule.json", **extra)  # type: ignore[arg-type]


@pytest.fixture
def live_venues() -> Iterator[Venues]:
    with Venues(now=datetime.now(timezone.utc).replace(microsecond=0)) as v:
        yield v


def config(tmp_path: Path, jobs: str, **settings: object) -> Path:
    lines = [f'output_dir = "{tmp_path / "out"}"', f'schedule_state_file = "{tmp_path / "state" / "schedule.json"}"',
             f'desk_db = "{DESK["db"]}"',
             f'static_site_dir = "{tmp_path / "site"}"', 'static_site_url = "https://news.example.com/"']
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    path = tmp_path / "marketnews.toml"
    path.write_text("\n".join(lines) + "\n" + jobs)
    return path


DAILY = """
[jobs.morning]
cron = "0 8 * * *"
timezone = "Europe/London"
action = "daily"
assets = ["BTC", "ETH"]
"""
PUBLISH = """
[jobs.site]
cron = "*/15 * * * *"
action = "publish"
target = "static_site"
"""


def state(tmp_path: Path) -> dict:
    """Each job's last run as recorded: the state file (SQLite) or the desk's run_state (PostgreSQL)."""
    return {job: entry.model_dump(mode="json") for job, entry in run_state(settings_here(tmp_path)).load().jobs.items()}


def test_run_daily_writes_each_asset_and_auto_publishes(live_venues: Venues, tmp_path: Path) -> None:
    config(tmp_path, DAILY, auto_publish=True)
    proc = run("run", "morning", env=env_for(live_venues), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("job morning: running (daily, slot ")
    assert "job morning: 2 assets: 2 written (BTC, ETH)" in out
    assert out.count(": static_site: created: https://news.example.com/") == 2
    store = desk()
    assert sorted((a.asset, a.status) for a in store.articles()) == [("BTC", "published"), ("ETH", "published")]
    assert state(tmp_path)["morning"]["outcome"] == "ok"
    assert (tmp_path / "site" / "feed.xml").is_file()


def test_run_daily_reports_a_failed_asset_with_its_exit_code(live_venues: Venues, tmp_path: Path) -> None:
    config(tmp_path, DAILY.replace('["BTC", "ETH"]', '["BTC", "ZZZ"]'))
    proc = run("run", "morning", env=env_for(live_venues), cwd=tmp_path)
    assert proc.returncode == 2
    assert "job morning: 2 assets: 1 written (BTC), 1 failed (ZZZ)" in proc.stdout
    assert proc.stderr.startswith("marketnews: error: job morning: 1 of 2 assets failed: ZZZ: unknown asset ZZZ")
    assert proc.stderr.count("\n") == 1
    recorded = state(tmp_path)["morning"]
    assert recorded["outcome"] == "failed" and "ZZZ: unknown asset ZZZ" in recorded["error"]
    assert [a.asset for a in desk().articles()] == ["BTC"]


def approved_drafts(tmp_path: Path, days: list[str]) -> Store:
    settings = settings_here(tmp_path)
    store = desk()
    for day in days:
        approve(store, generate(make_snapshot(day), settings).draft_id, by="Ann")
    return store


def test_run_publish_sends_approved_drafts_and_an_overlap_is_refused(tmp_path: Path) -> None:
    store = approved_drafts(tmp_path, ["2018-01-16", "2018-02-05"])
    config(tmp_path, PUBLISH)
    with run_state(settings_here(tmp_path)).hold(RUN_LOCK, "a scheduled run"):  # the file's flock or the advisory lock
        proc = run("run", "site", cwd=tmp_path)
    assert proc.returncode == 8
    assert proc.stderr.count("\n") == 1 and re.match(
        rf"marketnews: error: a scheduled run is already in progress \(pid {os.getpid()}\b[^)]*, since ", proc.stderr)
    assert all(a.status == "approved" for a in store.articles())
    proc = run("run", "site", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("static_site: created: ") == 2 and proc.stdout.count(" is published (revision 1)") == 2
    assert all(a.status == "published" for a in store.articles())
    proc = run("run", "site", cwd=tmp_path)
    assert proc.returncode == 0 and "job site: nothing to publish" in proc.stdout
    proc = run("run", "nightly", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr == "marketnews: error: no job named 'nightly' (jobs: site)\n"


def test_a_missed_publish_run_is_caught_up_once(tmp_path: Path) -> None:
    store = approved_drafts(tmp_path, ["2018-02-05"])
    settings = settings_here(tmp_path, static_site_url="https://news.example.com/", static_site_dir=tmp_path / "site")
    clock = FrozenClock(at("2024-01-10 09:05"))
    hourly = Job(cron="0 * * * *", action="publish")
    scheduler = Scheduler({"site": hourly}, tmp_path / "state.json", clock=clock)
    lines: list[str] = []
    runner = JobRunner(settings, echo=lines.append)
    assert scheduler.run_due(runner) == []  # a new job waits for its next slot
    clock.now += timedelta(days=2)  # the machine was off for 48 slots
    [record] = scheduler.run_due(runner)
    assert record.outcome == "ok" and record.slot == at("2024-01-12 09:00")
    assert "job site: catching up once for 48 slots missed while not running" in lines
    assert sum("static_site: created:" in line for line in lines) == 1
    assert scheduler.run_due(runner) == []  # that slot is done
    assert store.articles()[0].status == "published"


def test_schedule_runs_in_the_foreground_one_instance_at_a_time(tmp_path: Path) -> None:
    config(tmp_path, PUBLISH)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "schedule"], cwd=tmp_path, env=clean,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()  # the scheduler says what it will run, then waits
        assert "job site (publish, '*/15 * * * *' UTC): next run " in first
        second = run("schedule", cwd=tmp_path)
        assert second.returncode == 8 and second.stderr.count("\n") == 1
        assert "another 'marketnews schedule' is already in progress" in second.stderr
        idle = run("run", "site", cwd=tmp_path)  # between slots the run lock is free
        assert idle.returncode == 0 and "nothing to publish" in idle.stdout
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.rstrip().endswith("scheduler stopped")


def test_schedule_without_jobs_is_a_clear_error(tmp_path: Path) -> None:
    config(tmp_path, "")
    proc = run("schedule", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ("marketnews: error: no enabled jobs in the configuration (add [jobs.NAME] tables, "
                           "see docs/scheduling.md)\n")

