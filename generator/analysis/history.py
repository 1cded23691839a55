"""History over the daily candles: records, the largest one-day move, round levels crossed, streaks, trailing changes.

Pure functions over closed daily candles (oldest first). Each result names the candle dates that prove it: a
"since" is the date of the latest earlier candle that matched or beat today's figure, and ``None`` means no
earlier candle in the data did, so the claim is bounded by the series' start ("the lowest close in the data,
which begins on DATE"), never by all of history.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import Literal

from pydantic import AwareDatetime

from generator.analysis.models import FirstCross, History, LargestMove, RecordClose, SeriesHigh, Streak, TrailingChange
from generator.analysis.swings import window_of
from generator.snapshot import Candle

DAY = timedelta(days=1)
TRAILING_DAYS = (7, 30)  # the trailing changes stated: a week and a month of closes
# A round level is a multiple of a step of one or five times a power of ten, no finer than this share of the
# price: $9,000 or $8,500 for a price near $8,000, never $8,130.
ROUND_STEP_MIN_SHARE = 0.01


def _days(candles: Sequence[Candle], since: AwareDatetime | None) -> int:
    return ((candles[-1].time - (since or candles[0].time)) // DAY)


def record_close(candles: Sequence[Candle], side: Literal["low", "high"]) -> RecordClose | None:
    """The latest close against every earlier one: lowest (highest) since the latest earlier close at or beyond it.

    None when the close before the latest was already beyond it (a record of one day says nothing).
    """
    if len(candles) < 2:
        return None
    last = candles[-1]
    beyond = (lambda c: c.close <= last.close) if side == "low" else (lambda c: c.close >= last.close)
    if beyond(candles[-2]):
        return None
    since = next((c.time for c in reversed(candles[:-1]) if beyond(c)), None)
    return RecordClose(side=side, close=last.close, time=last.time, since=since, days=_days(candles, since))


def _changes(candles: Sequence[Candle]) -> list[float]:
    """Close-to-close change of each day after the first, in percent (index i: candle i + 1)."""
    return [(b.close / a.close - 1) * 100 for a, b in zip(candles, candles[1:])]


def largest_move(candles: Sequence[Candle]) -> LargestMove | None:
    """The latest one-day move against the earlier ones of the same way: the largest since the latest one at least
    as large. None for an unchanged close."""
    changes = _changes(candles)
    if not changes or changes[-1] == 0:
        return None
    pct = changes[-1]
    way: Literal["drop", "gain"] = "drop" if pct < 0 else "gain"
    since = None
    for i in range(len(changes) - 2, -1, -1):
        if (changes[i] <= pct) if way == "drop" else (changes[i] >= pct):
            since = candles[i + 1].time
            break
    return LargestMove(way=way, pct=pct, time=candles[-1].time, since=since, days=_days(candles, since))


def round_level(low: float, high: float) -> float | None:
    """The roundest number in (low, high]: a multiple of the largest step (1 or 5 times a power of ten, at least
    ROUND_STEP_MIN_SHARE of the price) that has one there; the multiple nearest ``low`` when several do."""
    if not (0 < low < high):
        return None
    top = math.floor(math.log10(high)) + 1
    for exp in range(top, top - 12, -1):
        for mult in (5, 1):
            step = mult * 10.0**exp
            if step < high * ROUND_STEP_MIN_SHARE:
                return None
            first = math.floor(low / step) * step + step  # the first multiple above low
            if first <= high:
                return round(first, 10)
    return None


def first_cross(candles: Sequence[Candle]) -> FirstCross | None:
    """The round level the latest close crossed (the close before was at or beyond it the other way) and since when
    no close had been on this side of it."""
    if len(candles) < 2:
        return None
    prev, last = candles[-2].close, candles[-1].close
    if last < prev:
        level = round_level(last, prev)  # prev >= level > last
        way: Literal["below", "above"] = "below"
    elif last > prev:
        level = round_level(prev, last)  # prev < level <= last
        way = "above"
    else:
        return None
    if level is None:
        return None

    def beyond(c: Candle) -> bool:
        return c.close < level if way == "below" else c.close >= level

    since = next((c.time for c in reversed(candles[:-2]) if beyond(c)), None)
    return FirstCross(way=way, level=level, time=candles[-1].time, since=since, days=_days(candles, since))


def _runs(candles: Sequence[Candle]) -> list[tuple[str, int, int]]:
    """Runs of same-way closes: (way, index of the first close of the run, index of its last)."""
    runs: list[tuple[str, int, int]] = []
    for i in range(1, len(candles)):
        a, b = candles[i - 1].close, candles[i].close
        way = "down" if b < a else "up" if b > a else "flat"
        if runs and runs[-1][0] == way and runs[-1][2] == i - 1:
            runs[-1] = (way, runs[-1][1], i)
        else:
            runs.append((way, i, i))
    return runs


def streak(candles: Sequence[Candle]) -> Streak | None:
    """The run of lower (higher) closes ending with the latest, and the latest earlier run that way at least as long."""
    runs = _runs(candles)
    if not runs or runs[-1][0] == "flat":
        return None
    way, first, last = runs[-1]
    length = last - first + 1
    earlier = next(((a, b) for w, a, b in reversed(runs[:-1]) if w == way and b - a + 1 >= length), None)
    since = candles[earlier[1]].time if earlier else None
    return Streak(way=way, length=length, start=candles[first].time, longer_since=since,  # type: ignore[arg-type]
                  longer_length=(earlier[1] - earlier[0] + 1) if earlier else None, days=_days(candles, since))


def trailing_change(candles: Sequence[Candle], days: int) -> TrailingChange | None:
    """The change from the close ``days`` days before the latest (that candle must be in the data)."""
    when = candles[-1].time - days * DAY
    start = next((c for c in reversed(candles) if c.time == when), None)
    if start is None:
        return None
    return TrailingChange(days=days, pct=(candles[-1].close / start.close - 1) * 100, start=start.time)


def series_high(candles: Sequence[Candle]) -> SeriesHigh:
    top = max(candles, key=lambda c: (c.close, c.time))
    return SeriesHigh(high=top.close, time=top.time, pct=(candles[-1].close / top.close - 1) * 100)


def history(candles: Sequence[Candle]) -> History | None:
    """Every history result for daily candles (None with fewer than two)."""
    if len(candles) < 2:
        return None
    trailing = [t for d in TRAILING_DAYS if (t := trailing_change(candles, d)) is not None]
    return History(
        window=window_of(list(candles), "1d"), start=candles[0].time, close=candles[-1].close, time=candles[-1].time,
        record_low=record_close(candles, "low"), record_high=record_close(candles, "high"),
        largest_move=largest_move(candles), first_cross=first_cross(candles), streak=streak(candles),
        trailing=trailing, series_high=series_high(candles),
    )
