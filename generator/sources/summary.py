"""What an editor should hear about a fetch besides the article: price disagreements and left-out metrics."""

from __future__ import annotations

from generator.facts import format_percent, format_usd
from generator.snapshot import MarketSnapshot

METRIC_WORDS = {"price_check": "price cross-check", "liquidations.24h": "24h liquidations",
                "open_interest": "open interest", "fear_greed": "Fear & Greed Index", "options": "options expiry",
                "market": "crypto market cap and dominance"}


def fetch_notes(snapshot: MarketSnapshot) -> list[str]:
    """One line per price disagreement ('warning: ...') and per metric left out ('note: ...')."""
    lines = []
    primary = snapshot.price
    for d in snapshot.disagreements:
        lines.append(
            f"warning: price disagreement: {d.provider} gives {format_usd(d.price)}, "
            f"{format_percent(d.difference_pct)} from {primary.source.provider}'s {format_usd(primary.current)}"
        )
    for metric, reason in snapshot.missing.items():
        word = METRIC_WORDS.get(metric, metric.replace("candles.", "").replace("_", " ") +
                                (" candles" if metric.startswith("candles.") else ""))
        lines.append(f"note: {word} left out: {reason}")
    return lines
