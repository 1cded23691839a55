"""Showing a fetch as it happens: a live table on an interactive terminal, log lines otherwise."""

from __future__ import annotations

import logging
import sys
import threading
from contextlib import AbstractContextManager
from types import TracebackType
from typing import IO, Any

from generator.sources.collector import Event

log = logging.getLogger("marketnews.sources")
_STYLE = {"start": "…", "ok": "ok", "failed": "failed", "skipped": "skipped"}


class LogProgress(AbstractContextManager["LogProgress"]):
    """One INFO log line per provider outcome (visible with log_level = "INFO")."""

    def __call__(self, event: Event) -> None:
        if event.status == "start":
            return
        took = f" in {event.seconds:.2f} s" if event.status != "skipped" else ""
        detail = f": {event.detail}" if event.detail else ""
        log.info("%s from %s: %s%s%s", event.metric, event.provider, event.status, took, detail)

    def __exit__(self, *exc: object) -> None:
        return None


class RichProgress(AbstractContextManager["RichProgress"]):
    """A table of metrics that fills in as providers answer (rich, on stderr)."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.live import Live

        self._rows: dict[str, list[str]] = {}
        self._notes: dict[str, list[str]] = {}  # failures so far, per metric: the fallback story stays visible
        self._lock = threading.Lock()
        self._live = Live(self._table(), console=Console(file=stream), refresh_per_second=12, transient=False)

    def _table(self) -> Any:
        from rich.table import Table

        table = Table(title="Fetching market data", title_justify="left", box=None, pad_edge=False)
        for name in ("Metric", "Provider", "Status", "Time", "Detail"):
            table.add_column(name, no_wrap=name != "Detail", overflow="fold")
        for metric, row in self._rows.items():
            colour = {"ok": "green", "failed": "red", "skipped": "yellow"}.get(row[2], "cyan")
            table.add_row(metric, row[1], f"[{colour}]{row[2]}[/]", row[3], row[4])
        return table

    def __call__(self, event: Event) -> None:
        with self._lock:
            took = f"{event.seconds:.2f} s" if event.status in ("ok", "failed") else ""
            notes = self._notes.setdefault(event.metric, [])
            if event.status in ("failed", "skipped"):
                notes.append(f"{event.provider}: {event.detail}")
            self._rows[event.metric] = [event.metric, event.provider, _STYLE[event.status], took, "; ".join(notes)]
            self._live.update(self._table())

    def __enter__(self) -> RichProgress:
        self._live.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._live.stop()


def progress_for(stream: IO[str] | None = None) -> LogProgress | RichProgress:
    """The live table when ``stream`` (default stderr) is a terminal, log lines otherwise."""
    stream = stream or sys.stderr
    return RichProgress(stream) if stream.isatty() else LogProgress()
