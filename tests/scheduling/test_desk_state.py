"""The scheduler's run state and lock in the desk (what a PostgreSQL desk_db uses), on both engines.

The same rules as with the state file (tests/scheduling/test_scheduler.py): a new job waits for its next slot,
downtime is caught up once, overlaps are refused; and a second scheduler with another state file (another
host) sees what the first ran, because the state is the desk's.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from generator.desk.store import Store
from generator.errors import AlreadyRunning, InputError, MarketnewsError
from generator.scheduling import DueRun, Scheduler
from generator.scheduling.run_state import RUN_LOCK, DeskRunState
from tests.scheduling.test_scheduler import DAILY, FrozenClock, at


def host(tmp_path: Path, name: str, store: Store, clock: FrozenClock) -> Scheduler:
    return Scheduler({"btc-daily": DAILY}, tmp_path / name / "schedule.json", clock=clock, state=DeskRunState(store))


def test_the_run_state_is_shared_by_every_host(desk_db: Path | str, tmp_path: Path) -> None:
    store = Store(desk_db)
    clock = FrozenClock(at("2024-01-10 09:00"))
    first, second = host(tmp_path, "a", store, clock), host(tmp_path, "b", Store(desk_db), clock)
    ran: list[DueRun] = []
    assert first.run_due(ran.append) == []  # baselined: 08:00 today passed before the job was known
    clock.now = at("2024-01-11 08:01")
    [record] = first.run_due(ran.append)
    assert record.outcome == "ok" and record.slot == at("2024-01-11 08:00")
    assert second.run_due(ran.append) == [] and len(ran) == 1  # the other host sees the slot is done
    clock.now += timedelta(days=3)  # both hosts were down for three slots: one run catches up
    [caught] = second.run_due(ran.append)
    assert caught.slot == at("2024-01-14 08:00") and ran[-1].missed == 2
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()  # no state file on either host
    assert first.state.load().jobs["btc-daily"].last_slot == at("2024-01-14 08:00")


def test_a_held_run_lock_refuses_another_host_and_names_the_holder(desk_db: Path | str, tmp_path: Path) -> None:
    store = Store(desk_db)
    clock = FrozenClock(at("2024-01-10 09:00"))
    other = host(tmp_path, "b", Store(desk_db), clock)
    with store.hold(RUN_LOCK, "a scheduled run"):
        assert other.state.holder() is not None and "pid " in (other.state.holder() or "")
        with pytest.raises(AlreadyRunning, match="a scheduled run is already in progress"):
            other.run_job("btc-daily", lambda run: None)
    assert other.state.holder() is None
    assert other.run_job("btc-daily", lambda run: None).outcome == "ok"  # the lock went with its holder


def test_a_failed_run_is_recorded_in_the_desk(desk_db: Path | str, tmp_path: Path) -> None:
    store = Store(desk_db)
    sched = host(tmp_path, "a", store, FrozenClock(at("2024-01-10 09:00")))

    def fail(run: DueRun) -> None:
        raise InputError("no such asset")

    with pytest.raises(MarketnewsError):
        sched.run_job("btc-daily", fail)
    entry = DeskRunState(store).load().jobs["btc-daily"]
    assert entry.outcome == "failed" and entry.error == "no such asset"


def test_a_damaged_row_is_a_clear_error(desk_db: Path | str, tmp_path: Path) -> None:
    store = Store(desk_db)
    with store.transaction() as conn:
        conn.execute("INSERT INTO run_state (job, state, updated_at) VALUES ('x', '{not json', 'now')")
    with pytest.raises(InputError, match="run state in the desk's run_state table .* is damaged"):
        DeskRunState(store).load()
