"""Typed rows of the desk store: articles, their revisions and the audit log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.desk.checking import CheckSummary
from generator.factcheck.report import CheckReport

Status = Literal["draft", "blocked", "approved", "rejected", "published"]
Origin = str  # template | llm | partial | repaired | fallback (set by the drafting stage)


class Article(BaseModel):
    """One article (asset, kind, date) under review; its text lives in revisions."""

    model_config = ConfigDict(frozen=True)

    id: int
    asset: str
    kind: str
    date: str  # '2018-02-06'; alerts, one per minute, '2018-02-06 09:05' (generator.kinds.desk_date)
    status: Status
    title: str
    path: Path
    files: list[str]
    sections: dict[str, Origin]
    factcheck: CheckSummary | None  # None: the current revision was never checked
    current_revision: int
    created_at: datetime
    updated_at: datetime
    version: int
    proposed_revision: int | None = None  # a regeneration waiting for an editor (generator.desk.proposals)

    @property
    def share(self) -> dict[str, int]:
        """How many sections came from each origin: {'llm': 6, 'template': 5}."""
        counts: dict[str, int] = {}
        for origin in self.sections.values():
            counts[origin] = counts.get(origin, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def llm_sections(self) -> int:
        """Sections whose prose came from the language model (as written or repaired)."""
        return sum(1 for origin in self.sections.values() if origin in ("llm", "partial", "repaired"))


class Revision(BaseModel):
    """One version of an article's Markdown body with the fact-check report of exactly that text."""

    model_config = ConfigDict(frozen=True)

    id: int
    article_id: int
    number: int
    markdown: str
    factcheck: CheckReport | None  # None: never checked
    passed: bool
    source: Literal["generate", "edit"]
    author: str
    created_at: datetime
    correction: str | None = None  # the note of a correction to the published text


class AuditEntry(BaseModel):
    """Who did what to which article, when, and why."""

    model_config = ConfigDict(frozen=True)

    id: int
    article_id: int | None
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    revision: int | None
    reason: str | None


class Publication(BaseModel):
    """Where one article went on one publishing target, and how the last attempt went."""

    model_config = ConfigDict(frozen=True)

    id: int
    article_id: int
    target: str
    revision: int
    status: Literal["pending", "published", "failed"]
    remote_id: str | None
    url: str | None
    slug: str | None = None  # as the target's server returned it (WordPress may have renamed ours)
    error: str | None
    attempts: int
    first_attempt_at: datetime
    last_attempt_at: datetime
    published_at: datetime | None

    def identity(self) -> str:
        """'id 101, slug 2018-02-06-btc-daily-2' when the target gave both (and they differ), else ''."""
        if not self.slug or self.remote_id in (None, self.slug):
            return ""
        return f"id {self.remote_id}, slug {self.slug}"

    def describe(self) -> str:
        """'published (revision 2): https://...' / 'failed after 3 publish runs: ...' for terminals and pages.

        A publish run counts once however many HTTP requests (and resends) it made; the error says those."""
        if self.status == "published":
            where = self.url or f"remote id {self.remote_id}"
            known = f" ({self.identity()})" if self.identity() else ""
            return f"published (revision {self.revision}): {where}{known}"
        if self.status == "failed":
            tries = "1 publish run" if self.attempts == 1 else f"{self.attempts} publish runs"
            return f"failed after {tries}, retried by the next publish run: {self.error}"
        return ("pending: an attempt was interrupted before its outcome was recorded; the next publish run "
                "looks the post up before sending it again")
