"""The run-state file: for each job, the last slot it ran for and how that went.

A small JSON file written atomically. It is read and written only under the
schedule lock, so two processes never interleave their updates.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from generator.errors import InputError, OutputError
from generator.output import write_atomic

Outcome = Literal["ok", "failed", "skipped", "baseline"]


class JobState(BaseModel):
    """What the scheduler remembers about one job."""

    model_config = ConfigDict(extra="forbid")

    last_slot: AwareDatetime  # the slot this job last ran (or was skipped / baselined) for
    outcome: Outcome
    started: AwareDatetime | None = None
    finished: AwareDatetime | None = None
    error: str | None = None
    missed: int = 0  # slots that passed unrun before last_slot (downtime)


class ScheduleState(BaseModel):
    """The whole state file."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    jobs: dict[str, JobState] = Field(default_factory=dict)

    def last_slot(self, name: str) -> datetime | None:
        entry = self.jobs.get(name)
        return entry.last_slot if entry else None


def load_state(path: Path) -> ScheduleState:
    """The state in ``path``; an absent file is an empty state."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return ScheduleState()
    except OSError as err:
        raise InputError(f"cannot read schedule state {path}: {err.strerror or err}") from None
    try:
        return ScheduleState.model_validate(json.loads(raw))
    except (ValueError, ValidationError, RecursionError):
        raise InputError(
            f"schedule state {path} is damaged; move it aside to start afresh (every job then waits for its next slot)"
        ) from None


def save_state(path: Path, state: ScheduleState) -> None:
    try:
        write_atomic(path, (state.model_dump_json(indent=2) + "\n").encode())
    except OSError as err:
        raise OutputError(f"cannot write schedule state {path}: {err.strerror or err}") from None
