"""What every command shares: settings with logging applied, JSON output, atomic file writes, fetching."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

PROG = "marketnews"


def settings_for(args: argparse.Namespace, **overrides: object):  # noqa: ANN202 - Settings import kept lazy
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


def fetch_for(args: argparse.Namespace, settings):  # noqa: ANN001, ANN202 - lazy imports: no HTTP stack for --snapshot
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


def print_json(data: object) -> None:
    print(json.dumps(data, indent=2, default=str))


def write_file(path: Path, data: bytes) -> None:
    from generator.errors import OutputError
    from generator.output import write_atomic

    try:
        write_atomic(path, data)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
