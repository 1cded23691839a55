"""Placeholders: the model's numbers come from facts by construction, and anything else is refused."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import article_seed
from generator.drafting.llm.guard import direction_problems, prose_problems, sign_problems
from generator.drafting.placeholders import (
    PlaceholderError,
    fill,
    number_terms,
    placeholder_facts,
    placeholder_keys,
    stray_numbers,
)
from generator.drafting.template import PROSE_SECTIONS, build_context, make_environment, render_section
from generator.facts import FactSet, build_facts
from generator.snapshot import MarketSnapshot
from tests.conftest import make_snapshot

DAYS = ("2017-03-18", "2017-06-12", "2017-09-15", "2017-12-17", "2018-02-06", "2018-04-12")


def facts_of(snapshot: MarketSnapshot) -> FactSet:
    return build_facts(snapshot, analyze(snapshot))


def test_fill_uses_display_text_and_abs(example_snapshot: MarketSnapshot) -> None:
    facts = facts_of(example_snapshot)
    text = "Bitcoin fell {price.change_24h_pct|abs} to {price.current}; the change was {price.change_24h_pct}."
    assert fill(text, facts) == "Bitcoin fell 14.72% to $6,960; the change was -14.72%."
    assert fill("RSI {{technicals.rsi_1d}}", facts) == "RSI 27"  # doubled braces are forgiven


@pytest.mark.parametrize(("text", "message"), [
    ("at {price.moon}", "unknown placeholder {price.moon}"),
    ("at {price.current", "malformed placeholder"),
    ("at {the price}", "malformed placeholder"),
    ("at price.current}", "malformed placeholder"),
])
def test_unfillable_placeholders_fail(example_snapshot: MarketSnapshot, text: str, message: str) -> None:
    with pytest.raises(PlaceholderError, match=message):
        fill(text, facts_of(example_snapshot))


def test_a_fact_not_offered_is_unknown(example_snapshot: MarketSnapshot) -> None:
    with pytest.raises(PlaceholderError, match="unknown placeholder {open_interest.usd}"):
        fill("OI is {open_interest.usd}", facts_of(example_snapshot), allowed={"price.current"})


def test_digits_outside_placeholders_are_found() -> None:
    terms = {"24 hours", "0.786 Fibonacci"}
    assert stray_numbers("fell {price.change_24h_pct|abs} over the past 24 hours", terms) == []
    assert stray_numbers("the 0.786 Fibonacci retracement at {levels.fib_0_786}", terms) == []
    assert stray_numbers("fell 15% over 48 hours to {price.current}", terms) == ["15%", "48 hours"]
    assert stray_numbers("the lowest since 2017", terms) == ["2017"]
    assert stray_numbers("at {price.current}0", terms) == ["0"]


def views(snapshot: MarketSnapshot) -> tuple[dict[str, str], dict[str, str], FactSet]:
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    env = make_environment(None)
    ctx = build_context(snapshot, analysis, facts, "LONDON", "marketnews")
    seed = article_seed(snapshot, "daily")
    view_ctx = ctx.model_copy(update={"F": placeholder_facts(facts)})
    real = {n: render_section(env, n, ctx, seed) for n in PROSE_SECTIONS}
    shown = {n: render_section(env, n, view_ctx, seed) for n in PROSE_SECTIONS}
    return real, shown, facts


@pytest.mark.parametrize("until", DAYS)
def test_placeholder_view_fills_back_to_the_template_text(until: str) -> None:
    """What the model is shown is exactly the template article, with placeholders for the numbers."""
    real, shown, facts = views(make_snapshot(until))
    for name in PROSE_SECTIONS:
        assert fill(shown[name], facts) == real[name], name
        assert all(k in facts for k in placeholder_keys(shown[name]))


@pytest.mark.parametrize("until", DAYS)
def test_the_template_text_passes_the_guard(until: str) -> None:
    """A model that returned the draft unchanged would never be rejected by the rules on words."""
    _, shown, facts = views(make_snapshot(until))
    everything = "\n".join(shown.values())
    terms = number_terms(everything)
    negative = {f.key for f in facts if isinstance(f.value, float) and f.value < 0}
    for name, view in shown.items():
        body = "\n".join(line.removeprefix("## ").removeprefix("- ") for line in view.splitlines())
        body = body.replace("LONDON, ", "")
        assert prose_problems(body, terms) == [], name
        assert sign_problems(body, negative) == [], name


def test_number_terms_are_the_words_that_carry_digits() -> None:
    assert number_terms("over the past 24 hours, the 0.786 Fibonacci retracement at {levels.fib_0_786}") == {
        "24 hours", "0.786 Fibonacci"}


@pytest.mark.parametrize(("text", "why"), [
    ('"This is capitulation," one trader noted.', "quotation"),
    ("Analysts expect a rebound.", "attributes a view"),
    ("According to exchange data, longs were flushed.", "attributes a view"),
    ("The drop on Monday broke support.", "names a date"),
    ("The sell-off in May broke support.", "names a date"),
    ("The high of May 12 still stands.", "names a date"),
    ("Since March the trend has been down.", "names a date"),
    ("Liquidations hit a record.", "history"),
    ("The lowest level since last year.", "history"),
    ("Longs lost twice as much as shorts.", "number in words"),
    ("Nearly fifteen percent was wiped off.", "number in words"),
    ("Support at $ {levels.support}.", "currency or percent sign"),
    ("Traders should buy the dip.", "advice"),
    ("Bitcoin will rebound toward {levels.broken}.", "prediction"),
    ("A recovery is inevitable.", "certainty"),
    ("Whales bought the dip.", "actors or flows"),
    # Seen in real SmolLM2 replies that the stage kept: advice, the first and second person, hype.
    ("It may be time for you to rebalance your strategy.", "gives advice"),
    ("It may be time for you to rebalance your strategy.", "first or second person"),
    ("Liquidation totals are up and we need more.", "first or second person"),
    ("We need to know what that means for our strategy.", "first or second person"),
    ("The break is a game-changer for the market.", "hype"),
    ("A massive sell-off swept the market.", "hype"),
    ("See [the chart](https://example.com).", "markup"),
])
def test_guard_rules(text: str, why: str) -> None:
    problems = prose_problems(text, set())
    assert any(why in p for p in problems), problems


@pytest.mark.parametrize("text", [
    "The US dollar index and Bitcoin moved apart.",  # the country is no person
    "A daily close above {levels.broken} may open the way to {levels.next_resistance}.",  # the prompt's own hedge
    "May the support hold, the sellers tire.",
    "Buyers may march the price back toward {levels.broken}.",
    "A close below {levels.support} might, in time, mark a shift.",
])
def test_month_names_are_matched_as_months_only(text: str) -> None:
    assert not [p for p in prose_problems(text, set()) if "names a date" in p]


def test_signs_beside_direction_words() -> None:
    negative = {"price.change_24h_pct"}
    assert sign_problems("Bitcoin fell {price.change_24h_pct|abs} to {price.current}", negative) == []
    assert sign_problems("a {price.change_24h_pct|abs} drop", negative) == []
    assert sign_problems("Bitcoin fell {price.change_24h_pct} to {price.current}", negative) == [
        "{price.change_24h_pct} is negative; next to 'fell' write {price.change_24h_pct|abs}"]
    assert sign_problems("The change was {price.change_24h_pct|abs}.", negative) == [
        "{price.change_24h_pct|abs} hides the sign; use it only next to a direction word such as 'fell'"]


def test_headline_direction() -> None:
    assert direction_problems("Bitcoin rallies to {price.current}", "down") == [
        "the headline says 'rallies' but the price moved down over 24 hours"]
    assert direction_problems("Bitcoin tumbles {price.change_24h_pct|abs} to {price.current}", "down") == []
    assert direction_problems("Bitcoin plunges to {price.current}", "flat")
