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


HISTORY_GOLDEN = GOLDEN.parent / "btc-2017-09-15"


@pytest.mark.parametrize("name", ["article.md"])
def test_history_day_matches_golden(tmp_path: Path, name: str) -> None:
    """A day the daily history makes news (real Bittrex candles to 2017-09-14): the lowest close since August 4,
    the largest one-day drop and the longest losing streak in the data, the first close below $3,500 since
    August 10 (hand-checked against tests/fixtures/finta_bittrex_btc-usdt_1d.csv)."""
    from tests.conftest import make_snapshot

    result = generate(make_snapshot("2017-09-14"), Settings(), out=tmp_path)
    text = (result.path / name).read_text()
    assert "status: draft" in text  # its own fact-check passed
    match_golden(text, HISTORY_GOLDEN / name)
