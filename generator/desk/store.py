"""The desk store: one short transaction per change, on SQLite (a file) or PostgreSQL (a URL).

Reads and writes open their own connection, so the store is safe to share between the review server's
threads and other processes (``generate``, the ``drafts`` commands), and, on PostgreSQL, other hosts.
Writers exclude each other for the length of their transaction and wait for each other instead of
failing (engine.py: SQLite's BEGIN IMMEDIATE, a transaction advisory lock on PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.desk.checking import stored_report
from generator.desk.engine import Connection, Engine, StoreUnavailable, is_postgres, open_engine
from generator.desk.migrations import migrate
from generator.desk.models import Article, AuditEntry, Publication, Revision
from generator.errors import ConfigError, NotFound
from generator.facts import FactSet
from generator.settings import Settings

DB_NAME = "desk.sqlite3"
# The columns an Article is read from: every one but facts (some 20 kB per draft, read only by Store.facts), so a
# list of 10,000 drafts does not read 200 MB it throws away.
ARTICLE_COLUMNS = ", ".join(Article.model_fields)


def now() -> str:
    """UTC timestamp as stored: '2026-11-26T11:22:33+00:00'."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Store:
    """The draft store at ``path`` (created and migrated on first use)."""

    def __init__(self, location: Path | str) -> None:
        self.desk_db: Path | str = location if is_postgres(location) else Path(location)
        self.engine: Engine = open_engine(location)
        self.location = self.engine.location
        try:
            migrate(self.engine)
        except StoreUnavailable as err:
            raise ConfigError(f"desk database {self.location} {err} (setting desk_db)") from None

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL desk has none)."""
        if isinstance(self.desk_db, Path):
            return self.desk_db
        raise ConfigError(f"desk database {self.location} is not a file")

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except StoreUnavailable as err:
            raise ConfigError(f"desk database {self.location} {err} (setting desk_db)") from None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: all of it is committed, or none of it (also when the process dies)."""
        try:
            with self.engine.transaction() as conn:
                yield conn
        except StoreUnavailable as err:
            raise ConfigError(f"desk database {self.location} {err} (setting desk_db)") from None

    @contextmanager
    def hold(self, name: str, what: str) -> Iterator[None]:
        """A lock every process of this desk sees (a file beside SQLite, an advisory lock on PostgreSQL)."""
        try:
            with self.engine.hold(name, what):
                yield
        except StoreUnavailable as err:
            raise ConfigError(f"desk database {self.location} {err} (setting desk_db)") from None

    def holder(self, name: str) -> str | None:
        try:
            return self.engine.holder(name)
        except StoreUnavailable as err:
            raise ConfigError(f"desk database {self.location} {err} (setting desk_db)") from None

    # --- reads ----------------------------------------------------------------

    def article(self, article_id: int, conn: Connection | None = None) -> Article:
        row = self._one(conn, f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        if row is None:
            raise NotFound(f"no draft with id {article_id} (see 'marketnews drafts list')")
        return _article(row)

    def find(self, asset: str, kind: str, date: str, conn: Connection | None = None) -> Article | None:
        row = self._one(conn, f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE asset = ? AND kind = ? AND date = ?", (asset, kind, date))
        return _article(row) if row else None

    def articles(self, status: str | None = None) -> list[Article]:
        """Newest date first; within a day, blocked drafts first (they need an editor most)."""
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles"
        params: tuple[Any, ...] = ()
        if status:
            sql += " WHERE status = ?"
            params = (status,)
        sql += (" ORDER BY date DESC, CASE status WHEN 'blocked' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END,"
                " asset, kind")
        with self.connect() as conn:
            return [_article(r) for r in conn.execute(sql, params)]

    def search(self, *, status: str | None = None, kind: str | None = None, text: str | None = None,
               sort: str = "date", limit: int = 50, offset: int = 0) -> tuple[list[Article], int]:
        """One page of the queue and the number of matches: by status, kind and words in the title or asset.

        ``sort``: 'date' (newest first, blocked drafts first within a day), 'updated' (last changed first) or
        'status' (blocked, draft, approved, published, rejected)."""
        where, params = [], []
        if status:
            where.append("status = ?")
            params.append(status)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        for word in (text or "").split()[:8]:
            like = self.engine.like
            where.append(f"(title {like} ? ESCAPE '\\' OR asset {like} ? ESCAPE '\\')")
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [pattern, pattern]
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        order = {
            "date": ("date DESC, CASE kind WHEN 'alert' THEN 0 ELSE 1 END, CASE status WHEN 'blocked' THEN 0 "
                     "WHEN 'draft' THEN 1 ELSE 2 END, asset, kind"),
            "updated": "updated_at DESC, id DESC",
            "status": ("CASE status WHEN 'blocked' THEN 0 WHEN 'draft' THEN 1 WHEN 'approved' THEN 2 "
                       "WHEN 'published' THEN 3 ELSE 4 END, date DESC, id DESC"),
        }[sort]
        with self.connect() as conn:
            total = int(conn.execute(f"SELECT COUNT(*) FROM articles{clause}", params).fetchone()[0])
            rows = conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles{clause} ORDER BY {order} LIMIT ? OFFSET ?",
                                [*params, limit, offset])
            return [_article(r) for r in rows], total

    def approvals(self, article_ids: list[int]) -> dict[int, AuditEntry]:
        """The latest approval of each article among ``article_ids`` that was ever approved."""
        if not article_ids:
            return {}
        marks = ", ".join("?" for _ in article_ids)
        with self.connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM audit WHERE action = 'approved' AND article_id IN ({marks}) ORDER BY id",
                article_ids).fetchall()
        return {int(r["article_id"]): AuditEntry.model_validate(dict(r)) for r in rows}

    def counts(self) -> dict[str, int]:
        """How many articles have each status."""
        with self.connect() as conn:
            return dict(conn.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())

    def facts(self, article_id: int) -> FactSet:
        row = self._one(None, "SELECT facts FROM articles WHERE id = ?", (article_id,))
        if row is None:
            raise NotFound(f"no draft with id {article_id} (see 'marketnews drafts list')")
        return FactSet.model_validate_json(row["facts"])

    def revision(self, article_id: int, number: int | None = None, conn: Connection | None = None) -> Revision:
        """Revision ``number`` of an article, or its current one."""
        if number is None:
            row = self._one(conn, "SELECT r.* FROM revisions r JOIN articles a ON a.id = r.article_id "
                                  "AND r.number = a.current_revision WHERE a.id = ?", (article_id,))
        else:
            row = self._one(conn, "SELECT * FROM revisions WHERE article_id = ? AND number = ?", (article_id, number))
        if row is None:
            self.article(article_id, conn)  # raises NotFound for an unknown article
            raise NotFound(f"draft {article_id} has no revision {number}")
        return _revision(row)

    def revisions(self, article_id: int) -> list[Revision]:
        with self.connect() as conn:
            rows = conn.execute("SELECT * FROM revisions WHERE article_id = ? ORDER BY number DESC", (article_id,))
            return [_revision(r) for r in rows]

    def audit(self, article_id: int | None = None) -> list[AuditEntry]:
        """The audit log of one article (or of sign-ins, for None), newest first."""
        with self.connect() as conn:
            if article_id is None:
                rows = conn.execute("SELECT * FROM audit WHERE article_id IS NULL ORDER BY id DESC")
            else:
                rows = conn.execute("SELECT * FROM audit WHERE article_id = ? ORDER BY id DESC", (article_id,))
            return [AuditEntry.model_validate(dict(r)) for r in rows]

    def publications(self, article_id: int, conn: Connection | None = None) -> list[Publication]:
        """Where an article went (or failed to go), one row per target, by target name."""
        sql = "SELECT * FROM publications WHERE article_id = ? ORDER BY target"
        if conn is not None:
            return [Publication.model_validate(dict(r)) for r in conn.execute(sql, (article_id,))]
        with self.connect() as own:
            return [Publication.model_validate(dict(r)) for r in own.execute(sql, (article_id,))]

    def _one(self, conn: Connection | None, sql: str, params: tuple[Any, ...]) -> Any | None:
        if conn is not None:
            return conn.execute(sql, params).fetchone()
        with self.connect() as own:
            return own.execute(sql, params).fetchone()

    # --- writes (call inside transaction()) ------------------------------------

    @staticmethod
    def insert_article(conn: Connection, **values: Any) -> int:
        cols = dict(values, created_at=now(), updated_at=now(), version=1, current_revision=1)
        return _insert(conn, "articles", cols)

    @staticmethod
    def update_article(conn: Connection, article: Article, **values: Any) -> None:
        """Change an article if nobody else did since ``article`` was read; the caller checks the rowcount."""
        values = dict(values, updated_at=now())
        sets = ", ".join(f"{k} = :{k}" for k in values)
        cur = conn.execute(
            f"UPDATE articles SET {sets}, version = version + 1 WHERE id = :_id AND version = :_version",
            {**{k: _encode(v) for k, v in values.items()}, "_id": article.id, "_version": article.version},
        )
        if cur.rowcount != 1:
            raise _Stale()

    def folder(self, article: Article, revision: int | None = None) -> Path:
        """A folder with ``revision``'s files (default: the current text's): the store's, else generate's folder."""
        from generator.desk.files import files_folder

        with self.connect() as conn:
            return files_folder(conn, article, revision or article.current_revision)

    @staticmethod
    def next_revision_number(conn: Connection, article_id: int) -> int:
        """The number a new revision gets: after every one, a proposal waiting beside the current text included."""
        return int(conn.execute("SELECT COALESCE(MAX(number), 0) FROM revisions WHERE article_id = ?",
                                (article_id,)).fetchone()[0]) + 1

    @staticmethod
    def revision_facts_json(conn: Connection, article_id: int, number: int) -> str | None:
        """A proposal's own facts as stored (None for other revisions, which the article's facts describe)."""
        row = conn.execute("SELECT facts FROM revisions WHERE article_id = ? AND number = ?",
                           (article_id, number)).fetchone()
        return None if row is None else row["facts"]

    @staticmethod
    def insert_revision(conn: Connection, **values: Any) -> int:
        return _insert(conn, "revisions", dict(values, created_at=now()))

    @staticmethod
    def log(conn: Connection, actor: str, action: str, article_id: int | None = None,
            from_status: str | None = None, to_status: str | None = None, revision: int | None = None,
            reason: str | None = None) -> None:
        _insert(conn, "audit", {"article_id": article_id, "at": now(), "actor": actor, "action": action,
                                "from_status": from_status, "to_status": to_status, "revision": revision,
                                "reason": reason})


