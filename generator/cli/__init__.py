"""The marketnews command line: parses arguments and calls the library, nothing more.

``parser`` holds every command and option; ``articles``, ``desk`` and ``jobs`` hold the
commands, each a few lines that call the library and print its result.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from generator.cli.common import PROG
from generator.cli.parser import build_parser
from generator.errors import EXIT_OK, MarketnewsError

__all__ = ["PROG", "build_parser", "main"]


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
