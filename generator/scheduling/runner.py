"""What scheduled jobs do: the actions behind ``marketnews schedule`` and ``marketnews run JOB``.

- ``daily``: write the article for each of the job's assets from live data (one run,
  shared provider calls) and register it on the desk; with ``auto_publish``, then
  publish the drafts it wrote that pass the fact-check.
- ``publish``: publish every approved article not yet published (with
  ``auto_publish``, every passing draft too) and retry failed publications.

A job whose parts partly failed raises JobFailed after doing the rest, so the
scheduler records it as failed (and ``run`` exits with the worst part's code);
drafts blocked by the fact-check are not a failure of the job, but ``run``
exits 3 for them like ``generate`` does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from generator.errors import EXIT_OK, JobFailed, NotAllowed
from generator.jobs import Job, next_slot
from generator.scheduling.scheduler import DueRun
from generator.settings import Settings

Echo = Callable[[str], None]


class JobRunner:
    """A scheduler Runner that carries out each job's action and prints a line per thing it did."""

    def __init__(self, settings: Settings, echo: Echo = print) -> None:
        self.settings = settings
        self.echo = echo
        self.exit_code = EXIT_OK  # of the last job run (for 'marketnews run')

    def __call__(self, run: DueRun) -> None:
        self.exit_code = EXIT_OK
        slot = run.slot.astimezone(run.job.zone)
        self.echo(f"job {run.name}: running ({run.job.action}, slot {slot:%Y-%m-%d %H:%M %Z})")
        if run.missed:
            self.echo(f"job {run.name}: catching up once for {run.missed + 1} slots missed while not running")
        action = {"daily": self.daily, "publish": self.publish}[run.job.action]
        self.exit_code = action(run)

    def daily(self, run: DueRun) -> int:
        from generator.batch import generate_many

        result = generate_many(list(run.job.assets), self.settings, kind="daily",
                               on_done=lambda outcome: self.echo(f"job {run.name}: {outcome.line()}"))
        self.echo(f"job {run.name}: {result.summary()}")
        code = result.exit_code
        if self.settings.auto_publish:
            ids = [o.draft_id for o in result.outcomes if o.status == "draft" and o.draft_id is not None]
            code = max(code, self._publish_ids(run.name, ids))
        failed = [o for o in result.outcomes if o.status == "failed"]
        if failed:
            raise JobFailed(f"job {run.name}: {len(failed)} of {len(result.outcomes)} assets failed: "
                            + "; ".join(f"{o.asset}: {o.error}" for o in failed), max(code, result.exit_code))
        if code > 3:
            raise JobFailed(f"job {run.name}: articles written, but publishing failed (see above)", code)
        return code

    def publish(self, run: DueRun) -> int:
        from generator.desk.console import publish_lines
        from generator.desk.publish import publish_pending
        from generator.desk.store import open_store

        results = publish_pending(open_store(self.settings), self.settings, run.job.target,
                                  by=f"scheduler job {run.name}")
        for result in results:
            for line in publish_lines(result):
                self.echo(f"job {run.name}: {line}")
        failed = [r for r in results if not r.ok]
        if not results:
            self.echo(f"job {run.name}: nothing to publish")
        if failed:
            raise JobFailed(f"job {run.name}: {len(failed)} of {len(results)} articles could not be published to "
                            "every target; they stay approved and the next run retries them", failed[0].exit_code)
        return EXIT_OK

    def _publish_ids(self, name: str, ids: list[int]) -> int:
        from generator.desk.console import publish_lines
        from generator.desk.publish import publish_article
        from generator.desk.store import open_store

        store, code = open_store(self.settings), EXIT_OK
        for article_id in ids:
            try:
                result = publish_article(store, self.settings, article_id, by=f"scheduler job {name}")
            except NotAllowed as err:  # an editor got to it first (rejected, edited)
                self.echo(f"job {name}: draft {article_id} not published: {err}")
                continue
            for line in publish_lines(result):
                self.echo(f"job {name}: {line}")
            code = max(code, result.exit_code)
        return code


def next_run_line(name: str, job: Job, now: datetime) -> str:
    """'job btc-daily (daily, '0 8 * * *' Europe/London): next run 2026-11-27 08:00 GMT'."""
    slot = next_slot(job, now).astimezone(job.zone)
    state = "" if job.enabled else " (disabled)"
    return f"job {name} ({job.action}, '{job.cron}' {job.timezone}){state}: next run {slot:%Y-%m-%d %H:%M %Z}"
