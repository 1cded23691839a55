"""The argument parser: every command, option and help text."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.cli.articles import (
    cmd_check,
    cmd_fetch,
    cmd_generate,
    cmd_schema,
    cmd_watch,
)
from generator.cli.common import PROG
from generator.cli.desk import (
    cmd_drafts_accept,
    cmd_drafts_approve,
    cmd_drafts_diff,
    cmd_drafts_discard,
    cmd_drafts_edit,
    cmd_drafts_list,
    cmd_drafts_reject,
    cmd_drafts_show,
    cmd_publish,
    cmd_review,
    cmd_review_set_password,
)
from generator.cli.jobs import cmd_run, cmd_schedule, cmd_status
from generator.kinds import KINDS


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line on stderr and exit 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


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
    _add_exit_codes(parser)
    return parser


# What each exit code means, once; and which codes each command can end with (docs/cli.md says the same).
EXIT_CODES: dict[int, str] = {
    0: "done", 2: "bad usage, input, settings or output folder (one line on stderr, nothing written)",
    3: "the fact-check failed (the draft is blocked, a mention is not verified, or an approval refused)",
    4: "data unavailable (no provider gave the price or any candles)",
    6: "someone else changed the draft first (nothing overwritten)", 7: "a publishing target failed",
    8: "another run of this job (or publishing run) holds the lock",
}
COMMAND_EXIT_CODES: dict[str, tuple[int, ...]] = {
    "generate": (0, 2, 3, 4, 7), "fetch": (0, 2, 4), "watch": (0, 2, 4), "check": (0, 2, 3), "schema": (0, 2),
    "drafts": (0, 2, 3, 6), "publish": (0, 2, 3, 7, 8), "schedule": (0, 2, 8), "run": (0, 2, 3, 4, 7, 8),
    "review": (0, 2), "status": (0, 2),
}


def _add_exit_codes(parser: argparse.ArgumentParser) -> None:
    """Every command's --help ends with the exit codes it can return."""
    for name, command in _subcommands(parser):
        codes = COMMAND_EXIT_CODES[name.split()[0]]
        command.formatter_class = _LinesKept
        command.epilog = "exit codes:\n" + "\n".join(f"{c}  {EXIT_CODES[c]}" for c in codes)


class _LinesKept(argparse.HelpFormatter):
    """Wraps each line of a description or epilog on its own: the exit-code table keeps its rows."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(textwrap.fill(" ".join(line.split()), width, initial_indent=indent,
                                       subsequent_indent=indent + "   ") if line.strip() else ""
                         for line in text.splitlines())


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, argparse.ArgumentParser]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                out.append((prefix + name, child))
                out += _subcommands(child, prefix + name + " ")
    return out


def _add_desk_commands(sub: argparse._SubParsersAction) -> None:
    from generator.desk.migrations import STATUSES

    drafts = sub.add_parser("drafts", help="list, show, edit, approve or reject drafts in the desk store",
                            description="Work with the drafts generate registered in the desk store (setting desk_db).")
    dsub = drafts.add_subparsers(dest="drafts_command", metavar="ACTION", parser_class=_Parser)
    dsub.required = True
    lst = dsub.add_parser("list", help="list drafts, newest date first", description="List drafts, newest date first.")
    lst.add_argument("--status", choices=STATUSES, help="only drafts with this status")
    lst.add_argument("--limit", type=_count, default=50, metavar="N",
                     help="show the newest N drafts (default 50; 0: all)")
    lst.add_argument("--all", action="store_const", const=0, dest="limit", help="show every draft")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_drafts_list)
    shw = dsub.add_parser("show", help="print a draft with its fact-check failures marked",
                          description="Print a draft's current revision with failing numbers marked and listed.")
    shw.add_argument("id", type=int, help="draft id (see 'drafts list')")
    shw.set_defaults(func=cmd_drafts_show)
    actions = (("approve", cmd_drafts_approve, "approve a draft (refused unless it passes the fact-check)"),
               ("reject", cmd_drafts_reject, "reject a draft, with a reason"),
               ("accept", cmd_drafts_accept, "make the regeneration waiting beside a draft its current text"),
               ("discard", cmd_drafts_discard, "discard the regeneration waiting beside a draft"))
    for name, func, what in actions:
        act = dsub.add_parser(name, help=what, description=what[0].upper() + what[1:] + ".")
        act.add_argument("id", type=int, help="draft id")
        act.add_argument("--by", required=True, metavar="NAME", help="who does this (recorded in the audit log)")
        if name == "reject":
            act.add_argument("--reason", required=True, metavar="TEXT", help="why (recorded in the audit log)")
        elif name == "approve":
            act.add_argument("--allow-external", action="store_true",
                             help="approve links and images an edit added that marketnews did not produce "
                                  "(listed by 'drafts show'; recorded in the audit log)")
        act.add_argument("--version", type=int, metavar="N",
                         help="refuse if the draft is no longer at version N (as shown by 'drafts show')")
        act.set_defaults(func=func)
    edt = dsub.add_parser("edit", help="edit a draft in $EDITOR; saving re-runs the fact-check",
                          description="Open the current revision in $VISUAL or $EDITOR; the saved text becomes a new "
                                      "revision and is fact-checked again (exit 3 if it still fails).")
    edt.add_argument("id", type=int, help="draft id")
    edt.add_argument("--by", metavar="NAME", help="who edits (default: your login name)")
    edt.add_argument("--correction", metavar="TEXT",
                     help="for a published article: what the edit corrects (readers see 'Updated DATE: TEXT')")
    edt.set_defaults(func=cmd_drafts_edit)
    dif = dsub.add_parser("diff", help="show what changed between two revisions",
                          description="A unified diff between two revisions of a draft: by default its current text "
                                      "and the regeneration waiting beside it, else the last change.")
    dif.add_argument("id", type=int, help="draft id")
    dif.add_argument("--from", dest="old", type=int, metavar="N", help="the older revision")
    dif.add_argument("--to", dest="new", type=int, metavar="N", help="the newer revision")
    dif.set_defaults(func=cmd_drafts_diff)

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
    status = sub.add_parser("status", help="show each scheduled job's last run, outcome and next run",
                            description="Show each [jobs.NAME] job's last slot, its outcome (and error), the next "
                                        "slot, and whether a run holds the lock now. Reads the run state only.")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.set_defaults(func=cmd_status)

    review = sub.add_parser("review", help="serve the review page (or set its password)",
                            usage=f"{PROG} review [-h] [--host HOST] [--port PORT] [set-password]",
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


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range (0-65535): {value}")
    return value


def _interval(text: str) -> float:
    from generator.intervals import parse_interval

    try:
        return parse_interval(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
