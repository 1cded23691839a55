"""Recording and replaying the LLM cassettes (tests/cassettes/llm/), one per structured-output mode and outcome.

Replay: ``replay(name)`` is a vcrpy context that matches requests on their
body and refuses anything unrecorded. Record (needs the network only to
127.0.0.1): ``python -m tests.drafting.llm_cassettes [--llama-url URL]``;
see tests/cassettes/llm/NOTICE for how each cassette was made.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import vcr

from generator.pipeline import generate
from generator.settings import Settings
from generator.snapshot import load_snapshot
from tests.chat_server import Behaviour, ChatServer, completion
from tests.conftest import EXAMPLE
from tests.drafting.llm_replies import BAD, GOOD, REPAIRED, as_content

CASSETTES = Path(__file__).resolve().parent.parent / "cassettes" / "llm"
MODES = ("json_schema", "json_object", "text")
OUTCOMES = ("success", "repair", "fallback")
# Headers that carry secrets or describe the recording machine; none is kept in a cassette.
FILTERED = ["authorization", "api-key", "x-api-key", "openai-organization", "openai-project", "cookie",
            "x-stainless-os", "x-stainless-arch", "x-stainless-runtime-version", "x-stainless-package-version",
            "x-stainless-lang", "x-stainless-runtime", "x-stainless-async", "x-stainless-retry-count",
            "x-stainless-read-timeout", "user-agent"]
# The server's port differs between recordings; the request body is what must match.
MATCH_ON = ("method", "scheme", "host", "path", "body")


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    for name in list(response["headers"]):
        if name.lower() in ("set-cookie", "openai-organization", "openai-project"):
            del response["headers"][name]
    return response


def cassette(name: str, record: bool = False):  # noqa: ANN201 - a vcrpy context manager
    return vcr.VCR(
        record_mode="all" if record else "none",
        match_on=MATCH_ON,
        filter_headers=FILTERED,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    ).use_cassette(str(CASSETTES / f"{name}.yaml"))


def settings_for(mode: str, base_url: str, model: str, cache_dir: Path) -> Settings:
    """The settings each cassette was recorded with; replay must use the same (they shape the request body)."""
    server = "llamacpp" if mode == "json_object" else "openai"
    # One call for the article: the cassettes hold that conversation (the per-section one is tests/drafting/
    # test_llm_calls.py's).
    return Settings(llm="on", llm_server=server, llm_mode=mode, llm_calls="article", llm_base_url=base_url,
                    llm_api_key="test-key", llm_model=model, llm_temperature=0.3, llm_max_tokens=2500, llm_timeout=600, llm_retries=0,
                    llm_cache=False, llm_cache_dir=cache_dir)


LOCAL_MODEL = "SmolLM2-135M-Instruct.Q4_1"


def from_local_model(mode: str, outcome: str) -> bool:
    """The fallback cassettes of the modes llama.cpp's server speaks were recorded from a real small model."""
    return outcome == "fallback" and mode != "json_schema"


def model_for(mode: str, outcome: str) -> str:
    return LOCAL_MODEL if from_local_model(mode, outcome) else "scripted"


def _wrap(mode: str, content: str) -> str:
    """Plain-text servers surround the JSON with chatter and fences; the others send it bare."""
    if mode != "text":
        return content
    return f"Here is the rewritten report.\n```json\n{content}\n```\nEach number is a placeholder."


def scripted(mode: str, outcome: str) -> list[Behaviour]:
    repaired_names = list(REPAIRED)
    if outcome == "success":
        return [completion(_wrap(mode, as_content(GOOD)), usage=(2350, 1310))]
    if outcome == "repair":
        return [completion(_wrap(mode, as_content(BAD)), usage=(2350, 1290)),
                completion(_wrap(mode, as_content(REPAIRED, repaired_names)), usage=(2100, 620))]
    return [completion(_wrap(mode, as_content(BAD)), usage=(2350, 1290)),
            completion(_wrap(mode, as_content(BAD, repaired_names)), usage=(2100, 640))]


def record(llama_url: str | None) -> None:
    snapshot = load_snapshot(EXAMPLE)
    for mode in MODES:
        for outcome in OUTCOMES:
            name = f"{mode}-{outcome}"
            local = from_local_model(mode, outcome)
            if local and not llama_url:
                print(name, "skipped: needs --llama-url")
                continue
            with tempfile.TemporaryDirectory() as tmp:
                if local:
                    settings = settings_for(mode, str(llama_url), LOCAL_MODEL, Path(tmp) / "cache")
                    with cassette(name, record=True):
                        result = generate(snapshot, settings, out=Path(tmp) / "out")
                else:
                    with ChatServer(scripted(mode, outcome)) as server, cassette(name, record=True):
                        settings = settings_for(mode, server.url, "scripted", Path(tmp) / "cache")
                        result = generate(snapshot, settings, out=Path(tmp) / "out")
                record_file = json.loads((result.path / "factcheck.json").read_text())["sections"]
            print(name, "local model" if local else "scripted", {k: v["origin"] for k, v in record_file.items()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Record the LLM cassettes.")
    parser.add_argument("--llama-url", help="base URL of a llama.cpp server running SmolLM2 (scripts/local-llm.sh)")
    record(parser.parse_args().llama_url)
