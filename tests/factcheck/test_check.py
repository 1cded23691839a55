"""Verdicts: what the fact-check says about correct and wrong sentences in news prose."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factcheck import CheckReport, check_article
from generator.facts import FactSet
from tests.factcheck.seed_facts import seed_facts

ARTICLES = Path(__file__).parent / "articles"
FACTS = seed_facts()


def check(text: str) -> CheckReport:
    return check_article(text, FACTS)


def verdict(text: str, written: str) -> str:
    report = check(text)
    found = [m for m in report.mentions if m.text == written]
    assert found, [(m.text, m.kind) for m in report.mentions]
    return found[0].verdict


def failures(text: str) -> list[tuple[str, str]]:
    return [(m.text, m.verdict) for m in check(text).failures]


@pytest.mark.parametrize("name", sorted(p.name for p in (ARTICLES / "correct").glob("*.md")))
def test_correct_news_articles_pass(name: str) -> None:
    report = check((ARTICLES / "correct" / name).read_text())
    assert report.passed, report.to_text()
    assert report.summary.mentions >= 30


FLAWED = {
    # A made-up support level; everything else in it is right.
    "newsbtc_style.md": {("$52,000", "unsupported")},
    # The reference article: invented history, a level from another market, horizons nobody computed,
    # an on-chain threshold, and a quote from nobody. Its market figures all verify.
    "reference_article.txt": {
        ("June 2022", "unsupported"), ("$1 billion", "unsupported"), ("March 2020", "unsupported"),
        ("$80,000", "unsupported"), ("2023", "unsupported"), ("1", "unsupported"), ("12-month", "unsupported"),
        ("5-year", "unsupported"), ("quote", "quote"),
        # Magnitude words with no baseline in the data: the seed has no candles to measure a move against.
        ("capitulation", "unsupported"), ("violent drop", "unsupported"), ("sell-off", "unsupported"),
        ("collapse", "unsupported"), ("crash", "unsupported"),
    },
}


@pytest.mark.parametrize("name", sorted(FLAWED))
def test_flawed_articles_fail_exactly_where_they_are_wrong(name: str) -> None:
    report = check((ARTICLES / "flawed" / name).read_text())
    found = {("quote" if m.verdict == "quote" else m.text, m.verdict) for m in report.failures}
    assert found == FLAWED[name], report.to_text()
    assert report.summary.verified >= 30


# Correct statements about the seed market in the phrasing of wire copy and market blogs: no false alarms.
CORRECT_SENTENCES = [
    'BTC fell as much as 18% to a low of $59,800 before paring losses.',
    'Bitcoin is down 16.4% over the past day, CoinGecko data shows.',
    'The largest cryptocurrency by market value slid 16.43% to $60,704 in the last 24 hours.',
    'More than $2.5 billion worth of crypto positions were liquidated in the past 24 hours, according to CoinGlass.',
    'Over the past hour alone, traders saw $431 million in liquidations.',
    'Long traders bore the brunt, with $1.9 billion in long positions liquidated versus $610 million in shorts.',
    'A liquidation cascade hit $431 million in the past hour, most of it longs.',
    'The 4H RSI dipped to 22, its most oversold reading in weeks.',
    "Bitcoin's Relative Strength Index on the daily chart sits at 29.",
    'Sentiment has soured, with the Crypto Fear & Greed Index plunging to 9, deep in "Extreme Fear" territory.',
    'Perpetual funding rates flipped negative to -0.0125%, suggesting shorts are now paying longs.',
    'Open interest across Binance perps stood at $28.4B.',
    'BTC is now testing the 0.618 Fibonacci retracement at $58,200, a key level for bulls.',
    'A break below $58,200 could open the door to $56,150, the next Fibonacci level.',
    'Bulls need to reclaim $62,000 to neutralize the bearish structure.',
    'Bitcoin hit an intraday high of $72,950 on Thursday before the sell-off began.',
    'The 24-hour trading range spanned from $59,800 to $72,950.',
    'At the time of writing, BTC changed hands at around $60,700.',
    'BTC remains roughly 18% below its high of $73,800 set on January 14.',
    'BTC/USD trades at $60,704 on Bitstamp.',
    'Bitcoin is trading near $61,000, down nearly 16.5% on the day.',
    'Bitcoin dropped below the psychologically important $60,000 level briefly before bouncing.',
]


# Magnitude words about the 24-hour totals, which have no baseline in a snapshot (docs/factcheck.md, Magnitude):
# what fxstreet_style.md and the sentences above said before the magnitude rules, now flagged.
UNBACKED_MAGNITUDE = [
    ('Liquidation data shows nearly $2.5 billion wiped out in 24 hours.', "wiped out"),
    ('Long traders bore the brunt, with $1.9 billion in long positions wiped out versus $610 million in shorts.',
     "wiped out"),
    ('Bitcoin plunged 16.43% to $60,704 in the last 24 hours.', "plunged"),
]


@pytest.mark.parametrize(("text", "word"), UNBACKED_MAGNITUDE)
def test_magnitude_words_without_a_baseline_are_unsupported(text: str, word: str) -> None:
    assert (word, "unsupported") in failures(text)


@pytest.mark.parametrize("text", CORRECT_SENTENCES)
def test_correct_sentences_pass(text: str) -> None:
    report = check(text)
    assert report.passed, report.to_text()
    assert report.summary.mentions >= 1


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        # The precision rule: the fact rounds to the number at the precision written.
        ("Bitcoin traded at $60.7K.", "$60.7K", "verified"),
        ("Bitcoin traded at $61K.", "$61K", "verified"),
        ("Bitcoin traded at $60K.", "$60K", "mismatch"),
        ("Bitcoin traded at $60,704.", "$60,704", "verified"),
        ("Bitcoin traded at $60,705.", "$60,705", "mismatch"),
        ("Liquidations hit $431 million in the past hour.", "$431 million", "verified"),
        ("Liquidations hit $0.43 billion in the past hour.", "$0.43 billion", "verified"),
        ("Liquidations hit $430 million in the past hour.", "$430 million", "mismatch"),
        # Qualifiers.
        ("Roughly $425 million was liquidated in the past hour.", "$425 million", "verified"),
        ("Over $1 billion was liquidated in the past hour.", "$1 billion", "mismatch"),
        ("More than $400 million was liquidated in the past hour.", "$400 million", "verified"),
        ("More than $100 million was liquidated in the past 24 hours.", "$100 million", "mismatch"),
        ("Nearly $2.5 billion was liquidated in 24 hours.", "$2.5 billion", "verified"),
        ("Nearly $2.5 billion was liquidated in the past hour.", "past hour", "mismatch"),
        ("Bitcoin holds above $60,000.", "$60,000", "verified"),
        ("Bitcoin dropped below $55,000 on Friday.", "$55,000", "direction"),
        ("If BTC holds above the $58,900 support, bulls may return.", "$58,900", "verified"),
        ("If BTC holds above the $50,000 support, bulls may return.", "$50,000", "unsupported"),
        ("BTC climbed above $75,000.", "$75,000", "direction"),
        ("BTC fell as much as 25% to $59,800.", "25%", "mismatch"),
        ("BTC trades 30% below its high of $73,800 set on January 14.", "30%", "mismatch"),
        ("Bitcoin trades below $60,000.", "$60,000", "direction"),
        # Direction words against the sign of the change.
        ("BTC is down 16.43% in 24 hours.", "16.43%", "verified"),
        ("BTC is up 16.43% in 24 hours.", "16.43%", "direction"),
        ("Bitcoin rallied 16.43% on the day.", "16.43%", "direction"),
        ("Bitcoin's 24-hour change: -16.43%.", "-16.43%", "verified"),
        ("Bitcoin fell 16.8% in 24 hours.", "16.8%", "mismatch"),
        ("Funding is negative at 0.0125%.", "0.0125%", "verified"),
        ("Funding stands at 0.0125%.", "0.0125%", "direction"),
        # Metrics swapped: the words bind the number to its fact, whatever fact has that value.
        ("Liquidations reached $2.51 billion in the past hour.", "past hour", "mismatch"),
        ("Shorts accounted for $300 million of the hour's liquidations.", "Shorts", "mismatch"),
        ("The daily RSI stands at 22.", "22", "mismatch"),
        ("The Crypto Fear & Greed Index stands at 22/100.", "22/100", "mismatch"),
        ("Open interest stands at $2.51 billion.", "$2.51 billion", "mismatch"),
        # No fact backs it.
        ("Spot bitcoin ETFs saw inflows of $431 million.", "$431 million", "unsupported"),
        ("Bitcoin's market dominance rose to 52.3%.", "52.3%", "unsupported"),
        ("Ether fell 5% to $3,000.", "5%", "unsupported"),
        ("Analysts set a price target of $100,000.", "$100,000", "unsupported"),
        ("Traders used 50x leverage.", "50x", "unsupported"),
        ("Bitcoin traded at €60,704.", "€60,704", "unsupported"),
        ("Bitcoin traded at 60,704 EUR.", "60,704 EUR", "unsupported"),
        ("The June 2022 sell-off saw over $1 billion in hourly liquidations.", "$1 billion", "unsupported"),
        ("The 200-day moving average sits at $41,250.", "$41,250", "unsupported"),
        ("Bitcoin is 18% below its all-time high of $73,800.", "$73,800", "unsupported"),
        # Durations and dates.
        ("On the 4-hour chart, momentum faded.", "4-hour", "verified"),
        ("On the weekly chart, momentum faded.", "weekly", "unsupported"),
        ("1-hour liquidations reached $431 million.", "1-hour", "verified"),
        ("8-hour liquidations reached $431 million.", "8-hour", "mismatch"),
        ("Funding resets every 8 hours.", "8 hours", "verified"),
        ("February 6, 2026 — Bitcoin fell.", "February 6, 2026", "verified"),
        ("The June 2022 crash was worse.", "June 2022", "unsupported"),
        ("Data as of February 5, 2026, 14:00 UTC.", "February 5, 2026, 14:00 UTC", "mismatch"),
        ("Bitcoin broke below support at $62,000, a level set on January 2, 2026.", "January 2, 2026", "verified"),
        ("Bitcoin broke below support at $62,000, a level set on January 3, 2026.", "January 3, 2026", "mismatch"),
    ],
)
def test_verdicts(text: str, written: str, expected: str) -> None:
    assert verdict(text, written) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The 4-hour RSI is deep in oversold territory.", "verified"),
        ("The 4-hour RSI is in overbought territory.", "mismatch"),
        ("The 4-hour RSI is no longer oversold.", "mismatch"),
        ("The Crypto Fear & Greed Index signals extreme fear.", "verified"),
        ("The Crypto Fear & Greed Index signals greed.", "mismatch"),
        ("Bitcoin broke below support at $62,000.", "verified"),
        ("Bitcoin broke above resistance at $62,000.", "mismatch"),
        ("Bitcoin fell on Friday.", "verified"),
        ("Bitcoin rallied on Friday.", "direction"),
        ("A fair value gap between $63,500 and $65,000 sits above the price.", "verified"),
        ("A fair value gap between $63,500 and $65,000 sits below the price.", "direction"),
    ],
)
def test_qualitative_claims(text: str, expected: str) -> None:
    claims = [m for m in check(text).mentions if m.kind == "claim"]
    assert claims, check(text).mentions
    assert claims[0].verdict == expected, claims


def test_level_on_the_wrong_side() -> None:
    """The words that place a level on the wrong side are flagged, where they stand; the figures are the levels."""
    assert failures("The levels to watch are $58,200 below and $65,000 above.") == []
    assert failures("The levels to watch are $58,200 above and $65,000 below.") == [("above", "direction"),
                                                                                    ("below", "direction")]
    assert failures("Bitcoin trades below the $58,200 support.") == [("trades below", "direction")]


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        # "fell below" places the price against the level however many words of the noun phrase come between.
        ("Bitcoin fell below support at $58,200.", "$58,200", "direction"),
        ("Bitcoin fell below the key psychological support at $58,200.", "$58,200", "direction"),
        ("Bitcoin fell below the long-watched key psychological support at $58,200.", "$58,200", "direction"),
        ("Bitcoin fell below the closely watched psychological support level at $62,000.", "$62,000", "verified"),
        ("BTC climbed above the widely watched psychological resistance level at $65,000.", "$65,000", "direction"),
        # A round number crossed: the same reach.
        ("Bitcoin dropped below the closely watched psychological round-number $60,000 mark.", "$60,000", "verified"),
        ("Bitcoin dropped below the closely watched psychological round-number $55,000 mark.", "$55,000", "direction"),
        # Across a clause or past another number, the relation is not about the number.
        ("Bitcoin fell below $62,000 on Friday, while the support at $58,200 held.", "$58,200", "verified"),
        ("Bitcoin fell below $62,000 and bulls now defend the Fibonacci support at $58,200.", "$58,200", "verified"),
    ],
)
def test_relation_reaches_across_a_noun_phrase(text: str, written: str, expected: str) -> None:
    """The relation's verdict is reported on its own words ("fell below ... support"), the figure on its value."""
    report = check(text)
    relation = [m for m in report.mentions if m.kind == "claim" and m.end <= text.index(written) + len(written)]
    verdicts = {m.verdict for m in relation} | {verdict(text, written)}
    assert (expected in verdicts) if expected != "verified" else verdicts == {"verified"}, report.to_text()
    if expected == "direction" and relation:
        assert verdict(text, written) == "verified"  # the figure is the level; the words put the price on the wrong side


