"""Publishing from the desk: approved articles (or, with ``auto_publish``, passing drafts) go to the targets.

What is sent is the article's CURRENT REVISION from the store (editors' edits
live there, not in article.md), with the chart from its folder. Every attempt
is recorded in the ``publications`` table, one row per article and target:

1. the row is set to ``pending`` (attempts + 1) and committed BEFORE the remote call;
2. the target publishes, looking the post up first (the one recorded last time, or by slug or guid);
3. the row is set to ``published`` with what the target's server returned (remote
   id, URL and the slug it actually used), or to ``failed`` with the reason, which
   also goes into the audit log. The next run hands the recorded post to the
   target, which finds it by id even if the server renamed its slug.

A crash between 2 and 3 leaves a ``pending`` row; the next run sends again and
the target's lookup finds the post created before the crash, so there is never
a second post. A target already done for the current revision is not called
again. When every configured target has the current revision the article becomes
``published``; until then (a failure, or a run for one target only) it stays as it
was (approved), so the publish job retries the failed target alone and reaches the
targets not yet asked.

Runs never overlap: publishing holds an exclusive lock beside the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.desk.actions import title_of
from generator.desk.checking import describe, summarise
from generator.desk.models import Article, Publication, Revision
from generator.desk.store import Store, now
from generator.errors import ConfigError, MarketnewsError, NotAllowed, PublishError
from generator.facts import format_datetime
from generator.publishing import PublishableArticle, PublishTarget, RemotePost, configured_targets, make_target
from generator.publishing.article import build_article, read_article_file
from generator.settings import Settings

PUBLISH_ACTOR = "marketnews publish"
TargetFactory = Callable[[str, Settings], PublishTarget]


class TargetOutcome(BaseModel):
    """How one target went for one article in this run."""

    model_config = ConfigDict(frozen=True)

    target: str
    outcome: Literal["published", "failed", "already"]  # already: done for this revision by an earlier run
    url: str | None = None
    remote_id: str | None = None
    slug: str | None = None
    created: bool = False
    error: str | None = None


class PublishResult(BaseModel):
    """One article's publishing run: each target's outcome and the article's status afterwards."""

    model_config = ConfigDict(frozen=True)

    article_id: int
    revision: int
    status: str
    targets: list[TargetOutcome]

    @property
    def ok(self) -> bool:
        return all(t.outcome != "failed" for t in self.targets)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else PublishError.exit_code


def refusal(article: Article, revision: Revision, auto_publish: bool) -> str | None:
    """Why ``article`` may not be published now, or None when it may."""
    if article.status in ("approved", "published"):
        return None
    if article.status == "draft" and auto_publish and revision.passed:
        return None
    if article.status == "rejected":
        return f"draft {article.id} was rejected; rejected drafts are never published"
    if not revision.passed:
        return (f"draft {article.id} cannot be published: revision {revision.number} fails the fact-check "
                f"({describe(summarise(revision.factcheck))}); fix it and approve it first")
    return (f"draft {article.id} is not approved; approve it first ('marketnews drafts approve {article.id} "
            "--by NAME'), or set auto_publish = true to publish drafts that pass the fact-check")


def requested_targets(settings: Settings, targets: list[str] | None) -> list[str]:
    names = list(dict.fromkeys(targets)) if targets else configured_targets(settings)
    if not names:
        raise ConfigError("no publishing target is configured: set static_site_url, wordpress_url or webhook_url "
                          "(see docs/configuration.md#publishing)")
    return names


PUBLISH_LOCK = "publish"


@contextmanager
def publishing_lock(store: Store) -> Iterator[None]:
    """Held while publishing, so two runs never send the same article at once (from any host, on PostgreSQL)."""
    with store.hold(PUBLISH_LOCK, "publishing from this desk"):
        yield


def publish_article(store: Store, settings: Settings, article_id: int, targets: list[str] | None = None, *,
                    by: str = PUBLISH_ACTOR, make: TargetFactory = make_target) -> PublishResult:
    """Publish one article to ``targets`` (default: every configured target); see the module docstring."""
    names = requested_targets(settings, targets)
    built = {name: make(name, settings) for name in names}  # a misconfigured target stops us before anything is sent
    with publishing_lock(store):
        return _publish(store, settings, article_id, built, by)


