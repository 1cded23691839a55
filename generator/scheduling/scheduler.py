"""Which jobs are due, running them under the lock, and the foreground loop.

Time is always passed in (``now``) or read from an injected clock, and the loop
sleeps through an injected function, so all of this runs under frozen time in tests.

Rules: a job first seen is baselined at its latest slot and runs from its next
one (like cron, nothing in the past is run for a new job). After downtime, the
missed slots are caught up with ONE run, not one per slot. A run counts once it
has finished, ok or failed; a run killed midway is retried at the next check,
which is safe because the actions (writing an article folder, publishing with a
lookup first) are idempotent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict

from generator.errors import AlreadyRunning, InputError, MarketnewsError
from generator.jobs import Job, latest_slot, next_slot, slots_between
from generator.scheduling.run_state import RUN_LOCK, RunState, run_state
from generator.scheduling.state import JobState, Outcome, ScheduleState
from generator.settings import Settings

log = logging.getLogger(__name__)

# A slot this late is "missed", not merely "due": it ran (catch_up) or was skipped during downtime. For a job
# that runs more often, half its interval: otherwise an every-5-minutes job's latest slot is never late and
# catch_up = false would never skip anything.
LATE_AFTER = timedelta(minutes=5)


def late_after(job: Job, slot: datetime) -> timedelta:
    """How long after ``slot`` a run of ``job`` counts as missed: 5 minutes, or half the job's interval."""
    return min(LATE_AFTER, (next_slot(job, slot) - slot) / 2)


class DueRun(BaseModel):
    """One job to run now, for one slot."""

    model_config = ConfigDict(frozen=True)

    name: str
    job: Job
    slot: AwareDatetime
    missed: int = 0  # earlier slots that passed unrun and are covered by this one run
    late: bool = False


class RunRecord(BaseModel):
    """How one run went."""

    model_config = ConfigDict(frozen=True)

    name: str
    slot: AwareDatetime
    outcome: Outcome
    error: str | None = None


Runner = Callable[[DueRun], None]
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def due_run(name: str, job: Job, last_slot: datetime | None, now: datetime) -> DueRun | None:
    """The run ``job`` owes at ``now`` given the slot it last ran for, or None. Pure."""
    if not job.enabled or last_slot is None:
        return None
    slot = latest_slot(job, now)
    if slot <= last_slot:
        return None
    missed = slots_between(job, last_slot, slot) - 1
    return DueRun(name=name, job=job, slot=slot, missed=max(missed, 0), late=now - slot > late_after(job, slot))