TABLE = "| Metric | Value |\n|---|---|\n| Bitcoin price | $60,704 |\n| 24h change | {} |\n"


@pytest.mark.parametrize(
    ("cell", "written", "expected"),
    [
        ("-16.43%", "-16.43%", "verified"),
        ("Down 16.43% in 24h", "16.43%", "verified"),  # the template's own wording
        ("16.43%", "16.43%", "direction"),  # a table writes a fall's sign: unsigned reads as a rise
        ("+16.43%", "+16.43%", "direction"),
        ("16.43% lower", "16.43%", "verified"),
    ],
)
def test_a_change_in_a_table_cell_must_carry_its_sign(cell: str, written: str, expected: str) -> None:
    assert verdict(TABLE.format(cell), written) == expected


def test_an_unsigned_rise_in_a_table_cell_verifies() -> None:
    up = FACTS["price.change_24h_pct"].model_copy(update={"value": 16.43, "display": "16.43%"})
    facts = FactSet(facts={**FACTS.facts, up.key: up})
    for cell, written in (("16.43%", "16.43%"), ("+16.43%", "+16.43%"), ("Up 16.43% in 24h", "16.43%")):
        found = [m for m in check_article(TABLE.format(cell), facts).mentions if m.text == written]
        assert found and found[0].verdict == "verified", (cell, found)
    # A row label that says the change fell makes the unsigned figure a fall.
    row = "| Metric | Value |\n|---|---|\n| 24h decline | 16.43% |\n"
    assert verdict(row, "16.43%") == "verified"


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ('"This is a textbook capitulation," said one analyst.', True),
        ("“We are buying this dip,” Jane Doe, head of research at Example Capital, told reporters.", True),
        ("According to a market strategist, the selling is almost over.", True),
        ("Traders say the market is oversold.", True),
        ("Jane Doe, an analyst at Example Research, said the bottom is in.", True),
        ('The so-called "max pain" level has drawn attention.', False),
        ("According to CoinGlass data, liquidations topped $431 million in an hour.", False),
    ],
)
def test_quotes(text: str, flagged: bool) -> None:
    quotes = [m for m in check(text).mentions if m.verdict == "quote"]
    assert bool(quotes) == flagged, quotes


