from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator.analysis import analyze
from generator.facts import (
    build_facts,
    fear_greed_band,
    format_date,
    format_datetime,
    format_index,
    format_number,
    format_percent,
    format_usd,
    money_precision,
    rsi_band,
)
from generator.snapshot import MarketSnapshot


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (60704, "$60,704"),
        (60704.4, "$60,704"),
        (431.2e6, "$431 million"),
        (2.514e9, "$2.51 billion"),
        (48.2e6, "$48.2 million"),
        (6.9e6, "$6.9 million"),
        (73e6, "$73 million"),
        (999.96e6, "$1 billion"),
        (1.5e12, "$1.5 trillion"),
        (142.345, "$142.34"),
        (0.51234, "$0.5123"),
        (999_400, "$999,400"),
        (999_999, "$1 million"),
        (-1250, "-$1,250"),
    ],
)
def test_usd(value: float, text: str) -> None:
    assert format_usd(value) == text


def test_other_formats() -> None:
    assert format_percent(16.4321) == "16.43%"
    assert format_percent(-0.0375, 4) == "-0.0375%"
    assert format_percent(-0.001) == "0.00%"
    assert format_index(9) == "9/100"
    assert format_number(22.4) == "22"
    assert format_number(1250) == "1,250"
    assert format_date(datetime(2018, 2, 6, tzinfo=timezone.utc)) == "February 6, 2018"
    assert format_datetime(datetime(2018, 2, 6, 7, 5, tzinfo=timezone.utc)) == "February 6, 2018, 07:05 UTC"


def test_money_precision() -> None:
    assert money_precision("$431 million") == 500_000
    assert money_precision("$2.51 billion") == pytest.approx(5_000_000)
    assert money_precision("$60,704") == 0.5


def test_bands() -> None:
    assert rsi_band(29.9) == "oversold" and rsi_band(30) == "neutral" and rsi_band(70.1) == "overbought"
    assert [fear_greed_band(v) for v in (9, 25, 26, 50, 60, 90)] == [
        "Extreme Fear", "Extreme Fear", "Fear", "Neutral", "Greed", "Extreme Greed"]


def test_example_facts(example_snapshot: MarketSnapshot) -> None:
    facts = build_facts(example_snapshot, analyze(example_snapshot))
    assert facts["price.current"].display == "$6,960"
    assert facts["price.change_24h_pct"].display == "-14.72%"
    assert facts["price.change_24h_pct"].display_abs == "14.72%"
    assert facts["liquidations.total_24h_usd"].display == "$412 million"
    assert facts["sentiment.fear_greed"].display == "8/100"
    assert facts["technicals.rsi_1d"].display == "27"
    assert facts["levels.fib_0_618"].display == "$10,938"
    assert facts["levels.broken"].display == "$7,846"
    assert facts["liquidations.total_1h_usd"].provider == "illustrative"
    assert facts["price.current"].provider == "bittrex"


def test_missing_data_gives_no_fact(example_snapshot: MarketSnapshot) -> None:
    bare = example_snapshot.model_copy(update={"liquidations": None, "funding": None, "fear_greed": None})
    facts = build_facts(bare, analyze(bare))
    assert not any(f.key.startswith(("liquidations.", "funding.", "sentiment.")) for f in facts)


def test_hours() -> None:
    from generator.facts import format_hours

    assert [format_hours(h) for h in (1, 4, 8, 24, 168, 2160, 0.25)] == [
        "1 hour", "4 hours", "8 hours", "1 day", "1 week", "90 days", "15 minutes"]


def test_facts_the_check_needs(example_snapshot: MarketSnapshot) -> None:
    """Windows, timeframes and names the fact-check verifies durations and subjects against."""
    facts = build_facts(example_snapshot, analyze(example_snapshot))
    assert facts["article.asset"].value == "BTC" and facts["article.asset"].unit == "text"
    assert facts["timeframes.1d"].value == 24 and facts["analysis.timeframe"].value == 24
    assert facts["windows.liquidations_1h"].value == 1 and facts["windows.liquidations_24h"].value == 24
    assert facts["windows.funding_interval"].display == "8 hours"
    assert facts["windows.change"].value == 24 and facts["windows.range_24h"].value == 24
    assert facts["windows.fib"].value == 90 * 24 and facts["windows.levels"].value == 120 * 24
    assert facts["levels.broken"].context == "support"
    assert (facts["bands.rsi_oversold"].value, facts["bands.rsi_overbought"].value) == (30, 70)
    bare = example_snapshot.model_copy(update={"liquidations": None, "funding": None})
    keys = {f.key for f in build_facts(bare, analyze(bare))}
    assert not keys & {"windows.liquidations_1h", "windows.funding_interval"}
    # The ticker's 24h range has its own window fact ("traded between X and Y over the past 24 hours"),
    # there whenever the range is, whether or not a 24h change could be had.
    no_range = example_snapshot.model_copy(update={"price": example_snapshot.price.model_copy(
        update={"high_24h": None, "low_24h": None})})
    assert "windows.range_24h" not in build_facts(no_range, analyze(no_range))
