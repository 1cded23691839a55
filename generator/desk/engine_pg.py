"""The PostgreSQL engine: psycopg 3 with a connection pool, for a desk shared by several hosts.

SQL arrives written for SQLite's placeholders (``?``, ``:name``) and is rewritten once per statement
to psycopg's (``%s``, ``%(name)s``). Parameters are bound on the client (psycopg's ClientCursor), so a
``? IS NULL`` needs no type annotation, as in SQLite. Write transactions take one transaction-scoped
advisory lock first: writers then queue like SQLite's BEGIN IMMEDIATE, so the rules the store keeps
(the next revision number, read-check-write under a version) hold on both engines unchanged.
Locks that span hosts (the scheduler's, the publisher's) are session advisory locks held on a
connection of their own: they vanish with the process that holds them, like a flock.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import socket
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg_pool import ConnectionPool

from generator.desk.engine import Connection, Cursor, Engine, IntegrityError, StoreUnavailable
from generator.errors import AlreadyRunning

# Advisory lock keys are (class, object) pairs of 32-bit ints; the class marks marketnews' own locks.
LOCK_CLASS = 0x6D6E  # 'mn'
WRITER_LOCK = "desk writers"
MIGRATION_LOCK = "desk migrations"
CONNECT_TIMEOUT_S = 10
POOL_MAX = 8

_TOKENS = re.compile(r"'(?:[^']|'')*'|\?|(?<!:):([A-Za-z_]\w*)|%")
_pools: dict[str, ConnectionPool[Any]] = {}


def lock_key(name: str) -> int:
    """A stable 31-bit key for a lock name (the same on every host)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """SQLite placeholders to psycopg's; quoted text is left alone."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return token

    return _TOKENS.sub(swap, sql)


def _params(params: Sequence[Any] | dict[str, Any]) -> Sequence[Any] | dict[str, Any]:
    # Booleans go into INTEGER columns (passed), as SQLite stores them.
    if isinstance(params, dict):
        return {k: int(v) if isinstance(v, bool) else v for k, v in params.items()}
    return [int(v) if isinstance(v, bool) else v for v in params]


class Row(tuple[Any, ...]):
    """A row readable by index and by column name, and convertible with dict(), like sqlite3.Row."""

    _names: dict[str, int]

    def keys(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor: Any) -> Any:
    names = {d.name: i for i, d in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row._names = names
        return row

    return make


class _PgConnection(Connection):
    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        try:
            if params:
                return self.raw.execute(translate(sql), _params(params))
            return self.raw.execute(sql)  # no parameters: no % escapes to undo
        except psycopg.errors.IntegrityError as err:
            raise IntegrityError(err.diag.message_primary or str(err)) from err


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")
    user = netloc[0].partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[2]}"))


def _connect_kwargs() -> dict[str, Any]:
    return {"autocommit": True, "cursor_factory": psycopg.ClientCursor, "row_factory": _row_factory,
            "connect_timeout": CONNECT_TIMEOUT_S}


class PostgresEngine(Engine):
    """The desk in a PostgreSQL database named by a ``postgresql://`` URL."""

    name = "postgres"
    like = "ILIKE"

    def __init__(self, url: str) -> None:
        self.url = url
        self.location = redacted(url)

    def _pool(self) -> ConnectionPool[Any]:
        pool = _pools.get(self.url)
        if pool is None:
            # One pool per database and process, shared by every Store on it (the review server's threads).
            pool = ConnectionPool(self.url, min_size=1, max_size=POOL_MAX, kwargs=_connect_kwargs(), open=False,
                                  timeout=CONNECT_TIMEOUT_S, check=ConnectionPool.check_connection,
                                  name="marketnews-desk")
            pool.open(wait=False)
            _pools[self.url] = pool
        return pool

    def exists(self) -> bool:
        return True  # a database is made by its administrator; migrate creates the tables in it

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        try:
            cm = self._pool().connection()
            raw = cm.__enter__()
        except Exception as err:  # PoolTimeout, OperationalError: the server is down or refuses us
            raise StoreUnavailable(f"cannot be reached: {_reason(err)}") from None
        try:
            yield _PgConnection(raw)
        except BaseException as err:
            cm.__exit__(type(err), err, err.__traceback__)
            raise
        cm.__exit__(None, None, None)

    def begin_exclusive(self, conn: Connection) -> None:
        conn.execute("BEGIN")
        try:  # writers queue on one transaction-scoped advisory lock, released at COMMIT or ROLLBACK
            conn.execute("SELECT pg_advisory_xact_lock(?, ?)", (LOCK_CLASS, lock_key(WRITER_LOCK)))
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with self.connect() as conn:
            return _version(conn)

    def migrate(self, scripts: Sequence[str]) -> int:
        # A connection of its own, not the pool's: a server that is down or a wrong password is reported at
        # once, not after the pool's wait.
        try:
            raw = psycopg.connect(self.url, **_connect_kwargs())
        except psycopg.Error as err:
            raise StoreUnavailable(f"cannot be reached: {_reason(err)}") from None
        with raw:
            return self._migrate(_PgConnection(raw), scripts)

    def _migrate(self, conn: Connection, scripts: Sequence[str]) -> int:
        while (current := _version(conn)) < len(scripts):
            conn.execute("BEGIN")
            try:
                # Two processes starting together: the second waits here, then sees the new version.
                conn.execute("SELECT pg_advisory_xact_lock(?, ?)", (LOCK_CLASS, lock_key(MIGRATION_LOCK)))
                if _version(conn) == current:
                    conn.execute("CREATE TABLE IF NOT EXISTS marketnews_schema (version INTEGER NOT NULL)")
                    conn.execute(scripts[current])
                    conn.execute("DELETE FROM marketnews_schema")
                    conn.execute("INSERT INTO marketnews_schema (version) VALUES (?)", (current + 1,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return current

    @contextmanager
    def hold(self, name: str, what: str) -> Iterator[None]:
        """The advisory lock ``name`` in the database, so the holder may be on any host; AlreadyRunning if taken."""
        with self._session_lock(name) as taken:
            if not taken:
                holder = self.holder(name) or "another process"
                raise AlreadyRunning(f"{what} is already in progress ({holder}, advisory lock {name!r} in "
                                     f"{self.location}); this run was not started")
            yield

    @contextmanager
    def _session_lock(self, name: str) -> Iterator[bool]:
        """Try the advisory lock ``name`` on a connection of its own; yields whether it was taken."""
        since = datetime.now(timezone.utc).isoformat(timespec="seconds")
        holder = f"pid {os.getpid()} on {socket.gethostname()}, since {since}"
        try:
            raw = psycopg.connect(self.url, application_name=holder[:63], **_connect_kwargs())
        except psycopg.Error as err:
            raise StoreUnavailable(f"cannot be reached: {_reason(err)}") from None
        try:
            row = raw.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, lock_key(name))).fetchone()
            taken = bool(row and row[0])
            try:
                yield taken
            finally:
                if taken and not raw.closed:
                    # At once: the server notices a closed session a moment later, and a run starting in
                    # that moment would be refused.
                    with contextlib.suppress(psycopg.Error):
                        raw.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, lock_key(name)))
        finally:
            raw.close()  # ends the session, and with it the lock (also when the process dies)

    def holder(self, name: str) -> str | None:
        """Who holds the advisory lock ``name`` ('pid 12 on host, since ...'), or None."""
        with self.connect() as conn:
            row = conn.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ? AND l.objid = ? AND l.objsubid = 2",
                (LOCK_CLASS, lock_key(name))).fetchone()
        return None if row is None else str(row[0]) or "another process"

    def close(self) -> None:
        pool = _pools.pop(self.url, None)
        if pool is not None:
            pool.close()


def _version(conn: Connection) -> int:
    exists = conn.execute("SELECT to_regclass('marketnews_schema')").fetchone()[0]
    if exists is None:
        return 0
    row = conn.execute("SELECT MAX(version) FROM marketnews_schema").fetchone()
    return int(row[0] or 0)


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__


@atexit.register
def _close_pools() -> None:
    for pool in list(_pools.values()):
        pool.close()
    _pools.clear()
