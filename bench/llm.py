"""Benchmark of the LLM stage: chat calls, tokens, cost and the share of sections kept from the model, per article.

Three runs of ``generate`` on the example snapshot (cache off):
  happy   a capable model (the hand-written rewrite in tests/drafting/llm_replies.py, served on 127.0.0.1);
  repair  the same model making mistakes in three sections, fixing two in the repair round;
  local   SmolLM2-135M-Instruct on llama.cpp's server (real generation; needs scripts/local-llm.sh's packages),
          in one call (json_object, text) and per section in a 2,048-token context (llm_calls = section).
Tokens are counted by llama.cpp with SmolLM2's tokenizer, for the scripted runs too (each scripted request
is also sent to llama.cpp for its prompt count, each scripted reply tokenized), so the three runs compare.
Usage: python bench/llm.py [--price-prompt 0.15] [--price-completion 0.60] [--skip-local]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Literal

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import generate  # noqa: E402
from generator.settings import Settings  # noqa: E402
from generator.snapshot import load_snapshot  # noqa: E402
from tests.chat_server import Behaviour, ChatServer, completion  # noqa: E402
from tests.conftest import EXAMPLE  # noqa: E402
from tests.drafting.llm_replies import BAD, GOOD, REPAIRED, as_content  # noqa: E402
from tests.local_llm import LlamaServer, missing  # noqa: E402


def _post(url: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=900) as resp:
        return json.loads(resp.read())


def metered(llama: str, replies: list[str]) -> Any:
    """A scripted model whose usage figures are llama.cpp's token counts of the real request and reply."""
    calls = iter(replies)

    def answer(request: dict[str, Any]) -> Behaviour:
        probe = {"messages": request["messages"], "max_tokens": 1, "temperature": 0}
        prompt_tokens = _post(f"{llama}/chat/completions", probe)["usage"]["prompt_tokens"]
        content = next(calls)
        root = llama.removesuffix("/v1")
        completion_tokens = len(_post(f"{root}/extras/tokenize", {"input": content})["tokens"])
        return completion(content, usage=(prompt_tokens, completion_tokens))

    return answer


def run(url: str, mode: str, server: str, tmp: Path, calls: Literal["article", "section"] = "article",
        context: int | None = None) -> dict[str, Any]:
    settings = Settings(llm="on", llm_server=server, llm_mode=mode, llm_calls=calls, llm_context_tokens=context,
                        llm_base_url=url, llm_model="bench",
                        llm_cache=False, llm_cache_dir=tmp / "cache", llm_timeout=900, llm_retries=0,
                        llm_daily_token_cap=0, llm_article_token_cap=0)
    start = time.perf_counter()
    result = generate(load_snapshot(EXAMPLE), settings, out=tmp / "out")
    assert result.llm is not None
    seconds = time.perf_counter() - start
    # Per-section calls count the sentences kept and the model's among them (merge.py); one call does not.
    sections = json.loads((result.path / "factcheck.json").read_text())["llm"]["sections"].values()
    counted = [s for s in sections if s.get("sentences")]
    sentences = (sum(s["model_sentences"] or 0 for s in counted), sum(s["sentences"] for s in counted)) \
        if counted else None
    return {**result.llm.model_dump(), "seconds": seconds, "sentences": sentences}


def row(name: str, r: dict[str, Any], price: tuple[float, float], timed: bool = True) -> str:
    cost = (r["prompt_tokens"] * price[0] + r["completion_tokens"] * price[1]) / 1e6
    kept = f"{r['sections_from_model']}/{r['prose_sections']}"
    sentences = f"{r['sentences'][0]}/{r['sentences'][1]}" if r.get("sentences") else "n/a (one call)"
    wall = f"{r['seconds']:.0f} s" if timed else "n/a (scripted)"
    return (f"| {name} | {r['chat_calls']} | {r['prompt_tokens']:,} | {r['completion_tokens']:,} | "
            f"${cost:.5f} | {kept} | {sentences} | {wall} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--price-prompt", type=float, default=0.15, help="USD per million prompt tokens")
    parser.add_argument("--price-completion", type=float, default=0.60, help="USD per million completion tokens")
    parser.add_argument("--skip-local", action="store_true", help="skip the real small-model run")
    args = parser.parse_args()
    price = (args.price_prompt, args.price_completion)
    if why := missing():
        raise SystemExit(f"bench/llm.py counts tokens with llama.cpp: {why}")
    rows = []
    with LlamaServer() as llama, tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        scripts = {
            "happy path (capable model)": [as_content(GOOD)],
            "repair path (3 sections wrong, 2 fixed)": [as_content(BAD), as_content(REPAIRED)],
        }
        for i, (name, replies) in enumerate(scripts.items()):
            with ChatServer(metered(llama, replies)) as server:
                rows.append(row(name, run(server.url, "json_schema", "openai", tmp / str(i)), price, timed=False))
        if not args.skip_local:
            for mode in ("json_object", "text"):
                r = run(llama, mode, "llamacpp", tmp / mode)
                rows.append(row(f"SmolLM2-135M, {mode}", r, price))
    if not args.skip_local:
        # A server with the small context such models are often run with: one call no longer fits.
        with LlamaServer(ctx=2048) as small, tempfile.TemporaryDirectory() as tmp_name:
            r = run(small, "json_object", "llamacpp", Path(tmp_name), calls="section", context=2048)
            rows.append(row("SmolLM2-135M, json_object, per section, 2,048 context", r, price))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"price: ${price[0]}/${price[1]} per million prompt/completion tokens; tokens counted by SmolLM2's tokenizer")
    print("| Run | Chat calls | Prompt tokens | Completion tokens | Cost | Sections kept | Sentences kept | Wall time |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
