"""The oracle of the claim perturbation suite, on the bundled example: it must be right before it judges a checker.

The example (examples/btc-2018-02-06.json): Bitcoin fell 14.72% to $6,960; the daily close broke the $7,846
support; $412 million liquidated in 24 hours, 82% longs; Fear & Greed 8/100 (Extreme Fear); daily RSI 27.
"""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.facts import FactSet, build_facts
from generator.snapshot import MarketSnapshot
from tests.factcheck.claim_oracle import Context, evaluate, parse


@pytest.fixture
def facts(example_snapshot: MarketSnapshot) -> FactSet:
    return build_facts(example_snapshot, analyze(example_snapshot))


@pytest.mark.parametrize(("claim", "truth"), [
    ("change_direction(24h, down)", True),
    ("change_direction(24h, up)", False),
    ("majority(24h, long)", True),
    ("majority(24h, short)", False),
    ("squeeze(24h, long)", True),
    ("squeeze(24h, short)", False),
    ("squeezed(24h, short)", False),
    ("broke(support, down)", True),
    ("broke(support, up)", False),
    ("broke(resistance, any)", False),
    ("position(levels.broken, above)", True),
    ("position(levels.broken, below)", False),
    ("fear_greed(extreme_fear)", True),
    ("fear_greed(fear)", False),
    ("rsi_band(daily, oversold)", True),
    ("rsi_band(main, neutral)", False),
    ("rsi_vs(main, below, oversold)", True),
    ("order(levels.fib_0_786, deepest)", True),
    ("order(levels.fib_0_786, shallowest)", False),
    ("fib_move(rally)", True),
    ("figure_is(liquidations.total_24h_usd, liquidations.total_1h_usd)", False),
    ("not change_direction(24h, up) and (majority(24h, long) or majority(24h, short))", True),
])
def test_the_oracle_on_the_example(facts: FactSet, claim: str, truth: bool) -> None:
    assert evaluate(claim, Context(facts)).value is truth, evaluate(claim, Context(facts)).why


def test_captured_figures_are_read_as_the_facts_that_print_them(facts: FactSet) -> None:
    ctx = Context(facts, {"x": facts["levels.broken"].display, "n": facts["technicals.rsi_1d"].display})
    assert evaluate("position(@x, above)", ctx).value is True
    assert evaluate("rsi_band(@n, oversold)", ctx).value is True


def test_borderline_values_are_skipped(facts: FactSet) -> None:
    """A level that prints as the price, a change that prints as 0.00%: neither true nor false."""
    ctx = Context(facts, {"p": facts["price.current"].display})
    assert evaluate("position(@p, above)", ctx).value is None
    flat = FactSet(facts={**facts.facts, "price.change_24h_pct": facts["price.change_24h_pct"].model_copy(
        update={"value": 0.001, "display": "0.00%", "display_abs": "0.00%"})})
    assert evaluate("change_direction(24h, up)", Context(flat)).value is None
    # Three-valued logic: a false part makes the whole false, a borderline one leaves it undecided.
    assert evaluate("change_direction(24h, up) and majority(24h, long)", Context(flat)).value is None
    assert evaluate("majority(24h, short) and change_direction(24h, up)", Context(flat)).value is False


def test_a_bad_expression_is_refused() -> None:
    with pytest.raises(ValueError):
        parse("no_such_predicate(24h)")
    with pytest.raises(ValueError):
        parse("majority(24h, long) and")
