"""Golden files: the rendered example article must not change unnoticed.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/drafting/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.settings import Settings
from generator.snapshot import MarketSnapshot

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "btc-2018-02-06"


@pytest.mark.parametrize("name", ["article.md", "article.html"])
def test_example_article_matches_golden(example_snapshot: MarketSnapshot, tmp_path: Path, name: str) -> None:
    result = generate(example_snapshot, Settings(), out=tmp_path)
    produced = (result.path / name).read_text()
    expected = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(produced)
    assert produced == expected.read_text(), f"{name} differs from {expected}; see the module docstring"
