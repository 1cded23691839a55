from __future__ import annotations

import numpy as np
import pytest
import talib

from generator.analysis.rsi import latest_rsi, rsi_series
from tests.conftest import binance_1m_closes, bittrex_candles


def _compare(closes: list[float], period: int) -> float:
    ours = rsi_series(closes, period)
    ref = talib.RSI(np.array(closes, dtype=float), timeperiod=period)
    worst = 0.0
    for mine, theirs in zip(ours, ref):
        if np.isnan(theirs):
            assert mine is None
        else:
            assert mine is not None
            worst = max(worst, abs(mine - theirs))
    return worst


@pytest.mark.parametrize("period", [2, 6, 14, 21])
def test_matches_talib_on_real_daily_candles(period: int) -> None:
    closes = [c.close for c in bittrex_candles(since="2015-01-01")]  # all 874 real closes, flat early prints included
    assert _compare(closes, period) <= 1e-6


def test_matches_talib_on_real_binance_minute_closes() -> None:
    assert _compare(binance_1m_closes(), 5) <= 1e-6


def test_example_day_is_oversold() -> None:
    closes = [c.close for c in bittrex_candles(until="2018-02-05")]
    value = latest_rsi(closes)
    assert value is not None and value < 30
    assert value == pytest.approx(float(talib.RSI(np.array(closes), 14)[-1]), abs=1e-9)


def test_not_enough_candles() -> None:
    assert latest_rsi([1.0, 2.0, 3.0], 14) is None
    assert rsi_series([], 14) == []


def test_flat_prices_give_zero_like_talib() -> None:
    closes = [100.0] * 30
    assert latest_rsi(closes, 14) == pytest.approx(float(talib.RSI(np.array(closes), 14)[-1]))


def test_only_gains_is_100() -> None:
    assert latest_rsi([float(i) for i in range(1, 40)], 14) == 100.0
