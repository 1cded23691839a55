"""One precision rule per kind of amount: an article never prints "$619,603" beside "$2.89 million".

The rule is built into the facts (facts.py, even_amounts); the fact-check's precision rule still proves the
forms it makes ("$0.62 million" verifies 619,603 at the precision written) and flags a wrong one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts, format_amount
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.random_markets import market

EXAMPLE = Path(__file__).parents[1] / "examples" / "btc-2018-02-06.json"


def _example(**liquidations: float) -> tuple[MarketSnapshot, FactSet, str]:
    data = json.loads(EXAMPLE.read_text())
    data["liquidations"].update(liquidations)
    snapshot = MarketSnapshot.model_validate(data)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return snapshot, facts, draft_article(snapshot, analysis, facts, Settings()).body


# The article: $2.89 million in 24 hours, $619,603 of it in the latest hour.
MIXED = {"total_24h_usd": 2_890_000.0, "long_24h_usd": 2_400_000.0, "short_24h_usd": 490_000.0,
         "total_1h_usd": 619_603.0, "long_1h_usd": 519_603.0, "short_1h_usd": 100_000.0}


@pytest.mark.parametrize(("value", "scaled", "whole", "text"), [
    (619_603, True, True, "$0.62 million"),
    (61_960, True, True, "$0.062 million"),
    (3_000, True, True, "$0.003 million"),
    (999_400, True, True, "$1.00 million"),
    (2.89e6, True, True, "$2.89 million"),
    (0.0, True, True, "$0"),
    (142.35, False, True, "$142"),
    (142.35, False, False, "$142.35"),
    (619_603, False, True, "$619,603"),
])
def test_format_amount(value: float, scaled: bool, whole: bool, text: str) -> None:
    assert format_amount(value, scaled, whole) == text


def test_liquidation_amounts_share_the_scale_of_the_largest() -> None:
    _, facts, body = _example(**MIXED)
    assert facts["liquidations.total_24h_usd"].display == "$2.89 million"
    assert facts["liquidations.total_1h_usd"].display == "$0.62 million"
    assert facts["liquidations.short_24h_usd"].display == "$0.49 million"
    assert facts["liquidations.short_1h_usd"].display == "$0.10 million"
    assert "$0.62 million" in body and "$619,603" not in body
    report = check_article(body, facts)
    assert report.passed, report.to_text()


def test_amounts_below_a_million_keep_whole_dollars_together() -> None:
    _, facts, _ = _example(total_24h_usd=6_210.0, long_24h_usd=6_067.65, short_24h_usd=142.35,
                           total_1h_usd=900.0, long_1h_usd=800.0, short_1h_usd=100.0)
    assert facts["liquidations.short_24h_usd"].display == "$142"
    assert facts["liquidations.total_1h_usd"].display == "$900"
    assert facts["open_interest.usd"].display == "$1.12 billion"  # another kind: its own rule


@pytest.mark.parametrize(("written", "verdict"), [
    ("$0.62 million", "verified"),
    ("$0.6 million", "verified"),  # the fact rounds to it at the precision written
    ("$619,603", "verified"),
    ("$0.72 million", "mismatch"),
    ("$0.52 million", "mismatch"),
    ("$6.2 million", "mismatch"),
    ("$0.62 billion", "mismatch"),
    ("$0.062 million", "mismatch"),
])
def test_the_fact_check_proves_the_scaled_forms_and_flags_a_wrong_one(written: str, verdict: str) -> None:
    _, facts, body = _example(**MIXED)
    assert "$0.62 million of that in the latest hour" in body
    text = body.replace("$0.62 million of that in the latest hour", f"{written} of that in the latest hour", 1)
    found = [m for m in check_article(text, facts).mentions if m.text == written]
    assert found and found[0].verdict == verdict, [(m.text, m.verdict, m.reason) for m in found]


def test_no_article_mixes_scaled_and_unscaled_amounts_of_a_kind() -> None:
    """Over random markets: within one article, amounts of one kind are all scaled or none are."""
    mixed = []
    for seed in range(0, 200):
        for intraday in (False, True):
            snapshot = market(seed, intraday=intraday)
            analysis = analyze(snapshot)
            facts = build_facts(snapshot, analysis)
            kinds: dict[str, set[bool]] = {}
            for f in facts:
                if f.meaning.amount and float(f.value) > 0:
                    kinds.setdefault(f.meaning.amount, set()).add(bool(re.search(r"illion$", f.display)))
            mixed += [f"seed {seed}: {kind}" for kind, forms in kinds.items() if len(forms) > 1]
    assert not mixed, mixed[:10]
