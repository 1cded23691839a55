"""Cost control: tokens and cost recorded, caps that stop calls, and reruns answered from the cache."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path

from generator.pipeline import generate
from generator.snapshot import MarketSnapshot
from tests.chat_server import ChatServer, completion
from tests.drafting.conftest import Article, llm_settings
from tests.drafting.llm_replies import BAD, GOOD, as_content

PROSE = ["headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook"]


def test_tokens_and_cost_are_recorded(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    prices = {"test-model": {"prompt": 0.15, "completion": 0.60}}
    with ChatServer([completion(as_content(GOOD), usage=(2400, 1300))]) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_prices=prices)))
    llm = article.meta["llm"]
    assert (llm["chat_calls"], llm["prompt_tokens"], llm["completion_tokens"]) == (1, 2400, 1300)
    assert llm["cost_usd"] == round((2400 * 0.15 + 1300 * 0.60) / 1e6, 6)
    calls = article.factcheck["llm"]["usage"]["calls"]
    assert [(c["purpose"], c["prompt_tokens"], c["completion_tokens"], c["cached"]) for c in calls] == [
        ("sections", 2400, 1300, False)]


def test_no_price_configured_means_no_cost(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path)))
    assert article.meta["llm"]["cost_usd"] is None


def test_a_rerun_is_answered_from_the_cache(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(BAD)), completion(as_content(GOOD, ["lead", "price_action",
                                                                                 "why_it_matters"]))]) as server:
        first = Article(generate(example_snapshot, llm_settings(server.url, tmp_path)))
        assert len(server.requests) == 2
        second = Article(generate(example_snapshot, llm_settings(server.url, tmp_path)))
        assert len(server.requests) == 2  # nothing new was sent
    assert second.body == first.body and second.origins == first.origins
    llm = second.meta["llm"]
    assert (llm["chat_calls"], llm["cached_calls"], llm["prompt_tokens"], llm["cost_usd"]) == (0, 2, 0, None)


def test_cache_ignores_key_and_url_but_not_the_model(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as one:
        generate(example_snapshot, llm_settings(one.url, tmp_path))
    with ChatServer([completion(as_content(GOOD))]) as other:
        generate(example_snapshot, llm_settings(other.url, tmp_path, llm_api_key="another-test-key"))
        assert other.requests == []
        generate(example_snapshot, llm_settings(other.url, tmp_path, llm_model="another-model"))
        assert len(other.requests) == 1


def test_cache_can_be_switched_off(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as server:
        for _ in range(2):
            generate(example_snapshot, llm_settings(server.url, tmp_path, llm_cache=False))
        assert len(server.requests) == 2
    assert not (tmp_path / "llm-cache").exists() or not list((tmp_path / "llm-cache").glob("*/*.json"))


def test_a_damaged_cache_entry_is_a_miss(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as server:
        generate(example_snapshot, llm_settings(server.url, tmp_path))
        for entry in (tmp_path / "llm-cache").glob("*/*.json"):
            entry.write_text("{not json")
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path)))
        assert len(server.requests) == 2
    assert article.origins["lead"] == "llm"


def test_article_cap_stops_the_first_call(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_article_token_cap=500)))
        assert server.requests == []
    assert {article.origins[n] for n in PROSE} == {"fallback"}
    assert "the article token cap (500) would be exceeded" in article.reasons("lead")[0]


def test_article_cap_stops_the_repair_call(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(BAD), usage=(3000, 2000))]) as server:
        settings = llm_settings(server.url, tmp_path, llm_article_token_cap=6000, llm_max_tokens=1000)
        article = Article(generate(example_snapshot, settings))
        assert len(server.requests) == 1
    assert article.origins["headline"] == "llm" and article.origins["lead"] == "fallback"
    assert any("article token cap (6000)" in r for r in article.reasons("lead"))


def test_daily_cap_is_shared_across_articles(tmp_path: Path, example_snapshot: MarketSnapshot, caplog) -> None:
    caplog.set_level(logging.WARNING)
    ledger = tmp_path / "llm-cache" / "usage.json"
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    with ChatServer([completion(as_content(GOOD), usage=(2000, 1000))]) as server:
        generate(example_snapshot, llm_settings(server.url, tmp_path, llm_daily_token_cap=100_000))
        assert json.loads(ledger.read_text()) == {today: 3000}
        ledger.write_text(json.dumps({today: 99_000}))
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_cache=False,
                                                                  llm_daily_token_cap=100_000)))
        assert len(server.requests) == 1
    assert "the daily token cap (100000) would be exceeded: 99000 spent today" in article.reasons("outlook")[0]
    assert "daily token cap" in caplog.text


def test_the_api_key_is_never_written_or_logged(tmp_path: Path, example_snapshot: MarketSnapshot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    key = "test-key-never-written"
    with ChatServer([completion("not json"), completion(as_content(GOOD))]) as server:
        result = generate(example_snapshot, llm_settings(server.url, tmp_path, llm_api_key=key))
    assert key not in caplog.text
    for path in [*result.path.rglob("*"), *(tmp_path / "llm-cache").rglob("*")]:
        if path.is_file():
            assert key not in path.read_text(errors="replace"), path
    assert key not in result.model_dump_json()
