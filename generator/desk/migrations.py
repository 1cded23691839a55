"""Schema migrations for the desk store, numbered from 1, the same numbers on both engines.

To change the schema, append a migration; never edit one that has shipped. A migration is written once,
in SQLite's dialect; ``DDL_FOR_POSTGRES`` rewrites the few type spellings that differ, and the triggers,
whose languages differ, are given for each engine. SQLite tracks the version in ``PRAGMA user_version``,
PostgreSQL in a one-row table (engine_pg.py). Each runs in its own transaction, so a failed upgrade leaves
the previous schema in place.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from generator.desk.engine import Engine
from generator.errors import ConfigError

STATUSES = ("draft", "blocked", "approved", "rejected", "published")

_V1 = f"""
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    asset            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    date             TEXT NOT NULL,              -- YYYY-MM-DD (UTC) of the snapshot
    status           TEXT NOT NULL CHECK (status IN {STATUSES!r}),
    title            TEXT NOT NULL,
    path             TEXT NOT NULL,              -- the article folder generate wrote
    files            TEXT NOT NULL DEFAULT '[]', -- JSON list of file names in that folder
    facts            TEXT NOT NULL,              -- JSON FactSet the draft was written from
    sections         TEXT NOT NULL DEFAULT '{{}}', -- JSON {{section: template|llm|repaired|fallback}}
    factcheck        TEXT NOT NULL DEFAULT '{{}}', -- JSON summary of the current revision's check
    current_revision INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1, -- optimistic lock: +1 on every change
    UNIQUE (asset, kind, date)
);
CREATE INDEX articles_by_date ON articles (date DESC, status);

CREATE TABLE revisions (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL,
    markdown    TEXT NOT NULL,                   -- the article body (no front matter)
    factcheck   TEXT NOT NULL,                   -- JSON fact-check report of this text
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    source      TEXT NOT NULL CHECK (source IN ('generate', 'edit')),
    author      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (article_id, number)
);

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    article_id  INTEGER REFERENCES articles (id) ON DELETE CASCADE,  -- NULL for sign-ins
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    revision    INTEGER,
    reason      TEXT
);
CREATE INDEX audit_by_article ON audit (article_id, id);

-- Review sessions: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    editor         TEXT NOT NULL,
    csrf_token     TEXT NOT NULL,
    password_tag   TEXT NOT NULL,                -- changes when the password does: old sessions end
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    flash          TEXT
);

"""

_V1_SQLITE = """
-- The rule no code path may skip: an article is approved (or published) only while its current
-- revision passes the fact-check.
CREATE TRIGGER approve_requires_passing_revision
BEFORE UPDATE OF status, current_revision ON articles
WHEN NEW.status IN ('approved', 'published') AND NOT COALESCE(
    (SELECT passed FROM revisions WHERE article_id = NEW.id AND number = NEW.current_revision), 0)
BEGIN
    SELECT RAISE(ABORT, 'approve refused: the current revision fails the fact-check');
END;
"""

_V1_POSTGRES = """
CREATE FUNCTION approve_requires_passing_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('approved', 'published') AND NOT COALESCE(
        (SELECT passed = 1 FROM revisions WHERE article_id = NEW.id AND number = NEW.current_revision), false) THEN
        RAISE EXCEPTION 'approve refused: the current revision fails the fact-check' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER approve_requires_passing_revision BEFORE UPDATE OF status, current_revision ON articles
FOR EACH ROW EXECUTE FUNCTION approve_requires_passing_revision();
"""

PUBLICATION_STATUSES = ("pending", "published", "failed")

# Where each article went: one row per article and target, updated in place by every attempt. A row is
# written as 'pending' before the remote call and settled after it, so a crash in between leaves a
# 'pending' row that the next run retries (the targets look the post up before creating it).
_V2 = f"""
CREATE TABLE publications (
    id               INTEGER PRIMARY KEY,
    article_id       INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    target           TEXT NOT NULL,                 -- static_site | wordpress | webhook
    revision         INTEGER NOT NULL,              -- the revision last sent (or being sent)
    status           TEXT NOT NULL CHECK (status IN {PUBLICATION_STATUSES!r}),
    remote_id        TEXT,
    url              TEXT,
    error            TEXT,                          -- why the last attempt failed (NULL once it succeeds)
    attempts         INTEGER NOT NULL DEFAULT 0,
    first_attempt_at TEXT NOT NULL,
    last_attempt_at  TEXT NOT NULL,
    published_at     TEXT,                          -- when the last successful attempt finished
    UNIQUE (article_id, target)
);
CREATE INDEX publications_by_status ON publications (status, article_id);

"""

_V2_SQLITE = """
-- Nothing that fails the fact-check goes out, whichever code path sends it.
CREATE TRIGGER publication_requires_passing_revision
BEFORE INSERT ON publications
WHEN NOT COALESCE(
    (SELECT passed FROM revisions WHERE article_id = NEW.article_id AND number = NEW.revision), 0)
BEGIN
    SELECT RAISE(ABORT, 'publish refused: the revision fails the fact-check');
END;

CREATE TRIGGER publication_update_requires_passing_revision
BEFORE UPDATE OF revision ON publications
WHEN NOT COALESCE(
    (SELECT passed FROM revisions WHERE article_id = NEW.article_id AND number = NEW.revision), 0)
BEGIN
    SELECT RAISE(ABORT, 'publish refused: the revision fails the fact-check');
END;
"""

_V2_POSTGRES = """
CREATE FUNCTION publication_requires_passing_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT COALESCE(
        (SELECT passed = 1 FROM revisions WHERE article_id = NEW.article_id AND number = NEW.revision), false) THEN
        RAISE EXCEPTION 'publish refused: the revision fails the fact-check' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER publication_requires_passing_revision BEFORE INSERT ON publications
