"""Claims about a fair value gap when the data has none: unsupported, not passed as no claim at all."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from tests.conftest import make_snapshot

WITHOUT_A_GAP = "the data has no unfilled fair value gap"


def _without_gap(facts: FactSet) -> FactSet:
    return FactSet(facts={k: f for k, f in facts.facts.items() if not k.startswith("levels.fvg")})


@pytest.mark.parametrize("sentence", [
    "Bitcoin trades above the fair value gap.",
    "The price remains below the unfilled gap.",
    "The price is inside the fair value gap.",
    "A bullish fair value gap remains open.",
    "Bitcoin left a bearish FVG behind.",
])
def test_a_gap_claim_without_a_gap_is_unsupported(sentence: str) -> None:
    snapshot = make_snapshot("2018-02-06")
    facts = _without_gap(build_facts(snapshot, analyze(snapshot)))
    claims = [m for m in check_article(sentence, facts).mentions if m.kind == "claim"]
    assert claims and all(m.verdict == "unsupported" and m.reason == WITHOUT_A_GAP for m in claims), claims


def test_the_templates_gap_sentences_against_data_without_the_gap_fail() -> None:
    """The article's own gap sentences verify with the gap and none of their claims passes without it."""
    day = next(d for d in ("2018-02-06", "2017-12-17", "2018-01-16", "2017-09-14", "2017-11-12")
               if "levels.fvg_low" in build_facts(s := make_snapshot(d), analyze(s)))
    snapshot = make_snapshot(day)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    body = draft_article(snapshot, analysis, facts, Settings()).body
    gap = "\n\n".join(p for p in body.split("\n\n") if "gap" in p.lower() and "|" not in p)
    assert gap and check_article(gap, facts).passed
    claims = [m for m in check_article(gap, _without_gap(facts)).mentions if m.kind == "claim"]
    assert claims and not [m for m in claims if m.verdict == "verified"], claims
