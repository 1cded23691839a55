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
    Scheduler.for_settings(settings).run_job(args.job, runner)
    return runner.exit_code


def cmd_status(args: argparse.Namespace) -> int:
    from generator.scheduling.run_state import run_state
    from generator.scheduling.scheduler import utc_now
    from generator.scheduling.status import ScheduleStatus, job_statuses, status_text

    settings = settings_for(args)
    state = run_state(settings)
    status = ScheduleStatus(state_file=state.where, running=state.holder(),
                            jobs=job_statuses(settings.jobs, state.load(), utc_now()))
    print(status.model_dump_json(indent=2) if args.json else status_text(status))
    return EXIT_OK


def cmd_schedule(args: argparse.Namespace) -> int:
    from generator.scheduling.service import serve_forever

    serve_forever(settings_for(args))
    return EXIT_OK