FOR EACH ROW EXECUTE FUNCTION publication_requires_passing_revision();
CREATE TRIGGER publication_update_requires_passing_revision BEFORE UPDATE OF revision ON publications
FOR EACH ROW EXECUTE FUNCTION publication_requires_passing_revision();
"""


# Breaking-news alerts (marketnews watch). The trailing hourly average needs the 1h liquidation totals of
# earlier polls; they live here rather than in a state file because the alerts they lead to are desk
# articles, several watchers and the review page may read them at once, and SQLite gives both atomically.
_V3 = """
CREATE TABLE watch_polls (
    id                 INTEGER PRIMARY KEY,
    asset              TEXT NOT NULL,
    at                 TEXT NOT NULL,            -- the poll's moment, UTC ISO 8601 ('2026-11-26T09:05:00+00:00')
    price              REAL NOT NULL,
    change_1h_pct      REAL,                     -- the hour's move, when the candles gave one
    liquidations_1h    REAL,                     -- USD; NULL when no provider gave liquidations
    long_1h            REAL,
    short_1h           REAL,
    liquidations_24h   REAL,
    provider           TEXT                      -- whose liquidations: averages compare like with like
);
CREATE INDEX watch_polls_by_asset ON watch_polls (asset, at);

CREATE TABLE alerts (
    id            INTEGER PRIMARY KEY,
    asset         TEXT NOT NULL,
    at            TEXT NOT NULL,                 -- when the poll fired it (UTC ISO 8601)
    triggers      TEXT NOT NULL,                 -- JSON list of the rules that fired, with values and thresholds
    article_id    INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    payload       TEXT NOT NULL,                 -- JSON the webhook is sent (kept to retry a failed delivery)
    notified_at   TEXT,                          -- NULL until the webhook accepted it
    notify_error  TEXT
);
CREATE INDEX alerts_by_asset ON alerts (asset, at);
"""

# The slug a target stored the post under, as its server returned it: WordPress renames a slug another
# post holds ('...-2'), so the slug asked for is not always where the post is.
_V4 = """
ALTER TABLE publications ADD COLUMN slug TEXT;
"""

# Revisions, not rewrites: a regeneration of an article an editor edited, approved or published is kept as a
# proposal beside the current text until an editor accepts it. A correction of a published article carries
# the note readers see ("Updated ...: corrected ...").
_V5 = """
ALTER TABLE articles ADD COLUMN proposed_revision INTEGER;  -- a generate revision waiting for an editor
ALTER TABLE revisions ADD COLUMN correction TEXT;          -- the note of a correction to a published text
ALTER TABLE revisions ADD COLUMN facts TEXT;               -- a proposal's own facts (else the article's)
"""

# The run state of the scheduler (last slot and outcome of each job) when the desk is shared by several hosts
# (PostgreSQL): there the state file of one host is not what the other hosts see. SQLite desks keep the file.
_V6 = """
CREATE TABLE run_state (
    job         TEXT PRIMARY KEY,
    state       TEXT NOT NULL,                   -- JSON JobState
    updated_at  TEXT NOT NULL
);
"""


# The store is enough: the files the review page and publishing read (the article file's front matter, the
# chart) are kept per revision, content-addressed, so a host that never saw generate's folder serves them.
# Base64 text, not BLOB/BYTEA: one column type both engines read the same way.
_V7 = """
CREATE TABLE blobs (
    sha256  TEXT PRIMARY KEY,                    -- of the bytes
    data    TEXT NOT NULL                        -- base64
);
CREATE TABLE revision_files (
    article_id  INTEGER NOT NULL REFERENCES articles (id),
    revision    INTEGER NOT NULL,
    name        TEXT NOT NULL,                   -- 'article.md', 'chart.png'
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    PRIMARY KEY (article_id, revision, name)
);
"""


class Migration(BaseModel):
    """One numbered step: the schema both engines share, plus what each spells its own way (triggers)."""

    model_config = ConfigDict(frozen=True)

    common: str
    sqlite: str = ""
    postgres: str = ""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(common=_V1, sqlite=_V1_SQLITE, postgres=_V1_POSTGRES),
    Migration(common=_V2, sqlite=_V2_SQLITE, postgres=_V2_POSTGRES),
    Migration(common=_V3), Migration(common=_V4), Migration(common=_V5), Migration(common=_V6), Migration(common=_V7),
)
"""MIGRATIONS[i] takes the schema from version i to i + 1."""

# Type spellings of the shared DDL that PostgreSQL needs otherwise: a generated key for SQLite's rowid
# alias, and 8-byte floats (PostgreSQL's REAL is 4 bytes).
DDL_FOR_POSTGRES: tuple[tuple[str, str], ...] = (
    (r"\bINTEGER PRIMARY KEY\b", "INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (r"\bREAL\b", "DOUBLE PRECISION"),
)


def scripts(engine: str) -> list[str]:
    """Every migration as one script for ``engine`` ('sqlite' or 'postgres')."""
    out = []
    for step in MIGRATIONS:
        common = step.common
        if engine == "postgres":
            for pattern, replacement in DDL_FOR_POSTGRES:
                common = re.sub(pattern, replacement, common)
        out.append(common + (step.postgres if engine == "postgres" else step.sqlite))
    return out


def migrate(engine: Engine) -> int:
    """Bring the database up to the newest schema; return the version it was at.

    The version is read again under the engine's write lock, so two processes starting together do not
    both apply a migration.
    """
    current = engine.migrate(scripts(engine.name))
    if current > len(MIGRATIONS):
        raise ConfigError(
            f"desk database {engine.location} has schema version {current}, newer than this marketnews knows "
            f"({len(MIGRATIONS)}); upgrade marketnews"
        )
    return current
