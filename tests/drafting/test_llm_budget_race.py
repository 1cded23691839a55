"""The daily token cap holds when several articles are written at once, in threads or in processes.

The chat server on 127.0.0.1 answers slowly, so every worker reaches the cap
check while the first call is still in flight: a check that only reads the
ledger lets them all through. The cap is set so that exactly one call fits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

from generator.drafting.llm.costs import Budget
from generator.errors import LLMBudgetExceeded
from generator.pipeline import generate
from generator.snapshot import MarketSnapshot
from tests.chat_server import Behaviour, ChatServer, completion
from tests.conftest import EXAMPLE, ROOT
from tests.drafting.conftest import TEST_KEY, Article, llm_settings
from tests.drafting.llm_replies import GOOD, as_content

USAGE = (1000, 400)  # what the server says each call used
WORKERS = 3


def slow(seconds: float) -> Behaviour:
    answer = completion(as_content(GOOD), usage=USAGE)
    answer.delay = seconds
    return answer


def worst_case(tmp_path: Path, snapshot: MarketSnapshot) -> int:
    """What the stage claims for the example's first call (read from the refusal under a 1-token cap)."""
    with ChatServer([completion(as_content(GOOD))]) as server:
        article = Article(generate(snapshot, llm_settings(server.url, tmp_path / "probe", llm_daily_token_cap=1),
                                   out=tmp_path / "probe" / "out"))
        assert server.requests == []
    match = re.search(r"the next call may take up to (\d+)", article.reasons("lead")[0])
    assert match, article.reasons("lead")
    return int(match.group(1))


def one_call_fits(tmp_path: Path, snapshot: MarketSnapshot) -> int:
    # Room for one call's claim, but not for a second one even after the first has settled at USAGE.
    return worst_case(tmp_path, snapshot) + sum(USAGE) - 1


def ledger_total(cache: Path) -> int:
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return json.loads((cache / "usage.json").read_text())[today]


def test_concurrent_threads_cannot_all_pass_the_daily_cap(tmp_path: Path, example_snapshot: MarketSnapshot) -> None:
    cap = one_call_fits(tmp_path, example_snapshot)
    cache = tmp_path / "shared-cache"
    with ChatServer([slow(1.0)]) as server:
        settings = llm_settings(server.url, tmp_path, llm_cache=False, llm_cache_dir=cache, llm_daily_token_cap=cap)
        with ThreadPoolExecutor(WORKERS) as pool:  # as generate --asset A,B,C runs its assets
            results = list(pool.map(lambda i: Article(generate(example_snapshot, settings, out=tmp_path / f"o{i}")),
                                    range(WORKERS)))
        assert len(server.requests) == 1
    refused = [r for r in results if any("daily token cap" in x for x in r.reasons("lead"))]
    assert len(refused) == WORKERS - 1
    assert ledger_total(cache) == sum(USAGE) <= cap


def test_concurrent_processes_cannot_all_pass_the_daily_cap(tmp_path: Path,
                                                            example_snapshot: MarketSnapshot) -> None:
    cap = one_call_fits(tmp_path, example_snapshot)
    cache = tmp_path / "shared-cache"
    with ChatServer([slow(4.0)]) as server:  # longer than the processes' start-up apart
        env = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")} | {
            "MARKETNEWS_LLM": "on", "MARKETNEWS_LLM_SERVER": "openai", "MARKETNEWS_LLM_BASE_URL": server.url,
            "MARKETNEWS_LLM_API_KEY": TEST_KEY, "MARKETNEWS_LLM_MODEL": "test-model",
            "MARKETNEWS_LLM_CACHE": "false", "MARKETNEWS_LLM_CACHE_DIR": str(cache),
            "MARKETNEWS_LLM_DAILY_TOKEN_CAP": str(cap),
        }
        procs = [subprocess.Popen([sys.executable, "-m", "generator", "generate", "--snapshot", str(EXAMPLE),
                                   "--out", str(tmp_path / f"p{i}")], cwd=ROOT, env=env, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(WORKERS)]
        outputs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0] * WORKERS, outputs
        assert len(server.requests) == 1
    assert sum("daily token cap" in err for _, err in outputs) == WORKERS - 1
    assert ledger_total(cache) == sum(USAGE) <= cap


def test_a_failed_call_gives_its_claim_back(tmp_path: Path) -> None:
    budget = Budget(article_cap=0, daily_cap=10_000, ledger_dir=tmp_path)
    held = budget.reserve(6_000)
    try:
        Budget(0, 10_000, tmp_path).reserve(6_000)  # another worker, while the first call is in flight
        raise AssertionError("the second claim should have been refused")
    except LLMBudgetExceeded as err:
        assert "6000 spent today" in str(err)
    budget.settle(held, 0)
    assert ledger_total(tmp_path) == 0
    budget.settle(budget.reserve(6_000), 2_500)
    assert ledger_total(tmp_path) == 2_500
