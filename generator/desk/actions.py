"""What editors (and generate) do to drafts, with the rules that keep the desk honest.

- ``generate`` registers every draft: a new article, or a new revision of the
  same asset/kind/date (the new text needs a new review, so an approval lapses).
- Nothing approves a draft whose current revision fails the fact-check (also
  enforced by a trigger in the database).
- Saving an edit re-runs the fact-check on the new text: a blocked draft whose
  fix is right becomes a draft again; a failing edit blocks it.
- Every change names the version it was based on; if someone changed the draft
  since, the change is refused with ConflictError and nothing is overwritten.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from generator.desk.checking import check_body, describe, passes, summarise
from generator.desk.content import Foreign, foreign_content, trusted_hosts
from generator.desk.engine import Connection, IntegrityError
from generator.desk.files import inherit_files, put_files
from generator.desk.models import Article, Revision
from generator.desk.proposals import is_pending, propose
from generator.desk.store import Store, _Stale
from generator.errors import ConflictError, InputError, MarketnewsError, NotAllowed
from generator.factcheck.report import CheckReport
from generator.facts import FactSet
from generator.kinds import desk_date
from generator.output import promote_dir, proposal_dir

if TYPE_CHECKING:
    from generator.drafting import Draft
    from generator.settings import Settings
    from generator.snapshot import MarketSnapshot

GENERATE_ACTOR = "marketnews generate"
MAX_MARKDOWN_CHARS = 200_000
_ARTICLE = {"approved": "an", "published": "a"}  # the audit log reads as English
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


class SaveResult(BaseModel):
    """The outcome of saving an edit: the article after it and the revision made (None if nothing changed)."""

    model_config = ConfigDict(frozen=True)

    article: Article
    revision: Revision | None
    unblocked: bool = False


def status_for(report: CheckReport) -> str:
    return "draft" if passes(report) else "blocked"


def title_of(markdown: str, fallback: str) -> str:
    match = _TITLE.search(markdown)
    return match.group(1).strip() if match else fallback


def normalise_markdown(text: str) -> str:
    """Line endings from browsers and editors differ; store LF and one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    return text + "\n" if text else ""


def clean_name(name: str, what: str = "editor name") -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InputError(f"an {what} is required (who does this goes into the audit log)")
    if len(name) > 80:
        raise InputError(f"{what} is too long (at most 80 characters)")
    return name


# --- generate -------------------------------------------------------------------


def register_draft(
    store: Store,
    *,
    path: Path,
    asset: str,
    kind: str,
    date: str,
    title: str,
    files: list[str],
    body: str,
    facts: FactSet,
    sections: dict[str, str],
    report: CheckReport,
    auto_apply: bool = False,
    contents: dict[str, bytes] | None = None,
) -> Article:
    """Record a draft generate just wrote: a new article, or a new revision of the same asset/kind/date.

    A regeneration never silently replaces what an editor worked on: if the article was edited, approved or
    published, the new text becomes a *proposal* beside the current one (generator.desk.proposals), unless
    ``auto_apply`` (auto_publish) is set and the current text is generate's own, so no human edit is lost.
    """
    status = status_for(report)
    text = normalise_markdown(body)
    facts_json = facts.model_dump_json()
    values = {"status": status, "title": title, "path": str(Path(path).resolve()), "files": files,
              "facts": facts_json, "sections": sections, "factcheck": summarise(report)}
    with store.transaction() as conn:
        existing = store.find(asset, kind, date, conn)
        if existing is None:
            article_id = store.insert_article(conn, asset=asset, kind=kind, date=date, **values)
            number, action, reason, before = 1, "generated", None, None
        else:
            current = store.revision(existing.id, conn=conn)
            same_facts = conn.execute("SELECT facts FROM articles WHERE id = ?", (existing.id,)).fetchone()[0]
            if current.markdown == text and same_facts == facts_json:
                return existing  # a re-run on the same data: nothing new to review, an approval stands
            if is_pending(store, conn, existing, text, facts_json):
                return existing  # the same proposal again
            worked_on = existing.status in ("approved", "published") or current.source == "edit"
            if worked_on and not (auto_apply and current.source == "generate"):
                return propose(store, conn, existing, text=text, facts_json=facts_json, report=report,
                               actor=GENERATE_ACTOR, files=contents or {})
            article_id, number, before = existing.id, store.next_revision_number(conn, existing.id), existing.status
            action = "regenerated"
            notes = []
            if before in ("approved", "published"):
                notes.append(f"new text replaces {_ARTICLE[before]} {before} revision; it needs a new review")
            if current.source == "edit":
                notes.append(f"replaces revision {current.number}, edited by {current.author} (kept in the history)")
            reason = "; ".join(notes) or None
            store.update_article(conn, existing, current_revision=number, proposed_revision=None, **values)
        store.insert_revision(conn, article_id=article_id, number=number, markdown=text,
                              factcheck=report, passed=int(passes(report)), source="generate", author=GENERATE_ACTOR)
        put_files(conn, article_id, number, contents or {})
        store.log(conn, GENERATE_ACTOR, action, article_id, before, status, number,
                  reason or describe(summarise(report)))
        return store.article(article_id, conn)


