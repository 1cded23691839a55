"""One call for the article or one per section (llm_calls): chosen by the server's context, each call small.

A server on 127.0.0.1 (tests/chat_server.py) stands in for llama.cpp: it reports its context at /props (or not),
and a "copying model" answers each per-section call with the reply shape its prompt shows, so what is asserted is
what the stage sends and keeps.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.drafting.llm.calls import choose_calls, probe_context, server_root
from generator.drafting.llm.config import SERVER_PROFILES, ContextProbe
from generator.drafting.llm.costs import estimate_tokens
from generator.drafting.llm.merge import sentences as merge_sentences
from generator.factcheck import check_article
from generator.facts import build_facts
from generator.pipeline import generate, run_analysis
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.chat_server import Behaviour, ChatServer, completion, free_port
from tests.conftest import make_snapshot
from tests.drafting.conftest import Article, llm_settings
from tests.drafting.llm_replies import GOOD, as_content

PROSE = ["headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook"]


def props(n_ctx: int) -> dict[str, Behaviour]:
    """llama.cpp's /props as its server answers it (the part read here)."""
    return {"/props": Behaviour(body={"default_generation_settings": {"n_ctx": n_ctx, "temperature": 0.8},
                                      "total_slots": 1, "chat_template": "..."})}


def prompt_of(request: dict[str, Any]) -> str:
    return "\n".join(m["content"] for m in request["messages"])


def copying_model(tamper: dict[str, str] | None = None):  # noqa: ANN201 - a ChatServer script
    """Answers a per-section call with the example its prompt shows (the draft), tampered for named sections."""
    def answer(request: dict[str, Any]) -> Behaviour:
        user = request["messages"][-1]["content"]
        example = json.loads(user.rsplit("\n", 1)[1])
        (name,) = example
        if tamper and name in tamper:
            example[name]["paragraphs"] = [tamper[name]]
        return completion(json.dumps(example), usage=(300, 120))
    return answer


@pytest.mark.parametrize(("setting", "context", "prompt", "max_tokens", "default", "want"), [
    ("article", 1024, 5000, 2500, "section", "article"),  # the setting wins
    ("section", 128_000, 100, 100, "article", "section"),
    ("auto", 2048, 2600, 2500, "article", "section"),  # the example's one call in a 2,048-token context
    ("auto", 8192, 2600, 2500, "section", "article"),
    ("auto", 5100, 2600, 2500, "section", "article"),  # exactly fits
    ("auto", 5099, 2600, 2500, "article", "section"),
    ("auto", None, 2600, 2500, "section", "section"),  # the server cannot say: the profile's default
    ("auto", None, 2600, 2500, "article", "article"),
])
def test_choose_calls(setting: str, context: int | None, prompt: int, max_tokens: int, default: str,
                      want: str) -> None:
    assert choose_calls(setting, context, prompt, max_tokens, default) == want  # type: ignore[arg-type]