def test_report_fields_and_spans() -> None:
    text = "Bitcoin fell 16.43% to $60,704. Over $1 billion was liquidated in the past hour."
    report = check(text)
    assert report.summary.mentions == len(report.mentions)
    assert report.summary.failed == report.summary.mismatch + report.summary.direction + report.summary.unsupported \
        + report.summary.quote
    bad = report.failures[0]
    assert (bad.text, bad.verdict, bad.fact, bad.expected) == ("$1 billion", "mismatch",
                                                              "liquidations.total_1h_usd", "$431 million")
    assert text[bad.start : bad.end] == bad.text
    assert bad.sentence == "Over $1 billion was liquidated in the past hour."
    for m in report.mentions:
        assert text[m.start : m.end] == m.text
    rendered = report.to_text()
    assert "MISMATCH" in rendered and "expected: $431 million" in rendered and bad.sentence in rendered


def test_fragment_and_front_matter_give_the_same_spans() -> None:
    section = "## Price action\n\nBitcoin fell 16.43% over the past 24 hours to $60,704.\n"
    article = "---\ntitle: Bitcoin at $99,999\nstatus: draft\n---\n\n# Headline\n\n" + section
    a, b = check(section), check(article)
    assert a.passed and b.passed
    offset = article.index(section)
    assert [(m.start + offset, m.text) for m in a.mentions] == [(m.start, m.text) for m in b.mentions]
    assert "$99,999" not in [m.text for m in b.mentions]


