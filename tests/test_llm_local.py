"""A real small model, opt-in: ``pytest -m llm_local`` (several minutes on 2 CPU cores).

SmolLM2-135M-Instruct, served by llama.cpp's OpenAI-compatible server on
127.0.0.1, rewrites the example article through ``marketnews generate``. Such a
small model invents numbers and mangles placeholders freely; the article must
still pass the fact-check, the sections it got wrong must have fallen back to
the template, and the record must say what was wrong with each.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.factcheck import check_article
from generator.facts import build_facts
from generator.pipeline import run_analysis
from generator.settings import Settings
from generator.snapshot import load_snapshot
from tests.conftest import EXAMPLE, ROOT
from tests.local_llm import LlamaServer, missing

pytestmark = pytest.mark.llm_local
PROSE = ["headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook"]


@pytest.fixture(scope="module")
def llama_url():  # noqa: ANN201
    why = missing()
    if why:
        pytest.skip(why)
    with LlamaServer() as url:
        yield url


@pytest.mark.parametrize("mode", ["json_object", "text"])
def test_small_model_cannot_put_a_wrong_number_in_the_article(llama_url: str, mode: str, tmp_path: Path) -> None:
    env = {**os.environ, "MARKETNEWS_LLM_SERVER": "llamacpp", "MARKETNEWS_LLM_BASE_URL": llama_url,
           "MARKETNEWS_LLM_MODE": mode, "MARKETNEWS_LLM_CACHE": "false", "MARKETNEWS_LLM_CACHE_DIR": str(tmp_path),
           "MARKETNEWS_LLM_TIMEOUT": "900", "MARKETNEWS_LLM_RETRIES": "0",
           "MARKETNEWS_LLM_MAX_TOKENS": "1500"}
    proc = subprocess.run([sys.executable, "-m", "generator", "generate", "--snapshot", str(EXAMPLE),
                           "--out", str(tmp_path / "out"), "--llm", "on"],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "out" / "2018-02-06" / "btc-daily"
    _, front, body = (folder / "article.md").read_text().split("---\n", 2)
    meta = yaml.safe_load(front)
    record = json.loads((folder / "factcheck.json").read_text())

    snapshot = load_snapshot(EXAMPLE)
    facts = build_facts(snapshot, run_analysis(snapshot, Settings()))
    assert check_article(body, facts).passed, "an unverified number reached the article"

    assert meta["llm"]["chat_calls"] in (1, 2) and meta["llm"]["prompt_tokens"] > 0
    fell_back = [n for n in PROSE if meta["sections"][n] == "fallback"]
    assert fell_back, "a 135M model wrote every section correctly: check the guard, not the model"
    for name in fell_back:
        reasons = record["sections"][name]["reasons"]
        assert reasons, f"{name} fell back without a reason"
        assert meta["section_reasons"][name] == reasons
        assert f"section {name} fell back to the template" in proc.stderr
    for name in PROSE:
        if meta["sections"][name] in ("llm", "repaired"):
            assert "a language model drafted some of the prose" in body
