"""The peers' paragraph and rows, and dominance's change: the template's wording verifies on days down and up and
for an Ether article, every flipped claim word and figure of it is flagged, LLM-style paraphrases are judged, and
without peers the paragraph is left out and its words are unsupported."""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from generator.snapshot import MarketSnapshot, load_snapshot
from tests.conftest import EXAMPLE
from tests.factcheck.peer_market import MOVES, with_peers

UP_DAY = (("ETH", 848.1, 18.40), ("SOL", 1.1, 3.20), ("XRP", 0.67, -1.10))  # Bitcoin's own -14.72% lags


def _drafted(snap: MarketSnapshot) -> tuple[str, FactSet]:
    analysis = analyze(snap)
    facts = build_facts(snap, analysis)
    return draft_article(snap, analysis, facts, Settings()).body, facts


def _peers_text(body: str) -> str:
    lines = [ln for ln in body.splitlines() if ln.startswith(("Across the", "| Ether", "| Solana", "| XRP", "| Bitcoin,"))]
    assert len(lines) >= 4, body
    return "\n\n".join(lines)


def _ether(snap: MarketSnapshot) -> MarketSnapshot:
    """The example as an Ether article: its peers Bitcoin (at the example's -14.72%), Solana and XRP."""
    return with_peers(snap.model_copy(update={"asset": "ETH", "asset_name": "Ether"}),
                      (("BTC", 6960.0, -14.72), ("SOL", 1.1, -9.50), ("XRP", 0.67, 2.10)))


@pytest.mark.parametrize(("moves", "said"), [
    (MOVES, ["Ether fell 21.30%, Solana fell 9.50% and XRP rose 2.10%",
             "Ether led the day's decline among the assets compared, while XRP held up best",
             "Bitcoin fell harder than the altcoins", "Bitcoin dominance fell 1.35 percentage points to 40.1%"]),
    (UP_DAY, ["Ether rose 18.40%, Solana rose 3.20% and XRP fell 1.10%",
              "Ether led the day's gains among the assets compared, while Bitcoin lagged",
              "The altcoins outperformed Bitcoin"]),
])
def test_the_template_wording_verifies(moves: tuple, said: list[str]) -> None:
    body, facts = _drafted(with_peers(load_snapshot(EXAMPLE), moves))
    for words in said:
        assert words in body, body
    assert "| Ether, 24h change |" in body
    report = check_article(body, facts)
    assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]
    claims = [m for m in report.mentions if m.kind == "claim" and m.verdict == "verified"]
    assert any("led the" in m.text for m in claims) and any(("harder" in m.text or "outperformed" in m.text)
                                                            for m in claims)


def test_an_ether_article_compares_with_bitcoin() -> None:
    body, facts = _drafted(_ether(load_snapshot(EXAMPLE)))
    assert "Bitcoin fell 14.72%, Solana fell 9.50% and XRP rose 2.10%" in body
    assert "Bitcoin dominance fell" in body  # Bitcoin's change is the BTC peer's
    report = check_article(body, facts)
    assert report.passed, [(m.text, m.verdict, m.reason) for m in report.failures]


@pytest.mark.parametrize(("old", "new"), [
    ("Ether led the day's decline", "Solana led the day's decline"),       # the wrong leader
    ("Ether led the day's decline", "XRP led the day's decline"),
    ("while XRP held up best", "while Solana held up best"),
    ("while XRP held up best", "while XRP lagged"),
    ("Bitcoin fell harder than the altcoins", "The altcoins fell harder than Bitcoin"),
    ("Bitcoin fell harder than the altcoins", "Bitcoin fell less than the altcoins"),
    ("Bitcoin fell harder than the altcoins", "Bitcoin outperformed the altcoins"),
    ("Ether fell 21.30%", "Ether rose 21.30%"),                  # a peer's way and figure
    ("Ether fell 21.30%", "Ether fell 9.50%"),
    ("and XRP rose 2.10%", "and XRP fell 2.10%"),
    ("| -21.30% |", "| 21.30% |"),
    ("| -9.50% |", "| -21.30% |"),
    ("dominance fell 1.35 percentage points", "dominance rose 1.35 percentage points"),
    ("dominance fell 1.35 percentage points", "dominance fell 2.35 percentage points"),
])
def test_every_perturbation_is_flagged(old: str, new: str) -> None:
    body, facts = _drafted(with_peers(load_snapshot(EXAMPLE)))
    text = _peers_text(body)
    assert old in text and check_article(text, facts).passed, text
    assert not check_article(text.replace(old, new), facts).passed, text.replace(old, new)


@pytest.mark.parametrize(("text", "passes"), [
    ("Ether spearheaded the sell-off, shedding 21.30% in 24 hours.", True),
    ("Ether led losses among the majors.", True),
    ("XRP fared best, the only major in the green at 2.10%.", True),
    ("Bitcoin dropped more sharply than the altcoins.", True),
    ("Bitcoin's dominance slipped on the day.", True),
    ("Solana spearheaded the sell-off.", False),
    ("XRP was the laggard.", False),
    ("The altcoins dropped more sharply than Bitcoin.", False),
    ("Bitcoin outpaced the altcoins.", False),
    ("Bitcoin dominance ticked up.", False),
])
def test_llm_style_paraphrases(text: str, passes: bool) -> None:
    _, facts = _drafted(with_peers(load_snapshot(EXAMPLE)))
    report = check_article(text, facts)
    assert report.passed == passes, [(m.text, m.verdict, m.reason) for m in report.mentions]
    if passes:
        assert any(m.kind == "claim" and m.verdict == "verified" for m in report.mentions), report.mentions


def test_without_peers_the_paragraph_is_left_out_and_its_claims_are_unsupported() -> None:
    body, _ = _drafted(with_peers(load_snapshot(EXAMPLE)))
    plain = load_snapshot(EXAMPLE)
    plain_body, facts = _drafted(plain)
    assert "Across the market" not in plain_body and "24h change | " not in plain_body.replace("| 24h change |", "")
    assert "percentage points" not in plain_body  # no earlier dominance without the market and Bitcoin's change
    report = check_article(_peers_text(body), facts)
    claims = [m for m in report.mentions if m.kind == "claim" and ("led" in m.text or "harder" in m.text
                                                                    or "held up" in m.text)]
    assert len(claims) == 3 and all(m.verdict == "unsupported" for m in claims), [(m.text, m.verdict) for m in claims]
    figures = [m for m in report.mentions if m.kind == "percent"]
    assert figures and all(m.verdict == "unsupported" for m in figures), [(m.text, m.verdict) for m in figures]


def test_a_flat_dominance_is_not_printed() -> None:
    # The market's change equal to Bitcoin's: dominance did not move, so the paragraph says where it stands only.
    snap = with_peers(load_snapshot(EXAMPLE))
    assert snap.market is not None
    snap = snap.model_copy(update={"market": snap.market.model_copy(update={"market_cap_change_24h_pct": -14.72})})
    body, facts = _drafted(snap)
    assert "Bitcoin dominance stands at 40.1%" in body and "percentage points" not in body
    assert check_article(body, facts).passed