class _Stale(Exception):
    """The article's version moved on between reading and writing (turned into ConflictError by actions)."""


def _encode(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _json(value.model_dump(mode="json"))
    if isinstance(value, (dict, list)):
        return _json(value)
    if isinstance(value, Path):
        return str(value)
    return value


def _insert(conn: Connection, table: str, values: dict[str, Any]) -> int:
    cols = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    row = conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks}) RETURNING id",
                       {k: _encode(v) for k, v in values.items()}).fetchone()
    return int(row[0])


def _article(row: Any) -> Article:
    data = dict(row)
    data.pop("facts", None)
    for key in ("files", "sections", "factcheck"):
        data[key] = json.loads(data[key])
    data["factcheck"] = data["factcheck"] or None  # '{}': the current revision was never checked
    return Article.model_validate(data)


def _revision(row: Any) -> Revision:
    data = dict(row)
    data.pop("facts", None)  # a proposal's own facts: Store.revision_facts_json
    data["factcheck"] = stored_report(json.loads(data["factcheck"]))
    return Revision.model_validate(data)


def store_path(settings: Settings, out: Path | None = None) -> Path | str:
    """``desk_db`` if set (a path or a postgresql:// URL), else desk.sqlite3 at the top of the output folder."""
    return settings.desk_db or (out or settings.output_dir) / DB_NAME


def store_exists(location: Path | str) -> bool:
    """True when there is a store to read: the SQLite file exists (a PostgreSQL database always does)."""
    return is_postgres(location) or Path(location).exists()


def open_store(settings: Settings, out: Path | None = None) -> Store:
    return Store(store_path(settings, out))


def existing_store(settings: Settings, draft_id: int | None = None) -> Store | None:
    """The store, for commands that only read or act on drafts: they do not create one where none is. Without
    one, None (nothing to list); asked for a draft, NotFound."""
    location = store_path(settings)
    if store_exists(location):
        return Store(location)
    if draft_id is None:
        return None
    raise NotFound(f"no draft with id {draft_id}: there is no desk store at {location} yet (generate registers "
                   "drafts there; setting desk_db)")
