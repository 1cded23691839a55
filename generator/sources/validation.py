"""Judging a provider's answer before it enters the snapshot: stale, from the future, or absurd.

The snapshot models already refuse impossible values (a price of zero, long
plus short not adding up, 1h liquidations above the 24h total); these checks
add what needs the fetch's context: how old the data may be, and what is
possible but not believable (a 24h move beyond ±90%).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from generator.snapshot import CLOCK_SKEW, TIMEFRAMES, CandleSeries, FearGreed, Liquidations, Price
from generator.sources.plan import FetchPlan

MAX_CHANGE_PCT = 90.0


def problem(value: object, plan: FetchPlan) -> str | None:
    """Why ``value`` (a snapshot group) must be rejected, or None when it may be used."""
    as_of: datetime = value.source.as_of  # type: ignore[attr-defined]
    if as_of > plan.now + CLOCK_SKEW:
        return f"dated in the future: as of {_when(as_of)}, after the fetch at {_when(plan.now)}"
    allowed = _max_age(value, plan)
    age = plan.now - as_of
    if age > allowed:
        return f"stale: as of {_when(as_of)}, {_duration(age)} before the fetch (allowed {_duration(allowed)})"
    if isinstance(value, Price) and value.change_24h_pct is not None and abs(value.change_24h_pct) > MAX_CHANGE_PCT:
        return f"absurd value: 24h change of {value.change_24h_pct:+.1f}% is beyond ±{MAX_CHANGE_PCT:.0f}%"
    if isinstance(value, Liquidations) and value.total_24h_usd is not None and value.total_1h_usd > value.total_24h_usd:
        return "absurd value: 1h liquidations exceed the 24h total"
    return None


def _max_age(value: object, plan: FetchPlan) -> timedelta:
    base = timedelta(minutes=plan.max_age_minutes)
    if isinstance(value, CandleSeries):
        # The newest closed candle can be up to one candle old by design.
        return TIMEFRAMES[value.timeframe] + base
    if isinstance(value, FearGreed):
        return timedelta(hours=plan.fear_greed_max_age_hours)
    return base


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def _duration(delta: timedelta) -> str:
    minutes = delta.total_seconds() / 60
    if minutes < 120:
        return f"{minutes:.0f} min"
    hours = minutes / 60
    return f"{hours:.1f} h" if hours < 72 else f"{hours / 24:.1f} days"
