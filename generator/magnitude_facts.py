"""The baselines magnitude words are measured against, as facts: a move against the asset's own recent
volatility, an hour's liquidations against the trailing hourly average.

A strong word ("surged", "a flush", "a long squeeze") is true only of a size well above its baseline, and the
baseline must be a fact the fact-check can verify (its multiple is printed: "about 3.1 times its average daily
move over the previous 30 days"). The thresholds are data (rules/claims.yaml, settings: magnitude). A missing
baseline gives no fact, so no strong word and no sentence about it. The 24-hour liquidation total has no baseline
in a snapshot, so it gets none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.analysis.models import Analysis, AverageMove
from generator.facts import format_number
from generator.snapshot import AlertBaseline, MarketSnapshot

if TYPE_CHECKING:
    from generator.facts import _Builder


def format_multiple(value: float) -> str:
    """'3.1' (times its baseline); '18,151' from a hundred up, where a tenth says nothing."""
    return format_number(value, 1 if value < 100 else 0)


def add_magnitude(b: _Builder, snapshot: MarketSnapshot, analysis: Analysis) -> None:
    """Add the move and liquidation baselines and the multiples of the latest move and hour."""
    change_24h = b.facts.get("price.change_24h_pct")
    change_1h = b.facts.get("price.change_1h_pct")
    for window, avg, change, words in (("24h", analysis.average_move_24h, change_24h, "daily"),
                                       ("1h", analysis.average_move_1h, change_1h, "hourly")):
        _add_move(b, snapshot, window, avg, float(change.value) if change is not None else None, words)
    if (liq := snapshot.liquidations) is not None and liq.total_24h_usd is not None:
        # The provider's 24h total less the hour itself, over the other 23 hours: a baseline every snapshot with
        # both totals has (generator/alerts/rules.py's provider_24h baseline).
        rest = liq.total_24h_usd - liq.total_1h_usd
        _add_liquidations(b, snapshot, "day", rest / 23 if rest > 0 else None, 23.0, None)
    if (base := snapshot.alert_baseline) is not None and base.source == "polls":
        _add_polls(b, snapshot, base)


def _add_move(b: _Builder, snapshot: MarketSnapshot, window: str, avg: AverageMove | None, change: float | None,
              words: str) -> None:
    if avg is None or avg.pct <= 0 or change is None:
        return
    src = snapshot.candles[avg.window.timeframe].source
    b.add(f"volatility.average_move_{window}_pct", avg.pct, "percent",
          f"Average {words} move over the previous {avg.count} {'days' if window == '24h' else 'hours'}", src)
    # ("the previous 24 hours" of an hourly average, not "the previous 1 day")
    b.add(f"windows.average_move_{window}", avg.count * avg.hours, "hours", f"Window of the average {words} move", src,
          formatter=None if window == "24h" else lambda v: f"{format_number(v)} hours")
    b.add(f"volatility.move_multiple_{window}", abs(change) / avg.pct, "ratio",
          f"{window} move against the average {words} move", src, formatter=format_multiple)


def _add_liquidations(b: _Builder, snapshot: MarketSnapshot, basis: str, hourly: float | None, hours: float,
                      polls: int | None) -> None:
    liq = snapshot.liquidations
    if liq is None or hourly is None or hourly <= 0:
        return
    where = "the provider's 24h total" if basis == "day" else f"{polls} stored polls"
    if basis == "polls":  # (the day's average is the 24h and 1h totals' own arithmetic: no amount of its own)
        b.add("liquidations.baseline_polls_usd", hourly, "usd", f"Trailing hourly average of liquidations ({where})",
              liq.source)
    b.add(f"windows.liquidations_baseline_{basis}", hours, "hours", f"Hours the trailing average covers ({where})",
          liq.source)
    b.add(f"liquidations.multiple_{basis}", liq.total_1h_usd / hourly, "ratio",
          f"1-hour liquidations against the trailing hourly average ({where})", liq.source, formatter=format_multiple)


def _add_polls(b: _Builder, snapshot: MarketSnapshot, base: AlertBaseline) -> None:
    """The baseline the alert watcher fired on, from its stored polls, and the hour's rank among them."""
    _add_liquidations(b, snapshot, "polls", base.hourly_usd, base.hours, base.polls)
    liq = snapshot.liquidations
    if liq is None:
        return
    b.add("liquidations.baseline_polls_count", float(base.polls), "count", "Polls the trailing average is made of",
          liq.source, formatter=format_number)
    if base.largest_days is not None:  # no stored hour in that many days was as large as this one
        b.add("liquidations.largest_polls_days", base.largest_days * 24.0, "hours",
              "Stored polls this hour's liquidations are the largest of (days)", liq.source)