class Scheduler:
    """Jobs plus their run state and lock; the library behind ``schedule`` and ``run JOB``.

    ``state`` is where the run state and the lock live (run_state.py); by default the file ``state_file``."""

    def __init__(self, jobs: Mapping[str, Job], state_file: Path, clock: Clock = utc_now,
                 state: RunState | None = None) -> None:
        self.jobs = dict(jobs)
        self.state_file = state_file
        self.lock_file = state_file.with_name(state_file.name + ".lock")
        self.clock = clock
        self.state = state or RunState(state_file)

    @classmethod
    def for_settings(cls, settings: Settings, clock: Clock = utc_now) -> Scheduler:
        """The settings' jobs, with the run state of their desk (run_state.run_state)."""
        return cls(settings.jobs, settings.schedule_state_file, clock, run_state(settings))

    def _now(self, now: datetime | None) -> datetime:
        return (now or self.clock()).astimezone(timezone.utc)

    def _baseline(self, state: ScheduleState, now: datetime) -> bool:
        new = [n for n, j in self.jobs.items() if j.enabled and n not in state.jobs]
        for name in new:
            state.jobs[name] = JobState(last_slot=latest_slot(self.jobs[name], now), outcome="baseline")
        return bool(new)

    def due_jobs(self, now: datetime | None = None) -> list[DueRun]:
        """Each job that owes a run at ``now``, once, however many of its slots were missed."""
        now = self._now(now)
        state = self.state.load()  # read-only: a new job is baselined for real by run_due
        self._baseline(state, now)
        return self._due(state, now)

    def _due(self, state: ScheduleState, now: datetime) -> list[DueRun]:
        runs = (due_run(n, j, state.last_slot(n), now) for n, j in sorted(self.jobs.items()))
        return [r for r in runs if r is not None]

    def run_due(self, runner: Runner, now: datetime | None = None) -> list[RunRecord]:
        """Run every due job under the lock and record each; AlreadyRunning if another run holds it."""
        now = self._now(now)
        with self.state.hold(RUN_LOCK, "a scheduled run"):
            state = self.state.load()
            self._baseline(state, now)
            records = []
            for run in self._due(state, now):
                if not run.job.catch_up:
                    if run.late:
                        log.info("job %s: skipping the slot of %s, missed during downtime", run.name, run.slot)
                        records.append(self._record(state, run, "skipped", None, now))
                        continue
                    if run.missed:  # the current slot runs as usual; the earlier ones are not caught up
                        log.info("job %s: skipping %d earlier slot(s) missed during downtime", run.name, run.missed)
                        run = run.model_copy(update={"missed": 0})
                records.append(self._execute(state, run, runner))
            self.state.save(state)
        return records

    def run_job(self, name: str, runner: Runner, now: datetime | None = None) -> RunRecord:
        """Run one job now regardless of its schedule (cron, systemd timers); record its latest slot."""
        job = self.jobs.get(name)
        if job is None:
            known = ", ".join(sorted(self.jobs)) or "none configured"
            raise InputError(f"no job named {name!r} (jobs: {known})")
        now = self._now(now)
        with self.state.hold(RUN_LOCK, "a scheduled run"):
            state = self.state.load()
            last = state.last_slot(name)
            slot = latest_slot(job, now)
            missed = max(slots_between(job, last, slot) - 1, 0) if last is not None and slot > last else 0
            record = self._execute(state, DueRun(name=name, job=job, slot=slot, missed=missed), runner, reraise=True)
        return record

    def _execute(self, state: ScheduleState, run: DueRun, runner: Runner, reraise: bool = False) -> RunRecord:
        started = self.clock()
        if run.missed:
            log.warning("job %s: %d earlier slot(s) were missed; catching up with one run", run.name, run.missed)
        try:
            runner(run)
        except MarketnewsError as err:
            self._record(state, run, "failed", str(err), started)
            self.state.save(state)
            if reraise:
                raise
            log.error("job %s failed: %s", run.name, err)
            return RunRecord(name=run.name, slot=run.slot, outcome="failed", error=str(err))
        except Exception as err:  # a bug in one job must not stop the others; it is logged with its traceback
            self._record(state, run, "failed", f"{type(err).__name__}: {err}", started)
            self.state.save(state)
            if reraise:
                raise
            log.exception("job %s crashed", run.name)
            return RunRecord(name=run.name, slot=run.slot, outcome="failed", error=f"{type(err).__name__}: {err}")
        record = self._record(state, run, "ok", None, started)
        self.state.save(state)
        return record

    def _record(self, state: ScheduleState, run: DueRun, outcome: Outcome, error: str | None,
                started: datetime) -> RunRecord:
        state.jobs[run.name] = JobState(last_slot=run.slot, outcome=outcome, started=started,
                                        finished=self.clock(), error=error, missed=run.missed)
        return RunRecord(name=run.name, slot=run.slot, outcome=outcome, error=error)

    def next_wakeup(self, now: datetime | None = None) -> datetime | None:
        """The earliest next slot of any enabled job (None when there is none)."""
        now = self._now(now)
        slots = [next_slot(j, now) for j in self.jobs.values() if j.enabled]
        return min(slots) if slots else None

    def require_enabled_jobs(self) -> None:
        """InputError unless some job is enabled: serving nothing is a configuration mistake."""
        if not any(j.enabled for j in self.jobs.values()):
            raise InputError("no enabled jobs in the configuration (add [jobs.NAME] tables, see docs/scheduling.md)")

    def serve(self, runner: Runner, sleep: Callable[[float], object] = time.sleep,
              should_stop: Callable[[], bool] = lambda: False, max_sleep: float = 60.0) -> None:
        """Run due jobs, sleep until the next slot, repeat until ``should_stop()``.

        Sleeps at most ``max_sleep`` seconds at a time so a suspended machine or a
        changed clock is noticed within a minute.
        """
        self.require_enabled_jobs()
        while not should_stop():
            try:
                self.run_due(runner)
            except AlreadyRunning as err:
                log.warning("%s", err)
            wake = self.next_wakeup()
            wait = (wake - self.clock()).total_seconds() if wake else max_sleep
            sleep(min(max_sleep, max(wait, 0.0)))
