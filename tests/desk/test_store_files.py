"""The store is enough (issue 17 item 3): a host that never saw generate's folder reviews and publishes.

generate runs on "host A" (its output folder); the folder is then removed, as it is absent on a review
replica or a publishing job on another host. The chart, the front matter and the text all come from the
store, on both engines (the ``store`` fixture).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.desk.actions import accept_proposal, approve, save_revision
from generator.desk.publish import publish_article
from generator.desk.store import Store
from generator.pipeline import generate
from generator.snapshot import load_snapshot
from tests.conftest import EXAMPLE
from tests.desk.test_publish import EDIT, settings_for, written
from tests.desk.test_web import make_client, sign_in


def chart_bytes(store: Store, draft: int) -> bytes:
    return (store.folder(store.article(draft)) / "chart.png").read_bytes()


def test_review_and_publish_need_only_the_store(store: Store, tmp_path: Path, check) -> None:  # noqa: ANN001
    settings = settings_for(store, tmp_path)
    draft = written(settings, chart=True)
    folder = store.article(draft).path
    chart = (folder / "chart.png").read_bytes()
    shutil.rmtree(tmp_path / "out")  # another host: generate's folder is not there

    client = make_client(store, check)
    sign_in(client)
    page = client.get(f"/drafts/{draft}")
    assert page.status_code == 200 and f'/drafts/{draft}/chart.png' in page.get_data(as_text=True)
    image = client.get(f"/drafts/{draft}/chart.png")
    assert image.status_code == 200 and image.data == chart

    text = store.revision(draft).markdown
    save_revision(store, draft, text.replace("\n## ", f"\n{EDIT}\n\n## ", 1), by="Ann", expected_version=None)
    approve(store, draft, by="Bob")
    result = publish_article(store, settings, draft)
    assert result.ok, result
    page_dir = tmp_path / "site" / "2018-02-06-btc-daily"
    assert EDIT in (page_dir / "index.md").read_text()  # the edit inherits the generated revision's files
    assert (page_dir / "chart.png").read_bytes() == chart
    assert not folder.exists()


def test_a_proposal_keeps_its_own_files_until_accepted(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings, chart=True)
    approve(store, draft, by="Bob")  # worked on: a regeneration becomes a proposal
    front = (store.folder(store.article(draft)) / "article.md").read_text()
    snapshot = load_snapshot(EXAMPLE)
    newer = snapshot.model_copy(update={"price": snapshot.price.model_copy(update={"current": 6990.0})})
    generate(newer, settings.model_copy(update={"chart": True}))
    shutil.rmtree(tmp_path / "out")  # and read on another host
    article = store.article(draft)
    assert article.proposed_revision is not None
    assert (store.folder(article) / "article.md").read_text() == front  # the current text keeps its own files
    proposed = (store.folder(article, article.proposed_revision) / "article.md").read_text()
    assert proposed != front and "$6,990" in proposed
    assert (store.folder(article, article.proposed_revision) / "chart.png").is_file()
    accept_proposal(store, draft, by="Ann")
    assert (store.folder(store.article(draft)) / "article.md").read_text() == proposed


def test_identical_files_are_stored_once_and_old_drafts_read_their_folder(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    one = written(settings, chart=True)
    two = written(settings, load_snapshot(EXAMPLE).model_copy(update={"asset": "ETH", "asset_name": "Ether"}),
                  chart=True)
    with store.connect() as conn:
        blobs = conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0]
        rows = conn.execute("SELECT COUNT(*) FROM revision_files").fetchone()[0]
        assert rows == 4 and blobs <= 4
        conn_files = conn.execute("SELECT name FROM revision_files WHERE article_id = ? ORDER BY name",
                                  (one,)).fetchall()
    assert [r["name"] for r in conn_files] == ["article.md", "chart.png"]
    with store.transaction() as conn:  # a draft registered before the store kept files
        conn.execute("DELETE FROM revision_files WHERE article_id = ?", (two,))
    assert store.folder(store.article(two)) == store.article(two).path