def _was_published(conn: Connection, article_id: int) -> bool:
    """True when some target has (had) the article: an edit now corrects what readers saw."""
    return conn.execute("SELECT 1 FROM publications WHERE article_id = ? AND status = 'published' LIMIT 1",
                        (article_id,)).fetchone() is not None


def is_registered(settings: Settings, out: Path | None, snapshot: MarketSnapshot, kind: str) -> bool:
    """True when the desk already has this asset, kind and date (a regeneration, not a first draft)."""
    from generator.desk.store import store_exists, store_path

    location = store_path(settings, out)
    if not store_exists(location):
        return False
    try:
        return Store(location).find(snapshot.asset, kind, desk_date(kind, snapshot.as_of)) is not None
    except MarketnewsError:
        return False  # an unreadable store: registering says why


def is_proposal(settings: Settings, out: Path | None, article: Article, body: str) -> bool:
    """True when ``body`` is the proposal waiting beside ``article``'s current text (not the current text)."""
    from generator.desk.store import open_store

    if article.proposed_revision is None:
        return False
    text = normalise_markdown(body)
    store = open_store(settings, out)
    return store.revision(article.id).markdown != text and store.revision(article.id, article.proposed_revision).markdown == text


def register_generated(settings: Settings, out: Path | None, dest: Path, snapshot: MarketSnapshot, kind: str,
                       draft: Draft, facts: FactSet, report: CheckReport, files: list[str],
                       contents: dict[str, bytes] | None = None) -> Article:
    """The one call ``generate`` makes: register the draft it just wrote in the desk store."""
    from generator.desk.store import open_store

    try:
        store = open_store(settings, out)
    except MarketnewsError as err:
        raise type(err)(f"wrote {dest} but could not register it for review: {err}") from None
    return register_draft(
        store, path=dest, asset=snapshot.asset, kind=kind, date=desk_date(kind, snapshot.as_of), title=draft.title,
        files=files, body=draft.body, facts=facts, sections={s.name: s.origin for s in draft.sections},
        report=report, auto_apply=settings.auto_publish, contents=contents,
    )


# --- editors --------------------------------------------------------------------


def _locked(store: Store, conn: Connection, article_id: int, expected_version: int | None) -> Article:
    """Read the article under the write lock and insist it is the version the editor saw."""
    article = store.article(article_id, conn)
    if expected_version is not None and article.version != expected_version:
        raise _conflict(store, conn, article, expected_version)
    return article


