"""Regenerations as proposals: new text from generate waits beside the text an editor worked on.

Rerunning ``generate`` (or the daily job) on an article an editor edited, approved or published used to
replace its text and set it back to draft. Now the new text is stored as a revision the article *proposes*
(``articles.proposed_revision``) with its own facts, while the current revision, its status and any
publication stay as they are until an editor accepts the proposal (seeing the diff) or discards it.
"""

from __future__ import annotations

import difflib
import html

from markupsafe import Markup

from generator.desk.checking import describe, passes, summarise
from generator.desk.engine import Connection
from generator.desk.files import put_files
from generator.desk.models import Article
from generator.desk.store import Store
from generator.factcheck.report import CheckReport


def is_pending(store: Store, conn: Connection, article: Article, text: str, facts_json: str) -> bool:
    """True when ``text`` on these facts is already the article's proposal."""
    if article.proposed_revision is None:
        return False
    number = article.proposed_revision
    return (store.revision(article.id, number, conn).markdown == text
            and store.revision_facts_json(conn, article.id, number) == facts_json)


def propose(store: Store, conn: Connection, article: Article, *, text: str, facts_json: str,
            report: CheckReport, actor: str, files: dict[str, bytes] | None = None) -> Article:
    """Store ``text`` as the article's proposal (replacing an older one) and log it; the current text stays."""
    number = store.next_revision_number(conn, article.id)
    store.insert_revision(conn, article_id=article.id, number=number, markdown=text, factcheck=report,
                          passed=int(passes(report)), source="generate", author=actor, facts=facts_json)
    put_files(conn, article.id, number, files or {})  # the proposal goes out with its own chart and front matter
    store.update_article(conn, article, proposed_revision=number)
    replaced = f"; replaces the proposal in revision {article.proposed_revision}" if article.proposed_revision else ""
    store.log(conn, actor, "proposed", article.id, article.status, article.status, number,
              f"new text from new data waits for an editor; revision {article.current_revision} "
              f"({article.status}) stays current ({describe(summarise(report))}){replaced}")
    return store.article(article.id, conn)


def diff_pair(article: Article, old: int | None = None, new: int | None = None) -> tuple[int, int]:
    """The revisions a diff compares unless told: the current text and the proposal waiting beside it, or,
    without one, the revision before the newer one and the newer one."""
    new = new or article.proposed_revision or article.current_revision
    return (old or (article.current_revision if new == article.proposed_revision else new - 1)), new


def diff_html(old: str, new: str) -> Markup:
    """The change from ``old`` to ``new`` paragraph by paragraph, words removed in <del> and added in <ins>."""
    a, b = old.splitlines(), new.splitlines()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            out += [f'<p class="changed">{_words(x, y)}</p>' for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
            continue
        out += [f'<p class="removed"><del>{html.escape(x)}</del></p>' for x in a[i1:i2] if x.strip()]
        out += [f'<p class="added"><ins>{html.escape(y)}</ins></p>' for y in b[j1:j2] if y.strip()]
    return Markup("\n".join(out) or '<p class="same">No change in the text.</p>')


def _words(old: str, new: str) -> str:
    a, b = old.split(" "), new.split(" ")
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(html.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(parts)
