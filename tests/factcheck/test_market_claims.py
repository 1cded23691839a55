"""The whole-market paragraph and rows (CoinGecko /global): the template's wording verifies, perturbations are flagged."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from generator.snapshot import GlobalMarket, MarketSnapshot, Provenance, load_snapshot
from tests.conftest import EXAMPLE


def _with_market(change: float | None) -> MarketSnapshot:
    snap = load_snapshot(EXAMPLE)
    source = Provenance(provider="illustrative", fetched_at=snap.as_of, as_of=snap.as_of, note="illustrative")
    market = GlobalMarket(total_market_cap_usd=2.931e11, market_cap_change_24h_pct=change, btc_dominance_pct=40.12,
                          source=source)
    return snap.model_copy(update={"market": market})


def _drafted(change: float | None) -> tuple[str, FactSet]:
    snapshot = _with_market(change)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return draft_article(snapshot, analysis, facts, Settings()).body, facts


def _market_text(body: str) -> str:
    lines = [ln for ln in body.splitlines() if ("CoinGecko" in ln or "market cap" in ln) and "illustrative" not in ln]
    assert len(lines) >= 3, body
    return "\n\n".join(lines)


@pytest.mark.parametrize("change", [-11.84, 3.21, 0.004, None])
def test_the_template_wording_verifies(change: float | None) -> None:
    body, facts = _drafted(change)
    assert "Across the crypto market, total capitalisation stands at $293 billion" in body
    assert ("fell 11.84%" in body) == (change == -11.84) and ("rose 3.21%" in body) == (change == 3.21)
    assert "| Bitcoin dominance | 40.1% |" in body
    report = check_article(body, facts)
    assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]


@pytest.mark.parametrize(("old", "new"), [
    ("fell 11.84%", "rose 11.84%"),          # the direction flipped
    ("Down 11.84% in 24h", "Up 11.84% in 24h"),
    ("fell 11.84%", "fell 14.72%"),          # Bitcoin's own change given as the market's
    ("$293 billion", "$2.93 trillion"),      # the scale
    ("percentage points to 40.1%", "percentage points to 45.1%"),
    ("dominance fell 1.35", "dominance rose 1.35"),  # dominance's derived change (peer_facts.py): its way
    ("fell 1.35 percentage", "fell 2.35 percentage"),
    ("| 40.1% |", "| 46% |"),
])
def test_every_perturbation_is_flagged(old: str, new: str) -> None:
    body, facts = _drafted(-11.84)
    text = _market_text(body)
    assert old in text and check_article(text, facts).passed
    assert not check_article(text.replace(old, new), facts).passed


def test_without_market_data_the_paragraph_is_left_out_and_its_words_are_unsupported() -> None:
    body, _ = _drafted(-11.84)
    plain = load_snapshot(EXAMPLE)
    analysis = analyze(plain)
    facts = build_facts(plain, analysis)
    assert "CoinGecko" not in draft_article(plain, analysis, facts, Settings()).body.split("## Sources")[0]
    report = check_article(_market_text(body), facts)
    figures = [m for m in report.mentions if m.kind in ("money", "percent")]
    # (with dominance's derived change: "fell 1.35 percentage points to 40.1%")
    assert len(figures) == 7 and all(m.verdict == "unsupported" for m in figures), [(m.text, m.verdict) for m in figures]
