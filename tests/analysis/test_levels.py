from __future__ import annotations

from datetime import datetime, timezone

from generator.analysis.levels import merge_levels, support_resistance
from generator.analysis.models import Swing
from tests.conftest import bittrex_candles


def day(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d").replace(tzinfo=timezone.utc)


def test_february_5_2018_close_broke_the_november_swing() -> None:
    # Close 8,161.00 on Feb 4, then 6,960 on Feb 5: the Nov 8 swing at 7,846 lies between.
    result = support_resistance(bittrex_candles(until="2018-02-05"), "1d")
    assert result is not None and result.broken is not None
    assert result.broken.kind == "support"
    assert result.broken.level == 7846.0 and result.broken.level_time == day("2017-11-08")
    assert result.broken.previous_close == 8161.00001002 and result.broken.close == 6960.0
    # The broken level is now overhead; the next support below is the 21 October high at 6,189.
    assert result.nearest_resistance.price == 7846.0
    assert result.nearest_support.price == 6189.0 and result.nearest_support.time == day("2017-10-21")
    assert all(s.price < 6960.0 for s in result.supports)
    assert all(r.price > 6960.0 for r in result.resistances)


def test_rebound_day_breaks_nothing() -> None:
    # Feb 6 closed at 7,699 from 6,960: no confirmed swing lies between the two closes.
    result = support_resistance(bittrex_candles(until="2018-02-06"), "1d")
    assert result is not None and result.broken is None


def test_merge_keeps_the_most_recent_swing_per_zone() -> None:
    old = Swing(kind="low", price=100.0, time=day("2020-01-01"))
    new = Swing(kind="low", price=100.5, time=day("2020-02-01"))
    far = Swing(kind="high", price=120.0, time=day("2020-01-15"))
    assert merge_levels([old, new, far], tolerance_pct=1.0) == [new, far]


# During February 6, 2018 (the day after the close at 6,960 broke the 7,846 support; the real day traded from 6,001 to
# 7,878.9), the live price has moved on from that close. Levels are placed against the price; the break stays the
# close's.
FEB_5 = "2018-02-05"


def test_a_price_below_yesterdays_support_crosses_it_and_the_next_lower_swing_is_support() -> None:
    result = support_resistance(bittrex_candles(until=FEB_5), "1d", price=6100.0)
    assert result is not None and result.close == 6960.0 and result.price == 6100.0
    # The 21 October swing at 6,189 was the nearest support at the close; the price is below it now.
    assert [(s.price, s.time) for s in result.crossed] == [(6189.0, day("2017-10-21"))]
    assert result.crossed_direction == "down"
    assert result.nearest_support.price == 5885.0 and result.nearest_support.time == day("2017-10-15")
    assert result.nearest_resistance.price == 7846.0  # the broken level is still overhead
    assert result.broken is not None and result.broken.level == 7846.0 and result.broken.close == 6960.0


def test_a_price_back_above_the_broken_level_crosses_it_upward() -> None:
    result = support_resistance(bittrex_candles(until=FEB_5), "1d", price=7870.0)
    assert [s.price for s in result.crossed] == [7846.0] and result.crossed_direction == "up"
    # Neither support nor resistance: support is the swing below the close, resistance the next one above the price.
    assert result.nearest_support.price == 6189.0
    assert result.nearest_resistance.price == 8399.0 and result.nearest_resistance.time == day("2017-11-21")
    assert result.broken is not None and result.broken.kind == "support"  # what the close did


def test_levels_crossed_since_the_close_are_listed_nearest_the_price_first() -> None:
    result = support_resistance(bittrex_candles(until=FEB_5), "1d", price=5800.0)
    assert [s.price for s in result.crossed] == [5885.0, 6189.0]
    assert result.nearest_support.price == 5428.50576837
    assert all(s.price < 5800.0 for s in result.supports) and all(r.price > 6960.0 for r in result.resistances)


def test_a_price_that_crossed_nothing_gives_the_levels_of_the_close() -> None:
    at_close = support_resistance(bittrex_candles(until=FEB_5), "1d")
    moved = support_resistance(bittrex_candles(until=FEB_5), "1d", price=6500.0)
    assert at_close.price == 6960.0 and at_close.crossed == [] and at_close.crossed_direction is None
    assert moved.crossed == [] and moved.supports == at_close.supports and moved.resistances == at_close.resistances


def test_a_level_at_the_price_is_neither_support_nor_resistance() -> None:
    result = support_resistance(bittrex_candles(until=FEB_5), "1d", price=6189.0)
    assert 6189.0 not in {s.price for s in result.supports + result.resistances + result.crossed}
    assert result.nearest_support.price == 5885.0
