"""Support and resistance from swing points against the current price, the levels crossed since the latest close,
and whether that close broke one."""

from __future__ import annotations

from collections.abc import Sequence

from generator.analysis.models import LevelBreak, LevelsResult, Swing
from generator.analysis.swings import find_swings, window_of
from generator.snapshot import Candle


def merge_levels(swings: Sequence[Swing], tolerance_pct: float) -> list[Swing]:
    """Keep one swing per price zone: within ``tolerance_pct`` of each other, the most recent wins."""
    kept: list[Swing] = []
    for swing in sorted(swings, key=lambda s: s.time, reverse=True):
        if all(abs(swing.price - k.price) > k.price * tolerance_pct / 100 for k in kept):
            kept.append(swing)
    return kept


def support_resistance(
    candles: Sequence[Candle],
    timeframe: str,
    lookback: int = 120,
    strength: int = 3,
    tolerance_pct: float = 1.0,
    price: float | None = None,
) -> LevelsResult | None:
    """Levels placed against the current ``price`` (the latest close when None): below it supports, above it
    resistances, and those between the latest close and the price crossed since that close.

    A break is a statement about the close: reported when the previous close was on one side of a level
    confirmed before the latest candle and the latest close is on the other; with several, the one nearest the
    latest close.
    """
    recent = list(candles[-lookback:])
    if len(recent) < 2 * strength + 2:
        return None
    last, prev = recent[-1], recent[-2]
    # Only swings confirmed before the latest candle existed count as levels it could break.
    swings = merge_levels(find_swings(recent[:-1], strength), tolerance_pct)
    close = last.close
    now = close if price is None else price
    # The candles are closed ones; the price has since moved on, through every level between the close and it.
    crossed = sorted((s for s in swings if min(close, now) < s.price < max(close, now)), key=lambda s: abs(now - s.price))
    kept = [s for s in swings if s not in crossed]
    supports = sorted((s for s in kept if s.price < now), key=lambda s: now - s.price)
    resistances = sorted((s for s in kept if s.price > now), key=lambda s: s.price - now)

    broken: LevelBreak | None = None
    down = [s for s in swings if close < s.price <= prev.close]
    up = [s for s in swings if prev.close <= s.price < close]
    if down:
        level = min(down, key=lambda s: s.price - close)
        broken = LevelBreak(kind="support", level=level.price, level_time=level.time,
                            previous_close=prev.close, close=close, time=last.time)
    elif up:
        level = min(up, key=lambda s: close - s.price)
        broken = LevelBreak(kind="resistance", level=level.price, level_time=level.time,
                            previous_close=prev.close, close=close, time=last.time)
    return LevelsResult(close=close, price=now, supports=supports, resistances=resistances, crossed=crossed,
                        broken=broken, window=window_of(recent, timeframe))
