"""The PostgreSQL engine's two pure helpers: the placeholder rewrite and the URL shown in messages."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg", reason="psycopg is not installed (pip install -e '.[postgres]')")

from generator.desk.engine_pg import redacted, translate  # noqa: E402


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM a WHERE id = ? AND b = ?", "SELECT * FROM a WHERE id = %s AND b = %s"),
    ("UPDATE a SET x = :x WHERE id = :_id", "UPDATE a SET x = %(x)s WHERE id = %(_id)s"),
    ("SELECT 1 WHERE t LIKE ? ESCAPE '\\'", "SELECT 1 WHERE t LIKE %s ESCAPE '\\'"),
    ("SELECT '?', 'it''s :not a %' WHERE a = ?", "SELECT '?', 'it''s :not a %' WHERE a = %s"),  # quoted text kept
    ("SELECT 5 % 2 WHERE a = ?", "SELECT 5 %% 2 WHERE a = %s"),
])
def test_placeholders_become_psycopgs_outside_quotes(sql: str, expected: str) -> None:
    assert translate(sql) == expected


def test_messages_never_show_the_password() -> None:
    assert redacted("postgresql://desk:s3cret@db:5432/news?sslmode=require") == (
        "postgresql://desk:***@db:5432/news?sslmode=require")
    assert redacted("postgresql://desk@db/news") == "postgresql://desk@db/news"
