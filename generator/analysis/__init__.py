"""Analysis: pure functions over a snapshot's candles. No I/O here."""

from __future__ import annotations

from generator.analysis.change import DAY, HOUR, average_move, change_1h, change_24h
from generator.analysis.funding import funding_across
from generator.analysis.fvg import fair_value_gaps
from generator.analysis.history import history
from generator.analysis.levels import support_resistance
from generator.analysis.models import Analysis, AverageMove, RSIResult
from generator.analysis.options import MIN_EXPIRY_SHARE_PCT, options_expiry
from generator.analysis.rsi import latest_rsi
from generator.analysis.swings import fibonacci, window_of
from generator.snapshot import TIMEFRAMES, MarketSnapshot

__all__ = ["Analysis", "analyze", "pick_timeframe"]

AVERAGE_DAYS = 30  # a day's move is measured against the average daily move of the 30 days before it
AVERAGE_HOURS = 24  # and an hour's against the average hourly move of the 24 hours before it


def pick_timeframe(snapshot: MarketSnapshot, preferred: str) -> str:
    """The preferred timeframe when present, else the longest one the snapshot has."""
    if preferred in snapshot.candles:
        return preferred
    return max(snapshot.candles, key=lambda tf: TIMEFRAMES[tf])


def analyze(
    snapshot: MarketSnapshot,
    timeframe: str = "1d",
    rsi_period: int = 14,
    fib_lookback: int = 90,
    level_lookback: int = 120,
    swing_strength: int = 3,
    level_tolerance_pct: float = 1.0,
    fvg_min_size_pct: float = 0.0,
    options_min_expiry_share_pct: float = MIN_EXPIRY_SHARE_PCT,
    funding_outlier_pp: float | None = None,
) -> Analysis:
    """Run every analysis on the snapshot; levels, Fibonacci and gaps use ``timeframe``."""
    tf = pick_timeframe(snapshot, timeframe)
    series = snapshot.candles[tf]
    rsi = {}
    for name, s in snapshot.candles.items():
        value = latest_rsi(s.closes, rsi_period)
        if value is not None:
            rsi[name] = RSIResult(period=rsi_period, value=value, window=window_of(s.candles, name))
    finest = min(snapshot.candles.values(), key=lambda s: TIMEFRAMES[s.timeframe])
    change = change_24h(finest) or change_24h(series)
    return Analysis(
        timeframe=tf,
        rsi=rsi,
        fib=fibonacci(series.candles, tf, fib_lookback),
        levels=support_resistance(series.candles, tf, level_lookback, swing_strength, level_tolerance_pct,
                                  price=snapshot.price.current),
        fvg=fair_value_gaps(series.candles, tf, level_lookback, fvg_min_size_pct),
        change_24h=change,
        change_1h=change_1h(snapshot.candles.values()),
        # Records, streaks and trailing changes are about days: only daily candles give them.
        history=history(snapshot.candles["1d"].candles) if "1d" in snapshot.candles else None,
        options=options_expiry(snapshot.options, snapshot.as_of, options_min_expiry_share_pct)
        if snapshot.options is not None else None,
        average_move_24h=average_move(snapshot.candles["1d"], DAY, AVERAGE_DAYS) if "1d" in snapshot.candles else None,
        average_move_1h=_hourly_average(snapshot),
        funding_venues=funding_across(snapshot.funding_venues, _outlier_pp(funding_outlier_pp))
        if snapshot.funding_venues else None,
    )


def _outlier_pp(given: float | None) -> float:
    """The outlier threshold: given, else the rule book's (the one the fact-check holds "the outlier" to)."""
    if given is not None:
        return given
    from generator.factcheck.rulebook import RULES  # here: the rule book's package imports the facts, which import us

    return float(RULES.setting("funding_venues")["outlier_pp"])


def _hourly_average(snapshot: MarketSnapshot) -> AverageMove | None:
    """The hour's baseline from the finest candles that give it (the same series the hour's change comes from)."""
    for series in sorted(snapshot.candles.values(), key=lambda s: TIMEFRAMES[s.timeframe]):
        if (found := average_move(series, HOUR, AVERAGE_HOURS)) is not None:
            return found
    return None
