"""The alert article replayed from the bundled recording (examples/btc-alert-replay.yaml) must not change unnoticed.

After an intended change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/alerts/test_golden.py`` and review the
diff (rebuilding the recording itself, ``python examples/build_alert_replay.py``, changes its 127.0.0.1 port,
hence the source links).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate
from generator.settings import Settings
from generator.sources import fetch_replay
from tests.conftest import ROOT, match_golden

GOLDEN = ROOT / "tests" / "golden" / "btc-alert-replay"


@pytest.mark.parametrize("name", ["article.md", "article.html"])
def test_replayed_alert_matches_golden(tmp_path: Path, name: str) -> None:
    fetched = fetch_replay(ROOT / "examples" / "btc-alert-replay.yaml")
    result = generate(fetched.snapshot, Settings(), kind="alert", out=tmp_path,
                      extra_files={"sources.yaml": fetched.recording})
    assert result.path == tmp_path / "2018-06-18" / "btc-alert-0907" and result.status == "draft"
    match_golden((result.path / name).read_text(), GOLDEN / name)
