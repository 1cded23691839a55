"""Where the scheduler keeps its run state and takes its lock: a file on one host, the desk on several.

With a SQLite desk (one machine) the state is the JSON file ``schedule_state_file`` and the lock a flock
beside it, as ever. With a PostgreSQL desk the jobs may run on several hosts (cron, systemd timers,
Kubernetes CronJobs), each with its own folder: the state is the desk's ``run_state`` table and the lock
an advisory lock in the database, so ``marketnews run JOB`` started on two hosts at once runs once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from pydantic import ValidationError

from generator.desk.engine import is_postgres
from generator.desk.store import Store, now
from generator.errors import InputError
from generator.locks import exclusive_lock, lock_holder
from generator.scheduling.state import JobState, ScheduleState, load_state, save_state
from generator.settings import Settings

RUN_LOCK = "scheduled run"
SERVICE_LOCK = "schedule service"


class RunState:
    """The state file and its locks (one host)."""

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self.where = str(state_file)

    def _lock_file(self, name: str) -> Path:
        suffix = ".lock" if name == RUN_LOCK else ".scheduler.lock"
        return self.state_file.with_name(self.state_file.name + suffix)

    def hold(self, name: str, what: str) -> AbstractContextManager[None]:
        return exclusive_lock(self._lock_file(name), what)

    def holder(self, name: str = RUN_LOCK) -> str | None:
        return lock_holder(self._lock_file(name))

    def load(self) -> ScheduleState:
        return load_state(self.state_file)

    def save(self, state: ScheduleState) -> None:
        save_state(self.state_file, state)


class DeskRunState(RunState):
    """The state in the desk's run_state table and the locks in the database (every host sees them)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.where = f"the desk's run_state table ({store.location})"

    @contextmanager
    def hold(self, name: str, what: str) -> Iterator[None]:
        with self.store.hold(name, what):
            yield

    def holder(self, name: str = RUN_LOCK) -> str | None:
        return self.store.holder(name)

    def load(self) -> ScheduleState:
        with self.store.connect() as conn:
            rows = conn.execute("SELECT job, state FROM run_state ORDER BY job").fetchall()
        try:
            return ScheduleState(jobs={r["job"]: JobState.model_validate(json.loads(r["state"])) for r in rows})
        except (ValueError, ValidationError):
            raise InputError(f"the run state in {self.where} is damaged; delete its rows to start afresh "
                             "(every job then waits for its next slot)") from None

    def save(self, state: ScheduleState) -> None:
        stamp = now()
        with self.store.transaction() as conn:
            for job, entry in state.jobs.items():
                conn.execute("INSERT INTO run_state (job, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (job)"
                             " DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                             (job, entry.model_dump_json(), stamp))


def run_state(settings: Settings) -> RunState:
    """The run state for these settings: the desk's with a PostgreSQL desk_db, else the state file."""
    if settings.desk_db is not None and is_postgres(settings.desk_db):
        return DeskRunState(Store(settings.desk_db))
    return RunState(settings.schedule_state_file)