def _conflict(store: Store, conn: Connection, article: Article, seen: int) -> ConflictError:
    last = conn.execute("SELECT actor, action, at FROM audit WHERE article_id = ? ORDER BY id DESC LIMIT 1",
                        (article.id,)).fetchone()
    who = f" ({last['actor']} {last['action']} it at {last['at'][:16].replace('T', ' ')} UTC)" if last else ""
    return ConflictError(
        f"draft {article.id} was changed by someone else since you opened it{who}: you saw version {seen}, "
        f"it is now version {article.version} ({article.status}). Reload it and redo your change."
    )


Checker = Callable[[str, FactSet], CheckReport]


def save_revision(store: Store, article_id: int, markdown: str, *, by: str,
                  expected_version: int | None, check: Checker = check_body,
                  correction: str | None = None) -> SaveResult:
    """Save an editor's text as a new revision, fact-checked; unchanged text saves nothing.

    An edit of a published article is a correction: it needs a note saying what it corrects, which readers
    see when the corrected text is approved and published again ("Updated DATE: corrected ...").
    """
    by = clean_name(by)
    text = normalise_markdown(markdown)
    if not text:
        raise InputError("the article text is empty; nothing was saved")
    if len(text) > MAX_MARKDOWN_CHARS:
        raise InputError(f"the article text is too long ({len(text)} characters, at most {MAX_MARKDOWN_CHARS})")
    note = " ".join((correction or "").split()) or None
    if note is not None and len(note) > 500:
        raise InputError("the correction note is too long (at most 500 characters)")
    article = store.article(article_id)
    if article.status == "published" and note is None:
        raise InputError(f"draft {article_id} is published: say what this edit corrects (--correction TEXT, or "
                         "the correction field of the review page); readers see it with the corrected article. "
                         "Nothing was saved")
    # The check is pure and may take a moment: run it before taking the write lock.
    report = check(text, store.facts(article_id))
    with store.transaction() as conn:
        article = _locked(store, conn, article_id, expected_version if expected_version is not None
                          else article.version)
        current = store.revision(article_id, conn=conn)
        if current.markdown == text:
            return SaveResult(article=article, revision=None)
        status = status_for(report)
        number = store.next_revision_number(conn, article_id)  # after any proposal waiting beside the current text
        try:
            store.update_article(conn, article, status=status, current_revision=number,
                                 title=title_of(text, article.title), factcheck=summarise(report))
        except _Stale:  # cannot happen under the write lock, but never overwrite silently
            raise _conflict(store, conn, store.article(article_id, conn), article.version) from None
        store.insert_revision(conn, article_id=article_id, number=number, markdown=text, factcheck=report,
                              passed=int(passes(report)), source="edit", author=by,
                              correction=note if article.status == "published" or _was_published(conn, article_id)
                              else None)
        inherit_files(conn, article_id, current.number, number)
        reason = describe(summarise(report))
        if article.status == "published":
            reason = f"correction ({note}); it is published again once approved: {reason}"
        if article.status == "blocked" and status == "draft":
            reason = f"unblocked: {reason}"
        elif article.status == "approved":
            reason = f"approval withdrawn, the text changed: {reason}"
        store.log(conn, by, "edited", article_id, article.status, status, number, reason)
        return SaveResult(article=store.article(article_id, conn), revision=store.revision(article_id, number, conn),
                          unblocked=article.status == "blocked" and status == "draft")


def foreign_in(store: Store, article: Article, revision: Revision) -> list[Foreign]:
    """Links and images in ``revision`` that the generated text did not have (generator.desk.content)."""
    generated = [r.markdown for r in store.revisions(article.id) if r.source == "generate"]
    return foreign_content(revision.markdown, trusted_hosts(generated), article.files)


