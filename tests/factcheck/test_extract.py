"""Extraction on sentences written in the register of crypto news (CoinDesk, Cointelegraph, FXStreet, NewsBTC).

The sentences are our own, written for these tests; none is quoted from a publication.
"""

from __future__ import annotations

import pytest

from generator.factcheck import extract_mentions, read_layout
from generator.factcheck.extract import Mention


def mentions(text: str) -> list[Mention]:
    return extract_mentions(read_layout(text))


def one(text: str, kind: str | None = None) -> Mention:
    found = [m for m in mentions(text) if kind is None or m.kind == kind]
    assert len(found) == 1, [(m.text, m.kind) for m in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "written", "kind", "value", "precision"),
    [
        ("Bitcoin changed hands at $60,704 during the Asian session.", "$60,704", "money", 60704, 1),
        ("BTC slipped to $60.7K before buyers stepped in.", "$60.7K", "money", 60700, 100),
        ("BTC reclaimed $61k on Tuesday.", "$61k", "money", 61000, 1000),
        ("Traders lost $431 million to liquidations.", "$431 million", "money", 431e6, 1e6),
        ("Some $18.75million in shorts were wiped out.", "$18.75million", "money", 18.75e6, 0.01e6),
        ("Open interest stood at US$2.51bn.", "US$2.51bn", "money", 2.51e9, 0.01e9),
        ("The sell-off erased $1.2 trillion in market value.", "$1.2 trillion", "money", 1.2e12, 0.1e12),
        ("Short sellers were squeezed for $45M.", "$45M", "money", 45e6, 1e6),
        ("Ether futures saw 8.57 million dollars in liquidations.", "8.57 million dollars", "money", 8.57e6, 0.01e6),
        ("The token trades at 0.5123 USD.", "0.5123 USD", "money", 0.5123, 0.0001),
        ("Funding flipped to -0.0375% on Binance.", "-0.0375%", "percent", -0.0375, 0.0001),
        ("BTC is down 16.43% on the day.", "16.43%", "percent", 16.43, 0.01),
        ("Solana added +3.5% overnight.", "+3.5%", "percent", 3.5, 0.1),
        ("Bitcoin shed 12 percent in a week.", "12 percent", "percent", 12, 1),
        ("Funding sits at 1.5 basis points.", "1.5 basis points", "percent", 0.015, 0.001),
        ("The Fear & Greed Index printed 9/100.", "9/100", "index", 9, 1),
        ("Sentiment scored a mere 9 out of 100.", "9 out of 100", "index", 9, 1),
        ("Traders piled into 50x long positions.", "50x", "leverage", 50, 1),
        ("Whales moved 300 BTC to Coinbase.", "300 BTC", "coins", 300, 1),
        ("Miners sold 1,250 bitcoins last month.", "1,250 bitcoins", "coins", 1250, 1),
        ("The 14-period RSI rolled over.", "14-period", "count", 14, 1),
        ("Funding sat at minus 0.0375 percent per eight hours.", "minus 0.0375 percent", "percent", -0.0375, 0.0001),
        ("BTC/USD last traded at USD 6,960.", "USD 6,960", "money", 6960, 1),
    ],
)
def test_numbers(text: str, written: str, kind: str, value: float, precision: float) -> None:
    m = one(text, kind)
    assert m.text == written
    assert text[m.start : m.end] == written
    assert m.value == pytest.approx(value)
    assert m.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    ("text", "kind", "hours"),
    [
        ("On the 4-hour chart, BTC printed a lower high.", "duration", 4),
        ("Liquidations over the past 24-hour period topped $1 billion.", "duration", 24),
        ("The move unfolded within a 60-minute window.", "duration", 1),
        ("The 1h RSI is already overbought.", "timeframe", 1),
        ("BTC's 24h volume doubled.", "duration", 24),
        ("The 4H chart shows a bear flag.", "timeframe", 4),
        ("The 14-day RSI sits at 28.", "duration", 336),
        ("Bitcoin printed a bearish engulfing candle on the daily chart.", "timeframe", 24),
        ("A weekly close below $58,000 would confirm the breakdown.", "timeframe", 168),
        ("Analysts eye a 12-month horizon.", "duration", 8760),
    ],
)
def test_durations_and_timeframes(text: str, kind: str, hours: float) -> None:
    m = one(text, kind)
    assert m.value == pytest.approx(hours)


def test_ranges() -> None:
    ms = mentions("A fair value gap sits between $63,500 and $65,000.")
    assert [(m.text, m.range_role) for m in ms] == [("$63,500", "low"), ("$65,000", "high")]
    ms = mentions("BTC bounced from $55,670 to $56,800 in an hour.")
    assert [(m.text, m.range_role) for m in ms if m.kind == "money"] == [("$55,670", "start"), ("$56,800", "end")]
    ms = mentions("Resistance is stacked at $62K-$64K.")
    assert [(m.value, m.range_role) for m in ms] == [(62000, "low"), (64000, "high")]
    ms = mentions("Funding could rise to 10%-12% annualised.")
    assert [(m.kind, m.value) for m in ms if m.kind == "percent"] == [("percent", 10), ("percent", 12)]
    ms = mentions("Longs made up 10-12% of the flush.")
    assert [(m.kind, m.value) for m in ms if m.kind == "percent"] == [("percent", 10), ("percent", 12)]
    ms = mentions("Bids are thick at $62-64K.")
    assert [m.value for m in ms] == [62000, 64000]
    # After a change verb, "X to Y" is a step of X to the level Y: X is the size of a change, not a range's end.
    ms = mentions("Liquidations jumped $300 million to $412 million.")
    assert [(m.range_role, m.tags) for m in ms] == [(None, {"metric": "change_amount"}), (None, {})]
    ms = mentions("Prices held in a $6,653 to $8,375 band.")
    assert [m.range_role for m in ms] == ["low", "high"]


