"""24-hour change from candles, for tickers that do not give one."""

from __future__ import annotations

from datetime import timedelta

from generator.analysis.models import ChangeResult
from generator.analysis.swings import window_of
from generator.snapshot import TIMEFRAMES, CandleSeries

DAY = timedelta(days=1)


def change_24h(series: CandleSeries) -> ChangeResult | None:
    """Percent change from the close 24h before the last close to the last close.

    Needs a timeframe that divides a day and the candle exactly 24h back; None otherwise.
    """
    step = TIMEFRAMES[series.timeframe]
    if step > DAY or DAY % step:
        return None
    back = DAY // step
    candles = series.candles
    if len(candles) <= back:
        return None
    start, end = candles[-1 - back], candles[-1]
    if end.time - start.time != DAY:  # a gap in the series: the close is not 24h earlier
        return None
    used = candles[-1 - back :]
    return ChangeResult(
        pct=(end.close - start.close) / start.close * 100,
        from_price=start.close,
        to_price=end.close,
        window=window_of(used, series.timeframe),
    )
