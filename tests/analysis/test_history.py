"""The daily history on real Bittrex candles (tests/fixtures/finta_bittrex_btc-usdt_1d.csv), hand-checked.

Closes read off the CSV: 2017-11-14 6,580.30, 2017-11-15 7,250, 2018-01-29 11,297.74, 2018-01-31 10,256,
2018-02-01 9,248.12, 2018-02-02 8,880, 2018-02-03 9,225.32, 2018-02-04 8,161, 2018-02-05 6,960; 2017-08-04
2,846.10, 2017-08-10 3,420, 2017-09-09 4,332, then 4,220, 4,215.90, 4,122, 3,859.43 and 2017-09-14 3,203.76;
2017-12-05 11,631, 2017-12-06 13,584; the highest close of 2017-01-01..2018-02-05 is 19,261.10 on 2017-12-16.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator.analysis.history import first_cross, history, largest_move, record_close, round_level, streak
from tests.conftest import bittrex_candles


def day(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def test_crash_day_2018_02_05() -> None:
    h = history(bittrex_candles(until="2018-02-05"))
    assert h is not None and h.start == day("2017-01-01") and h.close == 6960
    # 6,960 is below every close after 2017-11-14 (6,580.30 was lower; 2017-11-15 closed at 7,250)
    assert h.record_low is not None and h.record_low.since == day("2017-11-14") and h.record_low.days == 83
    assert h.record_high is None  # the close before (8,161) was higher
    # -14.72% (8,161 -> 6,960); 2018-01-16 fell 18.78%, and no day in between fell as much
    assert h.largest_move is not None and h.largest_move.way == "drop"
    assert h.largest_move.pct == pytest.approx(-14.7163, abs=1e-3) and h.largest_move.since == day("2018-01-16")
    # 8,161 -> 6,960 crosses $8,000 and $7,000 (multiples of 1,000, the largest step with one in range): the one
    # nearest the latest close is named; the last close below $7,000 before it was 2017-11-14
    assert h.first_cross is not None and (h.first_cross.way, h.first_cross.level) == ("below", 7000)
    assert h.first_cross.since == day("2017-11-14")
    # two lower closes (2018-02-04, -05); the run of 2018-02-01..02 was as long
    assert h.streak is not None and (h.streak.way, h.streak.length) == ("down", 2)
    assert h.streak.start == day("2018-02-04") and h.streak.longer_since == day("2018-02-02")
    assert h.streak.longer_length == 2
    week, month = h.trailing
    assert (week.days, week.start) == (7, day("2018-01-29")) and week.pct == pytest.approx(6960 / 11297.73999998 * 100 - 100)
    assert (month.days, month.start) == (30, day("2018-01-06")) and month.pct == pytest.approx(6960 / 17130 * 100 - 100)
    assert h.series_high.high == pytest.approx(19261.1) and h.series_high.time == day("2017-12-16")
    assert h.series_high.pct == pytest.approx(6960 / 19261.10000009 * 100 - 100)


def test_slide_day_2017_09_14_records_in_the_data() -> None:
    candles = bittrex_candles(until="2017-09-14")
    low = record_close(candles, "low")
    assert low is not None and low.since == day("2017-08-04")  # 2,846.10; 2017-08-10's 3,420 was higher
    move = largest_move(candles)
    assert move is not None and move.way == "drop" and move.since is None  # -16.99%: no larger fall since 2017-01-01
    assert move.pct == pytest.approx(3203.76 / 3859.433 * 100 - 100)
    cross = first_cross(candles)
    assert cross is not None and (cross.way, cross.level, cross.since) == ("below", 3500, day("2017-08-10"))
    run = streak(candles)
    assert run is not None and (run.way, run.length, run.start) == ("down", 5, day("2017-09-10"))
    assert run.longer_since is None  # no run of five lower closes before it in the data


def test_rally_day_2017_12_06_highest_close_and_longest_run_since_june() -> None:
    candles = bittrex_candles(until="2017-12-06")
    high = record_close(candles, "high")
    assert high is not None and high.since is None  # 13,584: the highest close since 2017-01-01
    assert record_close(candles, "low") is None
    move = largest_move(candles)
    assert move is not None and move.way == "gain" and move.since == day("2017-07-20")  # +16.79%
    cross = first_cross(candles)
    assert cross is not None and (cross.way, cross.level, cross.since) == ("above", 12000, None)
    run = streak(candles)
    assert run is not None and (run.way, run.length, run.start) == ("up", 7, day("2017-11-30"))
    assert run.longer_since == day("2017-06-06") and run.longer_length == 7  # 2017-05-31 .. 2017-06-06


@pytest.mark.parametrize(("low", "high", "level"), [
    (6960, 8161, 7000),  # step 1,000: 7,000 and 8,000 in range, the one nearest the lower close
    (3203.76, 3859.433, 3500),  # no 1,000 in range; 500 is
    (0.5, 0.52, 0.51),
    (8130, 8140, None),  # nothing round enough in range (a step of 10 is under 1% of the price)
    (100, 100, None),
])
def test_round_level(low: float, high: float, level: float | None) -> None:
    assert round_level(low, high) == (pytest.approx(level) if level is not None else None)


def test_too_few_candles_and_a_flat_close() -> None:
    candles = bittrex_candles(until="2017-01-02")
    assert history(candles[:1]) is None
    flat = [candles[0], candles[1].model_copy(update={"close": candles[0].close})]
    assert streak(flat) is None and largest_move(flat) is None and first_cross(flat) is None
