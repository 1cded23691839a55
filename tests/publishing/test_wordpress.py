"""WordPress against a fake wp/v2 server on 127.0.0.1: auth, create, lookup by slug, media, terms, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from generator.errors import ConfigError, PublishError
from generator.publishing import PublishableArticle, make_target
from generator.publishing.wordpress import WordPress
from generator.settings import Settings
from tests.publishing.fake_wordpress import WordPressState, fake_wordpress

PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"  # as WordPress shows it: groups of four


@pytest.fixture
def wp() -> Iterator[WordPressState]:
    with fake_wordpress() as state:
        yield state


def client(state: WordPressState, user: str = "editor", password: str = PASSWORD, **kw: object) -> WordPress:
    return WordPress(state.base, user, password, backoff=0.01, **kw)  # type: ignore[arg-type]


def test_creates_a_draft_with_terms_and_featured_chart(wp: WordPressState,
                                                       example_article: PublishableArticle) -> None:
    post = client(wp).publish(example_article)
    assert post.created and post.target == "wordpress"
    stored = wp.posts[int(post.remote_id)]
    assert stored["status"] == "draft" and stored["slug"] == example_article.slug
    assert stored["title"]["raw"] == example_article.title
    assert stored["date_gmt"] == "2018-02-06T00:00:00"
    assert "<img" not in stored["content"]["raw"] and "Price action and liquidations" in stored["content"]["raw"]
    assert stored["excerpt"]["raw"] == example_article.summary
    names = {t["id"]: t["name"] for tax in wp.terms.values() for t in tax.values()}
    assert [names[i] for i in stored["categories"]] == ["Markets"]
    assert [names[i] for i in stored["tags"]] == ["Bitcoin", "BTC"]
    media = wp.media[stored["featured_media"]]
    assert media["slug"] == f"{example_article.slug}-chart" and media["mime_type"] == "image/png"
    assert media["bytes"] == example_article.chart_path.stat().st_size
    assert media["alt_text"] == example_article.chart_alt


def test_publishing_twice_updates_the_same_post(wp: WordPressState, example_article: PublishableArticle) -> None:
    first = client(wp).publish(example_article)
    second = client(wp).publish(example_article.model_copy(update={"title": "Corrected title"}))
    assert not second.created and second.remote_id == first.remote_id
    assert len(wp.posts) == 1 and len(wp.media) == 1
    assert wp.posts[int(first.remote_id)]["title"]["raw"] == "Corrected title"
    assert len([t for t in wp.terms["tags"].values() if t["name"] == "BTC"]) == 1


def test_update_keeps_the_status_an_editor_chose(wp: WordPressState, second_article: PublishableArticle) -> None:
    post = client(wp, status="draft").publish(second_article)
    wp.posts[int(post.remote_id)]["status"] = "publish"  # an editor published it on WordPress
    client(wp, status="draft").publish(second_article)
    assert wp.posts[int(post.remote_id)]["status"] == "publish"


def publish_and_crash_after_create(target: WordPress, article: PublishableArticle,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Publish, and kill the process right after WordPress created the post, before anyone recorded it."""
    real_request = requests.Session.request

    def crash_after_create(self: requests.Session, method: str, url: str, **kw: object) -> requests.Response:
        response = real_request(self, method, url, **kw)
        if method == "POST" and url.endswith("/posts"):
            raise KeyboardInterrupt("killed after the post was created, before it was recorded")
        return response

    monkeypatch.setattr(requests.Session, "request", crash_after_create)
    with pytest.raises(KeyboardInterrupt):
        target.publish(article)
    monkeypatch.undo()


