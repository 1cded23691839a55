"""RSI with Wilder smoothing, computed exactly as TA-Lib's ``RSI`` does."""

from __future__ import annotations

from collections.abc import Sequence


def rsi_series(closes: Sequence[float], period: int = 14) -> list[float | None]:
    """RSI for every close; the first ``period`` values are None (not enough history).

    Seeds the averages with the simple mean of the first ``period`` changes, then
    smooths as avg = (prev * (period - 1) + current) / period. A window with no
    movement at all yields 0, as TA-Lib does.
    """
    if period < 2:
        raise ValueError("RSI period must be at least 2")
    out: list[float | None] = [None] * len(closes)
    if len(closes) <= period:
        return out
    gain = loss = 0.0
    for i in range(1, period + 1):
        diff = closes[i] - closes[i - 1]
        if diff > 0:
            gain += diff
        else:
            loss -= diff
    avg_gain, avg_loss = gain / period, loss / period
    out[period] = _rsi(avg_gain, avg_loss)
    for i in range(period + 1, len(closes)):
        diff = closes[i] - closes[i - 1]
        avg_gain = (avg_gain * (period - 1) + (diff if diff > 0 else 0.0)) / period
        avg_loss = (avg_loss * (period - 1) + (-diff if diff < 0 else 0.0)) / period
        out[i] = _rsi(avg_gain, avg_loss)
    return out


def latest_rsi(closes: Sequence[float], period: int = 14) -> float | None:
    """RSI of the last close, or None with fewer than period + 1 closes."""
    values = rsi_series(closes, period)
    return values[-1] if values else None


def _rsi(avg_gain: float, avg_loss: float) -> float:
    total = avg_gain + avg_loss
    return 100.0 * avg_gain / total if total > 0 else 0.0