def test_server_profiles_say_where_the_context_is_and_what_to_do_without_it() -> None:
    assert SERVER_PROFILES["llamacpp"].context_probe == ContextProbe(path="/props",
                                                                     field=("default_generation_settings", "n_ctx"))
    assert SERVER_PROFILES["openai"].calls_without_context == "article"
    assert SERVER_PROFILES["llamacpp"].calls_without_context == "section"
    assert server_root("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080"


def test_probe_reads_the_context_and_takes_anything_else_as_unknown() -> None:
    probe = ContextProbe(path="/props", field=("default_generation_settings", "n_ctx"))
    with ChatServer([], gets=props(2048)) as server:
        assert probe_context(server.url, probe) == 2048
        assert probe_context(server.url, probe) == 2048 and server.got == ["/props"]  # asked once
    with ChatServer([]) as server:  # llama-cpp-python: no /props route (404)
        assert probe_context(server.url, probe) is None
    with ChatServer([], gets={"/props": Behaviour(body="<html>not json</html>")}) as server:
        assert probe_context(server.url, probe) is None
    with ChatServer([], gets={"/props": Behaviour(body={"default_generation_settings": {"n_ctx": "big"}})}) as server:
        assert probe_context(server.url, probe) is None
    assert probe_context(f"http://127.0.0.1:{free_port()}/v1", probe) is None  # nothing listening


def test_a_small_context_gets_one_small_call_per_section(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    facts = build_facts(example_snapshot, run_analysis(example_snapshot, Settings()))
    with ChatServer(copying_model(), gets=props(2048)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp")))
        requests = server.requests
    # One call per section, in order; a section too long for one call in parts split between paragraphs.
    purposes = [c["purpose"] for c in article.factcheck["llm"]["usage"]["calls"]]
    assert len(requests) == len(purposes) > len(PROSE)  # the example's lead and market structure are long
    assert list(dict.fromkeys(p.split(":")[1] for p in purposes)) == PROSE
    for name in PROSE:
        parts = [p for p in purposes if p.split(":")[1] == name]
        assert parts == [f"section:{name}"] or parts == [f"section:{name}:{i}" for i in range(1, len(parts) + 1)]
    assert article.factcheck["llm"]["calls"] == "section"
    for request in requests:
        prompt = prompt_of(request)
        # Fits a 2,048-token context with its own reply allowance, at the stage's own estimate of tokens.
        assert estimate_tokens(len(prompt), request["max_tokens"]) <= 2048, (len(prompt), request["max_tokens"])
        assert "<paragraph>" not in prompt and "<heading>" not in prompt  # the draft is the example, no slots
        # Only the facts the section itself uses are offered.
        offered = set(re.findall(r"^\{([a-z0-9_.]+)\} = ", prompt, flags=re.M))
        draft = prompt.rsplit("\n", 1)[1]  # the draft, shown as the reply's JSON
        assert offered <= set(re.findall(r"\{([a-z0-9_.]+)(?:\|abs)?\}", draft)) | {"article.date"}, offered
    assert {article.origins[n] for n in PROSE} == {"llm"}, article.origins
    assert check_article(article.body, facts).passed


def test_a_failed_section_falls_back_alone_without_a_repair_call(tmp_path: Path,
                                                                 example_snapshot: MarketSnapshot) -> None:
    bad = {"price_action": "Bitcoin fell 14.7% as whales sold."}  # a typed number and an actor
    with ChatServer(copying_model(bad), gets=props(2048)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp")))
        assert len(server.requests) == len(article.factcheck["llm"]["usage"]["calls"])
    assert not any(c["purpose"] == "repair" for c in article.factcheck["llm"]["usage"]["calls"])  # no repair round
    assert article.origins["price_action"] == "fallback"
    assert {article.origins[n] for n in PROSE if n != "price_action"} == {"llm"}, article.origins
    assert "whales" not in article.body


def test_sections_done_before_the_server_went_away_are_kept(tmp_path: Path,
                                                            example_snapshot: MarketSnapshot) -> None:
    calls = {"n": 0}
    model = copying_model()

    def dies_after_three(request: dict[str, Any]) -> Behaviour:
        calls["n"] += 1
        return model(request) if calls["n"] <= 3 else Behaviour(status=503, body={"error": {"message": "down"}})

    with ChatServer(copying_model(), gets=props(2048)) as server:  # the calls a whole article takes
        whole = Article(generate(example_snapshot, llm_settings(server.url, tmp_path / "whole",
                                                                llm_server="llamacpp")))
    sections = [c["purpose"].split(":")[1] for c in whole.factcheck["llm"]["usage"]["calls"]]
    # A section is kept when every one of its calls came before the server went away.
    done = [n for n in PROSE if n not in sections[3:]]
    with ChatServer(dies_after_three, gets=props(2048)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp",
                                                                  llm_retries=0)))
    assert done and [article.origins[n] for n in PROSE] == ["llm"] * len(done) + ["fallback"] * (len(PROSE) - len(done))
    assert article.factcheck["llm"]["stopped"]


def test_a_large_context_gets_the_one_call(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))], gets=props(32768)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp")))
        assert len(server.requests) == 1
    assert article.factcheck["llm"]["calls"] == "article"


def test_a_server_that_cannot_say_uses_the_setting_then_the_profile(tmp_path: Path,
                                                                    example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(as_content(GOOD))]) as server:  # no /props: llama-cpp-python
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path / "a", llm_server="llamacpp",
                                                                  llm_context_tokens=16384)))
        assert len(server.requests) == 1 and article.factcheck["llm"]["calls"] == "article"
    with ChatServer(copying_model()) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path / "b", llm_server="llamacpp")))
        assert len(server.requests) > len(PROSE) and article.factcheck["llm"]["calls"] == "section"
    with ChatServer([completion(as_content(GOOD))]) as server:  # a hosted server: one call
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path / "c")))
        assert len(server.requests) == 1 and server.got == []  # openai is not probed


def patterns(request: dict[str, Any]) -> tuple[str, str]:
    (section,) = request["response_format"]["schema"]["properties"].values()
    props = section["properties"]
    return props["heading"]["pattern"], props["paragraphs"]["items"]["pattern"]


