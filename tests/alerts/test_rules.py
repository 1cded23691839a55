"""The rules alone: the trailing hourly average, each rule's threshold, the cooldown, and the inputs people type."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from generator.alerts.rules import Reading, Thresholds, baseline, cooldown_until, evaluate
from generator.intervals import parse_interval
from generator.settings import Settings

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
TH = Thresholds.for_asset(Settings(), "BTC")  # defaults: 4x, $1 million floor, 3%, 24 h, 6 h, 60 min


def reading(minutes_ago: float = 0, liq: float | None = 2e6, provider: str = "coinglass", day: float | None = None,
            move: float | None = None) -> Reading:
    return Reading(asset="BTC", at=NOW - timedelta(minutes=minutes_ago), price=60_000.0, liquidations_1h=liq,
                   liquidations_24h=day, provider=provider, change_1h_pct=move,
                   change_1h_end=NOW - timedelta(minutes=2) if move is not None else None)


def hourly_history(usd: float, hours: float, provider: str = "coinglass") -> list[Reading]:
    return [reading(60 * h, usd, provider) for h in range(1, int(hours) + 1)]


def test_the_baseline_is_the_mean_of_earlier_hours_from_the_same_provider() -> None:
    history = hourly_history(10e6, 12) + hourly_history(1e6, 12, provider="okx")
    history.append(reading(30, 500e6))  # inside the current hour: part of the spike, not of its baseline
    base = baseline(reading(0, 80e6), history, TH)
    assert base is not None and base.source == "polls" and base.polls == 12
    assert base.hourly_usd == pytest.approx(10e6) and base.hours == pytest.approx(12)


def test_too_little_history_falls_back_to_the_providers_24h_total() -> None:
    short = hourly_history(10e6, 3)
    base = baseline(reading(0, 50e6, day=510e6), short, TH)
    assert base is not None and base.source == "provider_24h" and base.hourly_usd == pytest.approx(20e6)
    assert baseline(reading(0, 50e6), short, TH) is None  # and without a 24h total there is none


def test_the_multiple_rule() -> None:
    base = baseline(reading(0, 41e6), hourly_history(10e6, 24), TH)
    assert [t.rule for t in evaluate(reading(0, 41e6), base, TH)] == ["liquidations_multiple"]
    assert evaluate(reading(0, 39e6), base, TH) == []  # 3.9x
    [trigger] = evaluate(reading(0, 41e6), base, TH)
    assert trigger.threshold == pytest.approx(40e6)
    assert trigger.text == "1h liquidations $41 million are 4.1x the trailing hourly average $10 million " \
                           "(24 polls over 1 day)"
    quiet = baseline(reading(0, 0.9e6), hourly_history(0.1e6, 24), TH)
    assert evaluate(reading(0, 0.9e6), quiet, TH) == []  # 9x, but under the $1 million floor
    off = TH.model_copy(update={"multiple": 0})
    assert evaluate(reading(0, 41e6), base, off) == []


def test_the_absolute_rule_is_per_asset_with_a_default() -> None:
    settings = Settings(alert_liquidations_usd={"btc": 100e6, "*": 20e6})
    btc, sol = Thresholds.for_asset(settings, "BTC"), Thresholds.for_asset(settings, "SOL")
    assert (btc.liquidations_usd, sol.liquidations_usd) == (100e6, 20e6)
    assert Thresholds.for_asset(Settings(), "BTC").liquidations_usd is None
    assert [t.rule for t in evaluate(reading(0, 101e6), None, btc)] == ["liquidations_usd"]
    assert evaluate(reading(0, 99e6), None, btc) == []


def test_the_price_rule_fires_both_ways_beyond_the_percent() -> None:
    for move, fires in ((3.01, True), (-3.5, True), (3.0, False), (-2.9, False)):
        fired = evaluate(reading(0, None, move=move), None, TH)
        assert [t.rule for t in fired] == (["price_move"] if fires else []), move
    [t] = evaluate(reading(0, None, move=-4.2), None, TH)
    assert t.text == "price moved -4.20% in the hour to 11:58 UTC, beyond ±3.00%"


def test_the_cooldown() -> None:
    assert cooldown_until(None, NOW, TH) is None
    assert cooldown_until(NOW - timedelta(minutes=59), NOW, TH) == NOW + timedelta(minutes=1)
    assert cooldown_until(NOW - timedelta(minutes=60), NOW, TH) is None


@pytest.mark.parametrize(("text", "seconds"), [("5m", 300), ("90s", 90), ("1h", 3600), (" 2.5M ", 150)])
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize(("text", "error"), [("5", "not an interval"), ("five minutes", "not an interval"),
                                             ("10s", "at least 30s apart"), ("", "not an interval")])
def test_bad_intervals(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_interval(text)
