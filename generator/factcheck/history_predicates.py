"""Predicates for claims about the daily history: records "in the data" and the way of a streak.

"Since" claims need no predicate of their own: their date is bound like any date (bind.py) to the history fact
their words name ("the largest one-day drop since ..." to the day of the latest earlier drop at least as large),
and a claim of the other way or kind finds no such fact. What a date cannot show is said here: that the latest
close, move, streak or crossing is a record of the whole series ("the lowest close in the data, which begins on
January 1, 2017"), and which way the closes ran ("a losing streak", "closed higher for seven straight days").
They read facts by their meaning (generator/fact_catalogue.py), never by their keys' spelling.
"""

from __future__ import annotations

from generator.factcheck.claim import Claim
from generator.factcheck.index import FactIndex
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.facts import Fact

# The aspect of the since-facts each kind of record is about, by the way its words name.
_ASPECT = {
    "close": {"low": "low", "high": "high"},
    "move": {"down": "drop", "up": "gain"},
    "cross": {"below": "cross_below", "above": "cross_above"},
    "streak": {"down": "streak", "up": "streak"},
}
_WORDS = {"close": "extreme_word", "move": "move_size_noun", "cross": "position_word", "streak": "streak_word"}
_WHAT = {"low": "lowest close", "high": "highest close", "drop": "largest one-day drop", "gain": "largest one-day gain",
         "cross_below": "first close below the level", "cross_above": "first close above the level",
         "streak": "longest streak"}


def _one(index: FactIndex, **tags: str) -> Fact | None:
    return next((f for f in index.facts if all(f.meaning.has(s, v) for s, v in tags.items())), None)


def _direction(index: FactIndex) -> Fact | None:
    return _one(index, metric="streak", aspect="direction")


def record(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'the lowest close in the data', 'the largest one-day drop in the data': no earlier candle matched or beat it."""
    kind = claim.args.get("kind", "")
    way = claim.args.get(_WORDS.get(kind, ""))
    aspect = _ASPECT.get(kind, {}).get(way or "")
    if aspect is None:
        return None
    start = index.facts.get("price.history_start_date")
    if kind == "streak":
        run = _direction(index)
        if run is None:
            return Judgement("unsupported", None, None, "the data has no streak of daily closes")
        if run.value != way:
            why = f"the daily closes ran {run.display}, not {way}"
            return Judgement("direction", run, run.display, why)
    tagged = [f for f in index.facts if f.meaning.has("metric", "since") and f.meaning.has("aspect", aspect)
              and (kind != "close" or f.meaning.has("level", "close"))]
    rec = next((f for f in tagged if f.meaning.has("state", "record")), None)
    since = next((f for f in tagged if f.unit == "date"), None)
    what = _WHAT[aspect]
    if rec is not None:
        begins = f"; the data begins on {start.display}" if start is not None else ""
        return Judgement("verified", rec, "in the data", f"the {what} in the data{begins}")
    if since is not None:
        return Judgement("mismatch", since, f"since {since.display}",
                         f"not a record in the data: the {what} since {since.display}")
    return Judgement("mismatch", None, None, f"the latest daily candle is not the {what} in the data")


def streak_way(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'a losing streak', 'closed higher for seven straight days': the way the closes in a row ran."""
    way = claim.args.get("streak_word") or claim.args.get("move_verb") or claim.args.get("move_word")
    if way not in ("down", "up"):
        return None
    run = _direction(index)
    if run is None:
        return Judgement("unsupported", None, None, "the data has no streak of daily closes")
    days = _one(index, metric="streak", aspect="length")
    length = f"{days.display} closes" if days is not None else "the closes"
    why = f"{length} in a row went {run.display}"
    return Judgement("verified" if run.value == way else "direction", run, run.display, why)
