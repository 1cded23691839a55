"""The static site target: a page per article, an index, Markdown copies and RSS/Atom feeds.

Layout under the site folder (upload it as is to any web server):

    index.html  style.css  feed.xml  atom.xml  articles.json
    <slug>/index.html  <slug>/index.md  <slug>/chart.png

``articles.json`` is the site's record of what it holds; the index and the
feeds are rebuilt from it on every publish, so publishing the same article
again replaces its page and its feed entry instead of adding one.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from pydantic import TypeAdapter, ValidationError

from generator.errors import ConfigError, InputError, OutputError
from generator.facts import format_date
from generator.output import write_article_dir, write_atomic
from generator.paths import bundled_dir
from generator.publishing.article import PublishableArticle, RemotePost
from generator.publishing.feeds import ATOM_FILE, RSS_FILE, FeedEntry, build_feeds

MANIFEST = "articles.json"
_ENTRIES = TypeAdapter(list[FeedEntry])


class StaticSite:
    """Publishes into a folder; remote id = slug, URL = base URL + slug + '/'."""

    name = "static_site"

    def __init__(self, root: Path, base_url: str, title: str, feed_items: int = 20,
                 templates_dir: Path | None = None, clock: Callable[[], datetime] | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ConfigError(f"static_site_url must be an absolute http(s) URL, got {base_url!r}")
        self.root = root
        self.base_url = base_url.rstrip("/") + "/"
        self.title = title
        self.feed_items = feed_items
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        loaders = [FileSystemLoader(str(templates_dir / "site"))] if templates_dir else []
        loaders.append(FileSystemLoader(str(bundled_dir("templates") / "site")))
        self.env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                               keep_trailing_newline=True)

    @classmethod
    def from_settings(cls, settings) -> StaticSite:  # noqa: ANN001 - generator.settings.Settings
        if not settings.static_site_url:
            raise ConfigError("static_site_url is not set; the feeds need the site's public address, "
                              "e.g. static_site_url = \"https://news.example.com/\"")
        return cls(settings.static_site_dir, settings.static_site_url, settings.publication,
                   settings.static_site_feed_items, settings.templates_dir)

    @property
    def description(self) -> str:
        return f"Automated crypto market news from {self.title}"

    def url_of(self, slug: str) -> str:
        return f"{self.base_url}{slug}/"

    def entries(self) -> list[FeedEntry]:
        path = self.root / MANIFEST
        try:
            return _ENTRIES.validate_json(path.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, ValidationError, ValueError):
            raise InputError(f"{path} is damaged; restore it from a backup or remove the site folder and "
                             "publish again") from None

    def find_existing(self, article: PublishableArticle) -> RemotePost | None:
        """The site's entry for this article, by guid or else by slug."""
        found = _match(self.entries(), article)
        if found is None or not (self.root / found.slug / "index.html").is_file():
            return None
        return RemotePost(target=self.name, remote_id=found.slug, url=self.url_of(found.slug))

    def publish(self, article: PublishableArticle, previous: RemotePost | None = None) -> RemotePost:
        """Write (or replace) the article's page, then the index and the feeds. The site's own manifest
        finds an earlier version (by guid, then slug), so ``previous`` is not needed."""
        entries = self.entries()
        earlier = _match(entries, article)
        digest = hashlib.sha256(f"{article.title}\n{article.html}".encode()).hexdigest()
        updated = earlier.updated if earlier and earlier.content_hash == digest else self.clock()
        entry = FeedEntry(slug=article.slug, guid=article.guid, title=article.title, date=article.date,
                          updated=updated, summary=article.summary, tags=article.tags,
                          categories=article.categories, html=article.html, content_hash=digest)
        write_article_dir(self.root / article.slug, self._page_files(article))
        if earlier is not None and earlier.slug != article.slug:
            shutil.rmtree(self.root / earlier.slug, ignore_errors=True)
        entries = [e for e in entries if e is not earlier] + [entry]
        entries.sort(key=lambda e: (e.date, e.slug), reverse=True)
        self._write(MANIFEST, _ENTRIES.dump_json(entries, indent=2) + b"\n")
        self.rebuild(entries)
        return RemotePost(target=self.name, remote_id=article.slug, url=self.url_of(article.slug), slug=article.slug,
                          created=earlier is None)

    def rebuild(self, entries: list[FeedEntry] | None = None) -> None:
        """Rewrite the index, the feeds and the stylesheet from the manifest."""
        entries = self.entries() if entries is None else entries
        rows = [{"slug": e.slug, "title": e.title, "summary": e.summary, "tags": e.tags,
                 "date": e.date.isoformat(), "date_display": format_date(e.date)} for e in entries]
        self._write("index.html", self._render("index.html.j2", entries=rows, description=self.description,
                                               root="").encode())
        rss, atom = build_feeds(entries, self.base_url, self.title, self.description, self.feed_items)
        self._write(RSS_FILE, rss)
        self._write(ATOM_FILE, atom)
        self._write("style.css", self._source("style.css").encode())

    def _page_files(self, article: PublishableArticle) -> dict[str, bytes]:
        files = {
            "index.html": self._render("page.html.j2", article=article, body=article.html,
                                       date=format_date(article.date), url=self.url_of(article.slug),
                                       root="../").encode(),
            "index.md": _markdown_copy(article).encode(),
        }
        if article.chart_path is not None:
            try:
                files["chart.png"] = article.chart_path.read_bytes()
            except OSError as err:
                raise InputError(f"cannot read {article.chart_path}: {err.strerror or err}") from None
        return files

    def _render(self, name: str, **context: object) -> str:
        try:
            return self.env.get_template(name).render(site_title=self.title, **context)
        except TemplateError as err:
            raise ConfigError(f"site template {name} failed: {err}") from None

    def _source(self, name: str) -> str:
        source, _, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return source

    def _write(self, name: str, data: bytes) -> None:
        try:
            write_atomic(self.root / name, data)
        except OSError as err:
            raise OutputError(f"cannot write {self.root / name}: {err.strerror or err}") from None


def _match(entries: list[FeedEntry], article: PublishableArticle) -> FeedEntry | None:
    by_guid = next((e for e in entries if e.guid == article.guid), None)
    return by_guid or next((e for e in entries if e.slug == article.slug), None)


def _markdown_copy(article: PublishableArticle) -> str:
    """The article as Markdown with front matter that Hugo (page bundle) and Jekyll both read."""
    meta = {
        "title": article.title,
        "date": article.date.isoformat().replace("+00:00", "Z"),
        "slug": article.slug,
        "draft": False,
        "description": article.summary,
        "tags": article.tags,
        "categories": article.categories,
        "layout": "post",  # Jekyll
        "permalink": f"/{article.slug}/",  # Jekyll; Hugo derives the same path from the bundle folder
        "guid": article.guid,
        "asset": article.asset,
        "kind": article.kind,
        "factcheck": article.front_matter.get("factcheck"),
    }
    if article.chart_path is not None:
        meta["images"] = ["chart.png"]  # Hugo's social cards
        meta["image"] = "chart.png"  # Jekyll themes' header image
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n" + article.body
