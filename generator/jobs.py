"""Scheduled jobs as configured in ``[jobs.NAME]`` tables, and the cron arithmetic on them.

Slots are computed in the job's own time zone (so "0 8 * * *" in Europe/London
stays at 08:00 local across daylight-saving changes) and returned in UTC.
croniter is imported only when a job is validated or computed, to keep a plain
``generate`` fast.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

JobName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
_MACROS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}
# Targets a publish job may name; generator.publishing has one module per target.
PUBLISH_TARGETS = ("static_site", "wordpress", "webhook")


def time_zone(value: str) -> str:
    """``value`` if it is an IANA time zone name, else ValueError saying what is expected (for validators)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as 'Europe/London')") from None
    return value


class Job(BaseModel):
    """One scheduled job: when it runs (cron + time zone) and what it does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cron: str = Field(description="Five-field cron expression, e.g. '0 8 * * *', or @daily/@hourly.")
    timezone: str = Field(default="UTC", description="IANA time zone the cron expression is read in.")
    action: Literal["daily", "publish"]
    assets: list[Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,12}$")]] = Field(
        default_factory=list, description="Tickers a daily job writes articles for."
    )
    target: str | None = Field(default=None, description="Publish job: one target; none means every configured one.")
    catch_up: bool = Field(default=True, description="Run a slot missed during downtime once when back.")
    enabled: bool = True

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from croniter import croniter

        value = " ".join(value.split())
        value = _MACROS.get(value.lower(), value)
        if not croniter.is_valid(value):
            raise ValueError(f"not a valid cron expression: {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_zone(cls, value: str) -> str:
        return time_zone(value)

    @model_validator(mode="after")
    def _action_needs(self) -> Job:
        if self.action == "daily" and not self.assets:
            raise ValueError("a daily job needs assets, e.g. assets = ['BTC', 'ETH']")
        if self.action == "publish" and self.target is not None and self.target not in PUBLISH_TARGETS:
            raise ValueError(f"unknown target {self.target!r}; expected one of {', '.join(PUBLISH_TARGETS)}")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def fixed_hours(self) -> bool:
        """True when the hour field names hours ('8', '6,18'), not a wildcard or step."""
        return "*" not in self.cron.split()[1]


def _as_local(job: Job, when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("scheduler times must be timezone-aware")
    return when.astimezone(job.zone)


def latest_slot(job: Job, now: datetime) -> datetime:
    """The most recent slot at or before ``now`` (UTC)."""
    from croniter import croniter

    local = _as_local(job, now)
    prev: datetime = croniter(job.cron, local).get_prev(datetime)
    # croniter's get_prev is strictly before its start; ``now`` may sit exactly on a slot.
    following: datetime = croniter(job.cron, prev).get_next(datetime)
    slot = following if following <= local else prev
    if _is_repeat(job, slot):
        slot = slot.replace(fold=0)  # the first pass of the same wall-clock time
    return slot.astimezone(timezone.utc)


def next_slot(job: Job, now: datetime) -> datetime:
    """The first slot strictly after ``now`` (UTC)."""
    from croniter import croniter

    it = croniter(job.cron, _as_local(job, now))
    nxt: datetime = it.get_next(datetime)
    if _is_repeat(job, nxt):
        nxt = it.get_next(datetime)
    return nxt.astimezone(timezone.utc)


def slots_between(job: Job, after: datetime, until: datetime, limit: int = 10_000) -> int:
    """How many slots fall in (after, until], counting at most ``limit``."""
    from croniter import croniter

    it = croniter(job.cron, _as_local(job, after))
    end = _as_local(job, until)
    count = 0
    while count < limit and (slot := it.get_next(datetime)) <= end:
        count += 0 if _is_repeat(job, slot) else 1
    return count


def _is_repeat(job: Job, slot: datetime) -> bool:
    """The second pass of a wall-clock time when clocks go back. Like cron, a job at fixed hours
    runs once that night; a job with wildcard hours keeps its real-time rhythm."""
    if not job.fixed_hours:
        return False
    first = slot.replace(fold=0).astimezone(timezone.utc)
    return first < slot.astimezone(timezone.utc)
