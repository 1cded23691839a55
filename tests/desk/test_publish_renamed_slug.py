"""WordPress renames a slug that is taken ('...-2'): the desk records and shows what the server returned,
and publishing again updates that post, not the one holding the slug we asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from generator.desk.actions import approve, save_revision
from generator.desk.checking import check_body
from generator.desk.console import show
from generator.desk.publish import publish_article
from generator.desk.store import Store
from generator.publishing import make_target
from generator.settings import Settings
from tests.desk.test_publish import EDIT, settings_for, written
from tests.desk.test_web import make_client, sign_in
from tests.publishing.fake_wordpress import WordPressState, fake_wordpress
from tests.publishing.test_wordpress import AUTHOR_PASSWORD

SLUG = "2018-02-06-btc-daily"


@pytest.fixture
def wp() -> Iterator[WordPressState]:
    with fake_wordpress() as state:
        yield state


def someone_elses_post(wp: WordPressState) -> int:
    """An editor's private post holding our slug, which marketnews, publishing as an Author, cannot see."""
    post_id = wp.new_id()
    wp.posts[post_id] = {"id": post_id, "slug": SLUG, "status": "private", "author": 1, "link": f"{wp.base}/{SLUG}/",
                         "title": {"raw": "Someone else's story", "rendered": "Someone else's story"},
                         "content": {"raw": "Not ours.", "rendered": "Not ours."}}
    return post_id


def as_author(settings: Settings) -> Settings:
    return settings.model_copy(update={"wordpress_user": "author", "wordpress_app_password": SecretStr(AUTHOR_PASSWORD),
                                       "wordpress_status": "publish"})


def test_the_renamed_slug_and_link_are_recorded_and_shown(store: Store, tmp_path: Path, wp: WordPressState) -> None:
    other = someone_elses_post(wp)
    settings = as_author(settings_for(store, tmp_path, wp))
    draft = written(settings)
    approve(store, draft, by="Ann")
    result = publish_article(store, settings, draft, ["wordpress"])
    [ours] = [p for p in wp.posts.values() if p["id"] != other]
    assert ours["slug"] == f"{SLUG}-2"  # what WordPress did
    [outcome] = result.targets
    assert (outcome.remote_id, outcome.url, outcome.slug) == (str(ours["id"]), f"{wp.base}/{SLUG}-2/", f"{SLUG}-2")
    [pub] = store.publications(draft)
    assert (pub.remote_id, pub.url, pub.slug) == (str(ours["id"]), f"{wp.base}/{SLUG}-2/", f"{SLUG}-2")
    assert f"wordpress: published (revision 1): {wp.base}/{SLUG}-2/ (id {ours['id']}, slug {SLUG}-2)" in show(
        store, draft)
    logged = next(e for e in store.audit(draft) if e.action == "published to wordpress")
    assert f"the server stored it under the slug '{SLUG}-2', not '{SLUG}'" in logged.reason


def test_publishing_again_updates_our_post_not_the_slug_holder(store: Store, tmp_path: Path,
                                                              wp: WordPressState) -> None:
    other = someone_elses_post(wp)
    settings = as_author(settings_for(store, tmp_path, wp))
    draft = written(settings)
    approve(store, draft, by="Ann")

    class EditWhilePublishing:
        """WordPress, while an editor saves a correction: the new revision needs its own approval."""

        name = "wordpress"

        def __init__(self) -> None:
            self.inner = make_target("wordpress", settings)

        def find_existing(self, article: Any) -> Any:
            return self.inner.find_existing(article)

        def publish(self, article: Any, previous: Any = None) -> Any:
            post = self.inner.publish(article, previous)
            save_revision(store, draft, store.revision(draft).markdown + f"\n{EDIT}\n", by="Cat",
                          expected_version=None)
            return post

    publish_article(store, settings, draft, ["wordpress"], make=lambda n, s: EditWhilePublishing())
    [ours] = [p["id"] for p in wp.posts.values() if p["id"] != other]
    approve(store, draft, by="Ann")  # revision 2
    result = publish_article(store, settings, draft, ["wordpress"])
    assert result.ok and result.status == "approved" and [t.created for t in result.targets] == [False]
    assert wp.posts[other]["content"]["raw"] == "Not ours." and wp.posts[other]["slug"] == SLUG
    assert EDIT in wp.posts[ours]["content"]["raw"] and len(wp.posts) == 2  # updated, not created again
    [pub] = store.publications(draft)
    assert (pub.remote_id, pub.url, pub.slug, pub.revision) == (str(ours), f"{wp.base}/{SLUG}-2/", f"{SLUG}-2", 2)


def test_the_review_page_links_to_the_post_wordpress_returned(store: Store, tmp_path: Path,
                                                              wp: WordPressState) -> None:
    someone_elses_post(wp)
    settings = as_author(settings_for(store, tmp_path, wp))
    draft = written(settings)
    approve(store, draft, by="Ann")
    publish_article(store, settings, draft, ["wordpress"])
    client = make_client(store, check_body)
    sign_in(client)
    page = client.get(f"/drafts/{draft}").text
    assert f'<a href="{wp.base}/{SLUG}-2/"' in page and f"slug {SLUG}-2" in page