def publish_pending(store: Store, settings: Settings, target: str | None = None, *, by: str = PUBLISH_ACTOR,
                    make: TargetFactory = make_target) -> list[PublishResult]:
    """Publish every approved article not yet published (and, with auto_publish, every passing draft),
    retrying failed publications; oldest first."""
    names = requested_targets(settings, [target] if target else None)
    built = {name: make(name, settings) for name in names}
    with publishing_lock(store):
        candidates = store.articles("approved")
        if settings.auto_publish:
            candidates += [a for a in store.articles("draft") if store.revision(a.id).passed]
        candidates.sort(key=lambda a: (a.date, a.id))
        results = []
        for article in candidates:
            try:
                results.append(_publish(store, settings, article.id, built, by))
            except NotAllowed:
                continue  # an editor changed or rejected it since it was listed
        return results


def _publish(store: Store, settings: Settings, article_id: int, targets: dict[str, PublishTarget],
             by: str) -> PublishResult:
    article = store.article(article_id)
    revision = store.revision(article_id)
    why_not = refusal(article, revision, settings.auto_publish)
    if why_not:
        raise NotAllowed(why_not)
    recorded = {p.target: p for p in store.publications(article_id)}
    done = {n: p for n, p in recorded.items() if p.status == "published" and p.revision == revision.number}
    outcomes = [TargetOutcome(target=n, outcome="already", url=done[n].url, remote_id=done[n].remote_id,
                              slug=done[n].slug) for n in targets if n in done]
    todo = [n for n in targets if n not in done]
    if todo:
        try:
            publishable = publishable_revision(settings, article, revision, store)
        except MarketnewsError as err:  # the folder is gone or damaged: every target fails with the reason
            publishable, reason = None, str(err)
        for name in todo:
            _begin(store, article_id, name, revision.number)
            if publishable is None:
                outcomes.append(_fail(store, article_id, name, revision.number, reason, by))
                continue
            try:
                post = targets[name].publish(publishable, _remote_post(recorded.get(name)))
            except MarketnewsError as err:
                outcomes.append(_fail(store, article_id, name, revision.number, str(err), by))
                continue
            outcomes.append(_succeed(store, article_id, name, revision.number, post, publishable.slug, by))
    outcomes.sort(key=lambda o: list(targets).index(o.target))
    status = _settle(store, article_id, revision.number, outcomes, configured_targets(settings) or list(targets), by)
    return PublishResult(article_id=article_id, revision=revision.number, status=status, targets=outcomes)


def publishable_revision(settings: Settings, article: Article, revision: Revision, store: Store) -> PublishableArticle:
    """The current revision as the targets receive it: the store's text, front matter and chart (generate's folder
    for revisions stored before the store kept files)."""
    folder = store.folder(article, revision.number)
    meta, _ = read_article_file(folder)
    report = revision.factcheck
    notes = corrections(store, article, revision)
    meta = {**meta, "title": title_of(revision.markdown, article.title), "status": "published",
            "factcheck": {"status": report.status, **report.summary.model_dump()} if report else {},
            "revision": revision.number}
    if notes:
        meta["corrections"] = notes
    return build_article(folder, meta, with_corrections(revision.markdown, notes), settings.publish_categories,
                         settings.publish_tags)


def corrections(store: Store, article: Article, revision: Revision) -> list[str]:
    """'Updated February 7, 2018, 10:32 UTC: corrected the support level.' for each correction up to ``revision``."""
    return [f"Updated {format_datetime(r.created_at)}: {r.correction}"
            for r in sorted(store.revisions(article.id), key=lambda r: r.number)
            if r.correction and r.number <= revision.number]


def with_corrections(markdown: str, notes: list[str]) -> str:
    """The notes as italic paragraphs where readers look for them: after the story, before the disclaimer."""
    if not notes:
        return markdown
    block = "\n\n".join(f"*{note}*" for note in notes)
    head, sep, tail = markdown.partition("\n---\n")
    return f"{head.rstrip()}\n\n{block}\n{sep}{tail}" if sep else f"{markdown.rstrip()}\n\n{block}\n"


