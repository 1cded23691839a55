"""The options paragraph and rows: the template's own wording verifies, and each perturbation of it is flagged."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from generator.snapshot import MarketSnapshot, load_snapshot
from tests.conftest import EXAMPLE
from tests.sources.deribit_book import with_options


def _article(index: float | None) -> tuple[str, FactSet]:
    snapshot: MarketSnapshot = with_options(load_snapshot(EXAMPLE), index)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return draft_article(snapshot, analysis, facts, Settings()).body, facts


@pytest.fixture(scope="module", params=[None, 6000.0], ids=["max-pain-above", "max-pain-below"])
def drafted(request: pytest.FixtureRequest) -> tuple[str, FactSet]:
    return _article(request.param)


def _options_text(body: str) -> str:
    lines = [ln for ln in body.splitlines() if "Deribit" in ln or "max pain" in ln or "put/call" in ln.lower()]
    assert len(lines) >= 5, body
    return "\n\n".join(lines)


def test_the_template_wording_verifies(drafted: tuple[str, FactSet]) -> None:
    body, facts = drafted
    assert "On Deribit, Bitcoin options with" in body and "| Max pain strike |" in body
    report = check_article(body, facts)
    assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]


def _flips(text: str, facts: FactSet) -> list[tuple[str, str]]:
    """(perturbed text, what was changed): every one must be flagged."""
    pain, ratio = facts["options.max_pain"].display, facts["options.put_call_ratio"].display
    expiring, total = facts["options.expiry_notional_usd"].display, facts["options.total_notional_usd"].display
    share = facts["options.expiry_share_pct"].display
    flipped_side = text.replace("trades below max pain", "trades above max pain") if "trades below max pain" in text \
        else text.replace("trades above max pain", "trades below max pain")
    flipped_cell = text.replace("| Above the price,", "| Below the price,") if "| Above the price," in text \
        else text.replace("| Below the price,", "| Above the price,")
    swapped = text.replace(expiring, "\0").replace(total, expiring).replace("\0", total)
    return [
        (flipped_side, "the price's side of max pain"),
        (flipped_cell, "max pain's side of the price in the table"),
        (text.replace(pain, "$" + f"{float(facts['options.max_pain'].value) * 1.1:,.0f}"), "the max pain strike"),
        (swapped, "the notional expiring and the whole book swapped"),
        (text.replace(ratio, f"{float(facts['options.put_call_ratio'].value) + 1:.2f}"), "the put/call ratio"),
        (text.replace("February 16, 2018, 08:00 UTC", "February 23, 2018, 08:00 UTC"), "the expiry date"),
        (text.replace("08:00 UTC", "16:00 UTC"), "the expiry time"),
        (text.replace(share, "64%"), "the share expiring"),
        # LLM-style paraphrases that flip the claim
        (text + "\n\nSpot is holding " + ("above" if "trades below" in text else "below") + " the maximum pain point.",
         "a paraphrase with the side flipped"),
    ]


def test_every_perturbation_is_flagged(drafted: tuple[str, FactSet]) -> None:
    body, facts = drafted
    text = _options_text(body)
    assert check_article(text, facts).passed
    missed = [what for changed, what in _flips(text, facts) if changed != text and check_article(changed, facts).passed]
    assert not missed, missed
    assert all(changed != text for changed, _ in _flips(text, facts))


def test_without_an_options_book_the_claims_are_unsupported() -> None:
    body, _ = _article(None)
    text = _options_text(body)
    plain = load_snapshot(EXAMPLE)
    facts = build_facts(plain, analyze(plain))
    report = check_article(text, facts)
    # Nothing verifies: figures near options words are backed by nothing (one binds to the perpetual's open
    # interest and is a mismatch there), and the side claim is unsupported, not passed.
    assert report.summary.verified == 0 and report.summary.failed >= 11
    claim = next(m for m in report.mentions if "max pain" in m.text and m.kind == "claim")
    assert claim.verdict == "unsupported" and "no options" in (claim.reason or "")
