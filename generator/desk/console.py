"""What the ``drafts`` and ``review`` commands print and read at a terminal."""

from __future__ import annotations

import getpass
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

from generator.desk.actions import SaveResult, foreign_in, save_revision
from generator.desk.checking import describe, summarise
from generator.desk.models import Article
from generator.desk.proof import mention_views, proof_text
from generator.desk.proposals import diff_pair
from generator.desk.publish import PublishResult
from generator.desk.store import Store
from generator.errors import InputError, MarketnewsError


def wants_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def article_json(article: Article) -> dict[str, Any]:
    return {**article.model_dump(mode="json"), "share": article.share}


def list_table(articles: list[Article]) -> str:
    """One line per draft: id, date, asset/kind, status, fact-check, LLM share, revision, title."""
    if not articles:
        return "no drafts"
    rows = [("ID", "DATE", "DRAFT", "STATUS", "FACT-CHECK", "LLM", "REV", "TITLE")]
    for a in articles:
        llm = f"{a.llm_sections}/{len(a.sections)}" if a.sections else "-"
        rows.append((str(a.id), a.date, f"{a.asset}-{a.kind}", a.status, describe(a.factcheck), llm,
                     str(a.current_revision), a.title))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1] for r in rows)


def show(store: Store, article_id: int, color: bool = False) -> str:
    """The current revision with failing mentions marked ⟦...⟧[n], then the list of failures."""
    article = store.article(article_id)
    revision = store.revision(article_id)
    views = mention_views(revision.markdown, revision.factcheck, store.facts(article_id))
    head = [
        f"draft {article.id}: {article.asset} {article.kind} {article.date} — {article.status} "
        f"(version {article.version}, revision {revision.number} by {revision.author})",
        f"fact-check: {describe(summarise(revision.factcheck))}",
        f"folder: {article.path}",
        *([f"proposal: revision {article.proposed_revision}, regenerated from new data, waits beside this text "
           f"('marketnews drafts diff {article.id}', then 'drafts accept' or 'drafts discard')"]
          if article.proposed_revision else []),
        "",
    ]
    body = proof_text(revision.markdown, views, color=color)
    failed = [m for m in views if m.failed]
    notes = []
    for n, m in enumerate(failed, 1):
        expected = f", expected {m.expected}" if m.expected else ""
        fact = f" [{m.fact}]" if m.fact else ""
        notes.append(f"[{n}] {m.verdict_label}: {m.text}{expected}{fact}" + (f" — {m.reason}" if m.reason else ""))
        notes.append(f"    {''.join(m.sentence)}")
    tail = ["", "failures:", *notes] if notes else []
    foreign = foreign_in(store, article, revision)
    if foreign:
        tail += ["", "not produced by marketnews (the fact-check does not cover these; approve with "
                 "--allow-external):", *(f"  {f.kind}: {f.url}" for f in foreign)]
    publications = store.publications(article_id)
    if publications:
        tail += ["", "publications:", *(f"  {p.target}: {p.describe()}" for p in publications)]
    return "\n".join(head) + body + "\n".join(tail) + ("\n" if tail else "")


def publish_lines(result: PublishResult) -> list[str]:
    """What 'marketnews publish' prints for one article: a line per target, then the article's status."""
    lines = []
    for t in result.targets:
        if t.outcome == "failed":
            lines.append(f"draft {result.article_id}: {t.target} failed: {t.error}")
        else:
            verb = {"already": "already published", "published": "created" if t.created else "updated"}[t.outcome]
            lines.append(f"draft {result.article_id}: {t.target}: {verb}: {t.url or t.remote_id}")
    failed = [t.target for t in result.targets if t.outcome == "failed"]
    if failed:
        lines.append(f"draft {result.article_id} stays {result.status}: {', '.join(failed)} failed; the next publish "
                     "run retries (see 'marketnews drafts show')")
    else:
        lines.append(f"draft {result.article_id} is {result.status} (revision {result.revision})")
    return lines


def _editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            # vi without a terminal waits for keys that never come (a cron job, a pipe, CI)
            raise InputError("no editor: set $VISUAL or $EDITOR (without a terminal, vi cannot be used)")
        editor = "vi"
    return shlex.split(editor)


def edit_in_editor(store: Store, article_id: int, by: str, correction: str | None = None) -> SaveResult | None:
    """Open the current revision in $VISUAL/$EDITOR and save the result as a new revision.

    The text goes to a temporary file that is removed only once it is saved:
    if the editor fails or someone else changed the draft meanwhile, the
    error names the file so no edit is lost. Returns None when nothing changed.
    """
    article = store.article(article_id)
    if article.status == "published" and not (correction or "").strip():  # say so before any typing is done
        raise InputError(f"draft {article_id} is published: an edit is a correction; say what it corrects with "
                         "--correction TEXT (readers see it with the corrected article)")
    original = store.revision(article_id).markdown
    fd, name = tempfile.mkstemp(prefix=f"marketnews-draft-{article_id}-", suffix=".md")
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(original)
    command = [*_editor_command(), str(path)]
    try:
        code = subprocess.call(command)
    except OSError as err:
        path.unlink(missing_ok=True)
        raise InputError(f"cannot start editor {command[0]!r}: {err.strerror or err} (set $EDITOR)") from None
    if code != 0:
        raise InputError(f"the editor exited with status {code}; nothing was saved (your text is in {path})")
    text = path.read_text(encoding="utf-8")
    if text == original:
        path.unlink(missing_ok=True)
        return None
    try:
        result = save_revision(store, article_id, text, by=by, expected_version=article.version, correction=correction)
    except MarketnewsError as err:  # a conflict, a rule, bad text: keep the editor's work either way
        raise type(err)(f"{err} Your text is kept in {path}.") from None
    path.unlink(missing_ok=True)
    return result


def read_new_password(stdin: TextIO = sys.stdin) -> str:
    """Twice at a terminal (not echoed); one line from stdin otherwise (for scripts)."""
    if stdin.isatty():
        first = getpass.getpass("New review password: ")
        if getpass.getpass("Repeat it: ") != first:
            raise InputError("the passwords do not match; nothing was changed")
        return first
    return stdin.readline().rstrip("\r\n")


def revision_diff(store: Store, article_id: int, old: int | None = None, new: int | None = None) -> str:
    """A unified diff between two revisions: by default the current text and the proposal waiting beside it,
    or, without one, the revision before the current one and the current one."""
    import difflib

    old, new = diff_pair(store.article(article_id), old, new)
    if old < 1:
        return f"draft {article_id} has only one revision; nothing to compare"
    a, b = store.revision(article_id, old), store.revision(article_id, new)
    lines = difflib.unified_diff(a.markdown.splitlines(keepends=True), b.markdown.splitlines(keepends=True),
                                 f"revision {a.number} ({a.source}, {a.author})",
                                 f"revision {b.number} ({b.source}, {b.author})")
    return "".join(lines) or f"revisions {old} and {new} have the same text\n"
