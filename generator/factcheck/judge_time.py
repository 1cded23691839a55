"""Judging time: durations and timeframes, look-backs ("a three-week low"), streaks of closes, and dates.

A duration verifies when the data has that window or candle timeframe (the one the words name, when they
name one); a look-back when the candles reach back that far; a streak against the run of daily closes the
history counts (history.streak_days); a date when it is the day (or moment) of the fact it was bound to.
"""

from __future__ import annotations

from generator.factcheck.bind import TIE, Binder, Binding, contradicted, isclose
from generator.factcheck.evidence import Said
from generator.factcheck.extract import Mention
from generator.factcheck.index import FactIndex, moment
from generator.factcheck.judge import Judgement
from generator.facts import format_hours


def _streak(hours: float, index: FactIndex) -> Judgement:
    """'five straight days': the daily closes in a row one way that end with the latest (history.streak_days)."""
    run = next((f for f in index.facts if f.meaning.has("metric", "streak") and f.meaning.has("aspect", "length")), None)
    if run is None:
        return Judgement("unsupported", None, None, "a streak of days or sessions: the data counts none")
    days = float(run.value)
    shown = f"{run.display} day" + ("s" if days != 1 else "")
    ok = abs(hours - days * 24.0) < 1e-6
    return Judgement("verified" if ok else "mismatch", run, shown,
                     f"{run.label}: {shown}" if ok else f"the daily closes ran {shown} in a row, not {hours / 24:g}")


def judge_duration(m: Mention, evidence: Said, index: FactIndex, rsi_near: bool) -> Judgement:
    """A duration or timeframe verifies when the data has that window or candle timeframe.

    When the words say whose window it is ("1-hour liquidations", "per 8-hour interval"), it must be that one.
    """
    hours = m.value or 0.0
    if m.unit == "streak":
        return _streak(hours, index)
    if m.unit is not None and m.unit.startswith("lookback_"):
        return _lookback(m, hours, m.unit.removeprefix("lookback_"), index)
    infos = [i for i in index.by_unit.get("hours", []) if m.kind != "timeframe" or "tf" in i.tags]
    # An asset name says nothing about which window a duration is ("a 5-year horizon for Bitcoin").
    summary = Binder.summarize([(tags, w) for tags, w in evidence if "asset" not in tags])
    scored = [(Binder.score(info, summary), info) for info in infos]
    backed = [(s, info) for s, info in scored if s[1] > 0.5 and s[0] > 0]
    if backed:
        best = max(s[0] for s, _ in backed)
        infos = [info for s, info in backed if s[0] >= best - TIE]
    for info in infos:
        if isclose(float(info.fact.value), hours, max(m.precision / 2, 1e-6)):
            return Judgement("verified", info.fact, info.fact.display, f"{info.fact.label}: {info.fact.display}")
    if rsi_near and (period := index.facts.get("technicals.rsi_period")) is not None:
        for f in index.facts:
            if f.unit == "hours" and "tf" in f.meaning.tags and isclose(float(period.value) * float(f.value), hours, 1e-6):
                return Judgement("verified", period, period.display,
                                 f"RSI period {period.display} x {f.display} candles")
    if backed and contradicted(infos[0], summary) is None:  # ("the weekly chart" with no weekly candles: unbacked)
        f = infos[0].fact
        return Judgement("mismatch", f, f.display, f"{f.label} is {f.display}")
    what = "candle timeframe" if m.kind == "timeframe" or "frame" in summary else "window or timeframe"
    return Judgement("unsupported", None, None, f"the data has no {format_hours(hours)} {what}")


def _lookback(m: Mention, hours: float, side: str, index: FactIndex) -> Judgement:
    """'a three-week low': the candles before the last day were last this low (high) at least that long ago."""
    now, since = index.facts.get("article.as_of"), index.facts.get(f"price.{side}_since_date")
    start = index.facts.get("price.history_start_date")
    if now is None:
        return Judgement("unsupported", None, None, "the data has no time to count back from")
    need = hours - m.precision / 2  # "three-week": to the week written
    if since is not None:
        back = (moment(now) - moment(since)).total_seconds() / 3600
        if back >= need:
            return Judgement("verified", since, since.display, f"{since.label}: {since.display}")
        return Judgement("mismatch", since, since.display,
                         f"{since.label} is {since.display}, {format_hours(round(back / 24) * 24.0)} back")
    if start is not None and (moment(now) - moment(start)).total_seconds() / 3600 >= need:
        return Judgement("verified", start, start.display, f"no candle since {start.display} was this {side}")
    return Judgement("unsupported", None, None, f"the data does not reach back {format_hours(hours)}")


def judge_date(m: Mention, binding: Binding) -> Judgement:
    fact = binding.fact
    if fact is None:
        return Judgement("unsupported", None, None, binding.reason)
    assert m.when is not None
    if m.when.matches(moment(fact)):
        return Judgement("verified", fact, fact.display, f"{fact.label}: {fact.display}")
    return Judgement("mismatch", fact, fact.display, f"{fact.label} is {fact.display}")
