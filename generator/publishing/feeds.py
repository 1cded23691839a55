"""RSS 2.0 and Atom feeds of the static site, built with feedgen."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

RSS_FILE, ATOM_FILE = "feed.xml", "atom.xml"


class FeedEntry(BaseModel):
    """One published article as the site's manifest remembers it."""

    model_config = ConfigDict(frozen=True)

    slug: str
    guid: str
    title: str
    date: datetime
    updated: datetime
    summary: str
    tags: list[str]
    categories: list[str]
    html: str  # body HTML; the chart's src is relative to the article's page
    content_hash: str


def build_feeds(entries: list[FeedEntry], base_url: str, title: str, description: str, items: int,
                language: str = "en") -> tuple[bytes, bytes]:
    """(RSS 2.0, Atom) documents of the newest ``items`` entries; ``base_url`` ends with '/'."""
    newest = sorted(entries, key=lambda e: (e.date, e.slug), reverse=True)[:items]
    return (
        _generator(newest, base_url, title, description, language, RSS_FILE).rss_str(pretty=True),
        _generator(newest, base_url, title, description, language, ATOM_FILE).atom_str(pretty=True),
    )


def _generator(entries: list[FeedEntry], base_url: str, title: str, description: str, language: str,
               self_file: str):  # noqa: ANN202 - feedgen has no type hints
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(base_url)
    fg.title(title)
    fg.description(description)  # RSS channel description; Atom subtitle
    # feedgen's RSS <link> is the last link set, so "self" goes first.
    fg.link(href=base_url + self_file, rel="self")
    fg.link(href=base_url, rel="alternate")
    fg.language(language)
    fg.generator("marketnews")
    # The feed is as new as its newest entry, so an unchanged site gives an unchanged feed.
    stamp = max((e.updated for e in entries), default=None)
    if stamp is not None:
        fg.updated(stamp)
        fg.lastBuildDate(stamp)
    for entry in entries:
        url = f"{base_url}{entry.slug}/"
        fe = fg.add_entry(order="append")
        fe.id(entry.guid)
        fe.guid(entry.guid, permalink=False)
        fe.title(entry.title)
        fe.link(href=url, rel="alternate")
        fe.published(entry.date)
        fe.updated(entry.updated)
        fe.summary(entry.summary)
        # Feed readers resolve nothing relative: the chart gets its absolute address.
        fe.content(entry.html.replace('src="chart.png"', f'src="{url}chart.png"'), type="html")
        for term in [*entry.categories, *entry.tags]:
            fe.category(term=term)
    return fg
