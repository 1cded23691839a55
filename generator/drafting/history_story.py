"""Which history facts are news: the notability rule the templates follow (docs/factcheck.md, "History").

A "since" is notable when the candle that bounds it lies at least NOTABLE_DAYS before the latest daily close (a
record "in the data" counts from the data's first candle, so a short series gives none); a streak when it runs at
least STREAK_DAYS closes. The lead names the first of the record close, the largest move and the longest streak that
reaches back LEAD_DAYS or more (price action the rest); market structure
names the distance from the series' high when the close is at least FROM_HIGH_PCT below it. Every sentence is
printed from facts, so a fact that is missing leaves its sentence out.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.analysis.models import History
from generator.facts import FactSet

NOTABLE_DAYS = 30  # a "since" reaching back less than a month is not news
LEAD_DAYS = 60  # the lead names a record that reaches back two months or more
STREAK_DAYS = 3  # closes in a row one way before a streak is worth a sentence
FROM_HIGH_PCT = 10.0  # market structure names the distance from the series' high from this far below it


class HistoryStory(BaseModel):
    """The history sentences an article carries (None or False: left out)."""

    model_config = ConfigDict(frozen=True)

    record: Literal["low", "high"] | None = None  # the latest close is the lowest (highest) since a notable date
    record_in_data: bool = False  # ... or of the whole series
    record_in_lead: bool = False  # (the record close is "the lowest in months", not weeks)
    lead: Literal["record", "move", "streak"] | None = None  # the one the lead carries (price action leaves it out)
    move: Literal["drop", "gain"] | None = None
    move_in_data: bool = False
    cross: Literal["below", "above"] | None = None
    cross_in_data: bool = False
    streak: Literal["down", "up"] | None = None
    streak_longest: bool = False  # the longest that way since a notable date (or in the data)
    streak_in_data: bool = False
    trailing: list[int] = []  # the trailing changes present, in days
    from_high: bool = False


def read_history(hist: History | None, facts: FactSet) -> HistoryStory | None:
    """The notable history of the latest daily close (None without daily history)."""
    if hist is None:
        return None
    out: dict[str, object] = {}
    rec = next((r for r in (hist.record_low, hist.record_high) if r is not None and r.days >= NOTABLE_DAYS), None)
    if rec is not None and (f"history.close_{rec.side}_since_date" in facts or f"history.close_{rec.side}_record" in facts):
        out.update(record=rec.side, record_in_data=rec.since is None, record_in_lead=rec.days >= LEAD_DAYS)
    if (move := hist.largest_move) is not None and move.days >= NOTABLE_DAYS:
        out.update(move=move.way, move_in_data=move.since is None)
    if (cross := hist.first_cross) is not None and cross.days >= NOTABLE_DAYS and \
            f"history.cross_{cross.way}_level" in facts:
        out.update(cross=cross.way, cross_in_data=cross.since is None)
    if (run := hist.streak) is not None and run.length >= STREAK_DAYS and "history.streak_days" in facts:
        out.update(streak=run.way, streak_longest=run.days >= NOTABLE_DAYS, streak_in_data=run.longer_since is None)
    reach = {"record": rec.days if "record" in out and rec is not None else 0,
             "move": move.days if "move" in out and move is not None else 0,
             "streak": run.days if out.get("streak_longest") and run is not None else 0}
    out["lead"] = next((kind for kind in ("record", "move", "streak") if reach[kind] >= LEAD_DAYS), None)
    out["trailing"] = [t.days for t in hist.trailing if f"history.change_{t.days}d_pct" in facts]
    top = hist.series_high
    out["from_high"] = top.pct <= -FROM_HIGH_PCT and "history.from_series_high_pct" in facts
    return HistoryStory.model_validate(out)