def test_ratio_and_plain_numbers() -> None:
    ms = mentions("The 0.618 Fibonacci retracement lines up with the RSI at 22.")
    assert [(m.text, m.kind, m.value) for m in ms] == [("0.618", "number", 0.618), ("22", "number", 22)]


@pytest.mark.parametrize(
    ("text", "written", "fields"),
    [
        ("February 6, 2026 — Bitcoin fell.", "February 6, 2026", (2026, 2, 6, None)),
        ("On Feb. 6, 2026, liquidations spiked.", "Feb. 6, 2026", (2026, 2, 6, None)),
        ("The low was set on 6 February 2026.", "6 February 2026", (2026, 2, 6, None)),
        ("Data as of 2026-02-06T14:00Z.", "2026-02-06T14:00Z", (2026, 2, 6, 14)),
        ("The June 2022 sell-off was worse.", "June 2022", (2022, 6, None, None)),
        ("As of February 6, 2026, 14:00 UTC the index read 9.", "February 6, 2026, 14:00 UTC", (2026, 2, 6, 14)),
        ("The level has held since early January.", "January", (None, 1, None, None)),
    ],
)
def test_dates(text: str, written: str, fields: tuple) -> None:
    m = next(m for m in mentions(text) if m.kind == "date")
    assert m.text == written
    assert m.when is not None
    assert (m.when.year, m.when.month, m.when.day, m.when.hour) == fields


def test_years_and_times() -> None:
    ms = mentions("The rally from the 2023 lows resumed at 08:00 UTC.")
    assert [(m.text, m.kind) for m in ms] == [("2023", "year"), ("08:00 UTC", "time")]
    assert "May" not in [m.text for m in mentions("Bitcoin may test $60,000 next.")]
    assert [m.text for m in mentions("Prices could march higher.") if m.kind == "date"] == []


@pytest.mark.parametrize(
    ("text", "written", "kind", "value"),
    [
        ("The index plunged to nine, its lowest reading this year.", "nine", "number", 9),
        ("Roughly sixty percent of the liquidations hit longs.", "sixty percent", "percent", 60),
        ("Longs took two-thirds of the losses.", "two-thirds", "percent", 200 / 3),
        ("Bitcoin is up more than a fifth on the day.", "a fifth", "percent", 20),
        ("BTC trades roughly a third below its high.", "a third", "percent", 100 / 3),
        ("Sentiment scored nine out of 100.", "nine out of 100", "index", 9),
        ("The drawdown lasted two hours.", "two hours", "duration", 2),
        ("Bitcoin lost five billion dollars of open interest.", "five billion dollars", "money", 5e9),
    ],
)
def test_number_words(text: str, written: str, kind: str, value: float) -> None:
    m = one(text, kind)
    assert (m.text, m.value) == (written, pytest.approx(value))


@pytest.mark.parametrize(
    "text",
    [
        "The S&P 500 and the Nasdaq 100 slipped in early trade.",
        "The CoinDesk 20 index fell alongside Web3 tokens.",
        "Layer 2 networks and ERC-20 tokens saw outflows.",
        "The exchange filed for Chapter 11 protection.",
        "Uniswap v3 pools and Bitcoin Core 27.0 were unaffected.",
        "One of the largest funds, 3AC, sold; 1inch rallied.",
        "Trading runs 24/7 on the top 10 exchanges.",
        "Two scenarios stand out for one reason.",
        "See [the data](https://example.com/btc/2024/06/60704) and `rsi(14)`.",
    ],
)
def test_names_and_non_quantities_are_not_mentions(text: str) -> None:
    assert mentions(text) == []


def test_markdown_front_matter_code_and_tables() -> None:
    text = (
        "---\ntitle: BTC at $60,704\nfactcheck:\n  mentions: 12\n---\n\n"
        "# Bitcoin holds $60,704\n\n"
        "```\nprice = 12345\n```\n\n"
        "| Metric | Value |\n|---|---|\n| 1-hour liquidations | $431 million |\n"
    )
    ms = mentions(text)
    assert [m.text for m in ms] == ["$60,704", "1-hour", "$431 million"]
    assert all(text[m.start : m.end] == m.text for m in ms)
    layout = read_layout(text)
    row = layout.sentence_at(ms[-1].start)
    assert row.cells and row.header == ["Metric", "Value"]


def test_qualifiers() -> None:
    assert one("Liquidations topped over $1 billion.").qualifier == "lower"
    assert one("Roughly $431 million was liquidated.").qualifier == "approx"
    assert one("Nearly $2.5 billion was wiped out.").qualifier == "nearly"
    assert one("Less than 20% of the liquidations were shorts.").qualifier == "upper"
    assert one("BTC traded at $60,704.").qualifier == "exact"


def test_escaped_dollar_and_unicode_minus() -> None:
    m = one(r"Bitcoin fell to \$60,704.")
    assert (m.kind, m.value) == ("money", 60704)
    m = one("Funding turned −0.01% on Bybit.")
    assert m.value == pytest.approx(-0.01)