def approve(store: Store, article_id: int, *, by: str, expected_version: int | None = None,
            allow_external: bool = False) -> Article:
    """Approve the current revision; refused unless it passes the fact-check, and, when an edit added links
    or images marketnews did not produce, unless the editor approves those explicitly (``allow_external``)."""
    by = clean_name(by)
    with store.transaction() as conn:
        article = _locked(store, conn, article_id, expected_version)
        if article.status in ("approved", "published"):
            raise NotAllowed(f"draft {article_id} is already {article.status}")
        revision = store.revision(article_id, conn=conn)
        if not revision.passed:
            raise NotAllowed(
                f"draft {article_id} cannot be approved: revision {revision.number} fails the fact-check "
                f"({describe(summarise(revision.factcheck))}); fix it with 'marketnews drafts edit {article_id}' "
                "or in the review page first"
            )
        foreign = foreign_in(store, article, revision)
        if foreign and not allow_external:
            listed = "; ".join(f.describe() for f in foreign)
            raise NotAllowed(
                f"draft {article_id} has content marketnews did not produce ({listed}); check it, then approve "
                "it explicitly ('drafts approve --allow-external', or the box on the review page), or remove it"
            )
        try:
            store.update_article(conn, article, status="approved")
        except IntegrityError as err:  # the database trigger: the last line of defence
            raise NotAllowed(f"draft {article_id} cannot be approved: {err}") from None
        reason = describe(summarise(revision.factcheck))
        if foreign:
            reason += "; external content approved: " + "; ".join(f.describe() for f in foreign)
        store.log(conn, by, "approved", article_id, article.status, "approved", revision.number, reason)
        return store.article(article_id, conn)


def accept_proposal(store: Store, article_id: int, *, by: str, expected_version: int | None = None) -> Article:
    """Make the waiting regeneration the current text (with its facts); it needs a review like any new text."""
    by = clean_name(by)
    with store.transaction() as conn:
        article = _locked(store, conn, article_id, expected_version)
        if article.proposed_revision is None:
            raise NotAllowed(f"draft {article_id} has no proposed revision to accept")
        proposal = store.revision(article_id, article.proposed_revision, conn)
        facts = store.revision_facts_json(conn, article_id, proposal.number)
        status = "draft" if proposal.passed else "blocked"
        store.update_article(conn, article, status=status, current_revision=proposal.number, proposed_revision=None,
                             facts=facts, title=title_of(proposal.markdown, article.title),
                             factcheck=summarise(proposal.factcheck))
        store.log(conn, by, "accepted proposal", article_id, article.status, status, proposal.number,
                  f"replaces revision {article.current_revision} (kept in the history); "
                  f"{describe(summarise(proposal.factcheck))}")
        accepted = store.article(article_id, conn)
    staged = proposal_dir(article.path)
    if staged.is_dir():  # the proposal's files (chart, front matter) go with its text
        promote_dir(staged, article.path)
    return accepted


def discard_proposal(store: Store, article_id: int, *, by: str, expected_version: int | None = None) -> Article:
    """Keep the current text; the proposal stays in the history."""
    by = clean_name(by)
    with store.transaction() as conn:
        article = _locked(store, conn, article_id, expected_version)
        if article.proposed_revision is None:
            raise NotAllowed(f"draft {article_id} has no proposed revision to discard")
        store.update_article(conn, article, proposed_revision=None)
        store.log(conn, by, "discarded proposal", article_id, article.status, article.status,
                  article.proposed_revision, f"revision {article.current_revision} stays current")
        kept = store.article(article_id, conn)
    shutil.rmtree(proposal_dir(article.path), ignore_errors=True)
    return kept


def reject(store: Store, article_id: int, *, by: str, reason: str, expected_version: int | None = None) -> Article:
    """Reject a draft, saying why."""
    by = clean_name(by)
    reason = " ".join((reason or "").split())
    if not reason:
        raise InputError("a reason is required to reject a draft")
    if len(reason) > 2000:
        raise InputError("the reason is too long (at most 2,000 characters)")
    with store.transaction() as conn:
        article = _locked(store, conn, article_id, expected_version)
        if article.status in ("rejected", "published"):
            raise NotAllowed(f"draft {article_id} is already {article.status}")
        store.update_article(conn, article, status="rejected")
        store.log(conn, by, "rejected", article_id, article.status, "rejected", article.current_revision, reason)
        return store.article(article_id, conn)
