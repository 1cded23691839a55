"""Links and images in a revision that marketnews did not put there, which an editor must approve explicitly.

The fact-check proves numbers and words; it says nothing of a tracking pixel or a link to an unknown domain
added in an edit, and such a draft would read "all verified". Trusted are the hosts the generated text
itself links to (its sources list) and the article's own files (chart.png); everything else is listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import urlsplit

import markdown
from pydantic import BaseModel, ConfigDict


class Foreign(BaseModel):
    """One link or image the generated text did not have."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["link", "image"]
    url: str
    host: str  # '' for a relative address

    def describe(self) -> str:
        return f"{self.kind} {self.url}" if self.kind == "image" else f"link to {self.host or self.url}"


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[Literal["link", "image"], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.found.append(("link", str(values["href"]).strip()))
        elif tag in ("img", "source", "video", "audio", "iframe", "embed", "object") and (
                values.get("src") or values.get("data") or values.get("srcset")):
            self.found.append(("image", str(values.get("src") or values.get("data") or values.get("srcset")).strip()))


def references(text: str) -> list[tuple[Literal["link", "image"], str]]:
    """Every link and embedded resource in a Markdown text (raw HTML in it included), in order."""
    parser = _Refs()
    parser.feed(markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html"))
    return parser.found


def _host(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return parts.path.rpartition("@")[2].lower()
    return (parts.hostname or "").lower()


def trusted_hosts(generated_texts: Iterable[str]) -> set[str]:
    """The hosts the generated revisions link to: the article's sources."""
    return {h for text in generated_texts for kind, url in references(text) if kind == "link" and (h := _host(url))}


def foreign_content(text: str, trusted: set[str], own_files: Iterable[str]) -> list[Foreign]:
    """Links to hosts outside ``trusted`` and any image that is not one of the article's own files."""
    own = set(own_files)
    out: dict[tuple[str, str], Foreign] = {}
    for kind, url in references(text):
        host = _host(url)
        parts = urlsplit(url)
        if kind == "image":
            if not parts.scheme and not parts.netloc and parts.path in own:
                continue
        elif (not parts.scheme and not parts.netloc) or host in trusted:
            continue  # a relative link stays on the site; a source link is the article's own
        out.setdefault((kind, url), Foreign(kind=kind, url=url, host=host))
    return list(out.values())