def test_markdown_link_targets_and_code_are_not_checked() -> None:
    text = "Bitcoin fell to $60,704 ([chart](https://example.com/btc/12345)); the code `x = 99` is skipped."
    assert [m.text for m in check(text).mentions if m.kind != "claim"] == ["$60,704"]


def test_empty_and_numberless_text() -> None:
    assert check("").passed and check("").summary.mentions == 0
    assert check("Markets were quiet.").passed


def test_trusted_results_are_the_models_pydantic_builds() -> None:
    """The report's fast constructor gives what validation and model_construct give, copies and all."""
    from generator.factcheck import MentionResult

    values = {"text": "$60,704", "start": 3, "end": 10, "kind": "money", "value": 60704.0, "precision": 1.0,
              "verdict": "verified", "fact": "price.current", "expected": "$60,704", "reason": "BTC price is $60,704",
              "sentence": "At $60,704."}
    fast, built = MentionResult.trusted(dict(values)), MentionResult(**values)
    assert fast == built == MentionResult.model_construct(**values)
    assert fast.model_dump_json() == built.model_dump_json() and fast.model_fields_set == built.model_fields_set
    moved = check("Bitcoin fell 16.43% to $60,704.").shifted(5)
    assert [m.start for m in moved.mentions] == [m.start + 5 for m in check("Bitcoin fell 16.43% to $60,704.").mentions]


