"""Corrections of published articles and regenerations as proposals: no silent rewrite, never a second post."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from generator.desk.actions import accept_proposal, approve, save_revision
from generator.desk.console import revision_diff, show
from generator.desk.publish import publish_article, publish_pending, with_corrections
from generator.desk.store import Store
from generator.errors import InputError
from generator.snapshot import load_snapshot
from tests.conftest import EXAMPLE
from tests.desk.test_publish import settings_for, wp, wp_posts, written  # noqa: F401 - wp is a fixture
from tests.publishing.fake_wordpress import WordPressState

RIGHT, FIXED = "slicing through support at $7,846", "slicing through support at $7,846 after a volatile session"
NOTE = "corrected the description of the daily close"


def published(store: Store, settings, draft: int) -> None:  # noqa: ANN001
    approve(store, draft, by="Ann")
    assert publish_article(store, settings, draft).status == "published"


def test_a_published_article_is_corrected_and_republished_as_an_update(
        store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    published(store, settings, draft)
    text = store.revision(draft).markdown
    assert RIGHT in text
    with pytest.raises(InputError, match="is published: say what this edit corrects"):
        save_revision(store, draft, text.replace(RIGHT, FIXED), by="Bob", expected_version=None)
    saved = save_revision(store, draft, text.replace(RIGHT, FIXED), by="Bob", expected_version=None, correction=NOTE)
    assert saved.article.status == "draft" and saved.revision is not None and saved.revision.correction == NOTE
    assert store.audit(draft)[0].reason.startswith(f"correction ({NOTE})")
    approve(store, draft, by="Ann")
    again = publish_article(store, settings, draft)
    assert again.status == "published" and [t.created for t in again.targets] == [False, False]  # updates
    assert len(wp_posts(wp)) == 1 and len(wp.posts) == 1  # never a second post
    content = next(iter(wp.posts.values()))["content"]["raw"]
    assert re.search(rf"<em>Updated \w+ \d+, \d{{4}}, \d\d:\d\d UTC: {NOTE}</em>", content)
    page = (tmp_path / "site" / "2018-02-06-btc-daily" / "index.html").read_text()
    assert NOTE in page and "after a volatile session" in page
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert len(feed.entries) == 1 and NOTE in feed.entries[0].summary + feed.entries[0].get("content", [{}])[0].get(
        "value", "")


def test_the_note_goes_after_the_story_and_before_the_disclaimer() -> None:
    body = "# T\n\nStory.\n\n---\n\n**Disclaimer:** x\n"
    assert with_corrections(body, ["Updated A: b."]) == "# T\n\nStory.\n\n*Updated A: b.*\n\n---\n\n**Disclaimer:** x\n"
    assert with_corrections("Story.\n", ["Updated A: b."]) == "Story.\n\n*Updated A: b.*\n"
    assert with_corrections(body, []) == body


def test_a_regeneration_over_a_published_edited_article_is_a_proposal(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    published(store, settings, draft)
    text = store.revision(draft).markdown
    save_revision(store, draft, text.replace(RIGHT, FIXED), by="Bob", expected_version=None, correction=NOTE)
    approve(store, draft, by="Ann")
    publish_article(store, settings, draft)
    edited = store.revision(draft)
    snapshot = load_snapshot(EXAMPLE)
    newer = snapshot.model_copy(update={"price": snapshot.price.model_copy(update={"current": 6990.0})})
    written(settings, newer)  # the daily job again, with new data
    article = store.article(draft)
    assert article.status == "published" and article.current_revision == edited.number
    assert article.proposed_revision == edited.number + 1
    assert store.revision(draft).markdown == edited.markdown  # Bob's correction is what stays
    assert "proposal: revision" in show(store, draft)
    change = revision_diff(store, draft)
    assert "-" in change and "+" in change and "$6,990" in change
    assert publish_pending(store, settings) == []  # nothing goes out on its own
    accepted = accept_proposal(store, draft, by="Ann")
    assert accepted.status == "draft" and "$6,990" in store.revision(draft).markdown
    assert store.facts(draft)["price.current"].value == 6990.0  # the proposal's facts came with it


def test_a_proposal_leaves_the_published_folder_alone_until_accepted(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    published(store, settings, draft)
    folder = store.article(draft).path
    before = (folder / "article.md").read_bytes()
    snapshot = load_snapshot(EXAMPLE)
    newer = snapshot.model_copy(update={"price": snapshot.price.model_copy(update={"current": 6990.0})})
    from generator.pipeline import generate

    result = generate(newer, settings)
    assert result.proposed_revision is not None and result.path == folder.with_name(folder.name + ".proposed")
    assert (folder / "article.md").read_bytes() == before  # what the published text is sent with
    assert "$6,990" in (result.path / "article.md").read_text()
    accept_proposal(store, draft, by="Ann")
    assert "$6,990" in (folder / "article.md").read_text() and not result.path.exists()


def test_a_replaced_draft_moves_its_new_folder_into_place(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    snapshot = load_snapshot(EXAMPLE)
    newer = snapshot.model_copy(update={"price": snapshot.price.model_copy(update={"current": 6990.0})})
    from generator.pipeline import generate

    result = generate(newer, settings)  # nobody worked on the draft: the new text replaces it
    folder = store.article(draft).path
    assert result.proposed_revision is None and result.path == folder
    assert "$6,990" in (folder / "article.md").read_text()
    assert not folder.with_name(folder.name + ".proposed").exists()


def test_a_rerun_on_the_current_data_leaves_a_waiting_proposals_files_alone(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    published(store, settings, draft)
    snapshot = load_snapshot(EXAMPLE)
    newer = snapshot.model_copy(update={"price": snapshot.price.model_copy(update={"current": 6990.0})})
    from generator.pipeline import generate

    waiting = generate(newer, settings).path  # the proposal's folder
    again = generate(snapshot, settings)  # the current text once more: nothing new
    assert again.proposed_revision is None and again.path == store.article(draft).path
    assert "$6,990" in (waiting / "article.md").read_text()  # still the proposal's own files
    assert not any(p.name.endswith(".incoming") for p in waiting.parent.iterdir())