@pytest.mark.parametrize("day", ["2017-06-12", "2017-09-15", "2018-02-06", "2018-04-12"])
def test_the_grammar_admits_the_draft_and_nothing_typed(day: str, tmp_path: Path) -> None:
    """Each per-section call's schema (a grammar in llama.cpp) admits the draft it shows, word for word, and no
    digit, currency or percent sign, unoffered placeholder, bare |abs, markup or quotation mark of the model's."""
    snapshot = make_snapshot(day)
    with ChatServer(copying_model(), gets=props(2048)) as server:
        generate(snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp"))
        requests = server.requests
    assert {r["response_format"]["type"] for r in requests} == {"json_object"}
    for request in requests:
        heading_pattern, paragraph_pattern = patterns(request)
        (draft,) = json.loads(prompt_of(request).rsplit("\n", 1)[1]).values()
        assert re.fullmatch(heading_pattern, draft["heading"]), draft["heading"]
        for paragraph in draft["paragraphs"]:
            assert re.fullmatch(paragraph_pattern, paragraph), paragraph
        used = re.findall(r"\{[a-z0-9_.]+(?:\|abs)?\}", " ".join([draft["heading"], *draft["paragraphs"]]))
        for typed in ("fell 14%", "to $6,960", "the {price.invented} level", "up 3 percent", "# heading", "<b>bold</b>",
                      'analysts said "buy"', "a [link](http://x)", "it fell {price.current|abs}"
                      if "{price.current}" in used else "1"):
            assert not re.fullmatch(paragraph_pattern, f"Bitcoin {typed}."), typed
        assert re.fullmatch(paragraph_pattern, "Bitcoin — in brief, and plainly: little else to say.")
        items = request["response_format"]["schema"]["properties"]
        assert next(iter(items.values()))["properties"]["paragraphs"]["maxItems"] == (
            len(draft["paragraphs"]) + 1 if draft["paragraphs"] else 0)


def test_llama_cpp_can_build_the_grammar(tmp_path: Path) -> None:
    """The schema is one llama.cpp's converter turns into a grammar (a bounded repetition, tried first, nests as
    deep as its bound and crashed the server)."""
    grammar = pytest.importorskip("llama_cpp.llama_grammar")
    with ChatServer(copying_model(), gets=props(2048)) as server:
        generate(make_snapshot("2018-02-06"), llm_settings(server.url, tmp_path, llm_server="llamacpp"))
        schemas = [r["response_format"]["schema"] for r in server.requests]
    for schema in schemas:
        rules = grammar.json_schema_to_gbnf(json.dumps(schema))
        assert "root ::=" in rules and "\\." not in rules


def test_a_bad_paragraph_costs_that_paragraph_not_the_section(tmp_path: Path,
                                                              example_snapshot: MarketSnapshot) -> None:
    """The model rewrites every paragraph of price action and invents an actor in its first: the section keeps
    the model's other paragraphs and the template's first one (origin partial, with the reason)."""
    def answer(request: dict[str, Any]) -> Behaviour:
        example = json.loads(request["messages"][-1]["content"].rsplit("\n", 1)[1])
        (name,) = example
        paragraphs = example[name]["paragraphs"]
        if name == "price_action":
            paragraphs[:] = [f"In short: {q}" for q in paragraphs]
            if example[name]["heading"]:  # the section's first part (a long one comes in several calls)
                paragraphs[0] = "Whales sold into the move, " + paragraphs[0]
        return completion(json.dumps(example), usage=(300, 120))

    template = Article(generate(example_snapshot, Settings(llm="off"), out=tmp_path / "t"))
    with ChatServer(answer, gets=props(2048)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp")))
    assert article.origins["price_action"] == "partial", article.origins
    assert any("paragraph 1" in r and "whales" in r.lower() for r in article.reasons("price_action")), \
        article.reasons("price_action")
    section = article.body.split("## Price action", 1)[1].split("\n## ", 1)[0]
    first_template = template.body.split("## Price action", 1)[1].split("\n## ", 1)[0].strip().split("\n\n")[1]
    assert first_template in section and "Whales" not in section
    assert section.count("In short: ") == section.count("\n\n") - 1 >= 1  # the other paragraphs are the model's
    assert article.meta["factcheck"]["status"] == "passed"


def test_a_bad_sentence_costs_that_sentence_not_the_paragraph(tmp_path: Path,
                                                             example_snapshot: MarketSnapshot) -> None:
    """The model rewrites price action with an invented actor in one sentence of a paragraph of several: that
    sentence is the template's, the paragraph's other sentences and the other paragraphs stay the model's, and the
    record counts the section's sentences and the model's."""
    tampered: list[str] = []

    def answer(request: dict[str, Any]) -> Behaviour:
        example = json.loads(request["messages"][-1]["content"].rsplit("\n", 1)[1])
        (name,) = example
        paragraphs = example[name]["paragraphs"]
        if name == "price_action" and not tampered:
            k = next(k for k, q in enumerate(paragraphs) if len(merge_sentences(q)) > 1)
            parts = merge_sentences(paragraphs[k])
            tampered.append(parts[1])
            parts[1] = "Whales sold into the move, and " + parts[1][0].lower() + parts[1][1:]
            paragraphs[k] = " ".join(parts)
        return completion(json.dumps(example), usage=(300, 120))

    with ChatServer(answer, gets=props(2048)) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path, llm_server="llamacpp")))
    record = article.factcheck["llm"]["sections"]["price_action"]
    assert record["origin"] == "partial", record
    assert record["model_sentences"] == record["sentences"] - 1 >= 2, record
    assert any("whales" in r.lower() for r in record["reasons"]), record
    assert "Whales" not in article.body
    assert article.factcheck["status"] == "passed"
