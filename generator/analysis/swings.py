"""Swing points, the latest major move and its Fibonacci retracements."""

from __future__ import annotations

from collections.abc import Sequence

from generator.analysis.models import CandleWindow, FibLevel, FibResult, Move, Swing
from generator.snapshot import Candle

FIB_RATIOS: tuple[float, ...] = (0.236, 0.382, 0.5, 0.618, 0.786)


def window_of(candles: Sequence[Candle], timeframe: str) -> CandleWindow:
    return CandleWindow(timeframe=timeframe, count=len(candles), first=candles[0].time, last=candles[-1].time)


def find_swings(candles: Sequence[Candle], strength: int = 3) -> list[Swing]:
    """Pivot highs and lows, oldest first.

    A candle is a swing high when its high is above the ``strength`` candles
    before it and not below the ``strength`` candles after it (ties resolve to
    the first), and mirrored for lows. The last ``strength`` candles cannot be
    confirmed yet and are never swings.
    """
    swings: list[Swing] = []
    for i in range(strength, len(candles) - strength):
        before = candles[i - strength : i]
        after = candles[i + 1 : i + strength + 1]
        c = candles[i]
        if all(c.high > b.high for b in before) and all(c.high >= a.high for a in after):
            swings.append(Swing(kind="high", price=c.high, time=c.time))
        if all(c.low < b.low for b in before) and all(c.low <= a.low for a in after):
            swings.append(Swing(kind="low", price=c.low, time=c.time))
    return swings


def latest_major_move(candles: Sequence[Candle]) -> Move | None:
    """The move between the highest high and the lowest low of the candles.

    Whichever extreme came last gives the direction: a low after the high is a
    down move. None when the candles have no range.
    """
    hi = max(range(len(candles)), key=lambda i: (candles[i].high, i))
    lo = min(range(len(candles)), key=lambda i: (candles[i].low, -i))
    if candles[hi].high <= candles[lo].low:
        return None
    return Move(
        direction="up" if hi > lo else "down",
        low=candles[lo].low,
        low_time=candles[lo].time,
        high=candles[hi].high,
        high_time=candles[hi].time,
    )


def fib_levels(move: Move, ratios: Sequence[float] = FIB_RATIOS) -> list[FibLevel]:
    """Retracement prices: measured down from the high after an up move, up from the low after a down move."""
    span = move.high - move.low
    if move.direction == "up":
        return [FibLevel(ratio=r, price=move.high - r * span) for r in ratios]
    return [FibLevel(ratio=r, price=move.low + r * span) for r in ratios]


def fibonacci(candles: Sequence[Candle], timeframe: str, lookback: int = 90) -> FibResult | None:
    """Fibonacci retracements of the major move within the last ``lookback`` candles."""
    recent = candles[-lookback:]
    if len(recent) < 3:
        return None
    move = latest_major_move(recent)
    if move is None:
        return None
    return FibResult(move=move, levels=fib_levels(move), window=window_of(recent, timeframe))
