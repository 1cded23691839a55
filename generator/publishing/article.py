"""What a publishing target receives (PublishableArticle) and gives back (RemotePost).

``load_article`` reads an article folder written by ``generate`` (article.md with
front matter, chart.png if drawn); targets never read the folder themselves.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

import yaml
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from generator import kinds
from generator.drafting.story import ASSET_NAMES
from generator.errors import InputError
from generator.html import markdown_to_html

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,199}$"
_CHART_IMG = re.compile(r'<p>\s*<img [^>]*src="chart\.png"[^>]*>\s*</p>\n?')


class PublishableArticle(BaseModel):
    """One article as every target needs it. ``html`` is the sanitised body without the title."""

    model_config = ConfigDict(frozen=True)

    slug: str = Field(pattern=SLUG_PATTERN)
    guid: str
    title: str
    date: AwareDatetime
    asset: str
    asset_name: str
    kind: str
    summary: str  # the lead paragraph as plain text
    front_matter: dict[str, Any]  # as generate wrote it
    body: str  # Markdown without front matter and without the title heading
    html: str
    chart_path: Path | None = None
    chart_alt: str | None = None
    tags: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)

    @property
    def markdown(self) -> str:
        """article.md as written: front matter, title, body."""
        meta = yaml.safe_dump(self.front_matter, sort_keys=False, allow_unicode=True)
        return f"---\n{meta}---\n\n# {self.title}\n\n{self.body}"

    def html_with_chart(self, src: str | None) -> str:
        """The body HTML with the chart pointing at ``src``, or without the chart when ``src`` is None."""
        if src is None:
            return _CHART_IMG.sub("", self.html)
        return self.html.replace('src="chart.png"', f'src="{src}"')


class RemotePost(BaseModel):
    """Where an article ended up on a target."""

    model_config = ConfigDict(frozen=True)

    target: str
    remote_id: str
    url: str | None
    slug: str | None = None  # the slug the target stored it under, which may not be the one asked for
    created: bool = False  # False when an existing post was found and updated


class PublishTarget(Protocol):
    """One place articles go. ``publish`` looks the article up first, so calling it again never duplicates.

    ``previous`` is where the desk last recorded the article on this target (None: nowhere yet). A target
    whose server may change the slug (WordPress) finds the post by its recorded id rather than by slug."""

    name: str

    def find_existing(self, article: PublishableArticle) -> RemotePost | None: ...

    def publish(self, article: PublishableArticle, previous: RemotePost | None = None) -> RemotePost: ...


def article_slug(date: AwareDatetime, asset: str, kind: str) -> str:
    """'2018-02-06-btc-daily', '2018-02-06-btc-alert-0905': unique per article folder (see generator.kinds)."""
    return kinds.article_slug(asset, kind, date)


def load_article(folder: Path, categories: list[str] | None = None, extra_tags: list[str] | None = None,
                 guid: str | None = None) -> PublishableArticle:
    """Read an article folder written by ``generate``."""
    meta, body = read_article_file(folder)
    return build_article(folder, meta, body, categories, extra_tags, guid)


def read_article_file(folder: Path) -> tuple[dict[str, Any], str]:
    """(front matter, Markdown body with its title heading) of ``folder/article.md``."""
    path = folder / "article.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    return _split_front_matter(text, path)


def build_article(folder: Path, meta: dict[str, Any], body: str, categories: list[str] | None = None,
                  extra_tags: list[str] | None = None, guid: str | None = None) -> PublishableArticle:
    """The article from its front matter and Markdown ``body`` (e.g. an edited revision); the chart from ``folder``."""
    path = folder / "article.md"
    try:
        title, date, asset, kind = str(meta["title"]), meta["date"], str(meta["asset"]), str(meta["kind"])
    except KeyError as err:
        raise InputError(f"{path} has no {err.args[0]!r} in its front matter") from None
    from datetime import datetime

    when = date if isinstance(date, datetime) else datetime.fromisoformat(str(date).replace("Z", "+00:00"))
    body = re.sub(r"\A# [^\n]*\n+", "", body.lstrip("\n"))  # targets print the title themselves
    chart = folder / "chart.png"
    alt = re.search(r"!\[([^\]]*)\]\(chart\.png\)", body)
    slug = article_slug(when, asset, kind)
    name = ASSET_NAMES.get(asset, asset)
    return PublishableArticle(
        slug=slug, guid=guid or f"urn:marketnews:article:{slug}", title=title, date=when, asset=asset,
        asset_name=name, kind=kind, summary=_lead(body), front_matter=meta, body=body,
        html=markdown_to_html(body), chart_path=chart if chart.is_file() else None,
        chart_alt=alt.group(1) if alt else None,
        tags=_unique([name, asset, *(extra_tags or [])]), categories=list(categories or []),
    )


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    match = re.match(r"\A---\n(.*?)\n---\n", text, flags=re.S)
    if not match:
        raise InputError(f"{path} has no front matter; was it written by marketnews generate?")
    try:
        meta = yaml.safe_load(match.group(1))
    except (yaml.YAMLError, RecursionError):  # PyYAML composes nested collections recursively
        raise InputError(f"{path} has malformed front matter") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path} has malformed front matter")
    return meta, text[match.end():]


def _lead(body: str) -> str:
    """The first prose paragraph, as plain text (for feed summaries and excerpts)."""
    for block in body.split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "!", "|", "-", "*", ">")):
            text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", block)
            return re.sub(r"[*_`]", "", " ".join(text.split()))
    return ""


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
