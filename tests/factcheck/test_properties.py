"""Property tests: every fact's display text extracts back to a value that verifies against it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.factcheck import check_article, extract_mentions, read_layout
from generator.factcheck.judge import _within
from generator.facts import FactSet, _Builder, format_hours, format_percent, format_usd

money = st.floats(min_value=0.01, max_value=5e12, allow_nan=False, allow_infinity=False)
percent = st.floats(min_value=-99.0, max_value=500.0, allow_nan=False, allow_infinity=False)


def only(text: str):  # noqa: ANN201
    found = extract_mentions(read_layout(text))
    assert len(found) == 1, (text, [(m.text, m.kind) for m in found])
    return found[0]


@given(money)
def test_usd_display_round_trips(value: float) -> None:
    display = format_usd(value)
    m = only(f"The figure was {display}.")
    assert m.text == display and m.kind == "money"
    assert _within(m, value)[0], (display, value, m.value, m.precision)


@given(money, st.sampled_from(["K", "k", "M", "B", " million", " billion", "million", "bn"]))
def test_scaled_money_round_trips(value: float, suffix: str) -> None:
    scale = {"K": 1e3, "k": 1e3, "M": 1e6, "B": 1e9, " million": 1e6, " billion": 1e9, "million": 1e6, "bn": 1e9}[suffix]
    text = f"${value / scale:.2f}{suffix}"
    m = only(f"Traders lost {text} overnight.")
    assert m.value is not None and abs(m.value - round(value / scale, 2) * scale) <= scale * 1e-6
    assert m.precision == scale / 100


@given(percent, st.integers(min_value=0, max_value=4))
def test_percent_display_round_trips(value: float, decimals: int) -> None:
    display = format_percent(value, decimals)
    m = only(f"It moved {display} on the day.")
    assert m.kind == "percent" and m.text == display
    assert _within(m, value)[0]


@given(st.sampled_from([1 / 60, 0.25, 1.0, 4.0, 8.0, 24.0, 168.0, 2160.0]))
def test_duration_display_round_trips(hours: float) -> None:
    m = only(f"The window is {format_hours(hours)} long.")
    assert m.kind == "duration" and abs((m.value or 0) - hours) < 1e-9


def _facts(price: float, change: float, liq: float, fg: int, when: datetime) -> FactSet:
    b = _Builder()
    b.add_text("article.asset", "BTC", "Bitcoin", "Asset", None)
    b.add_date("article.date", when, "Article date", None)
    b.add("price.current", price, "usd", "BTC price", None)
    b.add("price.change_24h_pct", change, "percent", "24h change", None)
    b.add("liquidations.total_24h_usd", liq, "usd", "24-hour liquidations", None)
    b.add("sentiment.fear_greed", fg, "index", "Crypto Fear & Greed Index", None)
    b.add("windows.change", 24.0, "hours", "Window of the price change", None)
    b.add("windows.liquidations_24h", 24.0, "hours", "Liquidation window (24h)", None)
    return FactSet(facts=b.facts)


@settings(max_examples=60, deadline=None)
@given(
    st.floats(min_value=0.05, max_value=250_000, allow_nan=False),
    st.floats(min_value=-60, max_value=60, allow_nan=False).filter(lambda x: abs(x) >= 0.01),
    st.floats(min_value=1e5, max_value=9e9, allow_nan=False),
    st.integers(min_value=0, max_value=100),
    st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2035, 1, 1)),
)
def test_a_sentence_of_display_texts_verifies(price: float, change: float, liq: float, fg: int, when: datetime) -> None:
    facts = _facts(price, change, liq, fg, when.replace(tzinfo=timezone.utc))
    f = facts.facts
    verb = "rose" if change > 0 else "fell"
    text = (f"{f['article.date'].display} — Bitcoin {verb} {f['price.change_24h_pct'].display_abs} over the past "
            f"24 hours to {f['price.current'].display}. Liquidations reached {f['liquidations.total_24h_usd'].display} "
            f"in 24 hours, and the Crypto Fear & Greed Index stands at {f['sentiment.fear_greed'].display}.")
    report = check_article(text, facts)
    assert [m for m in report.mentions if m.kind != "duration"] and report.passed, report.to_text()
    wrong = text.replace(f" {verb} ", " rose " if verb == "fell" else " fell ")
    assert not check_article(wrong, facts).passed


@given(st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2040, 1, 1)))
def test_dates_round_trip(moment: datetime) -> None:
    from generator.facts import format_date, format_datetime

    moment = moment.replace(tzinfo=timezone.utc, second=0, microsecond=0)
    for text in (format_date(moment), format_datetime(moment)):
        m = only(f"Data as of {text}.")
        assert m.when is not None and m.when.matches(moment)
        assert not m.when.matches(moment + timedelta(days=1))
