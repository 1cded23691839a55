"""Price changes over a fixed window from candles: 24 hours (for tickers that do not give one) and the last hour."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from generator.analysis.models import AverageMove, ChangeResult
from generator.analysis.swings import window_of
from generator.snapshot import TIMEFRAMES, CandleSeries

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def change_over(series: CandleSeries, window: timedelta) -> ChangeResult | None:
    """Percent change from the close ``window`` before the last close to the last close.

    Needs a timeframe that divides the window and the candle exactly one window back; None otherwise.
    """
    step = TIMEFRAMES[series.timeframe]
    if step > window or window % step:
        return None
    back = window // step
    candles = series.candles
    if len(candles) <= back:
        return None
    start, end = candles[-1 - back], candles[-1]
    if end.time - start.time != window:  # a gap in the series: the close is not one window earlier
        return None
    used = candles[-1 - back :]
    return ChangeResult(
        pct=(end.close - start.close) / start.close * 100,
        from_price=start.close,
        to_price=end.close,
        window=window_of(used, series.timeframe),
        hours=window / HOUR,
        end=end.time + step,
    )


def change_24h(series: CandleSeries) -> ChangeResult | None:
    """Percent change over the 24 hours to the last close."""
    return change_over(series, DAY)


def change_1h(candles: Iterable[CandleSeries]) -> ChangeResult | None:
    """Percent change over the hour to the latest close, from the finest series that gives it.

    A 5-minute series measures the hour to within five minutes of now; an hourly
    series measures the last whole hour, which may have ended up to an hour ago.
    The result's ``end`` says which hour it was.
    """
    for series in sorted(candles, key=lambda s: TIMEFRAMES[s.timeframe]):
        result = change_over(series, HOUR)
        if result is not None:
            return result
    return None


def average_move(series: CandleSeries, window: timedelta, count: int) -> AverageMove | None:
    """The mean absolute change between closes ``window`` apart over the ``count`` windows before the latest one.

    The latest window is left out: it is the move being measured, and a baseline that held it would shrink its own
    multiple. None when the series is coarser than the window, too short, or has a gap.
    """
    step = TIMEFRAMES[series.timeframe]
    if step > window or window % step:
        return None
    k = window // step
    candles = series.candles
    need = (count + 1) * k + 1  # the latest window and the ``count`` before it
    if len(candles) < need:
        return None
    used = candles[-need : len(candles) - k]
    points = used[::k]
    if any(b.time - a.time != window for a, b in zip(points, points[1:])):
        return None  # a gap: two closes are not one window apart
    moves = [abs(b.close / a.close - 1) * 100 for a, b in zip(points, points[1:])]
    return AverageMove(pct=sum(moves) / len(moves), count=len(moves), hours=window / HOUR,
                       window=window_of(used, series.timeframe))
