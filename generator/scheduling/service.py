"""The scheduler as a foreground service: `marketnews schedule`."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from datetime import datetime, timezone

from generator.scheduling.run_state import SERVICE_LOCK
from generator.scheduling.runner import JobRunner, next_run_line
from generator.scheduling.scheduler import Scheduler
from generator.settings import Settings


def timestamped(line: str) -> None:
    """Print a line with a UTC timestamp, flushed (service logs are read live)."""
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}Z {line}", flush=True)


def serve_forever(settings: Settings, echo: Callable[[str], None] = timestamped) -> None:
    """Run every configured job at its slots until SIGTERM; the job in progress finishes first.

    A second scheduler on the same state file is refused (AlreadyRunning).
    """
    scheduler = Scheduler.for_settings(settings)
    scheduler.require_enabled_jobs()  # before the lock file is made: a refused start leaves nothing behind
    stop = threading.Event()
    # SIGTERM (docker stop, systemctl stop): finish the job in progress, then leave.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    with scheduler.state.hold(SERVICE_LOCK, "another 'marketnews schedule'"):
        for name, job in sorted(scheduler.jobs.items()):
            echo(next_run_line(name, job, scheduler.clock()))
        scheduler.serve(JobRunner(settings, echo=echo), sleep=stop.wait, should_stop=stop.is_set)
    echo("scheduler stopped")
