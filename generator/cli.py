"""The marketnews command line: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.errors import EXIT_BLOCKED, EXIT_OK, MarketnewsError

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

    settings = _settings(args, **({} if args.chart is None else {"chart": args.chart}))
    extra: dict[str, bytes] = {}
    if args.snapshot is not None:
        snapshot = load_snapshot(args.snapshot)
    else:
        fetched = _fetch(args, settings)
        snapshot, extra = fetched.snapshot, {"sources.yaml": fetched.recording}
    result = generate(snapshot, settings, kind=args.kind, out=args.out, extra_files=extra)
    if args.json:
        _print_json({**result.model_dump(mode="json"), "missing": snapshot.missing,
                     "disagreements": [d.model_dump(mode="json") for d in snapshot.disagreements]})
    else:
        print(f"wrote {result.path} ({result.status}): {result.title}")
        if result.status == "blocked" and result.factcheck:
            fc = result.factcheck
            sys.stderr.write(f"{PROG}: blocked: {fc['failed']} of {fc['mentions']} mentions failed the fact-check; "
                             f"see {result.path / 'factcheck.json'}\n")
    return EXIT_BLOCKED if result.status == "blocked" else EXIT_OK


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
    source.add_argument("--asset", metavar="ASSET", help="fetch live data for ASSET (e.g. BTC) and record it")
    source.add_argument("--replay", type=Path, metavar="FILE", help="rebuild from a recording (sources.yaml)")
    source.add_argument("--snapshot", type=Path, metavar="FILE", help="snapshot JSON file")
    gen.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: setting output_dir)")
    gen.add_argument("--kind", default="daily", choices=("daily", "alert"), help="article kind (default: daily)")
    gen.add_argument("--json", action="store_true", help="print a machine-readable summary")
    gen.add_argument("--chart", action=argparse.BooleanOptionalAction, default=None,
                     help="draw chart.png and embed it in the article (default: setting chart; needs matplotlib)")
    gen.set_defaults(func=cmd_generate)

    fetch = sub.add_parser("fetch", help="fetch live data into a snapshot file without drafting",
                           description="Fetch ASSET from the configured providers and write the snapshot JSON.")
    fetch.add_argument("--asset", required=True, metavar="ASSET", help="asset to fetch, e.g. BTC")
    fetch.add_argument("--out", type=Path, metavar="FILE", help="snapshot file to write (default: print it)")
    fetch.add_argument("--record", type=Path, metavar="FILE", help="also write the recording (sources.yaml) here")
    fetch.set_defaults(func=cmd_fetch)

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
    return parser


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
