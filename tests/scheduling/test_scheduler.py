"""The scheduler under frozen time: due once, caught up once after downtime, overlaps refused."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.errors import AlreadyRunning, InputError, PublishError
from generator.locks import exclusive_lock
from generator.scheduling import DueRun, Job, Scheduler, due_run, latest_slot, next_slot

UTC = timezone.utc


class FrozenClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:  # time passes only when the scheduler sleeps
        self.now += timedelta(seconds=seconds)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


DAILY = Job(cron="0 8 * * *", timezone="Europe/London", action="daily", assets=["BTC", "ETH"])
PUBLISH = Job(cron="*/15 * * * *", action="publish", target="static_site")


def make(tmp_path: Path, clock: FrozenClock, **jobs: Job) -> Scheduler:
    return Scheduler(jobs or {"btc-daily": DAILY}, tmp_path / "state" / "schedule.json", clock=clock)


def test_slots_follow_the_jobs_time_zone() -> None:
    # 08:00 London is 08:00 UTC in winter and 07:00 UTC in summer time.
    assert next_slot(DAILY, at("2024-03-30 09:00")) == at("2024-03-31 07:00")
    assert latest_slot(DAILY, at("2024-03-31 07:00")) == at("2024-03-31 07:00")  # exactly on the slot
    assert latest_slot(DAILY, at("2024-03-31 06:59")) == at("2024-03-30 08:00")


def test_a_fixed_time_runs_once_when_clocks_go_back() -> None:
    night = Job(cron="30 1 * * *", timezone="Europe/London", action="publish")
    # 01:30 happens twice on 2024-10-27 (BST, then GMT); cron semantics: once.
    assert next_slot(night, at("2024-10-27 00:31")) == at("2024-10-28 01:30")
    assert latest_slot(night, at("2024-10-27 01:45")) == at("2024-10-27 00:30")


def test_new_job_waits_for_its_next_slot_then_runs_once(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = make(tmp_path, clock)
    ran: list[DueRun] = []
    assert sched.run_due(ran.append) == [] and ran == []  # 08:00 today already passed before we knew the job
    clock.now = at("2024-01-11 07:59")
    assert sched.due_jobs() == []
    clock.now = at("2024-01-11 08:00:30")
    due = sched.due_jobs()
    assert [(d.name, d.slot, d.missed) for d in due] == [("btc-daily", at("2024-01-11 08:00"), 0)]
    records = sched.run_due(ran.append)
    assert [r.outcome for r in records] == ["ok"] and len(ran) == 1
    assert ran[0].job.assets == ["BTC", "ETH"]
    # Asked again in the same slot: nothing more to do.
    clock.now = at("2024-01-11 12:00")
    assert sched.due_jobs() == [] and sched.run_due(ran.append) == [] and len(ran) == 1


def test_missed_runs_are_caught_up_once(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = make(tmp_path, clock)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-14 10:00")  # down for four daily slots
    ran: list[DueRun] = []
    records = sched.run_due(ran.append)
    assert len(ran) == 1 and records[0].outcome == "ok"
    assert ran[0].slot == at("2024-01-14 08:00") and ran[0].missed == 3 and ran[0].late
    assert sched.run_due(ran.append) == [] and len(ran) == 1
    state = json.loads(sched.state_file.read_text())
    assert state["jobs"]["btc-daily"]["missed"] == 3


def test_catch_up_off_skips_the_missed_slot(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    job = DAILY.model_copy(update={"catch_up": False})
    sched = make(tmp_path, clock, strict=job)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-12 10:00")
    ran: list[DueRun] = []
    assert [r.outcome for r in sched.run_due(ran.append)] == ["skipped"] and ran == []
    clock.now = at("2024-01-13 08:01")  # on time again
    assert [r.outcome for r in sched.run_due(ran.append)] == ["ok"] and len(ran) == 1


def test_failed_run_is_recorded_and_other_jobs_still_run(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = make(tmp_path, clock, a_daily=DAILY, b_publish=PUBLISH)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-11 08:00")

    def runner(run: DueRun) -> None:
        if run.name == "a_daily":
            raise PublishError("wordpress answered 500")

    records = {r.name: r for r in sched.run_due(runner)}
    assert records["a_daily"].outcome == "failed" and "500" in (records["a_daily"].error or "")
    assert records["b_publish"].outcome == "ok"
    assert json.loads(sched.state_file.read_text())["jobs"]["a_daily"]["error"] == "wordpress answered 500"


def test_overlapping_runs_are_refused(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = make(tmp_path, clock)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-11 08:00")
    inner: list[str] = []

    def runner(run: DueRun) -> None:
        # While this run holds the lock, a second one (cron firing again) must be refused.
        with pytest.raises(AlreadyRunning, match="already in progress.*pid"):
            sched.run_due(lambda r: inner.append(r.name))
        with pytest.raises(AlreadyRunning):
            sched.run_job("btc-daily", lambda r: inner.append(r.name))

    assert [r.outcome for r in sched.run_due(runner)] == ["ok"]
    assert inner == []


def _hold_lock(path: str, ready, release) -> None:  # noqa: ANN001 - multiprocessing primitives
    with exclusive_lock(Path(path)):
        ready.set()
        release.wait(10)


def test_lock_is_refused_across_processes_and_released_when_holder_ends(tmp_path: Path) -> None:
    lock = tmp_path / "schedule.json.lock"
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(lock), ready, release))
    proc.start()
    try:
        assert ready.wait(10)
        with pytest.raises(AlreadyRunning, match=f"pid {proc.pid}"):
            with exclusive_lock(lock):
                pass
    finally:
        release.set()
        proc.join(10)
    with exclusive_lock(lock):  # free again once the holder has gone
        pass


def test_run_job_runs_now_and_counts_for_the_schedule(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 09:00"))
    sched = make(tmp_path, clock)
    ran: list[DueRun] = []
    record = sched.run_job("btc-daily", ran.append)
    assert record.outcome == "ok" and ran[0].slot == at("2024-01-10 08:00")
    assert sched.run_due(ran.append) == [] and len(ran) == 1  # the service does not run that slot again
    with pytest.raises(InputError, match="no job named 'nope'.*btc-daily"):
        sched.run_job("nope", ran.append)


def test_run_job_failure_propagates_after_being_recorded(tmp_path: Path) -> None:
    sched = make(tmp_path, FrozenClock(at("2024-01-10 09:00")))

    def boom(run: DueRun) -> None:
        raise PublishError("no permission")

    with pytest.raises(PublishError):
        sched.run_job("btc-daily", boom)
    assert json.loads(sched.state_file.read_text())["jobs"]["btc-daily"]["outcome"] == "failed"


def test_serve_sleeps_until_each_slot(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 07:50"))
    sched = make(tmp_path, clock, pub=PUBLISH)
    ran: list[datetime] = []
    sched.serve(lambda run: ran.append(run.slot), sleep=clock.sleep,
                should_stop=lambda: clock.now >= at("2024-01-10 09:00"))
    # 07:45 was before the job was first seen; the loop stops when 09:00 comes, before running it.
    assert ran == [at("2024-01-10 08:00"), at("2024-01-10 08:15"), at("2024-01-10 08:30"), at("2024-01-10 08:45")]


def test_serve_without_jobs_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no enabled jobs"):
        Scheduler({}, tmp_path / "s.json").serve(lambda run: None, sleep=lambda s: None)


def test_disabled_job_never_runs() -> None:
    job = DAILY.model_copy(update={"enabled": False})
    assert due_run("x", job, at("2024-01-01 08:00"), at("2024-01-05 09:00")) is None


def test_damaged_state_file_is_a_clear_error(tmp_path: Path) -> None:
    sched = make(tmp_path, FrozenClock(at("2024-01-10 09:00")))
    sched.state_file.parent.mkdir(parents=True)
    sched.state_file.write_text("{not json")
    with pytest.raises(InputError, match="damaged"):
        sched.run_due(lambda run: None)


FIVE = Job(cron="*/5 * * * *", action="publish", target="static_site")


@pytest.mark.parametrize("job", [FIVE, Job(cron="* * * * *", action="publish", target="static_site")])
def test_catch_up_off_skips_missed_slots_of_frequent_jobs_too(tmp_path: Path, job: Job) -> None:
    clock = FrozenClock(at("2024-01-10 10:00"))
    sched = make(tmp_path, clock, frequent=job.model_copy(update={"catch_up": False}))
    sched.run_due(lambda run: None)
    period = next_slot(job, at("2024-01-10 12:00")) - at("2024-01-10 12:00")
    clock.now = at("2024-01-10 12:00") + period * 0.6  # back after downtime, past half the interval: missed
    ran: list[DueRun] = []
    assert [r.outcome for r in sched.run_due(ran.append)] == ["skipped"] and ran == []
    clock.now = at("2024-01-10 12:00") + period + timedelta(seconds=20)  # the next slot, on time
    assert [r.outcome for r in sched.run_due(ran.append)] == ["ok"] and ran[0].missed == 0


def test_catch_up_off_runs_the_current_slot_without_claiming_to_catch_up(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 10:00"))
    sched = make(tmp_path, clock, frequent=FIVE.model_copy(update={"catch_up": False}))
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-10 12:00:30")  # two hours down, back just after a slot
    ran: list[DueRun] = []
    assert [r.outcome for r in sched.run_due(ran.append)] == ["ok"]
    assert ran[0].slot == at("2024-01-10 12:00") and ran[0].missed == 0


def test_catch_up_on_covers_a_frequent_jobs_missed_slots_with_one_run(tmp_path: Path) -> None:
    clock = FrozenClock(at("2024-01-10 10:00"))
    sched = make(tmp_path, clock, frequent=FIVE)
    sched.run_due(lambda run: None)
    clock.now = at("2024-01-10 12:03")
    ran: list[DueRun] = []
    assert [r.outcome for r in sched.run_due(ran.append)] == ["ok"]
    assert ran[0].slot == at("2024-01-10 12:00") and ran[0].missed == 23 and ran[0].late
