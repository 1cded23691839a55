"""Model replies for the example snapshot (BTC, 2018-02-06), written by hand for the tests.

``GOOD`` is what a capable model should return: the template's sections rewritten,
every number a placeholder. ``BAD`` makes the mistakes small models make: a number
typed in, a fact used for the wrong thing, an invented date and history, a quote.
``REPAIRED`` is the answer to the repair round: two sections fixed, one still wrong.
None of this came from a model; each cassette's NOTICE says how it was recorded.
"""

from __future__ import annotations

import json
from typing import Any

GOOD: dict[str, dict[str, Any]] = {
    "headline": {
        "heading": "Bitcoin slumps {price.change_24h_pct|abs} to {price.current} as daily close breaks "
                   "{levels.broken} support",
        "paragraphs": [],
    },
    "lead": {"heading": "", "paragraphs": [
        "Bitcoin slumped {price.change_24h_pct|abs} over the past 24 hours to {price.current}, and the daily close "
        "cut through support at {levels.broken}. The slide forced the liquidation of {liquidations.total_24h_usd} of "
        "leveraged positions on BitMEX, OKEx and Bitfinex in 24 hours, most of them longs, with "
        "{liquidations.total_1h_usd} of that in the latest hour. Momentum readings are stretched: the daily RSI is in "
        "oversold territory and the Crypto Fear & Greed Index stands at {sentiment.fear_greed}. The daily close was the "
        "lowest since {history.close_low_since_date}.",
    ]},
    "price_action": {"heading": "Price action and liquidations", "paragraphs": [
        "Over the past 24 hours Bitcoin swung between {price.low_24h} and {price.high_24h} before it was last quoted "
        "at {price.current}.",
        "Liquidations on BitMEX, OKEx and Bitfinex reached {liquidations.total_24h_usd} over 24 hours. Long positions "
        "made up {liquidations.long_24h_usd} of that, or {liquidations.long_share_24h_pct}, against "
        "{liquidations.short_24h_usd} of shorts. In the latest hour, {liquidations.total_1h_usd} was liquidated, "
        "{liquidations.long_share_1h_pct} of it from long positions, about {liquidations.multiple_day} times the "
        "average of the previous {windows.liquidations_baseline_day}: the mark of a long squeeze in which a falling "
        "price forces leveraged buyers out.",
        "Bitcoin also posted its first daily close below {history.cross_below_level} since "
        "{history.cross_below_since_date}, and the daily close is down {history.change_7d_pct|abs} over the past week "
        "and down {history.change_30d_pct|abs} over the past {windows.change_30d}.",
    ]},
    "market_structure": {"heading": "Market structure", "paragraphs": [
        "The daily close broke below support at {levels.broken}, a swing level from "
        "{levels.broken_date}, and the next swing support below sits at {levels.support}.",
        "Fibonacci retracements of the rally from {levels.fib_move_low} on {levels.fib_move_low_date} to "
        "{levels.fib_move_high} on {levels.fib_move_high_date} frame the next levels. The price is now below even "
        "the deepest of them, the 0.786 Fibonacci retracement at {levels.fib_0_786}, which stands overhead as a "
        "first test for any rebound. The daily close is down {history.from_series_high_pct|abs} from the highest close "
        "in the data, {history.series_high} on {history.series_high_date}; the data begins on "
        "{price.history_start_date}.",
        "An unfilled bearish fair value gap between {levels.fvg_low} and {levels.fvg_high}, left on "
        "{levels.fvg_date}, sits above the price, a zone that often draws a relief rally and then caps it.",
        "The {technicals.rsi_period}-period daily RSI reads {technicals.rsi_1d}, in oversold territory. Funding on "
        "BitMEX perpetual swaps is negative at {funding.rate_pct} per {funding.interval_hours}-hour interval, so "
        "shorts are paying longs to hold their positions. Open interest on BitMEX stands at {open_interest.usd}.",
    ]},
    "why_it_matters": {"heading": "Why it matters", "paragraphs": [
        "Liquidations turn a decline into forced selling: each leveraged long an exchange closes is sold into the "
        "market, which can push the price through further stops. Liquidating {liquidations.total_24h_usd} of positions "
        "clears out much of that leverage and tends to leave fewer forced sellers behind, though it says nothing on its own "
        "about where buyers will step in.",
        "A daily close below a former swing low changes the chart's structure: the {levels.broken} level that held "
        "before now stands overhead, and buyers need to reclaim it before the break can be called a false one.",
        "Sentiment and momentum agree. A Fear & Greed reading of {sentiment.fear_greed} and an oversold RSI describe "
        "a market that has sold hard; such readings show how stretched the move is, not where it turns.",
        "Negative funding means derivatives traders are paying to hold short positions, a crowded side that can be "
        "forced to buy back if the price turns higher.",
    ]},
    "scenarios": {"heading": "Scenarios", "paragraphs": [
        "**Bullish:** A recovery above the broken support at {levels.broken} would open the way toward the 0.786 "
        "Fibonacci retracement at {levels.fib_0_786}.",
        "**Bearish:** A daily close below the nearest swing support at {levels.support} would expose the low of the "
        "move at {levels.fib_move_low}.",
    ]},
    "outlook": {"heading": "Outlook", "paragraphs": [
        "The levels to watch are {levels.support} below and {levels.broken} above. Until Bitcoin closes back above "
        "the broken support, the daily structure favours sellers; a hold of the nearest support would be the first "
        "sign that the selling is being absorbed. Liquidation totals and funding in the coming sessions will show "
        "whether leverage is rebuilding or still being cleared. This analysis describes the market as of "
        "{article.as_of} and makes no forecast.",
    ]},
}

