"""Publishing through the desk: who may publish, what is sent, idempotency, failures, crashes and overlaps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.desk.actions import approve, reject, save_revision
from generator.desk.console import show
from generator.desk.engine import IntegrityError
from generator.desk.publish import PUBLISH_LOCK, publish_article, publish_pending
from generator.desk.store import Store
from generator.errors import AlreadyRunning, NotAllowed
from generator.pipeline import generate
from generator.publishing import make_target
from generator.settings import Settings
from generator.snapshot import load_snapshot
from tests.conftest import EXAMPLE, failing_templates, make_snapshot
from tests.publishing.fake_wordpress import WordPressState, fake_wordpress
from tests.publishing.test_wordpress import PASSWORD

EDIT = "Editor's note: this analysis was reviewed on the desk before publication."


@pytest.fixture
def wp() -> Iterator[WordPressState]:
    with fake_wordpress() as state:
        yield state


def settings_for(store: Store, tmp_path: Path, wp: WordPressState | None = None, **extra: Any) -> Settings:
    targets: dict[str, Any] = {"static_site_url": "https://news.example.com/", "static_site_dir": tmp_path / "site"}
    if wp is not None:
        targets |= {"wordpress_url": wp.base, "wordpress_user": "editor", "wordpress_app_password": PASSWORD,
                    "publish_retries": 0}
    return Settings(desk_db=store.desk_db, output_dir=tmp_path / "out", **targets, **extra)


def written(settings: Settings, snapshot: Any = None, **overrides: Any) -> int:
    """Generate an article (the bundled example by default) and return its draft id."""
    result = generate(snapshot or load_snapshot(EXAMPLE), settings.model_copy(update=overrides))
    assert result.draft_id is not None
    return result.draft_id


def wp_posts(wp: WordPressState) -> list[tuple[str, str]]:
    return [entry for entry in wp.log if entry[0] == "POST" and entry[1].endswith("/posts")]


def test_only_approved_drafts_are_published(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    with pytest.raises(NotAllowed, match="is not approved; approve it first"):
        publish_article(store, settings, draft)
    assert store.publications(draft) == [] and not (tmp_path / "site").exists()
    approve(store, draft, by="Ann")
    result = publish_article(store, settings, draft)
    assert result.ok and result.status == "published" and store.article(draft).status == "published"
    [pub] = store.publications(draft)
    assert (pub.target, pub.status, pub.revision, pub.attempts) == ("static_site", "published", 1, 1)
    assert pub.url == "https://news.example.com/2018-02-06-btc-daily/" and pub.remote_id == "2018-02-06-btc-daily"
    assert (tmp_path / "site" / "2018-02-06-btc-daily" / "index.html").is_file()
    actions = [e.action for e in store.audit(draft)]
    assert actions[:2] == ["published", "published to static_site"]


def test_rejected_and_blocked_drafts_never_go_out(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path, auto_publish=True)
    blocked = written(settings, templates_dir=failing_templates(tmp_path))
    assert store.article(blocked).status == "blocked"
    with pytest.raises(NotAllowed, match="fails the fact-check"):
        publish_article(store, settings, blocked)
    rejected = written(settings, make_snapshot("2018-01-16"))
    reject(store, rejected, by="Ann", reason="not today")
    with pytest.raises(NotAllowed, match="was rejected"):
        publish_article(store, settings, rejected)
    assert publish_pending(store, settings) == []
    # The database refuses a publication of a failing revision whatever code path tries it.
    with pytest.raises(IntegrityError, match="publish refused"), store.transaction() as conn:
        conn.execute("INSERT INTO publications (article_id, target, revision, status, first_attempt_at,"
                     " last_attempt_at) VALUES (?, 'webhook', 1, 'pending', 'x', 'x')", (blocked,))


def test_auto_publish_sends_drafts_that_pass_the_fact_check(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    with pytest.raises(NotAllowed):
        publish_article(store, settings, draft)
    auto = settings.model_copy(update={"auto_publish": True})
    [result] = publish_pending(store, auto)
    assert result.article_id == draft and result.status == "published"


def test_publishing_twice_makes_one_post(store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    approve(store, draft, by="Ann")
    first = publish_article(store, settings, draft)
    requests_after_first = len(wp.log)
    second = publish_article(store, settings, draft)
    assert [t.outcome for t in first.targets] == ["published", "published"]
    assert [t.outcome for t in second.targets] == ["already", "already"]
    assert len(wp.posts) == 1 and len(wp_posts(wp)) == 1
    assert len(wp.log) == requests_after_first  # done for this revision: not even asked again
    assert second.targets[1].url == first.targets[1].url == wp.posts[int(first.targets[1].remote_id)]["link"]
    assert publish_pending(store, settings) == []  # nothing approved is left unpublished


def test_the_current_revision_is_published_with_the_chart(store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings, chart=True)
    text = store.revision(draft).markdown
    edited = save_revision(store, draft, text.replace("\n## ", f"\n{EDIT}\n\n## ", 1), by="Ann",
                           expected_version=None)
    assert edited.revision is not None and edited.article.status == "draft"
    approve(store, draft, by="Bob")
    result = publish_article(store, settings, draft)
    assert result.ok and result.revision == 2
    post = next(iter(wp.posts.values()))
    assert EDIT in post["content"]["raw"]  # the editor's text from the store ...
    assert EDIT not in (store.article(draft).path / "article.md").read_text()  # ... not article.md
    assert post["featured_media"] and wp.media[post["featured_media"]]["slug"] == "2018-02-06-btc-daily-chart"
    page = tmp_path / "site" / "2018-02-06-btc-daily"
    assert EDIT in (page / "index.md").read_text() and (page / "chart.png").is_file()
    assert all(p.revision == 2 for p in store.publications(draft))


def test_a_failed_target_keeps_the_draft_approved_and_the_next_run_retries(
        store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    approve(store, draft, by="Ann")
    wp.fail = [500]  # the term lookup fails; publish_retries = 0
    result = publish_article(store, settings, draft)
    assert not result.ok and result.exit_code == 7 and result.status == "approved"
    outcomes = {t.target: t for t in result.targets}
    assert outcomes["static_site"].outcome == "published" and outcomes["wordpress"].outcome == "failed"
    assert "WordPress at" in outcomes["wordpress"].error and "500" in outcomes["wordpress"].error
    assert store.article(draft).status == "approved" and wp.posts == {}
    pubs = {p.target: p for p in store.publications(draft)}
    assert pubs["wordpress"].status == "failed" and pubs["wordpress"].attempts == 1
    assert pubs["wordpress"].error == outcomes["wordpress"].error
    entry = store.audit(draft)[0]
    assert entry.action == "publish to wordpress failed" and outcomes["wordpress"].error in entry.reason
    assert "wordpress: failed after 1 publish run, retried by the next publish run: WordPress at" in show(store, draft)
    # The next run (the scheduler's publish job) retries only what failed.
    [retry] = publish_pending(store, settings)
    assert [t.outcome for t in retry.targets] == ["already", "published"] and retry.status == "published"
    assert len(wp.posts) == 1
    pubs = {p.target: p for p in store.publications(draft)}
    assert pubs["wordpress"].status == "published" and pubs["wordpress"].attempts == 2 and pubs["wordpress"].error is None


class CrashAfterCreate:
    """A target that dies right after the remote create, before the desk records anything."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name = inner, inner.name

    def find_existing(self, article: Any) -> Any:
        return self.inner.find_existing(article)

    def publish(self, article: Any, previous: Any = None) -> Any:
        self.inner.publish(article, previous)
        raise KeyboardInterrupt("killed between the remote create and the local record")


