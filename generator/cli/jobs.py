"""Commands of the scheduler: run one job, or serve them all."""

from __future__ import annotations

import argparse

from generator.cli.common import settings_for
from generator.errors import EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from generator.scheduling import Scheduler
    from generator.scheduling.runner import JobRunner

    settings = settings_for(args)
    runner = JobRunner(settings, echo=lambda line: print(line, flush=True))
    Scheduler(settings.jobs, settings.schedule_state_file).run_job(args.job, runner)
    return runner.exit_code


def cmd_status(args: argparse.Namespace) -> int:
    from generator.locks import lock_holder
    from generator.scheduling.scheduler import Scheduler, utc_now
    from generator.scheduling.state import load_state
    from generator.scheduling.status import ScheduleStatus, job_statuses, status_text

    settings = settings_for(args)
    scheduler = Scheduler(settings.jobs, settings.schedule_state_file)
    status = ScheduleStatus(state_file=str(settings.schedule_state_file), running=lock_holder(scheduler.lock_file),
                            jobs=job_statuses(settings.jobs, load_state(settings.schedule_state_file), utc_now()))
    print(status.model_dump_json(indent=2) if args.json else status_text(status))
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    from generator.scheduling.service import serve_forever

    serve_forever(settings_for(args))
    return EXIT_OK
