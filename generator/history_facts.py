"""The facts of the daily history (analysis/history.py): records, moves, round levels, streaks, trailing changes.

Each "since" fact is the date of the candle that bounds the claim, its proof; where no earlier candle does, a
``*_record`` fact says the figure is a record *in the data*, and the data's first candle
(``price.history_start_date``) is what an article must name with it ("the lowest close in the data, which begins
on January 1, 2017"). Missing history gives no facts, so no sentence.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from generator.analysis.models import History
from generator.facts import format_number
from generator.snapshot import Provenance

if TYPE_CHECKING:
    from generator.facts import _Builder


def add_history(b: _Builder, hist: History | None, src: Provenance | None) -> None:
    """Add the history facts of ``hist`` (daily candles) to the builder."""
    if hist is None:
        return
    for rec in (hist.record_low, hist.record_high):
        if rec is None:
            continue
        word = "lowest" if rec.side == "low" else "highest"
        _since_or_record(b, f"history.close_{rec.side}", rec.since, src,
                         f"Last close at or {'below' if rec.side == 'low' else 'above'} the latest one",
                         f"The latest close is the {word} in the data")
    if (move := hist.largest_move) is not None:
        _since_or_record(b, f"history.move_{move.way}", move.since, src,
                         f"Last one-day {move.way} at least as large as the latest",
                         f"The largest one-day {move.way} in the data")
    if (cross := hist.first_cross) is not None:
        b.add(f"history.cross_{cross.way}_level", cross.level, "usd", f"Round level the latest close crossed {cross.way}",
              src)
        _since_or_record(b, f"history.cross_{cross.way}", cross.since, src,
                         f"Last close {cross.way} the round level before the latest",
                         f"The first close {cross.way} the round level in the data")
    if (run := hist.streak) is not None:
        b.add("history.streak_days", float(run.length), "count", f"Closes in a row {run.way}", src,
              formatter=format_number)
        b.add_text("history.streak_direction", run.way, run.way, "Which way the closes in a row went", src)
        b.add_date("history.streak_start_date", run.start, "First day of the streak", src)
        _since_or_record(b, "history.streak", run.longer_since, src,
                         f"Last day of the latest earlier streak {run.way} at least as long",
                         f"The longest streak {run.way} in the data")
    for change in hist.trailing:
        b.add(f"history.change_{change.days}d_pct", change.pct, "percent", f"{change.days}-day change", src)
        b.add(f"windows.change_{change.days}d", change.days * 24.0, "hours", f"Window of the {change.days}-day change",
              src)
    top = hist.series_high
    b.add("history.series_high", top.high, "usd", "Highest close in the data", src)
    b.add_date("history.series_high_date", top.time, "Date of the highest close in the data", src)
    b.add("history.from_series_high_pct", top.pct, "percent", "Latest close vs the highest close in the data", src)


def _since_or_record(b: _Builder, stem: str, since: datetime | None, src: Provenance | None, since_label: str,
                     record_label: str) -> None:
    """``<stem>_since_date`` when an earlier candle matched the latest, else ``<stem>_record``: a record in the data."""
    if since is not None:
        b.add_date(f"{stem}_since_date", since, since_label, src)
    else:
        b.add_text(f"{stem}_record", "yes", "yes", record_label, src)
