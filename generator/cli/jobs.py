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


def cmd_schedule(args: argparse.Namespace) -> int:
    from generator.scheduling.service import serve_forever

    serve_forever(settings_for(args))
    return EXIT_OK
