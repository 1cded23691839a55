"""Judging answers: stale, from the future, absurd."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from generator.settings import load_settings
from generator.snapshot import (
    Candle,
    CandleSeries,
    FearGreed,
    Funding,
    Liquidations,
    LiquidationScope,
    Price,
    Provenance,
)
from generator.sources.plan import build_plan
from generator.sources.validation import problem

NOW = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)
PLAN = build_plan(load_settings(max_age_minutes=30, fear_greed_max_age_hours=36), "BTC", NOW)


def src(age: timedelta) -> Provenance:
    return Provenance(provider="test", url=None, fetched_at=NOW, as_of=NOW - age)


def price(age: timedelta = timedelta(0), change: float | None = -3.0) -> Price:
    return Price(current=60000, change_24h_pct=change, source=src(age))


def test_fresh_price_passes() -> None:
    assert problem(price(timedelta(minutes=29)), PLAN) is None


def test_stale_price() -> None:
    assert problem(price(timedelta(minutes=31)), PLAN).startswith("stale: as of 2024-03-01 11:29 UTC, 31 min")


def test_from_the_future() -> None:
    assert "dated in the future" in problem(price(-timedelta(minutes=10)), PLAN)
    assert problem(price(-timedelta(minutes=2)), PLAN) is None  # clock skew is tolerated


@pytest.mark.parametrize(("change", "ok"), [(89.9, True), (-90.0, True), (90.5, False), (-95.96, False), (None, True)])
def test_absurd_24h_change(change: float | None, ok: bool) -> None:
    reason = problem(price(change=change), PLAN)
    assert (reason is None) == ok and (ok or "absurd value: 24h change" in reason)


def test_candles_may_be_one_candle_old_plus_the_allowance() -> None:
    def series(last_open: datetime) -> CandleSeries:
        candle = Candle(time=last_open, open=1, high=1, low=1, close=1, volume=0)
        return CandleSeries(timeframe="1d", candles=[candle], source=src(NOW - (last_open + timedelta(days=1))))

    assert problem(series(datetime(2024, 2, 29, tzinfo=timezone.utc)), PLAN) is None  # closed at 00:00 today
    assert problem(series(datetime(2024, 2, 28, 11, 35, tzinfo=timezone.utc)), PLAN) is None  # 24h25 old: allowed
    assert problem(series(datetime(2024, 2, 27, tzinfo=timezone.utc)), PLAN).startswith("stale")


def test_fear_and_greed_is_daily() -> None:
    fg = FearGreed(value=40, classification="Fear", source=src(timedelta(hours=30)))
    assert problem(fg, PLAN) is None
    stale = FearGreed(value=40, classification="Fear", source=src(timedelta(hours=40)))
    assert problem(stale, PLAN).startswith("stale")


def test_funding_follows_the_general_age() -> None:
    assert problem(Funding(rate=0.0001, venue="Binance", source=src(timedelta(hours=2))), PLAN).startswith("stale")


def test_liquidations_without_a_day_pass() -> None:
    liq = Liquidations(total_1h_usd=5, long_1h_usd=3, short_1h_usd=2, scope=LiquidationScope(venues=["OKX"],
                       aggregated=False), source=src(timedelta(0)))
    assert problem(liq, PLAN) is None and liq.long_share("24h") is None


def test_snapshot_model_refuses_what_no_fetch_could_make_true() -> None:
    with pytest.raises(ValueError, match="1h liquidations exceed the 24h total"):
        Liquidations(total_1h_usd=10, long_1h_usd=5, short_1h_usd=5, total_24h_usd=4, long_24h_usd=2,
                     short_24h_usd=2, scope=LiquidationScope(venues=["OKX"], aggregated=False), source=src(timedelta(0)))
    with pytest.raises(ValueError, match="total, long and short together"):
        Liquidations(total_1h_usd=1, long_1h_usd=1, short_1h_usd=0, total_24h_usd=4,
                     scope=LiquidationScope(venues=["OKX"], aggregated=False), source=src(timedelta(0)))
