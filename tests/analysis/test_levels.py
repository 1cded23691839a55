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
