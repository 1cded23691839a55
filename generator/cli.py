"""The marketnews command line: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.errors import EXIT_BLOCKED, EXIT_OK, MarketnewsError
from generator.kinds import KINDS

PROG = "marketnews"


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def _settings(args: argparse.Namespace, **overrides: object):  # noqa: ANN202 - Settings import kept lazy
    from generator.errors import ConfigError
    from generator.settings import load_settings

    settings = load_settings(args.config, **overrides)
    try:
        logging.getLogger().setLevel(settings.log_level.upper())
    except ValueError:
        raise ConfigError(f"invalid setting log_level: unknown level {settings.log_level!r}") from None
    # urllib3 warns on every retry in several lines; our own progress lines say what happened instead.
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("urllib3").setLevel(logging.ERROR)
    return settings


def _fetch(args: argparse.Namespace, settings):  # noqa: ANN001, ANN202 - lazy imports: no HTTP stack for --snapshot
    """Live fetch of --asset or replay of --replay, with the progress display; prints the fetch notes."""
    from generator.sources import fetch_live, fetch_replay
    from generator.sources.progress import progress_for
    from generator.sources.summary import fetch_notes

    with progress_for() as progress:
        if getattr(args, "replay", None) is not None:
            result = fetch_replay(args.replay, progress)
        else:
            result = fetch_live(args.asset, settings, progress)
    for line in fetch_notes(result.snapshot):
        sys.stderr.write(f"{PROG}: {line}\n")
    return result


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))


# --- commands -----------------------------------------------------------------


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.pipeline import generate
    from generator.snapshot import load_snapshot

    overrides = {"chart": args.chart, "llm": args.llm}
    settings = _settings(args, **{k: v for k, v in overrides.items() if v is not None})
    if args.all or args.asset is not None:
        from generator.batch import configured_assets, parse_assets

        assets = configured_assets(settings) if args.all else parse_assets(args.asset)
        if args.all or len(assets) > 1:
            return _generate_many(args, settings, assets)
        args.asset = assets[0]
    extra: dict[str, bytes] = {}
    if args.snapshot is not None:
        snapshot = load_snapshot(args.snapshot)
    else:
        if args.kind == "alert":  # an alert also measures the last hour: fetch the alert_timeframe candles too
            from generator.alerts.poll import alert_settings

            settings = alert_settings(settings)
        fetched = _fetch(args, settings)
        snapshot, extra = fetched.snapshot, {"sources.yaml": fetched.recording}
    result = generate(snapshot, settings, kind=args.kind, out=args.out, extra_files=extra)
    if args.json:
        _print_json({**result.model_dump(mode="json"), "missing": snapshot.missing,
                     "disagreements": [d.model_dump(mode="json") for d in snapshot.disagreements]})
    else:
        print(f"wrote {result.path} ({result.status}): {result.title}")
        print(f"registered for review as draft {result.draft_id} (marketnews drafts show {result.draft_id})")
        if result.status == "blocked" and result.factcheck:
            fc = result.factcheck
            sys.stderr.write(f"{PROG}: blocked: {fc['failed']} of {fc['mentions']} mentions failed the fact-check; "
                             f"see {result.path / 'factcheck.json'}\n")
        if (llm := result.llm) is not None:
            cost = "" if llm["cost_usd"] is None else f", ${llm['cost_usd']:.4f}"
            calls = f"{llm['chat_calls']} chat call{'' if llm['chat_calls'] == 1 else 's'}"
            print(f"LLM {llm['model']}: {llm['sections_from_model']} of {llm['prose_sections']} prose sections "
                  f"from the model ({calls}, {llm['cached_calls']} cached, "
                  f"{llm['prompt_tokens'] + llm['completion_tokens']} tokens{cost})")
    return EXIT_BLOCKED if result.status == "blocked" else EXIT_OK


def _generate_many(args: argparse.Namespace, settings, assets: list[str]) -> int:  # noqa: ANN001 - Settings
    """generate --asset A,B,C / --all: a line per asset as it is done, then the summary; exit code the worst."""
    from generator.batch import AssetOutcome, generate_many

    def done(outcome: AssetOutcome) -> None:
        for note in outcome.notes:
            sys.stderr.write(f"{PROG}: {outcome.asset}: {note}\n")
        if not args.json:
            print(outcome.line(), flush=True)

    result = generate_many(assets, settings, kind=args.kind, out=args.out, on_done=done)
    if args.json:
        _print_json([o.model_dump(mode="json") for o in result.outcomes])
    else:
        print(result.summary())
        if result.of("draft") or result.of("blocked"):
            print("review them with 'marketnews drafts list' or 'marketnews review'")
    return result.exit_code


def cmd_fetch(args: argparse.Namespace) -> int:
    from generator.snapshot import dump_snapshot

    settings = _settings(args)
    fetched = _fetch(args, settings)
    text = dump_snapshot(fetched.snapshot)
    if args.record is not None:
        _write(args.record, fetched.recording)
    if args.out is None:
        sys.stdout.write(text)
    else:
        _write(args.out, text.encode())
        print(f"wrote {args.out}" + (f" and {args.record}" if args.record else ""))
    return EXIT_OK


def _write(path: Path, data: bytes) -> None:
    from generator.errors import OutputError
    from generator.output import write_atomic

    try:
        write_atomic(path, data)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None


def cmd_watch(args: argparse.Namespace) -> int:
    from generator.alerts.interval import parse_interval
    from generator.alerts.watch import Watcher, log_to_stderr, serve, watched_assets
    from generator.batch import parse_assets
    from generator.errors import EXIT_DATA_UNAVAILABLE

    settings = _settings(args)
    log_to_stderr(settings.log_level)
    watcher = Watcher(settings, parse_assets(args.asset) if args.asset else watched_assets(settings), out=args.out)
    if args.once:
        outcomes = watcher.round()
        return EXIT_DATA_UNAVAILABLE if all(o.error for o in outcomes) else EXIT_OK
    serve(watcher, args.every or parse_interval(settings.watch_every))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from generator.pipeline import check_files

    report = check_files(args.article, args.snapshot, _settings(args))
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(report.to_text())
    return EXIT_OK if report.passed else EXIT_BLOCKED


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.snapshot import snapshot_json_schema

    _print_json(snapshot_json_schema())
    return EXIT_OK


def cmd_drafts_list(args: argparse.Namespace) -> int:
    from generator.desk.store import open_store
    from generator.desk.console import article_json, list_table

    articles = open_store(_settings(args)).articles(args.status)
    if args.json:
        _print_json([article_json(a) for a in articles])
    else:
        print(list_table(articles))
    return EXIT_OK


def cmd_drafts_show(args: argparse.Namespace) -> int:
    from generator.desk.store import open_store
    from generator.desk.console import show, wants_color

    sys.stdout.write(show(open_store(_settings(args)), args.id, color=wants_color(sys.stdout)))
    return EXIT_OK


def cmd_drafts_approve(args: argparse.Namespace) -> int:
    from generator.desk.store import open_store
    from generator.desk.actions import approve

    article = approve(open_store(_settings(args)), args.id, by=args.by, expected_version=args.version)
    print(f"draft {article.id} approved by {args.by} (revision {article.current_revision})")
    return EXIT_OK


def cmd_drafts_reject(args: argparse.Namespace) -> int:
    from generator.desk.store import open_store
    from generator.desk.actions import reject

    article = reject(open_store(_settings(args)), args.id, by=args.by, reason=args.reason,
                     expected_version=args.version)
    print(f"draft {article.id} rejected by {args.by}")
    return EXIT_OK


def cmd_drafts_edit(args: argparse.Namespace) -> int:
    from generator.desk.store import open_store
    from generator.desk.checking import describe
    from generator.desk.console import edit_in_editor

    result = edit_in_editor(open_store(_settings(args)), args.id, by=args.by or getpass.getuser())
    if result is None or result.revision is None:
        print(f"draft {args.id}: no changes, nothing saved")
        return EXIT_OK
    article = result.article
    print(f"draft {article.id}: saved revision {result.revision.number} ({article.status}): "
          f"{describe(article.factcheck)}")
    return EXIT_BLOCKED if article.status == "blocked" else EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from generator.desk.console import publish_lines
    from generator.desk.publish import publish_article
    from generator.desk.store import open_store

    settings = _settings(args)
    result = publish_article(open_store(settings), settings, args.id, args.target)
    for line in publish_lines(result):
        print(line)
    return result.exit_code


def cmd_run(args: argparse.Namespace) -> int:
    from generator.scheduling import Scheduler
    from generator.scheduling.runner import JobRunner

    settings = _settings(args)
    runner = JobRunner(settings, echo=lambda line: print(line, flush=True))
    Scheduler(settings.jobs, settings.schedule_state_file).run_job(args.job, runner)
    return runner.exit_code


def cmd_schedule(args: argparse.Namespace) -> int:
    import signal
    import threading
    from datetime import datetime, timezone

    from generator.scheduling import Scheduler
    from generator.scheduling.lock import exclusive_lock
    from generator.scheduling.runner import JobRunner, next_run_line

    settings = _settings(args)
    scheduler = Scheduler(settings.jobs, settings.schedule_state_file)

    def echo(line: str) -> None:
        print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S}Z {line}", flush=True)

    stop = threading.Event()
    # SIGTERM (docker stop, systemctl stop): finish the job in progress, then leave.
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    lock = settings.schedule_state_file.with_name(settings.schedule_state_file.name + ".scheduler.lock")
    with exclusive_lock(lock, "another 'marketnews schedule'"):
        for name, job in sorted(scheduler.jobs.items()):
            echo(next_run_line(name, job, scheduler.clock()))
        scheduler.serve(JobRunner(settings, echo=echo), sleep=stop.wait, should_stop=stop.is_set)
    echo("scheduler stopped")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from generator.desk.server import serve

    serve(_settings(args), host=args.host, port=args.port)
    return EXIT_OK


def cmd_review_set_password(args: argparse.Namespace) -> int:
    from generator.desk.auth import config_file, hash_password, save_password_hash
    from generator.desk.console import read_new_password

    target = config_file(args.config)
    save_password_hash(target, hash_password(read_new_password()))
    print(f"review password set in {target}; restart 'marketnews review' to use it (open sessions end)")
    if os.environ.get("MARKETNEWS_REVIEW_PASSWORD_HASH"):
        sys.stderr.write(f"{PROG}: warning: MARKETNEWS_REVIEW_PASSWORD_HASH is set and overrides {target}\n")
    return EXIT_OK


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range (0-65535): {value}")
    return value


def _interval(text: str) -> float:
    from generator.alerts.interval import parse_interval

    try:
        return parse_interval(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


# --- parser -------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="An automated crypto market-news desk that proves every number it prints.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="settings file (default: ./marketnews.toml if present, or $MARKETNEWS_CONFIG)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    gen = sub.add_parser("generate", help="draft an article from live data, a recording or a snapshot",
                         description="Draft an article and write article.md, article.html, snapshot.json and "
                                     "factcheck.json (and sources.yaml for live data) to OUT/<date>/<asset>-<kind>/.")
    source = gen.add_mutually_exclusive_group(required=True)
    source.add_argument("--asset", metavar="ASSET",
                        help="fetch live data for ASSET (e.g. BTC), or several at once (BTC,ETH,SOL), and record it")
    source.add_argument("--all", action="store_true", help="every asset of the setting assets, fetched together")
    source.add_argument("--replay", type=Path, metavar="FILE", help="rebuild from a recording (sources.yaml)")
    source.add_argument("--snapshot", type=Path, metavar="FILE", help="snapshot JSON file")
    gen.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: setting output_dir)")
    gen.add_argument("--kind", default="daily", choices=KINDS,
                     help="article kind (default: daily; alert: the breaking-news shape, last hour first)")
    gen.add_argument("--json", action="store_true", help="print a machine-readable summary")
    gen.add_argument("--chart", action=argparse.BooleanOptionalAction, default=None,
                     help="draw chart.png and embed it in the article (default: setting chart; needs matplotlib)")
    gen.add_argument("--llm", choices=("auto", "on", "off"),
                     help="let a language model rewrite the prose (default: setting llm, 'auto': on when an API key "
                          "or llm_base_url is configured)")
    gen.set_defaults(func=cmd_generate)

    fetch = sub.add_parser("fetch", help="fetch live data into a snapshot file without drafting",
                           description="Fetch ASSET from the configured providers and write the snapshot JSON.")
    fetch.add_argument("--asset", required=True, metavar="ASSET", help="asset to fetch, e.g. BTC")
    fetch.add_argument("--out", type=Path, metavar="FILE", help="snapshot file to write (default: print it)")
    fetch.add_argument("--record", type=Path, metavar="FILE", help="also write the recording (sources.yaml) here")
    fetch.set_defaults(func=cmd_fetch)

    watch = sub.add_parser("watch", help="poll liquidations and price; draft a breaking alert when they spike",
                           description="Poll each asset's 1h liquidations and price and, when a rule in the settings "
                                       "fires (alert_*), draft an alert article, register it on the desk and notify "
                                       "the webhook. Runs until Ctrl-C or SIGTERM.")
    watch.add_argument("--asset", metavar="ASSETS",
                       help="comma-separated assets, e.g. BTC,ETH (default: setting watch_assets)")
    watch.add_argument("--every", type=_interval, metavar="INTERVAL",
                       help="time between polls, e.g. 90s, 5m, 1h (default: setting watch_every)")
    watch.add_argument("--once", action="store_true", help="poll each asset once and exit (for cron and tests)")
    watch.add_argument("--out", type=Path, metavar="DIR", help="output folder for alerts (default: setting output_dir)")
    watch.set_defaults(func=cmd_watch)

    chk = sub.add_parser("check", help="fact-check an article against a snapshot",
                         description="Find every number, qualitative claim and quote in ARTICLE (Markdown or text) and "
                                     "check it against the facts of the snapshot. Exit 0 when all are verified, 3 when "
                                     "any is not.")
    chk.add_argument("article", type=Path, metavar="ARTICLE", help="article file (article.md, with or without front matter)")
    chk.add_argument("--snapshot", type=Path, required=True, metavar="FILE",
                     help="snapshot JSON file (a snapshot.json written by generate works too)")
    chk.add_argument("--json", action="store_true", help="print the full report as JSON")
    chk.set_defaults(func=cmd_check)

    schema = sub.add_parser("schema", help="print a JSON Schema", description="Print the JSON Schema of a model.")
    schema.add_argument("model", choices=("snapshot",), help="which model")
    schema.set_defaults(func=cmd_schema)

    _add_desk_commands(sub)
    return parser


def _add_desk_commands(sub: argparse._SubParsersAction) -> None:
    from generator.desk.migrations import STATUSES

    drafts = sub.add_parser("drafts", help="list, show, edit, approve or reject drafts in the desk store",
                            description="Work with the drafts generate registered in the desk store (setting desk_db).")
    dsub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION", parser_class=_Parser)
    dsub.required = True
    lst = dsub.add_parser("list", help="list drafts, newest date first", description="List drafts, newest date first.")
    lst.add_argument("--status", choices=STATUSES, help="only drafts with this status")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_drafts_list)
    shw = dsub.add_parser("show", help="print a draft with its fact-check failures marked",
                          description="Print a draft's current revision with failing numbers marked and listed.")
    shw.add_argument("id", type=int, help="draft id (see 'drafts list')")
    shw.set_defaults(func=cmd_drafts_show)
    actions = (("approve", cmd_drafts_approve, "approve a draft (refused unless it passes the fact-check)"),
               ("reject", cmd_drafts_reject, "reject a draft, with a reason"))
    for name, func, what in actions:
        act = dsub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        act.add_argument("id", type=int, help="draft id")
        act.add_argument("--by", required=True, metavar="NAME", help="who does this (recorded in the audit log)")
        if name == "reject":
            act.add_argument("--reason", required=True, metavar="TEXT", help="why (recorded in the audit log)")
        act.add_argument("--version", type=int, metavar="N",
                         help="refuse if the draft is no longer at version N (as shown by 'drafts show')")
        act.set_defaults(func=func)
    edt = dsub.add_parser("edit", help="edit a draft in $EDITOR; saving re-runs the fact-check",
                          description="Open the current revision in $VISUAL or $EDITOR; the saved text becomes a new "
                                      "revision and is fact-checked again (exit 3 if it still fails).")
    edt.add_argument("id", type=int, help="draft id")
    edt.add_argument("--by", metavar="NAME", help="who edits (default: your login name)")
    edt.set_defaults(func=cmd_drafts_edit)

    from generator.publishing import TARGETS

    pub = sub.add_parser("publish", help="publish an approved draft to the publishing targets",
                         description="Send the current revision of an approved draft (or, with auto_publish, of a "
                                     "draft that passes the fact-check) to every configured target, or to --target. "
                                     "Each publication is recorded; publishing again never makes a second post. Exit "
                                     "7 when a target failed (the draft stays approved and the next run retries).")
    pub.add_argument("id", type=int, help="draft id (see 'drafts list')")
    pub.add_argument("--target", action="append", choices=TARGETS, metavar="NAME",
                     help=f"only this target ({', '.join(TARGETS)}); repeatable (default: every configured one)")
    pub.set_defaults(func=cmd_publish)

    sched = sub.add_parser("schedule", help="run the scheduled jobs in the foreground (a container or a service)",
                           description="Run the jobs configured as [jobs.NAME] tables at their cron slots until "
                                       "stopped (SIGTERM finishes the job in progress first). Each slot runs once; "
                                       "slots missed while it was not running are caught up with one run. See "
                                       "docs/scheduling.md.")
    sched.set_defaults(func=cmd_schedule)
    run = sub.add_parser("run", help="run one scheduled job once, now (for cron, systemd timers, CronJobs)",
                         description="Run the job named JOB once, now, under the same lock and run state as "
                                     "'marketnews schedule'. Exit 8 when another run holds the lock; otherwise the "
                                     "job's worst outcome (0, 3 blocked, 4 data unavailable, 7 publishing failed).")
    run.add_argument("job", metavar="JOB", help="the job's name: a [jobs.JOB] table in the settings")
    run.set_defaults(func=cmd_run)

    review = sub.add_parser("review", help="serve the review page (or set its password)",
                            description="Serve the review page where editors see the proof and approve drafts.")
    review.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; any other needs a password set)")
    review.add_argument("--port", type=_port, default=8000, help="port (default 8000)")
    review.set_defaults(func=cmd_review)
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION", parser_class=_Parser)
    setpw = rsub.add_parser("set-password", help="set the review password (stored as a scrypt hash)",
                            description="Read a new password (twice at a terminal, else one line on stdin) and store "
                                        "its scrypt hash as review_password_hash in the settings file "
                                        "(--config, $MARKETNEWS_CONFIG or ./marketnews.toml).")
    setpw.set_defaults(func=cmd_review_set_password)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format=f"{PROG}: %(levelname)s: %(message)s")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except MarketnewsError as err:
        sys.stderr.write(f"{PROG}: error: {err}\n")
        return err.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
