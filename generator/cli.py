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
    from generator.settings import load_settings

    return load_settings(args.config, **overrides)


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))


# --- commands -----------------------------------------------------------------


def cmd_generate(args: argparse.Namespace) -> int:
    from generator.pipeline import generate
    from generator.snapshot import load_snapshot

    settings = _settings(args, **({} if args.chart is None else {"chart": args.chart}))
    snapshot = load_snapshot(args.snapshot)
    result = generate(snapshot, settings, kind=args.kind, out=args.out)
    if args.json:
        _print_json(result.model_dump(mode="json"))
    else:
        print(f"wrote {result.path} ({result.status}): {result.title}")
    return EXIT_BLOCKED if result.status == "blocked" else EXIT_OK


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

    gen = sub.add_parser("generate", help="draft an article from a snapshot and write its files",
                         description="Draft an article from a market snapshot and write article.md, article.html, "
                                     "snapshot.json and factcheck.json to OUT/<date>/<asset>-<kind>/.")
    gen.add_argument("--snapshot", type=Path, required=True, metavar="FILE", help="snapshot JSON file")
    gen.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: setting output_dir)")
    gen.add_argument("--kind", default="daily", choices=("daily", "alert"), help="article kind (default: daily)")
    gen.add_argument("--json", action="store_true", help="print a machine-readable summary")
    gen.add_argument("--chart", action=argparse.BooleanOptionalAction, default=None,
                     help="draw chart.png and embed it in the article (default: setting chart; needs matplotlib)")
    gen.set_defaults(func=cmd_generate)

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
