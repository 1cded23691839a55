"""The static site: golden pages and feeds, feeds that parse back and validate, no duplicates."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from generator.errors import ConfigError
from generator.jobs import PUBLISH_TARGETS
from generator.publishing import TARGETS, PublishableArticle, configured_targets, make_target
from generator.publishing.static_site import StaticSite
from generator.settings import Settings
from tests.conftest import ROOT

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "site"
BASE = "https://news.example.com/"
PUBLISHED_AT = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
ATOM = "{http://www.w3.org/2005/Atom}"


def site(root: Path, when: datetime = PUBLISHED_AT, items: int = 20) -> StaticSite:
    return StaticSite(root, BASE, "The Daily Block", feed_items=items, clock=lambda: when)


def text_files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.suffix in {
        ".html", ".md", ".xml", ".json"}}


def test_site_matches_golden(tmp_path: Path, example_article: PublishableArticle,
                             second_article: PublishableArticle) -> None:
    s = site(tmp_path)
    s.publish(second_article)
    s.publish(example_article)
    produced = text_files(tmp_path)
    if os.environ.get("UPDATE_GOLDEN"):
        for name, text in produced.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text)
    assert produced == text_files(GOLDEN), "site differs from tests/golden/site; UPDATE_GOLDEN=1 and review the diff"
    assert (tmp_path / example_article.slug / "chart.png").read_bytes() == example_article.chart_path.read_bytes()
    assert (tmp_path / "style.css").read_text() == (ROOT / "templates" / "site" / "style.css").read_text()


def test_feeds_parse_back_and_validate(tmp_path: Path, example_article: PublishableArticle,
                                       second_article: PublishableArticle) -> None:
    s = site(tmp_path)
    s.publish(second_article)
    s.publish(example_article)
    rss = feedparser.parse((tmp_path / "feed.xml").read_bytes())
    atom = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert not rss.bozo and rss.version == "rss20"
    assert not atom.bozo and atom.version == "atom10"
    for feed in (rss, atom):
        assert feed.feed.title == "The Daily Block"
        assert [e.id for e in feed.entries] == [example_article.guid, second_article.guid]  # newest first
        assert [e.link for e in feed.entries] == [BASE + example_article.slug + "/", BASE + second_article.slug + "/"]
        assert feed.entries[0].title == example_article.title
        assert f'src="{BASE}{example_article.slug}/chart.png"' in feed.entries[0].content[0].value
        assert {t.term for t in feed.entries[0].tags} == {"Markets", "Bitcoin", "BTC"}
    # Required elements, read as plain XML: RSS 2.0 channel and items, Atom feed and entries.
    channel = ET.fromstring((tmp_path / "feed.xml").read_bytes()).find("channel")
    assert all(channel.findtext(tag) for tag in ("title", "link", "description"))
    for item in channel.findall("item"):
        assert all(item.findtext(tag) for tag in ("title", "link", "guid", "pubDate", "description"))
        assert item.find("guid").get("isPermaLink") == "false"
    feed = ET.fromstring((tmp_path / "atom.xml").read_bytes())
    assert all(feed.findtext(ATOM + tag) for tag in ("id", "title", "updated"))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "atom.xml"
    for entry in feed.findall(ATOM + "entry"):
        assert all(entry.findtext(ATOM + tag) for tag in ("id", "title", "updated", "published", "summary"))
        assert entry.find(ATOM + "link").get("href").startswith(BASE)


def test_republishing_replaces_and_never_duplicates(tmp_path: Path, example_article: PublishableArticle) -> None:
    first = site(tmp_path).publish(example_article)
    again = site(tmp_path, when=datetime(2024, 5, 2, tzinfo=timezone.utc)).publish(example_article)
    assert first.created and not again.created and first.url == again.url
    assert len(feedparser.parse((tmp_path / "feed.xml").read_bytes()).entries) == 1
    atom = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert len(atom.entries) == 1
    assert atom.entries[0].updated_parsed[:3] == (2024, 5, 1)  # unchanged content keeps its date
    edited = example_article.model_copy(update={"title": "Bitcoin breaks support"})
    site(tmp_path, when=datetime(2024, 5, 3, tzinfo=timezone.utc)).publish(edited)
    atom = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert [e.title for e in atom.entries] == ["Bitcoin breaks support"]
    assert atom.entries[0].updated_parsed[:3] == (2024, 5, 3)
    assert "Bitcoin breaks support" in (tmp_path / example_article.slug / "index.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [example_article.slug]


def test_find_existing_recovers_an_unrecorded_publication(tmp_path: Path,
                                                          example_article: PublishableArticle) -> None:
    s = site(tmp_path)
    assert s.find_existing(example_article) is None
    post = s.publish(example_article)  # ...and the caller crashes before recording it
    found = site(tmp_path).find_existing(example_article)
    assert found is not None and found.remote_id == post.remote_id and found.url == post.url


def test_feed_keeps_only_the_newest_items(tmp_path: Path, example_article: PublishableArticle,
                                          second_article: PublishableArticle) -> None:
    s = site(tmp_path, items=1)
    s.publish(example_article)
    s.publish(second_article)
    assert [e.id for e in feedparser.parse((tmp_path / "atom.xml").read_bytes()).entries] == [example_article.guid]
    assert second_article.title in (tmp_path / "index.html").read_text()  # the index lists everything


def test_titles_are_escaped_in_pages(tmp_path: Path, second_article: PublishableArticle) -> None:
    hostile = second_article.model_copy(update={"title": "<script>alert(1)</script> & more"})
    site(tmp_path).publish(hostile)
    for page in (tmp_path / "index.html", tmp_path / second_article.slug / "index.html"):
        text = page.read_text()
        assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text


def test_markdown_copy_has_hugo_and_jekyll_front_matter(tmp_path: Path, example_article: PublishableArticle) -> None:
    import yaml

    site(tmp_path).publish(example_article)
    text = (tmp_path / example_article.slug / "index.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["title"] == example_article.title and meta["draft"] is False
    assert meta["date"] == "2018-02-06T00:00:00Z" and meta["permalink"] == f"/{example_article.slug}/"
    assert meta["tags"] == ["Bitcoin", "BTC"] and meta["categories"] == ["Markets"]
    body = text.split("---\n", 2)[2]
    assert not body.lstrip().startswith("# ") and "](chart.png)" in body


def test_settings_and_factory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="static_site_url is not set"):
        make_target("static_site", Settings())
    with pytest.raises(ConfigError, match="absolute"):
        StaticSite(tmp_path, "news.example.com", "x")
    with pytest.raises(ConfigError, match="unknown publishing target"):
        make_target("ftp", Settings())
    settings = Settings(static_site_url=BASE, static_site_dir=tmp_path, webhook_url="http://127.0.0.1:9/")
    assert isinstance(make_target("static_site", settings), StaticSite)
    assert configured_targets(settings) == ["static_site", "webhook"]
    assert PUBLISH_TARGETS == TARGETS  # the scheduler's list of names stays in step
