from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.analysis.change import change_24h
from generator.snapshot import CandleSeries, MarketSnapshot
from tests.conftest import bittrex_candles


def test_daily_change_from_candles(example_snapshot: MarketSnapshot) -> None:
    result = change_24h(example_snapshot.candles["1d"])
    # Feb 4 close 8,161.00001002 -> Feb 5 close 6,960.
    assert result is not None
    assert result.pct == pytest.approx((6960 - 8161.00001002) / 8161.00001002 * 100)
    assert result.window.count == 2


def test_weekly_candles_cannot_give_a_24h_change(example_snapshot: MarketSnapshot) -> None:
    src = example_snapshot.candles["1d"].source
    weekly = CandleSeries(timeframe="1w", candles=bittrex_candles(until="2017-01-01"), source=src)
    assert change_24h(weekly) is None


def test_analysis_names_its_timeframe_and_candles(example_snapshot: MarketSnapshot) -> None:
    a = analyze(example_snapshot, timeframe="4h")  # not in the snapshot: falls back to 1d
    assert a.timeframe == "1d"
    assert a.rsi["1d"].window.count == len(example_snapshot.candles["1d"].candles)
    assert a.levels is not None and a.levels.window.timeframe == "1d"
