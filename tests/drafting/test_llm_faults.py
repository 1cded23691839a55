"""Every way a model server can fail ends in a retry or the template's text, never a crash or an unproven number.

Each test starts a chat-completions server on 127.0.0.1 (tests/chat_server.py)
and runs ``generate`` against it as a user would.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from generator.drafting.llm.client import ChatRequest, LLMClient
from generator.drafting.llm.config import resolve_llm
from generator.drafting.llm.costs import CHARS_PER_TOKEN
from generator.errors import LLMUnavailable
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from generator.pipeline import generate, run_analysis
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.chat_server import Behaviour, ChatServer, completion, error, free_port
from tests.drafting.conftest import Article, llm_settings
from tests.drafting.llm_replies import GOOD, as_content

PROSE = ["headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook"]


@pytest.fixture
def facts(example_snapshot: MarketSnapshot) -> FactSet:
    return build_facts(example_snapshot, run_analysis(example_snapshot, Settings()))


@pytest.fixture
def template_body(example_snapshot: MarketSnapshot, tmp_path: Path) -> str:
    return Article(generate(example_snapshot, Settings(llm="off"), out=tmp_path / "template")).body


def good() -> Behaviour:
    return completion(as_content(GOOD))


def run(server_url: str, tmp_path: Path, example_snapshot: MarketSnapshot, **settings: object) -> Article:
    return Article(generate(example_snapshot, llm_settings(server_url, tmp_path, **settings)))


def assert_all_from_model(article: Article, facts: FactSet, origin: str = "llm") -> None:
    assert {article.origins[n] for n in PROSE} == {origin}, article.origins
    assert "a language model drafted some of the prose" in article.body
    assert check_article(article.body, facts).passed


def assert_template_fallback(article: Article, template_body: str, words: str) -> None:
    """All prose fell back, each with a reason naming the fault, and the article is the template article."""
    assert {article.origins[n] for n in PROSE} == {"fallback"}, article.origins
    for name in PROSE:
        assert any(words in r for r in article.reasons(name)), (name, article.reasons(name))
    assert article.body == template_body
    assert "language model" not in article.body


def test_timeout_is_retried(tmp_path, example_snapshot, facts, caplog) -> None:
    caplog.set_level(logging.INFO)  # retries are logged at info: only giving up is a warning
    with ChatServer([Behaviour(delay=1.5, body=good().body), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_timeout=0.5)
    assert_all_from_model(article, facts)
    assert "timed out after 0.5 s; retrying" in caplog.text


def test_timeouts_fall_back(tmp_path, example_snapshot, facts, template_body, caplog) -> None:
    with ChatServer([Behaviour(delay=1.0, body=good().body)]) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_timeout=0.3, llm_retries=1)
        assert len(server.requests) == 2
    assert_template_fallback(article, template_body, "timed out after 0.3 s; gave up after 2 attempts")
    assert "keeping the template text" in caplog.text


def test_429_honours_retry_after(tmp_path, example_snapshot, facts, caplog) -> None:
    caplog.set_level(logging.INFO)  # retries are logged at info: only giving up is a warning
    with ChatServer([error(429, "slow down", {"Retry-After": "1.2"}), good()]) as server:
        start = time.monotonic()
        article = run(server.url, tmp_path, example_snapshot)
        elapsed = time.monotonic() - start
    assert elapsed >= 1.2
    assert_all_from_model(article, facts)
    assert "rate limiting (HTTP 429); retrying in 1.2 s" in caplog.text


def test_429_with_a_long_retry_after_falls_back_at_once(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([error(429, "quota", {"Retry-After": "3600"})]) as server:
        start = time.monotonic()
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 1 and time.monotonic() - start < 5
    assert_template_fallback(article, template_body, "asks to wait 3600 s")


def test_5xx_is_retried(tmp_path, example_snapshot, facts) -> None:
    with ChatServer([error(503), error(500), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 3
    assert_all_from_model(article, facts)
    assert article.meta["llm"]["chat_calls"] == 1


def test_persistent_5xx_falls_back(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([error(502, "bad gateway")]) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_retries=2)
        assert len(server.requests) == 3
    assert_template_fallback(article, template_body, "answered HTTP 502; gave up after 3 attempts")


def test_connection_refused_falls_back(tmp_path, example_snapshot, template_body, caplog) -> None:
    caplog.set_level(logging.INFO)  # retries are logged at info: only giving up is a warning
    article = run(f"http://127.0.0.1:{free_port()}/v1", tmp_path, example_snapshot, llm_retries=1)
    assert_template_fallback(article, template_body, "connection failed")
    assert "retrying" in caplog.text


def test_server_dying_mid_call_is_retried(tmp_path, example_snapshot, facts, caplog) -> None:
    caplog.set_level(logging.INFO)  # retries are logged at info: only giving up is a warning
    with ChatServer([Behaviour(die=True), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 2
    assert_all_from_model(article, facts)
    assert "connection failed" in caplog.text


def test_server_dying_every_time_falls_back(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([Behaviour(die=True)]) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_retries=1)
    assert_template_fallback(article, template_body, "connection failed")


def test_invalid_json_gets_one_repair_round(tmp_path, example_snapshot, facts) -> None:
    with ChatServer([completion("Sure! Here is the article: {\"headline\": {\"heading\": "), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 2
        assert "was rejected" in server.requests[1]["messages"][-1]["content"]
    assert_all_from_model(article, facts, origin="repaired")
    assert any("not valid JSON" in r for r in article.reasons("lead"))


def test_invalid_json_twice_falls_back(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([completion("<html>I am not JSON</html>")]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 2  # the first call and one repair, no more
    assert_template_fallback(article, template_body, "contains no JSON object")


def test_schema_mismatch_repairs_only_that_section(tmp_path, example_snapshot, facts) -> None:
    broken = {**GOOD, "lead": {"heading": "", "paragraphs": "Bitcoin fell."}}
    with ChatServer([completion(as_content(broken)), completion(as_content(GOOD, ["lead"]))]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        repair_schema = server.requests[1]["response_format"]["json_schema"]["schema"]
    assert repair_schema["required"] == ["lead"]
    assert article.origins["lead"] == "repaired"
    assert any("schema mismatch in 'lead' at paragraphs" in r for r in article.reasons("lead"))
    assert {article.origins[n] for n in PROSE if n != "lead"} == {"llm"}
    assert check_article(article.body, facts).passed


def test_refusal_falls_back_without_a_repair(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([completion(None, refusal="I can't help with that.")]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 1
    assert_template_fallback(article, template_body, "the model refused: I can't help with that.")


def test_empty_content_gets_one_repair_round(tmp_path, example_snapshot, facts) -> None:
    with ChatServer([completion(""), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 2
    assert_all_from_model(article, facts, origin="repaired")
    assert any("empty content" in r for r in article.reasons("outlook"))


def test_a_body_that_is_not_a_completion_is_unusable(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([Behaviour(body="<html>proxy error page</html>")]) as server:
        article = run(server.url, tmp_path, example_snapshot)
    assert_template_fallback(article, template_body, "returned no choices")


def test_a_rejected_request_is_not_retried(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([error(404, "The model `test-model` does not exist")]) as server:
        article = run(server.url, tmp_path, example_snapshot)
        assert len(server.requests) == 1
    assert_template_fallback(article, template_body,
                             "rejected the request (HTTP 404): The model `test-model` does not exist")


@pytest.mark.parametrize(("status", "message"), [
    (400, "the request exceeds the available context size, try increasing it"),  # llama.cpp's server
    (400, "This model's maximum context length is 2048 tokens. However, your messages resulted in 2596 tokens."),
    (500, "Requested tokens (2596) exceed context window of 2048"),  # llama-cpp-python
])
def test_a_prompt_longer_than_the_context_is_said_in_one_line_and_not_retried(
        tmp_path, example_snapshot, template_body, status, message, caplog) -> None:
    caplog.set_level(logging.INFO)
    with ChatServer([error(status, message)] * 3) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_retries=2)
        assert len(server.requests) == 1  # neither retried nor followed by a (longer) repair prompt
    assert_template_fallback(article, template_body, "cannot take the prompt: about ")
    reason = article.reasons("lead")[0]
    assert "do not fit its context" in reason and "--ctx-size" in reason and "\n" not in reason


def test_truncated_reply_says_so(tmp_path, example_snapshot, template_body) -> None:
    cut = as_content(GOOD)[:500]
    with ChatServer([completion(cut, finish="length")]) as server:
        article = run(server.url, tmp_path, example_snapshot)
    assert_template_fallback(article, template_body, "cut off at llm_max_tokens")


def test_no_fault_ever_leaves_a_traceback_on_the_terminal(tmp_path, example_snapshot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    with ChatServer([error(500), Behaviour(die=True), completion("{}")]) as server:
        run(server.url, tmp_path, example_snapshot, llm_retries=2)
    assert "Traceback" not in caplog.text


def test_a_mode_the_server_refuses_falls_back_once_and_says_so(tmp_path, example_snapshot, facts, caplog) -> None:
    caplog.set_level(logging.INFO)
    # llama-cpp-python's server answers response_format json_schema with a 500; retrying cannot help.
    with ChatServer([error(500, "Internal Server Error"), good()]) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_server="llamacpp", llm_mode="json_schema",
                      llm_calls="article", llm_retries=2)
        sent = [r.get("response_format", {}).get("type") for r in server.requests]
    assert sent == ["json_schema", "json_object"]  # no retry of the refused mode, one call in the next
    assert_all_from_model(article, facts)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("answered HTTP 500 to response_format json_schema" in w and "trying llm_mode = json_object" in w
               for w in warnings), warnings


def test_a_refused_format_in_the_next_mode_too_ends_in_the_template(tmp_path, example_snapshot, template_body) -> None:
    with ChatServer([error(400, "response_format is not supported")] * 3) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_mode="json_schema", llm_retries=2)
        assert len(server.requests) == 2  # json_schema once, json_object once, then the template
    assert_template_fallback(article, template_body, "to response_format json_object")


def test_a_one_request_at_a_time_server_is_not_retried_after_a_timeout(tmp_path, example_snapshot, template_body,
                                                                       ) -> None:
    with ChatServer([Behaviour(delay=1.0, body=good().body)] * 3) as server:
        article = run(server.url, tmp_path, example_snapshot, llm_server="llamacpp", llm_calls="article",
                      llm_timeout=0.3, llm_retries=2)
        assert len(server.requests) == 1  # a retry would queue behind the request the server is still on
    assert_template_fallback(article, template_body, "timed out after 0.3 s; not retried: this kind of server")


def _request(prompt_chars: int, max_tokens: int) -> ChatRequest:
    return ChatRequest(purpose="sections", model="m", messages=[{"role": "user", "content": "x" * prompt_chars}],
                       temperature=0.2, max_tokens=max_tokens, response_format=None)


def test_a_local_servers_timeout_is_sized_from_the_call_and_llm_timeout_fixes_it() -> None:
    """Without llm_timeout, a local server's call waits as long as its prompt and reply budget take at the
    profile's speed (a short per-section call is not waited on for minutes, the one long call not cut off);
    llm_timeout, or a hosted server's figure, is every call's."""
    local = resolve_llm(Settings(llm="on", llm_server="llamacpp"))
    assert local is not None and local.speed is not None
    client = LLMClient(local)
    short, long = client.timeout_for(_request(300, 50)), client.timeout_for(_request(10_000, 2500))
    speed = local.speed
    assert short == speed.minimum_s
    assert long == round((speed.overhead_s + 10_000 / CHARS_PER_TOKEN / speed.prompt_tokens_per_s
                          + 2500 / speed.reply_tokens_per_s) * speed.margin, 1) > 300
    fixed = resolve_llm(Settings(llm="on", llm_server="llamacpp", llm_timeout=42))
    assert fixed is not None and LLMClient(fixed).timeout_for(_request(10_000, 2500)) == 42
    hosted = resolve_llm(Settings(llm="on", llm_server="openai", llm_api_key="k"))
    assert hosted is not None and LLMClient(hosted).timeout_for(_request(10_000, 2500)) == hosted.timeout == 60


def test_the_sized_timeout_is_the_one_the_call_waits(tmp_path: Path) -> None:
    """The call gives up after the sized figure, and says that figure (a server slower than it)."""
    config = resolve_llm(Settings(llm="on", llm_server="llamacpp", llm_cache=False, llm_cache_dir=tmp_path))
    assert config is not None and config.speed is not None
    quick = config.speed.model_copy(update={"minimum_s": 0.4, "margin": 0.0})
    with ChatServer([Behaviour(delay=2.0, body=good().body)]) as server:
        client = LLMClient(config.model_copy(update={"speed": quick, "base_url": server.url}))
        started = time.monotonic()
        with pytest.raises(LLMUnavailable, match=r"timed out after 0\.4 s; not retried"):
            client.complete(_request(100, 10))
        assert time.monotonic() - started < 1.5
