"""Fair value gaps: three-candle imbalances that later prices have not filled."""

from __future__ import annotations

from collections.abc import Sequence

from generator.analysis.models import FairValueGap, FVGResult
from generator.analysis.swings import window_of
from generator.snapshot import Candle


def fair_value_gaps(
    candles: Sequence[Candle], timeframe: str, lookback: int = 120, min_size_pct: float = 0.0
) -> FVGResult | None:
    """Unfilled gaps, newest first.

    Bullish gap: the third candle's low is above the first candle's high; the
    gap is the price range between them, which later lows eat into from above.
    Bearish gap: the mirror image. A gap is gone once prices traded through all
    of it; partly filled gaps keep the part still open.
    """
    recent = list(candles[-lookback:])
    if len(recent) < 3:
        return None
    gaps: list[FairValueGap] = []
    for i in range(1, len(recent) - 1):
        first, middle, third = recent[i - 1], recent[i], recent[i + 1]
        later = recent[i + 2 :]
        if third.low > first.high:
            low, high = first.high, third.low
            top = min([high, *(c.low for c in later)])
            if top > low and (high - low) >= middle.close * min_size_pct / 100:
                gaps.append(FairValueGap(direction="bullish", low=low, high=top,
                                         original_low=low, original_high=high, time=middle.time))
        elif third.high < first.low:
            low, high = third.high, first.low
            bottom = max([low, *(c.high for c in later)])
            if bottom < high and (high - low) >= middle.close * min_size_pct / 100:
                gaps.append(FairValueGap(direction="bearish", low=bottom, high=high,
                                         original_low=low, original_high=high, time=middle.time))
    gaps.reverse()
    return FVGResult(gaps=gaps, window=window_of(recent, timeframe))
