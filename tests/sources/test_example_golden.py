"""The article replayed from the bundled recording (examples/btc-live-replay.yaml) must not change unnoticed.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/sources/test_example_golden.py``
and review the diff (rebuilding the recording itself changes its 127.0.0.1 port, hence the source links).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.settings import Settings
from generator.sources import fetch_replay
from tests.conftest import ROOT, match_golden

GOLDEN = ROOT / "tests" / "golden" / "btc-live-replay"


@pytest.mark.parametrize("name", ["article.md", "article.html"])
def test_replayed_example_matches_golden(tmp_path: Path, name: str) -> None:
    fetched = fetch_replay(ROOT / "examples" / "btc-live-replay.yaml")
    result = generate(fetched.snapshot, Settings(), out=tmp_path, extra_files={"sources.yaml": fetched.recording})
    match_golden((result.path / name).read_text(), GOLDEN / name)