# The same article with mistakes in three sections; the other four are kept from GOOD.
BAD: dict[str, dict[str, Any]] = {
    **GOOD,
    "lead": {"heading": "", "paragraphs": [
        "Bitcoin slumped 15% over the past 24 hours to {price.current}, and the daily close cut through support at "
        "{levels.broken}. The slide forced the liquidation of {liquidations.total_24h_usd} of leveraged positions on "
        "BitMEX, OKEx and Bitfinex in 24 hours, most of them longs, with {liquidations.total_1h_usd} of that in the "
        "latest hour. Momentum readings are stretched: the daily RSI is in oversold territory and the Crypto Fear & "
        "Greed Index stands at {sentiment.fear_greed}.",
    ]},
    "price_action": {"heading": "Price action and liquidations", "paragraphs": [
        "Over the past 24 hours Bitcoin swung between {price.low_24h} and {price.high_24h} before it was last quoted "
        "at {price.current}.",
        "Liquidations on BitMEX, OKEx and Bitfinex reached {liquidations.total_1h_usd} over 24 hours. Long positions "
        "made up {liquidations.long_24h_usd} of that, or {liquidations.long_share_24h_pct}, against "
        "{liquidations.short_24h_usd} of shorts, the mark of a long squeeze in which a falling price forces leveraged "
        "buyers out. In the latest hour, {liquidations.total_1h_usd} was liquidated, "
        "{liquidations.long_share_1h_pct} of it from long positions.",
    ]},
    "why_it_matters": {"heading": "Why it matters", "paragraphs": [
        "\"This is capitulation,\" one trader said. Liquidations turn a decline into forced selling, and the "
        "{liquidations.total_24h_usd} flush is the largest since the crash of March, when whales bought the dip.",
        "A daily close below a former swing low changes the chart's structure: the {levels.broken} level that held "
        "before now stands overhead, and buyers need to reclaim it before the break can be called a false one.",
    ]},
}

# The repair round's answer to BAD: lead and price_action fixed, why_it_matters still invents history.
REPAIRED: dict[str, dict[str, Any]] = {
    "lead": GOOD["lead"],
    "price_action": GOOD["price_action"],
    "why_it_matters": {"heading": "Why it matters", "paragraphs": [
        "Liquidations turn a decline into forced selling, and the {liquidations.total_24h_usd} flush is the largest "
        "since last year, a sign that leverage had built up for months.",
        "A daily close below a former swing low changes the chart's structure: the {levels.broken} level that held "
        "before now stands overhead, and buyers need to reclaim it before the break can be called a false one.",
    ]},
}


def as_content(sections: dict[str, dict[str, Any]], names: list[str] | None = None) -> str:
    """The JSON a model would send for ``names`` (all sections by default)."""
    return json.dumps({n: sections[n] for n in (names or list(sections))})
