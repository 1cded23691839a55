"""Funding across venues in the article: the template's own wording verifies, each perturbation of its claim words
and figures is flagged, LLM-style paraphrases are judged right, and nothing is written with fewer than two venues."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from generator.snapshot import load_snapshot
from tests.conftest import EXAMPLE
from tests.sources.funding_venues import MIXED, NEGATIVE, POSITIVE, with_funding_venues

CASES = {"mixed": MIXED, "negative": NEGATIVE, "positive": POSITIVE}


def _article(rates: tuple[tuple[str, float, float | None], ...]) -> tuple[str, FactSet]:
    snapshot = with_funding_venues(load_snapshot(EXAMPLE), rates)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return draft_article(snapshot, analysis, facts, Settings()).body, facts


@pytest.fixture(scope="module", params=list(CASES))
def drafted(request: pytest.FixtureRequest) -> tuple[str, str, FactSet]:
    body, facts = _article(CASES[request.param])
    return request.param, body, facts


def _venue_text(body: str) -> str:
    lines = [ln for ln in body.splitlines() if "venue" in ln or ln.startswith("| Funding")]
    assert len(lines) >= 4, body
    return "\n\n".join(lines)


def _flagged(text: str, facts: FactSet) -> bool:
    return not check_article(text, facts).passed


def test_the_template_wording_verifies(drafted: tuple[str, str, FactSet]) -> None:
    case, body, facts = drafted
    assert "Weighted by open interest, the venues average" in body and "| Funding, weighted average |" in body
    report = check_article(body, facts)
    assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]
    text = _venue_text(body)
    assert check_article(text, facts).passed


def _flips(case: str, text: str, facts: FactSet) -> list[tuple[str, str]]:
    """(perturbed text, what was changed): every one must be flagged."""
    out: list[tuple[str, str]] = []
    for word, other in (("negative on", "positive on"), ("positive on", "negative on")):
        if word in text:
            out.append((text.replace(word, other, 1), f"the sign word {word!r}"))
    if "venues tracked" in text:
        count = facts["funding.venues_count"].display
        out.append((text.replace(f"all {count} venues", f"all {int(count) + 1} venues"), "the count of venues"))
    for name in ("Binance", "Bybit", "OKX"):
        if f"{name} is the outlier" in text:
            other = "Bybit" if name != "Bybit" else "Binance"
            out.append((text.replace(f"{name} is the outlier", f"{other} is the outlier"), "the outlier venue"))
        if f"{name} has the highest funding" in text:
            other = "OKX" if name != "OKX" else "Binance"
            out.append((text.replace(f"{name} has the highest", f"{other} has the highest"), "the highest venue"))
            out.append((text.replace(f"{name} has the highest", f"{name} has the lowest"), "highest turned lowest"))
    for key in ("funding.venue_binance_rate_pct", "funding.venue_bybit_rate_pct", "funding.venue_okx_rate_pct",
                "funding.average_pct"):
        shown = facts[key].display
        value = float(facts[key].value)
        changed = f"{value + 0.005:.4f}%" if value + 0.005 >= 0 else f"{value + 0.005:.4f}%"
        out.append((text.replace(shown, changed), f"the figure {key}"))
    a, b = facts["funding.venue_binance_rate_pct"].display, facts["funding.venue_okx_rate_pct"].display
    out.append((text.replace(a, "\0").replace(b, a).replace("\0", b), "Binance's and OKX's rates swapped"))
    return out


def test_every_flip_of_the_template_text_is_flagged(drafted: tuple[str, str, FactSet]) -> None:
    case, body, facts = drafted
    text = _venue_text(body)
    flips = _flips(case, text, facts)
    assert len(flips) >= 6
    missed = [what for changed, what in flips if changed != text and not _flagged(changed, facts)]
    assert not missed, missed


# LLM-style paraphrases against MIXED (Binance -0.0150%, Bybit 0.0100%, OKX 0.0400%: OKX the outlier and highest).
PARAPHRASES = [
    ("Funding rates are mixed, with OKX standing out as the outlier.", True),
    ("OKX stands out as the outlier among the venues.", True),
    ("Bybit stands out as the outlier among the venues.", False),
    ("Longs are paying shorts on OKX.", True),
    ("Longs are paying shorts on Binance.", False),
    ("Funding turned negative across major venues.", False),
    ("Funding is positive on all three venues.", False),
    ("OKX has the highest funding of the three.", True),
    ("Binance has the highest funding of the three.", False),
    ("Funding is highest on Bitget.", None),  # a venue the data has no funding from: unsupported
]


@pytest.mark.parametrize(("text", "true"), PARAPHRASES)
def test_paraphrases(text: str, true: bool | None) -> None:
    _, facts = _article(MIXED)
    report = check_article(text, facts)
    if true is None:
        assert any(m.verdict == "unsupported" for m in report.mentions), report.mentions
    elif true:
        assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]
    else:
        assert not report.passed, report.mentions


def test_one_venue_writes_nothing_about_venues() -> None:
    body, facts = _article((("Binance", -0.0003, 500e6),))
    assert "venue" not in body and "Funding rate, Binance" not in body and "weighted average" not in body
    assert not any(f.key.startswith("funding.venue") for f in facts)
    plain = load_snapshot(EXAMPLE)
    body = draft_article(plain, analyze(plain), build_facts(plain, analyze(plain)), Settings()).body
    assert "venues" not in body and "weighted average" not in body


def test_without_every_venue_open_interest_no_average_is_written() -> None:
    body, facts = _article((("Binance", -0.00015, 500e6), ("Bybit", 0.0001, None), ("OKX", 0.0004, 200e6)))
    assert "funding.average_pct" not in facts and "weighted average" not in body and "outlier" not in body
    assert "OKX has the highest funding of them." in body
    assert check_article(body, facts).passed
    # The outlier cannot be said without an average to measure it against.
    report = check_article("OKX is the outlier.", facts)
    assert [m.verdict for m in report.mentions] == ["unsupported"]


def test_claims_without_venue_funding_are_unsupported() -> None:
    plain = load_snapshot(EXAMPLE)
    facts = build_facts(plain, analyze(plain))
    for text in ("OKX is the outlier.", "Funding is positive on all three venues.", "Funding is highest on Bybit."):
        report = check_article(text, facts)
        assert report.mentions and all(m.verdict == "unsupported" for m in report.mentions), (text, report.mentions)