def test_crash_after_remote_create_then_rerun_gives_one_post(wp: WordPressState,
                                                             second_article: PublishableArticle,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = client(wp, status="publish")
    publish_and_crash_after_create(target, second_article, monkeypatch)
    assert len(wp.posts) == 1
    found = client(wp).find_existing(second_article)
    assert found is not None and found.url == f"{wp.base}/{second_article.slug}/"
    again = client(wp, status="publish").publish(second_article)
    assert not again.created and again.remote_id == found.remote_id and len(wp.posts) == 1


def test_find_existing_is_none_for_a_new_article(wp: WordPressState, second_article: PublishableArticle) -> None:
    assert client(wp).find_existing(second_article) is None
    forms = "%2C".join([second_article.slug, *(f"{second_article.slug}-{n}" for n in range(2, 10))])
    assert ("GET", f"/wp-json/wp/v2/posts?slug={forms}&status=any&context=edit&per_page=20") in wp.log


def test_wrong_application_password_is_a_clear_401(wp: WordPressState, second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError, match="refused the login of 'editor'.*invalid application password") as err:
        client(wp, password="wrong").publish(second_article)
    assert "wrong" not in str(err.value) and not wp.posts


def test_unknown_user_is_a_clear_401(wp: WordPressState, second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError, match="refused the login of 'nobody'.*not registered"):
        client(wp, user="nobody").publish(second_article)


def test_user_without_permission_is_a_clear_403(wp: WordPressState, second_article: PublishableArticle) -> None:
    with pytest.raises(PublishError, match="'subscriber' is not allowed to look up posts.*Author or Editor"):
        client(wp, user="subscriber", password="zyxw VUTS rqpo NMLK jihg FEDC").publish(second_article)


def test_server_errors_are_retried_then_succeed(wp: WordPressState, second_article: PublishableArticle) -> None:
    wp.fail = [500, 503]  # the slug lookup (a GET) fails twice, then works
    post = client(wp).publish(second_article)
    assert post.created and len(wp.posts) == 1


def test_rate_limited_create_is_retried(wp: WordPressState, second_article: PublishableArticle) -> None:
    target = client(wp)
    target.find_existing(second_article)
    target._term_id("categories", "Markets")
    target._term_id("tags", "Bitcoin")
    target._term_id("tags", "BTC")
    wp.fail = [429]  # the POST /posts: refused, not processed, so safe to send again
    assert target.publish(second_article).created and len(wp.posts) == 1


def test_persistent_500_is_a_clear_error(wp: WordPressState, second_article: PublishableArticle) -> None:
    wp.fail = [500] * 10
    with pytest.raises(PublishError, match=r"failed to look up posts: 500 There has been a critical error.* "
                       r"\(resent 2 times with backoff\)"):
        client(wp, retries=2).publish(second_article)
    assert len(wp.log) == 3  # one try and two retries


def test_a_500_on_create_is_not_blindly_resent(wp: WordPressState, second_article: PublishableArticle) -> None:
    # A 500 may come after WordPress inserted the post; resending the POST could make a second one.
    # The create is left to the next run, which looks the slug up first.
    target = client(wp)
    before = len(wp.log)
    wp.fail = [500]
    with pytest.raises(PublishError, match=r"failed to create posts: 500 .*\(not resent: WordPress may have acted"):
        target._call("POST", "posts", "create posts", json={"title": "x", "slug": "x"}, expect=201)
    assert wp.log[before:] == [("POST", "/wp-json/wp/v2/posts")]


def test_no_wordpress_there(second_article: PublishableArticle) -> None:
    with fake_wordpress() as state:
        base = state.base
    with pytest.raises(PublishError, match="WordPress at .* refused the connection: is it running"):
        WordPress(base, "editor", PASSWORD, retries=0).publish(second_article)


def test_settings(wp: WordPressState) -> None:
    with pytest.raises(ConfigError, match="wordpress_user, wordpress_app_password"):
        make_target("wordpress", Settings(wordpress_url=wp.base))
    target = make_target("wordpress", Settings(wordpress_url=wp.base + "/", wordpress_user="editor",
                                               wordpress_app_password=PASSWORD, wordpress_status="publish"))
    assert isinstance(target, WordPress) and target.api == wp.base + "/wp-json/wp/v2/"
    assert PASSWORD not in repr(Settings(wordpress_app_password=PASSWORD))


AUTHOR_PASSWORD = "mnop QRST uvwx YZab cdEF ghij"


def test_a_renamed_slug_is_returned_and_the_post_found_again_by_id(wp: WordPressState,
                                                                  second_article: PublishableArticle) -> None:
    # An editor's private post holds the slug; marketnews publishes as an Author, who cannot see it.
    holder = client(wp, status="private").publish(second_article.model_copy(update={"title": "Editor's own"}))
    author = client(wp, user="author", password=AUTHOR_PASSWORD, status="publish")
    ours = author.publish(second_article)  # the slug is taken: WordPress appends -2
    assert ours.created and ours.slug == f"{second_article.slug}-2"
    assert ours.url == f"{wp.base}/{second_article.slug}-2/" == wp.posts[int(ours.remote_id)]["link"]
    again = author.publish(second_article.model_copy(update={"title": "Corrected"}), ours)
    assert not again.created and again.remote_id == ours.remote_id and again.slug == ours.slug
    assert wp.posts[int(ours.remote_id)]["title"]["raw"] == "Corrected" and len(wp.posts) == 2
    assert wp.posts[int(holder.remote_id)]["title"]["raw"] == "Editor's own"
    # Without the recorded post (a crash before the desk recorded it), the lookup finds ours under its new slug.
    rerun = author.publish(second_article)
    assert not rerun.created and rerun.remote_id == ours.remote_id and len(wp.posts) == 2


def test_a_crash_after_creating_under_a_renamed_slug_gives_one_post(wp: WordPressState,
                                                                     second_article: PublishableArticle,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    client(wp, status="publish").publish(second_article.model_copy(update={"title": "Editor's own"}))
    author = client(wp, user="author", password=AUTHOR_PASSWORD, status="publish")
    publish_and_crash_after_create(author, second_article, monkeypatch)
    again = author.publish(second_article)
    assert not again.created and again.slug == f"{second_article.slug}-2" and len(wp.posts) == 2


def test_a_recorded_post_deleted_on_wordpress_is_looked_up_by_slug(wp: WordPressState,
                                                                   second_article: PublishableArticle) -> None:
    first = client(wp).publish(second_article)
    del wp.posts[int(first.remote_id)]
    again = client(wp).publish(second_article, first)
    assert again.created and again.remote_id != first.remote_id and len(wp.posts) == 1


def test_another_authors_post_holding_the_slug_is_never_overwritten(wp: WordPressState,
                                                                   second_article: PublishableArticle) -> None:
    holder = client(wp, status="publish").publish(second_article.model_copy(update={"title": "Editor's own"}))
    author = client(wp, user="author", password=AUTHOR_PASSWORD, status="publish")
    assert author.find_existing(second_article) is None  # the editor's post is visible, but not ours
    ours = author.publish(second_article)
    assert ours.created and ours.remote_id != holder.remote_id and ours.slug == f"{second_article.slug}-2"
    assert wp.posts[int(holder.remote_id)]["title"]["raw"] == "Editor's own"
    assert client(wp, status="publish").find_existing(second_article).remote_id == holder.remote_id  # its author's
