"""Scheduling: jobs from configuration, cron slots, the run-state file and the lock."""

from __future__ import annotations

from generator.jobs import PUBLISH_TARGETS, Job, JobName, latest_slot, next_slot
from generator.scheduling.scheduler import DueRun, Runner, RunRecord, Scheduler, due_run

__all__ = [
    "DueRun", "Job", "JobName", "PUBLISH_TARGETS", "RunRecord", "Runner", "Scheduler", "due_run", "latest_slot",
    "next_slot",
]