def test_a_crash_after_the_remote_create_is_recovered_without_a_second_post(
        store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    approve(store, draft, by="Ann")
    with pytest.raises(KeyboardInterrupt):
        publish_article(store, settings, draft, ["wordpress"], make=lambda n, s: CrashAfterCreate(make_target(n, s)))
    [pending] = store.publications(draft)
    assert pending.status == "pending" and pending.attempts == 1 and len(wp.posts) == 1
    assert "pending: an attempt was interrupted" in show(store, draft)
    result = publish_article(store, settings, draft, ["wordpress"])
    assert result.ok and result.status == "approved"  # the static site, also configured, does not have it yet
    assert len(wp.posts) == 1 and len(wp_posts(wp)) == 1  # found by its slug and updated, not created again
    [done] = store.publications(draft)
    assert done.status == "published" and done.attempts == 2 and done.remote_id == str(next(iter(wp.posts)))


def test_an_edit_while_publishing_is_not_marked_published(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    approve(store, draft, by="Ann")

    class EditMeanwhile:
        name = "static_site"

        def __init__(self) -> None:
            self.inner = make_target("static_site", settings)

        def find_existing(self, article: Any) -> Any:
            return None

        def publish(self, article: Any, previous: Any = None) -> Any:
            post = self.inner.publish(article, previous)
            save_revision(store, draft, store.revision(draft).markdown + f"\n{EDIT}\n", by="Cat", expected_version=None)
            return post

    result = publish_article(store, settings, draft, make=lambda n, s: EditMeanwhile())
    assert result.status == "draft" and store.article(draft).status == "draft"
    assert store.audit(draft)[0].action == "published an earlier revision"
    assert "not published until it is approved" in store.audit(draft)[0].reason


def test_publishing_runs_never_overlap(store: Store, tmp_path: Path) -> None:
    settings = settings_for(store, tmp_path)
    draft = written(settings)
    approve(store, draft, by="Ann")
    with store.hold(PUBLISH_LOCK, "another run"), pytest.raises(AlreadyRunning, match="publishing from this desk is already"):
        publish_article(store, settings, draft)
    assert store.publications(draft) == []


def test_a_missing_article_folder_is_a_recorded_failure(store: Store, tmp_path: Path) -> None:
    """A draft registered before the store kept its files (migration 7) is read from its folder: gone, the
    publication fails with the reason (with stored files the folder is not needed: test_store_files.py)."""
    import shutil

    settings = settings_for(store, tmp_path)
    draft = written(settings)
    approve(store, draft, by="Ann")
    with store.transaction() as conn:
        conn.execute("DELETE FROM revision_files WHERE article_id = ?", (draft,))
    shutil.rmtree(store.article(draft).path)
    result = publish_article(store, settings, draft)
    assert not result.ok and "cannot read" in result.targets[0].error
    assert store.article(draft).status == "approved"
    assert store.publications(draft)[0].status == "failed"


def test_publishing_to_one_target_does_not_end_the_others(store: Store, tmp_path: Path, wp: WordPressState) -> None:
    # Seen: 'publish --target static_site' marked the article published, and the publish job then said
    # "nothing to publish" and never reached WordPress.
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    approve(store, draft, by="Ann")
    first = publish_article(store, settings, draft, ["static_site"])
    assert first.ok and first.status == "approved" and wp_posts(wp) == []
    [again] = publish_pending(store, settings)  # the publish job: every configured target
    assert [(t.target, t.outcome) for t in again.targets] == [("static_site", "already"), ("wordpress", "published")]
    assert again.status == "published" and len(wp_posts(wp)) == 1
    assert publish_pending(store, settings) == []


def test_a_failed_target_is_retried_alone(store: Store, tmp_path: Path, wp: WordPressState) -> None:
    settings = settings_for(store, tmp_path, wp)
    draft = written(settings)
    approve(store, draft, by="Ann")
    wp.fail = [500] * 5
    result = publish_pending(store, settings)[0]
    assert {t.target: t.outcome for t in result.targets} == {"static_site": "published", "wordpress": "failed"}
    assert result.status == "approved"
    wp.fail = []
    retry = publish_pending(store, settings)[0]
    assert {t.target: t.outcome for t in retry.targets} == {"static_site": "already", "wordpress": "published"}
    assert retry.status == "published"
