"""marketnews status: each job's last slot, outcome, error and next run, and whether a run holds the lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import PublishError
from generator.locks import exclusive_lock, lock_holder
from generator.scheduling import DueRun, Scheduler
from generator.scheduling.state import load_state
from generator.scheduling.status import job_statuses
from tests.scheduling.test_scheduler import DAILY, PUBLISH, FrozenClock, at

CONFIG = """schedule_state_file = "state/schedule.json"
[jobs.morning]
cron = "0 8 * * *"
timezone = "Europe/London"
action = "daily"
assets = ["BTC"]
[jobs.site]
cron = "*/15 * * * *"
action = "publish"
target = "static_site"
"""


def test_statuses_come_from_the_state_and_the_schedule(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = Scheduler({"morning": DAILY, "site": PUBLISH}, tmp_path / "s.json", clock=clock)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-11 08:00")

    def runner(run: DueRun) -> None:
        if run.name == "site":
            raise PublishError("WordPress answered 500")

    sched.run_due(runner)
    got = {s.name: s for s in job_statuses(sched.jobs, load_state(sched.state_file), clock.now)}
    assert (got["morning"].outcome, got["morning"].last_slot) == ("ok", at("2024-01-11 08:00"))
    assert got["morning"].next_run == at("2024-01-12 08:00")
    assert got["site"].outcome == "failed" and got["site"].error == "WordPress answered 500"
    assert got["site"].next_run == at("2024-01-11 08:15")


def test_the_command_prints_a_table_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(CONFIG)
    assert main(["--config", str(cfg), "status"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["JOB", "ACTION", "SCHEDULE", "LAST", "SLOT", "OUTCOME", "NEXT", "RUN"]
    assert "morning  daily    0 8 * * * (Europe/London)" in out and "not run yet" in out
    assert "running now: nothing" in out and f"state: {tmp_path / 'state' / 'schedule.json'}" in out
    with exclusive_lock(tmp_path / "state" / "schedule.json.lock"):
        assert main(["--config", str(cfg), "status", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
    assert data["running"].startswith("pid ") and [j["name"] for j in data["jobs"]] == ["morning", "site"]
    assert lock_holder(tmp_path / "state" / "schedule.json.lock") is None  # released, and status took nothing


def test_no_jobs_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text('dateline = "LONDON"\n')
    assert main(["--config", str(cfg), "status"]) == 0
    assert "no jobs configured" in capsys.readouterr().out


def test_a_holder_that_died_without_clearing_the_lock_file_is_no_holder(tmp_path: Path) -> None:
    lock = tmp_path / "schedule.json.lock"
    lock.write_text("pid 999999999, since 2024-01-11T08:00:00+00:00\n")  # above any pid_max: no such process
    assert lock_holder(lock) is None
