"""What `marketnews status` shows: each job's last run, its outcome and its next slot. Pure, but for the clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict

from generator.jobs import Job, next_slot
from generator.scheduling.state import Outcome, ScheduleState


class JobStatus(BaseModel):
    """One job as the state file and its schedule describe it."""

    model_config = ConfigDict(frozen=True)

    name: str
    cron: str
    timezone: str
    action: str
    enabled: bool
    last_slot: AwareDatetime | None
    outcome: Outcome | None  # None: never seen by the scheduler yet
    finished: AwareDatetime | None
    error: str | None
    missed: int
    next_run: AwareDatetime | None  # None when disabled


class ScheduleStatus(BaseModel):
    model_config = ConfigDict(frozen=True)

    state_file: str
    running: str | None  # the lock holder ('pid 123, since ...') while a run is in progress
    jobs: list[JobStatus]


def job_statuses(jobs: Mapping[str, Job], state: ScheduleState, now: datetime) -> list[JobStatus]:
    out = []
    for name, job in sorted(jobs.items()):
        seen = state.jobs.get(name)
        out.append(JobStatus(
            name=name, cron=job.cron, timezone=job.timezone, action=job.action, enabled=job.enabled,
            last_slot=seen.last_slot if seen else None, outcome=seen.outcome if seen else None,
            finished=seen.finished if seen else None, error=seen.error if seen else None,
            missed=seen.missed if seen else 0, next_run=next_slot(job, now) if job.enabled else None,
        ))
    return out


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


def status_text(status: ScheduleStatus) -> str:
    """A table for a terminal: one line per job, then each failed job's error."""
    if not status.jobs:
        return "no jobs configured (add [jobs.NAME] tables, see docs/scheduling.md)"
    rows = [("JOB", "ACTION", "SCHEDULE", "LAST SLOT", "OUTCOME", "NEXT RUN")]
    for j in status.jobs:
        outcome: str = j.outcome or "not run yet"
        if j.missed and j.outcome == "ok":
            outcome += f" (covered {j.missed} missed)"
        rows.append((j.name, j.action, f"{j.cron} ({j.timezone})", _when(j.last_slot), outcome,
                     _when(j.next_run) if j.enabled else "disabled"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines += [f"{j.name}: last run failed: {j.error}" for j in status.jobs if j.outcome == "failed" and j.error]
    lines.append(f"running now: {status.running}" if status.running else "running now: nothing")
    lines.append(f"state: {status.state_file}")
    return "\n".join(lines)
