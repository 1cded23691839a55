"""Regeneration over a published, edited article, killed at random moments: no edit lost, nothing republished.

The real ``generate`` command (with auto_publish on, the setting that used to republish at once) runs over an
article that is published and carries an editor's correction; it is killed with SIGKILL at random moments, and
finally let finish. After every run the editor's revision is current, the article is still published, the
site's page is byte for byte what was published, and a publish run finds nothing to send.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.desk.actions import approve, save_revision
from generator.desk.publish import publish_article, publish_pending
from generator.desk.store import Store
from tests.conftest import EXAMPLE, ROOT
from tests.desk.test_publish import settings_for, written

KILLS = 8


def test_random_kills_of_a_regeneration_lose_no_edit_and_republish_nothing(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path, auto_publish=True)
    draft = written(settings)
    approve(store, draft, by="Ann")
    publish_article(store, settings, draft)
    text = store.revision(draft).markdown
    save_revision(store, draft, text.replace("slicing through", "cutting through", 1), by="Bob", expected_version=None,
                  correction="corrected a verb")
    approve(store, draft, by="Ann")
    publish_article(store, settings, draft)
    edited = store.revision(draft)
    page = tmp_path / "site" / "2018-02-06-btc-daily" / "index.html"
    live = page.read_bytes()
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(f'desk_db = "{store.desk_db}"\noutput_dir = "{tmp_path / "out"}"\nauto_publish = true\n'
                   f'static_site_url = "https://news.example.com/"\nstatic_site_dir = "{tmp_path / "site"}"\n')
    newer = tmp_path / "newer.json"
    newer.write_text(EXAMPLE.read_text().replace('"current": 6960', '"current": 6990', 1))
    assert '"current": 6990' in newer.read_text()
    command = [sys.executable, "-m", "generator", "--config", str(cfg), "generate", "--snapshot", str(newer)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(20261204)
    for _ in range(KILLS):
        child = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 3.0))
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
        child.wait(60)
        _assert_untouched(store, draft, edited.number, edited.markdown)
        assert page.read_bytes() == live
    finished = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    _assert_untouched(store, draft, edited.number, edited.markdown)
    article = store.article(draft)
    assert article.proposed_revision is not None and article.proposed_revision > edited.number
    assert "$6,990" in store.revision(draft, article.proposed_revision).markdown
    assert publish_pending(store, settings) == [] and page.read_bytes() == live


def _assert_untouched(store: Store, draft: int, number: int, markdown: str) -> None:
    article = store.article(draft)
    assert article.status == "published" and article.current_revision == number
    assert store.revision(draft).markdown == markdown and store.revision(draft).author == "Bob"
    assert all(p.revision == number and p.status == "published" for p in store.publications(draft))
