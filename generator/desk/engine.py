"""The two engines behind the desk store, SQLite and PostgreSQL, behind one small interface.

The store and its callers write SQL once, with ``?`` and ``:name`` placeholders, ``RETURNING`` and
``ON CONFLICT`` (both engines have them). What differs is here and in ``engine_pg.py`` only: how a
connection is made, how a write transaction excludes other writers, where the schema version is kept,
how a lock that spans processes is taken and what a refused write raises. No ORM: the SQL is small,
and both engines run the same statements.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from generator.locks import exclusive_lock, lock_holder

BUSY_TIMEOUT_MS = 10_000
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class IntegrityError(Exception):
    """A constraint or trigger of the schema refused a write (either engine)."""


class StoreUnavailable(Exception):
    """The database cannot be opened or reached; the store turns it into a ConfigError naming desk_db."""


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(ABC):
    """One connection: ``execute`` with sqlite-style placeholders, rows readable by name and by index."""

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor: ...


class Engine(ABC):
    """What the store needs from a database."""

    name: str
    location: str  # for messages: the file, or the URL without its password
    like: str = "LIKE"  # case-insensitive LIKE: SQLite's ignores ASCII case already, PostgreSQL's needs ILIKE

    @abstractmethod
    def connect(self) -> AbstractContextManager[Connection]: ...

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction, exclusive of other writers: all of it is committed, or none of it."""
        with self.connect() as conn:
            self.begin_exclusive(conn)
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @abstractmethod
    def begin_exclusive(self, conn: Connection) -> None:
        """Open a transaction that no other writer can run beside (how is each engine's own)."""

    @abstractmethod
    def migrate(self, scripts: Sequence[str]) -> int:
        """Apply ``scripts[v:]`` to a database at version v, each in its own transaction; the version reached."""

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def exists(self) -> bool:
        """True when there is a store to read (commands that only read do not create one)."""

    @abstractmethod
    def hold(self, name: str, what: str) -> AbstractContextManager[None]:
        """Hold the lock ``name`` for the block, or raise AlreadyRunning at once; released when the process dies."""

    @abstractmethod
    def holder(self, name: str) -> str | None:
        """Who holds the lock ``name`` now ('pid 12, since ...'), or None."""

    @abstractmethod
    def close(self) -> None:
        """Release pooled connections."""


def is_postgres(location: str | Path) -> bool:
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def open_engine(location: str | Path) -> Engine:
    """The engine for ``desk_db``: a ``postgresql://`` URL, else a SQLite file path."""
    if is_postgres(location):
        try:
            from generator.desk.engine_pg import PostgresEngine  # psycopg is an optional extra
        except ImportError:
            raise StoreUnavailable("needs psycopg and psycopg-pool: pip install 'marketnews[postgres]'") from None
        return PostgresEngine(str(location))
    return SqliteEngine(Path(location))


# --- SQLite ---------------------------------------------------------------------------------------


class _SqliteConnection(Connection):
    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Cursor:
        try:
            return self.raw.execute(sql, params)
        except sqlite3.IntegrityError as err:
            raise IntegrityError(str(err)) from err


class SqliteEngine(Engine):
    """A file in WAL mode; writers take the lock up front (BEGIN IMMEDIATE) and wait for each other."""

    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)

    def exists(self) -> bool:
        return self.path.exists()

    def close(self) -> None:
        """Nothing to release: every connection is closed after use."""

    def lock_file(self, name: str) -> Path:
        return self.path.with_name(f"{self.path.name}.{name}.lock")

    def hold(self, name: str, what: str) -> AbstractContextManager[None]:
        # One machine: a flock on a file beside the database (generator/locks.py).
        return exclusive_lock(self.lock_file(name), what)

    def holder(self, name: str) -> str | None:
        return lock_holder(self.lock_file(name))

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        try:
            raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreUnavailable(str(err)) from None
        try:
            raw.row_factory = sqlite3.Row
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            yield _SqliteConnection(raw)
        finally:
            raw.close()

    def begin_exclusive(self, conn: Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")  # SQLite's write lock at once, not at the first write

    def schema_version(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, scripts: Sequence[str]) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.connect() as conn:
                # WAL lets the review page read while generate writes; the mode is stored in the file.
                conn.execute("PRAGMA journal_mode = WAL")
                while (current := int(conn.execute("PRAGMA user_version").fetchone()[0])) < len(scripts):
                    conn.execute("BEGIN IMMEDIATE")  # the version is read again under the write lock
                    try:
                        if int(conn.execute("PRAGMA user_version").fetchone()[0]) == current:
                            for statement in sqlite_statements(scripts[current]):
                                conn.execute(statement)
                            conn.execute(f"PRAGMA user_version = {current + 1}")
                        conn.execute("COMMIT")
                    except BaseException:
                        conn.execute("ROLLBACK")
                        raise
                return current
        except sqlite3.DatabaseError as err:
            raise StoreUnavailable(f"cannot be used: {err}") from None
        except OSError as err:
            raise StoreUnavailable(f"cannot be created: {err.strerror or err}") from None


def sqlite_statements(script: str) -> list[str]:
    """Split a script into statements (trigger bodies contain semicolons, so ask SQLite where they end)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()[:60]}")
    return out
