"""Helpers for the LLM stage tests: settings pointing at a test server, and running generate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline import GenerateResult, generate
from generator.settings import Settings
from generator.snapshot import MarketSnapshot

# Obviously fake; real keys never appear in tests or cassettes.
TEST_KEY = "test-key"


def llm_settings(url: str, tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "llm": "on", "llm_server": "openai", "llm_base_url": url, "llm_api_key": TEST_KEY,
        "llm_model": "test-model", "llm_timeout": 5.0, "llm_retries": 2, "llm_cache_dir": tmp_path / "llm-cache",
        "output_dir": tmp_path / "out",
    }
    return Settings(**{**base, **overrides})


class Article:
    """What generate wrote, read back."""

    def __init__(self, result: GenerateResult) -> None:
        self.result = result
        text = (result.path / "article.md").read_text()
        _, front, self.body = text.split("---\n", 2)
        self.meta = yaml.safe_load(front)
        self.factcheck = json.loads((result.path / "factcheck.json").read_text())

    @property
    def origins(self) -> dict[str, str]:
        return self.meta["sections"]

    def reasons(self, name: str) -> list[str]:
        return self.meta.get("section_reasons", {}).get(name, [])


@pytest.fixture
def write_article(example_snapshot: MarketSnapshot):  # noqa: ANN201
    def run(settings: Settings, snapshot: MarketSnapshot | None = None) -> Article:
        return Article(generate(snapshot or example_snapshot, settings))

    return run
