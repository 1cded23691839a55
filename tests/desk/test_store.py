"""The store: migrations, WAL, constraints and the approval trigger."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from generator.desk.engine import IntegrityError
from generator.desk.migrations import MIGRATIONS
from generator.desk.store import Store, open_store, store_path
from generator.errors import ConfigError, NotFound
from generator.settings import Settings
from tests.desk.conftest import RIGHT, WRONG


def test_a_new_store_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "sub" / "desk.sqlite3")
    assert store.engine.schema_version() == len(MIGRATIONS)
    with store.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "revisions", "audit", "sessions"} <= tables
    Store(store.desk_db)  # opening again is a no-op


def test_a_newer_schema_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    Store(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(ConfigError, match="newer than this marketnews knows"):
        Store(path)


def test_a_file_that_is_not_a_database_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    path.write_text("not sqlite " * 100)
    with pytest.raises(ConfigError, match="desk_db"):
        Store(path)


def test_the_store_lives_in_the_output_folder_unless_desk_db_is_set(tmp_path: Path) -> None:
    assert store_path(Settings(output_dir=tmp_path)) == tmp_path / "desk.sqlite3"
    assert store_path(Settings(output_dir=tmp_path), out=tmp_path / "x") == tmp_path / "x" / "desk.sqlite3"
    assert store_path(Settings(desk_db=tmp_path / "d.db"), out=tmp_path / "x") == tmp_path / "d.db"
    assert open_store(Settings(desk_db=tmp_path / "d.db")).path.exists()


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no draft with id 7"):
        store.article(7)
    with pytest.raises(NotFound):
        store.revision(7)


def test_the_database_refuses_to_approve_a_failing_revision_even_by_hand(
    store: Store, register, example,
) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    assert article.status == "blocked"
    with store.connect() as conn, pytest.raises(IntegrityError, match="approve refused"):
        conn.execute("UPDATE articles SET status = 'approved' WHERE id = ?", (article.id,))
    with store.connect() as conn, pytest.raises(IntegrityError, match="approve refused"):
        conn.execute("UPDATE articles SET status = 'published' WHERE id = ?", (article.id,))
    with store.connect() as conn, pytest.raises(IntegrityError):
        conn.execute("UPDATE articles SET status = 'bogus' WHERE id = ?", (article.id,))


def test_writers_queue_for_each_other_on_both_engines(store: Store, register) -> None:  # noqa: ANN001
    """Eight generates of one new draft at once: one article, no unique-key error (the writers take turns, as
    BEGIN IMMEDIATE makes them on SQLite and the transaction advisory lock on PostgreSQL)."""
    import threading

    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def one() -> None:
        start.wait()
        try:
            register()
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    [article] = store.articles()
    assert [e.action for e in store.audit(article.id)][-1] == "generated"
