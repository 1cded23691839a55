"""Every fact carries its meaning, declared once in generator/fact_catalogue.py."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.fact_catalogue import FAMILIES, UnknownFact, meaning_of
from generator.facts import FactSet, _Builder, build_facts
from generator.snapshot import AlertBaseline
from tests.random_markets import market


def _all_facts() -> list:
    out = []
    for seed in range(60):
        for tf, intraday in (("1d", False), ("4h", True), ("1w", False)):
            snapshot = market(seed, tf, intraday)
            out += list(build_facts(snapshot, analyze(snapshot)))
    return out


def test_a_fact_cannot_be_added_without_its_meaning() -> None:
    with pytest.raises(UnknownFact, match="fact_catalogue.py"):
        _Builder().add("liquidations.total_7d_usd", 1.0, "usd", "7-day liquidations", None)


def test_every_fact_is_stamped_with_its_family_and_every_family_is_used(example_snapshot) -> None:  # noqa: ANN001
    # The alert watcher's baseline from stored polls: only a snapshot it fired on carries it.
    polled = example_snapshot.model_copy(update={"alert_baseline": AlertBaseline(
        source="polls", hourly_usd=9.2e6, hours=48.0, polls=96, largest_days=2.0)})
    facts = _all_facts() + list(build_facts(polled, analyze(polled)))
    assert all(f.meaning is not None and f.meaning == meaning_of(f.key) for f in facts)
    used = {f.meaning.family for f in facts}
    assert used == {family.key for family in FAMILIES}, {family.key for family in FAMILIES} - used


def test_meanings_survive_the_desk_store_json_round_trip(example_snapshot) -> None:  # noqa: ANN001
    facts = build_facts(example_snapshot, analyze(example_snapshot))
    text = facts.model_dump_json()
    assert '"meaning"' not in text  # stored facts take today's meaning when read back
    again = FactSet.model_validate_json(text)
    assert again == facts and again["levels.broken"].meaning == facts["levels.broken"].meaning


def test_what_a_meaning_says_for_a_few_families() -> None:
    long_1h = meaning_of("liquidations.long_1h_usd")
    assert long_1h.tags == {"metric": ("liquidations",), "side": ("long",), "window": ("1h",)}
    assert meaning_of("price.change_24h_pct").sign == "words" and meaning_of("price.change_24h_pct").table_sign
    assert meaning_of("funding.rate_pct").sign == "written"
    assert meaning_of("levels.support").position and not meaning_of("levels.support").price
    assert meaning_of("price.low_24h").position and meaning_of("price.low_24h").price
    assert meaning_of("levels.fvg_high").date == "levels.fvg_date"
    assert meaning_of("levels.fib_0_618").names == ("the 0.618 Fibonacci retracement",)
    assert meaning_of("levels.fib_0_618").tags["ratio"] == ("0.618",)