# --- the publications table ------------------------------------------------------


def _begin(store: Store, article_id: int, target: str, revision: int) -> None:
    """Mark an attempt as started, committed before the remote call (a crash leaves it 'pending')."""
    stamp = now()
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO publications (article_id, target, revision, status, attempts, first_attempt_at,"
            " last_attempt_at) VALUES (?, ?, ?, 'pending', 1, ?, ?)"
            " ON CONFLICT (article_id, target) DO UPDATE SET revision = excluded.revision, status = 'pending',"
            " attempts = publications.attempts + 1, last_attempt_at = excluded.last_attempt_at",
            (article_id, target, revision, stamp, stamp))


def _fail(store: Store, article_id: int, target: str, revision: int, error: str, by: str) -> TargetOutcome:
    with store.transaction() as conn:
        conn.execute("UPDATE publications SET status = 'failed', error = ? WHERE article_id = ? AND target = ?",
                     (error, article_id, target))
        status = store.article(article_id, conn).status
        store.log(conn, by, f"publish to {target} failed", article_id, status, status, revision,
                  f"{error} (the next publish run retries it)")
    return TargetOutcome(target=target, outcome="failed", error=error)


def _remote_post(publication: Publication | None) -> RemotePost | None:
    """Where an earlier run recorded the article on this target, for the target's lookup."""
    if publication is None or publication.remote_id is None:
        return None
    return RemotePost(target=publication.target, remote_id=publication.remote_id, url=publication.url,
                      slug=publication.slug)


def _succeed(store: Store, article_id: int, target: str, revision: int, post: RemotePost, asked_slug: str,
             by: str) -> TargetOutcome:
    """Record what the target's server returned: its id, link and the slug it actually used."""
    with store.transaction() as conn:
        conn.execute("UPDATE publications SET status = 'published', remote_id = ?, url = ?, slug = ?, error = NULL,"
                     " published_at = ? WHERE article_id = ? AND target = ?",
                     (post.remote_id, post.url, post.slug, now(), article_id, target))
        status = store.article(article_id, conn).status
        where = post.url or f"remote id {post.remote_id}"
        renamed = ""
        if post.slug and post.slug != asked_slug:
            renamed = f"; the server stored it under the slug {post.slug!r}, not {asked_slug!r}"
        store.log(conn, by, f"published to {target}", article_id, status, status, revision,
                  f"{where} ({'created' if post.created else 'updated'}{renamed})")
    return TargetOutcome(target=target, outcome="published", url=post.url, remote_id=post.remote_id, slug=post.slug,
                         created=post.created)


def _settle(store: Store, article_id: int, revision: int, outcomes: list[TargetOutcome], configured: list[str],
            by: str) -> str:
    """Mark the article published when every configured target has this revision; return the article's status.

    Publishing to one target (``publish --target static_site``) must not end the others: until WordPress has
    it too, the article stays approved and the publish job still reaches WordPress.
    """
    with store.transaction() as conn:
        article = store.article(article_id, conn)
        if article.status == "published" or any(o.outcome == "failed" for o in outcomes):
            return article.status
        have = {p.target for p in store.publications(article_id, conn)
                if p.status == "published" and p.revision == revision}
        if [t for t in configured if t not in have]:
            return article.status
        if article.current_revision != revision or article.status not in ("approved", "draft"):
            # An editor changed the draft while it was being sent: the new text needs its own review.
            store.log(conn, by, "published an earlier revision", article_id, article.status, article.status,
                      revision, f"the draft changed during publishing (now revision {article.current_revision}, "
                                f"{article.status}); the new text is not published until it is approved")
            return article.status
        store.update_article(conn, article, status="published")
        places = "; ".join(f"{o.target}: {o.url or 'sent'}" for o in outcomes)
        store.log(conn, by, "published", article_id, article.status, "published", revision, places)
        return "published"
