"""The claim oracle's predicates and the harness's data files (fast; the acceptance run is
heldout/test_heldout.py)."""

from __future__ import annotations

import re

import pytest

from generator.facts import Fact, FactSet
from tests.factcheck.heldout.harness import MARKETS, load_cases, load_shapes, run_market
from tests.factcheck.heldout.oracle import Oracle, parse_amount


def facts(**values: tuple[object, str] | tuple[object, str, str]) -> FactSet:
    """FactSet from key=(value, display[, context]); keys use '__' for '.'."""
    out = {}
    for name, spec in values.items():
        key = name.replace("__", ".")
        value, display, *context = spec
        unit = "usd" if display.startswith("$") else "percent" if display.endswith("%") else \
            "date" if key.endswith("date") else "text" if isinstance(value, str) else "index"
        out[key] = Fact(key=key, value=value, unit=unit, label=key, display=display, display_abs=display.lstrip("-"),
                        context=context[0] if context else None)
    return FactSet(facts=out)


BASE = dict(
    price__current=(100.0, "$100.00"), price__change_24h_pct=(-2.5, "-2.50%"), price__change_1h_pct=(0.001, "0.00%"),
    price__last_close=(99.0, "$99.00"),
    liquidations__long_24h_usd=(60.0, "$60.00"), liquidations__short_24h_usd=(40.0, "$40.00"),
    liquidations__long_1h_usd=(5.0, "$5.00"), liquidations__short_1h_usd=(5.0, "$5.00"),
    liquidations__total_24h_usd=(100.0, "$100.00"), liquidations__long_share_24h_pct=(60.0, "60%"),
    funding__rate_pct=(0.00001, "0.0000%"),
    levels__support=(90.0, "$90.00"), levels__resistance=(110.0, "$110.00"),
    levels__broken=(101.0, "$101.00", "support"),
    levels__fvg_low=(104.0, "$104.00"), levels__fvg_high=(106.0, "$106.00"), levels__fvg_direction=("bearish", "bearish"),
    levels__fib_0_236=(102.0, "$102.00"), levels__fib_0_786=(108.0, "$108.00"),
    levels__fib_move_low_date=("2024-01-02T00:00:00+00:00", "January 2, 2024"),
    levels__fib_move_high_date=("2024-01-01T00:00:00+00:00", "January 1, 2024"),
    technicals__rsi_1d=(29.6, "30"), technicals__rsi_1h=(25.0, "25"), analysis__timeframe=(24.0, "1 day"),
    sentiment__fear_greed=(25.0, "25/100", "Fear"),
)


@pytest.fixture
def oracle() -> Oracle:
    return Oracle(facts(**BASE))


def test_parse_amount() -> None:
    assert parse_amount("$7.18 million") == (7_180_000, pytest.approx(5_000))
    assert parse_amount("$60,704") == (60_704, 0.5)
    assert parse_amount("-0.2380%") == (pytest.approx(-0.238), pytest.approx(0.00005))
    assert parse_amount("27%") == (27, 0.5)


def test_direction_side_and_sign(oracle: Oracle) -> None:
    assert oracle.evaluate("change_direction(24h, down)") is True
    assert oracle.evaluate("change_direction(24h, up)") is False
    assert oracle.evaluate("change_direction(1h, up)") is None  # prints as 0.00%
    assert oracle.evaluate("majority(24h, long)") is True
    assert oracle.evaluate("majority(1h, long)") is None  # 50/50
    assert oracle.evaluate("squeeze(long)") is True and oracle.evaluate("squeeze(short)") is False
    assert oracle.evaluate("sign(funding.rate_pct, +)") is None  # prints as 0.0000%


def test_positions_ranges_and_gaps(oracle: Oracle) -> None:
    assert oracle.evaluate("position(levels.support, below)") is True
    assert oracle.evaluate("position($110.00, above)") is True
    assert oracle.evaluate("position($100.00, above)") is None  # prints as the price
    assert oracle.evaluate("range_position(levels.support, levels.resistance, around)") is True
    assert oracle.evaluate("range_position(levels.support, levels.resistance, below)") is False
    assert oracle.evaluate("gap_position(above)") is True
    assert oracle.evaluate("gap_type(bullish)") is False
    assert oracle.evaluate("fibs(above)") is True
    assert oracle.evaluate("nearest(levels.resistance, above)") is False  # the broken support at $101 is nearer
    assert oracle.evaluate("nearest($101.00, above)") is True
    assert oracle.evaluate("nearest(levels.support, below)") is True


def test_order_move_break_bands_amounts(oracle: Oracle) -> None:
    assert oracle.evaluate("order(0.236, shallowest)") is True
    assert oracle.evaluate("order(0.236, deepest)") is False
    assert oracle.evaluate("order($108.00, deepest)") is True
    assert oracle.evaluate("fib_move(down)") is True
    assert oracle.evaluate("broke(support, below)") is True
    assert oracle.evaluate("broke(support, above)") is False
    assert oracle.evaluate("broke(resistance, any)") is False
    assert oracle.evaluate("band(rsi:daily, oversold)") is None  # prints as 30
    assert oracle.evaluate("band(rsi:hourly, oversold)") is True
    assert oracle.evaluate("band(rsi:hourly, neutral)") is False
    assert oracle.evaluate("fg_band(fear)") is None  # provider says Fear, the published band Extreme Fear
    assert oracle.evaluate("amount_is(liquidations.total_24h_usd, $100)") is True
    assert oracle.evaluate("amount_is(liquidations.long_share_24h_pct, 40%)") is False
    assert oracle.evaluate("amount_is(liquidations.total_1h_usd, $100)") is False  # no such figure


def test_kleene_and(oracle: Oracle) -> None:
    assert oracle.evaluate("change_direction(24h, down) and majority(24h, long)") is True
    assert oracle.evaluate("change_direction(1h, up) and majority(24h, short)") is False  # None and False
    assert oracle.evaluate("change_direction(1h, up) and majority(24h, long)") is None
    with pytest.raises(ValueError):
        oracle.evaluate("no_such_predicate(x)")


def test_the_data_files_compile_and_name_known_predicates() -> None:
    cases, shapes = load_cases(), load_shapes()
    assert len(cases) >= 50 and len(shapes) >= 30
    known = set(Oracle(facts(**BASE)).predicates)
    texts = [s.truth for c in cases for s in c.senses] + [f.truth for c in cases for f in c.rewrites] + \
        [c.clean for c in cases if c.clean] + [s.truth for s in shapes]
    for text in texts:
        assert set(re.findall(r"(\w+)\(", text)) <= known, text
    assert len({c.id for c in cases}) == len(cases) and len({s.id for s in shapes}) == len(shapes)
    for c in cases:
        assert c.rewrites or len(c.senses) >= 2, c.id


@pytest.mark.parametrize("spec", [MARKETS[i] for i in (0, 11, 200, 330, 400, 560)], ids=lambda s: s.label)
def test_one_market_runs(spec) -> None:  # noqa: ANN001
    result = run_market(spec)
    assert result.outcomes
    assert {o.source for o in result.outcomes} >= {"template", "paraphrase"}
