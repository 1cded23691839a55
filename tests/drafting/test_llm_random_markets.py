"""The LLM stage on random markets: a model that hands back the template's own text keeps every section.

The template's text, written back with its placeholders, is the most faithful rewrite there is: if the
stage's rules (placeholders, the words guard, the substance checks, the fact-check) refuse it on some
market, they would refuse a good model there too. No server: the client is replaced in process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import generator.drafting.llm.stage as stage
from generator.analysis import analyze
from generator.drafting import draft_article
from generator.drafting.llm.client import ChatReply, ChatRequest
from generator.factcheck import check_article
from generator.facts import build_facts
from generator.settings import Settings
from tests.random_markets import market


def _as_reply(name: str, text: str) -> dict[str, object]:
    if name == "headline":
        return {"heading": " ".join(text.lstrip("#").split()), "paragraphs": []}
    blocks = [b.strip() for b in text.strip().split("\n\n") if b.strip()]
    heading = blocks.pop(0).lstrip("#").strip() if blocks and blocks[0].startswith("#") else ""
    return {"heading": heading, "paragraphs": [" ".join(b.split()) for b in blocks]}


@pytest.mark.parametrize(("timeframe", "seeds"), [("1d", range(0, 40)), ("4h", range(40, 60))])
def test_the_templates_own_text_as_the_reply_keeps_every_section(
        timeframe: str, seeds: range, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans: list[stage.Plan] = []
    real_plan = stage.plan
    monkeypatch.setattr(stage, "plan", lambda *a, **k: plans.append(real_plan(*a, **k)) or plans[-1])

    class Echo:
        attempts = 1

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def complete(self, request: ChatRequest) -> ChatReply:
            sections = {s.name: _as_reply(s.name, s.text) for s in plans[-1].brief.sections}
            return ChatReply(content=json.dumps(sections), finish_reason="stop", prompt_tokens=10, completion_tokens=10)

    monkeypatch.setattr(stage, "LLMClient", Echo)
    settings = Settings(llm="on", llm_base_url="http://127.0.0.1:9/v1", llm_api_key="sk-test", llm_model="echo",
                        llm_cache=False, llm_cache_dir=tmp_path / "llm", output_dir=tmp_path)
    failures = []
    for seed in seeds:
        snapshot = market(seed, timeframe)
        analysis = analyze(snapshot)
        facts = build_facts(snapshot, analysis)
        draft = draft_article(snapshot, analysis, facts, settings, checked=True)
        refused = {n: v.reasons for n, v in draft.llm.sections.items() if v.origin != "llm"} if draft.llm else {}
        report = check_article(draft.body, facts)
        if refused or not report.passed:
            failures.append(f"seed {seed}: refused {refused}; article: {report.summary}")
    assert not failures, "\n".join(failures[:5])