@pytest.mark.parametrize(
    ("text", "written", "expected"),
    [
        # A window after a list of venues still speaks for the figure before the list.
        # (the hour's figure under the day's window: the words that name the window are wrong)
        ("Liquidations totalled $48.2 million on BitMEX, OKEx and Bitfinex over 24 hours.", "24 hours", "mismatch"),
        ("Liquidations totalled $412 million on BitMEX, OKEx and Bitfinex over 24 hours.", "$412 million", "verified"),
        # Wire copy's clock is a time, not a price.
        ("Bitcoin traded at $6,960 at 0000 GMT.", "0000 GMT", "verified"),
        ("Bitcoin traded at $6,960 at 0000 GMT.", "$6,960", "verified"),
        # "a three-week low" says how far back the record reaches: the price was last this low on November 15.
        ("Bitcoin hit a three-week low of $6,653.", "three-week", "verified"),
        ("Bitcoin hit a three-week low of $6,653.", "$6,653", "verified"),
        ("Bitcoin fell to a six-month low of $6,653.", "six-month", "mismatch"),
        ("Bitcoin hit a 24-hour low of $6,653.", "24-hour", "verified"),
    ],
)
def test_wire_style(text: str, written: str, expected: str) -> None:
    from tests.factcheck.corpus import facts_for_snapshot

    report = check_article(text, facts_for_snapshot("example", True))
    verdicts = {m.verdict for m in report.mentions if m.text == written}  # a window is a figure and may carry a claim
    assert (verdicts == {"verified"}) if expected == "verified" else (expected in verdicts), report.to_text()


@pytest.mark.parametrize(
    ("text", "written", "expected", "fact"),
    [
        # A date binds by what its words name, not by being some date in the data.
        ("The next swing support below sits at $6,189, a swing level from October 21, 2017.", "October 21, 2017",
         "verified", "levels.support_date"),
        # November 12 is the move's low's date, not the support's: the figure stays the support, the date is wrong.
        ("The next swing support below sits at $6,189, a swing level from November 12, 2017.", "November 12, 2017",
         "mismatch", "levels.support_date"),
        ("The next swing support below sits at $6,189, a swing level from November 12, 2017.", "$6,189",
         "verified", "levels.support"),
        ("| Broken support | $7,846 | Swing level from November 12, 2017 |", "November 12, 2017", "mismatch",
         "levels.broken_date"),
        ("An unfilled bearish gap between $9,505 and $9,680, left on November 8, 2017, sits above the price.",
         "November 8, 2017", "mismatch", "levels.fvg_date"),
        ("Bitcoin bottomed on December 17, 2017.", "December 17, 2017", "mismatch", "levels.fib_move_low_date"),
        ("February 6, 2018 — Bitcoin tumbled 14.72%.", "February 6, 2018", "verified", "article.date"),
        # A record of something the candles do not count has nothing behind its date.
        ("Liquidations hit the most since February 6.", "February 6", "unsupported", None),
        ("Bitcoin fell to $6,960, its lowest level since November.", "November", "verified", "price.low_since_date"),
    ],
)
def test_dates_bind_by_meaning(text: str, written: str, expected: str, fact: str | None) -> None:
    from tests.factcheck.corpus import facts_for_snapshot

    report = check_article(text, facts_for_snapshot("example", True))
    found = next(m for m in report.mentions if m.text == written)
    assert (found.verdict, found.fact) == (expected, fact), report.to_text()
