"""Golden files: the rendered example article must not change unnoticed.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/drafting/test_golden.py``
and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.conftest import match_golden

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "btc-2018-02-06"


@pytest.mark.parametrize("name", ["article.md", "article.html"])
def test_example_article_matches_golden(example_snapshot: MarketSnapshot, tmp_path: Path, name: str) -> None:
    result = generate(example_snapshot, Settings(), out=tmp_path)
    match_golden((result.path / name).read_text(), GOLDEN / name)
