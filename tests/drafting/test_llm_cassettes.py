"""Recorded chat-completion exchanges, replayed: success, repair and fallback in each structured-output mode.

The cassettes (tests/cassettes/llm/, see its NOTICE) are matched on the request
body, so a replay proves the stage sends exactly the recorded prompt; any
request not in the cassette fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.pipeline import generate, run_analysis
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.drafting.conftest import Article
from tests.drafting.llm_cassettes import CASSETTES, MODES, cassette, from_local_model, model_for, settings_for

PROSE = ["headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook"]
NOWHERE = "http://127.0.0.1:9/v1"  # vcrpy answers; nothing listens there


@pytest.fixture
def facts(example_snapshot: MarketSnapshot) -> FactSet:
    return build_facts(example_snapshot, run_analysis(example_snapshot, Settings()))


def replay(name: str, mode: str, outcome: str, tmp_path: Path, snapshot: MarketSnapshot) -> tuple[Article, int]:
    settings = settings_for(mode, NOWHERE, model_for(mode, outcome), tmp_path / "cache")
    with cassette(name) as cass:
        article = Article(generate(snapshot, settings, out=tmp_path / "out"))
        assert cass.all_played
        return article, cass.play_count


@pytest.mark.parametrize("mode", MODES)
def test_success(mode: str, tmp_path: Path, example_snapshot: MarketSnapshot, facts: FactSet) -> None:
    article, calls = replay(f"{mode}-success", mode, "success", tmp_path, example_snapshot)
    assert calls == 1
    assert {article.origins[n] for n in PROSE} == {"llm"}
    assert "slumps" in article.meta["title"] and "a language model drafted some of the prose" in article.body
    assert check_article(article.body, facts).passed


@pytest.mark.parametrize("mode", MODES)
def test_repair(mode: str, tmp_path: Path, example_snapshot: MarketSnapshot, facts: FactSet) -> None:
    article, calls = replay(f"{mode}-repair", mode, "repair", tmp_path, example_snapshot)
    assert calls == 2
    assert (article.origins["lead"], article.origins["price_action"]) == ("repaired", "repaired")
    assert any("writes the number '15%' itself" in r for r in article.reasons("lead"))
    assert any(r.startswith("fact-check") for r in article.reasons("price_action")), article.reasons("price_action")
    assert article.origins["why_it_matters"] == "fallback"
    why = " | ".join(article.reasons("why_it_matters"))
    assert "quotation" in why and "repair: claims history" in why
    assert {article.origins[n] for n in ("headline", "market_structure", "scenarios", "outlook")} == {"llm"}
    assert check_article(article.body, facts).passed


@pytest.mark.parametrize("mode", MODES)
def test_fallback(mode: str, tmp_path: Path, example_snapshot: MarketSnapshot, facts: FactSet) -> None:
    article, calls = replay(f"{mode}-fallback", mode, "fallback", tmp_path, example_snapshot)
    assert calls == 2
    fell_back = [n for n in PROSE if article.origins[n] == "fallback"]
    if from_local_model(mode, "fallback"):
        assert len(fell_back) >= 4  # a 135M-parameter model gets most sections wrong
    else:
        assert fell_back == ["lead", "price_action", "why_it_matters"]
    record = article.factcheck["sections"]
    for name in fell_back:
        assert record[name]["reasons"] and record[name]["reasons"] == article.reasons(name)
    assert check_article(article.body, facts).passed


def test_cassettes_hold_no_secrets() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert len(files) == 9
    for path in files:
        text = path.read_text().lower()
        assert "authorization" not in text and "bearer" not in text and "test-key" not in text, path.name
