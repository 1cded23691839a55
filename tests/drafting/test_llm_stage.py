"""The stage end to end on real days: what is proven is kept, what is not is replaced, and the record says which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.analysis import analyze
from generator.drafting import article_seed
from generator.drafting.llm.stage import plan
from generator.drafting.template import build_context, make_environment, render_sections
from generator.factcheck import check_article
from generator.facts import build_facts
from generator.pipeline import generate
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.chat_server import ChatServer, completion
from tests.conftest import make_snapshot
from tests.drafting.conftest import Article, llm_settings

DAYS = ("2017-03-18", "2017-06-12", "2017-09-15", "2017-12-17", "2018-02-06", "2018-04-12")


def echo_reply(snapshot: MarketSnapshot, dateline: str | None) -> str:
    """What a model that changes nothing would send: the draft it was shown, as the JSON asked for."""
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    env = make_environment(None)
    ctx = build_context(snapshot, analysis, facts, dateline, "marketnews")
    seed = article_seed(snapshot, "daily")
    p = plan(env, ctx, seed, render_sections(env, ctx, seed), facts)
    out = {}
    for s in p.brief.sections:
        if s.name == "headline":
            out[s.name] = {"heading": s.text, "paragraphs": []}
            continue
        lines = s.text.split("\n")
        heading = lines[0][3:] if lines[0].startswith("## ") else ""
        body = "\n".join(lines[1:] if heading else lines).strip()
        blocks = [b for chunk in body.split("\n\n") for b in (chunk.split("\n") if chunk.startswith("- ") else [chunk])]
        out[s.name] = {"heading": heading, "paragraphs": [b.removeprefix("- ") for b in blocks if b.strip()]}
    return json.dumps(out)


def without_automation_line(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if "produced automatically" not in line)


@pytest.mark.parametrize("until", DAYS)
@pytest.mark.parametrize("derivatives", [True, False])
def test_a_model_that_changes_nothing_is_kept_whole(until: str, derivatives: bool, tmp_path: Path) -> None:
    snapshot = make_snapshot(until, with_derivatives=derivatives)
    template = Article(generate(snapshot, Settings(llm="off", dateline="LONDON"), out=tmp_path / "t"))
    with ChatServer([completion(echo_reply(snapshot, "LONDON"))]) as server:
        article = Article(generate(snapshot, llm_settings(server.url, tmp_path, dateline="LONDON")))
        assert len(server.requests) == 1
    prose = [n for n, o in article.origins.items() if o != "template"]
    assert prose and {article.origins[n] for n in prose} == {"llm"}, article.origins
    assert without_automation_line(article.body) == without_automation_line(template.body)
    assert "a language model drafted some of the prose" in article.body
    facts = build_facts(snapshot, analyze(snapshot))
    assert check_article(article.body, facts).passed


def test_only_offered_facts_may_be_used(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    reply = json.loads(echo_reply(example_snapshot, None))
    reply["outlook"]["paragraphs"].append("Data were taken as of {sources.price.as_of}.")
    with ChatServer([completion(json.dumps(reply)), completion(json.dumps({"outlook": reply["outlook"]}))]) as server:
        article = Article(generate(example_snapshot, llm_settings(server.url, tmp_path)))
    assert article.origins["outlook"] == "fallback"
    assert "unknown placeholder {sources.price.as_of}" in article.reasons("outlook")[0]


def test_the_prompt_carries_the_facts_and_the_draft(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    with ChatServer([completion(echo_reply(example_snapshot, None))]) as server:
        generate(example_snapshot, llm_settings(server.url, tmp_path))
        system, user = (m["content"] for m in server.requests[0]["messages"])
    assert "No quotes" in system and "No advice" in system and "history" in system
    assert "The only digits you may write are in these fixed terms: " in system and "24 hours" in system
    assert "{price.current} = $6,960: BTC price" in user
    assert "{sentiment.fear_greed} = 8/100: Crypto Fear & Greed Index; Extreme Fear" in user
    assert "[lead] paragraphs, no heading" in user and "{price.change_24h_pct|abs}" in user
    assert "sources." not in user  # the source list is never model text


def test_prompts_can_be_overridden(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    own = tmp_path / "prompts"
    own.mkdir()
    (own / "system.md.j2").write_text("House style: terse. Fixed terms: {{ terms | join(', ') }}.")
    with ChatServer([completion(echo_reply(example_snapshot, None))]) as server:
        generate(example_snapshot, llm_settings(server.url, tmp_path, prompts_dir=own))
        assert server.requests[0]["messages"][0]["content"].startswith("House style: terse.")


def test_whole_article_check_reverts_the_section_it_faults(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    """A finding that only shows in the assembled article sends that section, and only it, back to the template."""
    from types import SimpleNamespace

    from generator.drafting.llm.config import resolve_llm
    from generator.drafting.llm.stage import run_llm_stage
    from tests.drafting.llm_replies import GOOD, as_content

    def check_in_context_only(text: str, facts: object) -> SimpleNamespace:
        # Stands in for a context-dependent finding: flags the lead's verb, but only in the whole article.
        if "## Key metrics" not in text or "slumped" not in text:
            return SimpleNamespace(mentions=[])
        start = text.index("slumped")
        return SimpleNamespace(mentions=[SimpleNamespace(text="slumped", start=start, end=start + 7,
                                                         verdict="direction", reason="test")])

    analysis = analyze(example_snapshot)
    facts = build_facts(example_snapshot, analysis)
    env = make_environment(None)
    ctx = build_context(example_snapshot, analysis, facts, None, "marketnews")
    seed = article_seed(example_snapshot, "daily")
    template = render_sections(env, ctx, seed)
    with ChatServer([completion(as_content(GOOD))]) as server:
        config = resolve_llm(llm_settings(server.url, tmp_path))
        assert config is not None
        sections, report = run_llm_stage(env, ctx, seed, template, facts, config, None, check=check_in_context_only)
    by_name = {s.name: s for s in sections}
    assert by_name["lead"].origin == "fallback"
    assert by_name["lead"].markdown == next(s.markdown for s in template if s.name == "lead")
    assert report.sections["lead"].reasons == ["in the whole article, fact-check direction: 'slumped'"]
    assert by_name["headline"].origin == "llm" and "slumps" in by_name["headline"].markdown
    assert "a language model drafted some of the prose" in by_name["automation"].markdown
