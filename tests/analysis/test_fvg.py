from __future__ import annotations

from datetime import datetime, timedelta, timezone

from generator.analysis.fvg import fair_value_gaps
from generator.snapshot import Candle
from tests.conftest import bittrex_candles


def day(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def test_bearish_gap_of_1_february_2018_partly_filled() -> None:
    # Jan 31 low 9,680.25 > Feb 2 high 9,231.84: a bearish gap. Feb 3 traded up to 9,504.73,
    # so only 9,504.73-9,680.25 is still open on Feb 5.
    result = fair_value_gaps(bittrex_candles(until="2018-02-05"), "1d")
    assert result is not None
    newest = result.gaps[0]
    assert newest.direction == "bearish" and newest.time == day("2018-02-01")
    assert (newest.original_low, newest.original_high) == (9231.84326197, 9680.24810672)
    assert (newest.low, newest.high) == (9504.729, 9680.24810672)


def test_filled_gaps_are_dropped() -> None:
    t0 = day("2021-01-01")

    def c(i: int, lo: float, hi: float) -> Candle:
        return Candle(time=t0 + timedelta(days=i), open=lo, high=hi, low=lo, close=hi, volume=1)

    # Bullish gap 110-120 between candle 0 (high 110) and candle 2 (low 120).
    candles = [c(0, 100, 110), c(1, 112, 125), c(2, 120, 130)]
    gaps = fair_value_gaps(candles, "1d").gaps
    assert [(g.direction, g.low, g.high) for g in gaps] == [("bullish", 110, 120)]
    # A later low of 115 fills the top half; a low of 105 fills it all.
    assert [(g.low, g.high) for g in fair_value_gaps(candles + [c(3, 115, 131)], "1d").gaps] == [(110, 115)]
    assert fair_value_gaps(candles + [c(3, 115, 131), c(4, 105, 132)], "1d").gaps == []


def test_min_size_filter() -> None:
    candles = bittrex_candles(until="2018-02-05")
    all_gaps = fair_value_gaps(candles, "1d").gaps
    big = fair_value_gaps(candles, "1d", min_size_pct=5).gaps
    assert 0 < len(big) < len(all_gaps)
