"""Fibonacci and swings on real Bittrex candles; expectations checked by hand against the CSV rows."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator.analysis.models import Move
from generator.analysis.swings import FIB_RATIOS, fib_levels, fibonacci, find_swings, latest_major_move
from tests.conftest import bittrex_candles


def day(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def test_latest_major_move_before_the_february_2018_crash() -> None:
    # 90 daily candles to 2018-02-05: the low is 5,428.51 (2017-11-12), the high 19,850 (2017-12-17).
    fib = fibonacci(bittrex_candles(until="2018-02-05"), "1d", lookback=90)
    assert fib is not None
    assert fib.move.direction == "up"
    assert (fib.move.low, fib.move.low_time) == (5428.50576837, day("2017-11-12"))
    assert (fib.move.high, fib.move.high_time) == (19850.0, day("2017-12-17"))
    span = 19850.0 - 5428.50576837  # 14,421.49
    assert [lv.ratio for lv in fib.levels] == list(FIB_RATIOS)
    assert fib.level(0.618).price == pytest.approx(19850.0 - 0.618 * span)  # 10,937.52
    assert fib.level(0.786).price == pytest.approx(8514.71, abs=0.01)  # 19,850 - 0.786 x 14,421.49
    assert fib.window.count == 90 and fib.window.last == day("2018-02-05")


def test_down_move_retraces_up_from_the_low() -> None:
    move = Move(direction="down", low=100.0, low_time=day("2020-01-02"), high=200.0, high_time=day("2020-01-01"))
    assert [round(lv.price, 1) for lv in fib_levels(move)] == [123.6, 138.2, 150.0, 161.8, 178.6]


def test_direction_follows_the_later_extreme() -> None:
    # From the December top to the February low the move is down.
    candles = bittrex_candles(since="2017-12-10", until="2018-02-06")
    move = latest_major_move(candles)
    assert move is not None and move.direction == "down"
    assert move.high == 19850.0 and move.low == 6001.0  # 2018-02-06 low


def test_swing_high_of_8_november_2017() -> None:
    # 7,846 is above the three highs before (7,600, 7,431, 7,200) and the three after (7,420, 7,300, 6,801).
    swings = find_swings(bittrex_candles(since="2017-10-25", until="2017-11-20"), strength=3)
    highs = {(s.time, s.price) for s in swings if s.kind == "high"}
    lows = {(s.time, s.price) for s in swings if s.kind == "low"}
    assert (day("2017-11-08"), 7846.0) in highs
    assert (day("2017-11-12"), 5428.50576837) in lows


def test_last_candles_are_never_swings() -> None:
    candles = bittrex_candles(until="2018-02-05")
    swings = find_swings(candles, strength=3)
    assert all(s.time < candles[-3].time for s in swings)


def test_too_few_candles() -> None:
    assert fibonacci(bittrex_candles(until="2017-01-02"), "1d") is None
