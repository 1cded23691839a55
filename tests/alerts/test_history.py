"""The watch's tables in the desk database: an existing desk is upgraded in place, and alerts are desk articles."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from generator.alerts.history import History
from generator.alerts.rules import Reading, Trigger
from generator.desk.actions import approve
from generator.desk.engine import sqlite_statements
from generator.desk.migrations import MIGRATIONS, scripts
from generator.desk.publish import publish_article
from generator.desk.store import Store, open_store
from generator.pipeline import generate
from generator.settings import Settings
from tests.conftest import make_snapshot
from tests.intraday import with_intraday


def test_a_schema_1_desk_is_upgraded_and_keeps_its_drafts(tmp_path: Path) -> None:
    path = tmp_path / "desk.sqlite3"
    with sqlite3.connect(path) as conn:  # a desk as the previous version left it
        for statement in sqlite_statements(scripts("sqlite")[0]):
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO articles (asset, kind, date, status, title, path, facts, created_at, updated_at) "
                     "VALUES ('BTC', 'daily', '2018-02-06', 'draft', 'T', '/x', '{}', 'now', 'now')")
    store = Store(path)
    assert store.engine.schema_version() == len(MIGRATIONS)
    with store.connect() as conn:
        assert conn.execute("SELECT title FROM articles").fetchone()[0] == "T"
    history = History(store)
    at = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    history.record_poll(Reading(asset="BTC", at=at, price=1.0, liquidations_1h=5.0, provider="okx"), timedelta(hours=1))
    assert [p.liquidations_1h for p in history.polls("BTC", at, at)] == [5.0]


def test_two_alerts_on_one_day_are_two_articles(tmp_path: Path) -> None:
    settings = Settings(output_dir=tmp_path)
    morning = with_intraday(make_snapshot("2018-02-05"), "5m", -4.0)
    evening = morning.model_copy(update={"as_of": morning.as_of + timedelta(hours=9, minutes=30)})
    daily = generate(morning, settings)
    first = generate(morning, settings, kind="alert")
    second = generate(evening, settings, kind="alert")
    assert [p.relative_to(tmp_path).as_posix() for p in (daily.path, first.path, second.path)] == [
        "2018-02-06/btc-daily", "2018-02-06/btc-alert-0000", "2018-02-06/btc-alert-0930"]
    assert len({daily.draft_id, first.draft_id, second.draft_id}) == 3
    again = generate(morning, settings, kind="alert")  # the same alert again: the same article, unchanged
    assert again.draft_id == first.draft_id
    # Approved and published, each is its own post.
    site = Settings(output_dir=tmp_path, static_site_dir=tmp_path / "site", static_site_url="https://news.example.com/")
    store = open_store(site)
    for draft_id in (first.draft_id, second.draft_id):
        approve(store, draft_id, by="Ann")  # type: ignore[arg-type]
        assert publish_article(store, site, draft_id, ["static_site"]).status == "published"  # type: ignore[arg-type]
    pages = sorted(p.name for p in (tmp_path / "site").iterdir() if p.is_dir())
    assert pages == ["2018-02-06-btc-alert-0000", "2018-02-06-btc-alert-0930"]


def test_alert_records_round_trip(desk_db: Path | str) -> None:
    history = History(Store(desk_db))  # on both engines (tests/conftest.py: desk_db)
    at = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    trigger = Trigger(rule="price_move", value=-4.2, threshold=3.0, text="price moved -4.20%")
    record = history.record_alert("ETH", at, [trigger], None, {"alert": {"asset": "ETH"}})
    assert history.last_alert("ETH") == record and history.last_alert("BTC") is None
    assert history.undelivered(at - timedelta(hours=1)) == [record]
    history.mark_notified(record.id, at + timedelta(seconds=3))
    assert history.undelivered(at - timedelta(hours=1)) == []
    [stored] = history.alerts()
    assert stored.triggers == [trigger] and stored.payload == {"alert": {"asset": "ETH"}}
    assert history.alerts("ETH") == [stored] and history.alerts("BTC") == []


def test_polls_keep_their_floats_and_forget_old_ones(desk_db: Path | str) -> None:
    history = History(Store(desk_db))
    at = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)
    exact = 123456789.123456  # a 4-byte REAL would round this
    for hours in (48, 2, 1, 0):
        reading = Reading(asset="BTC", at=at - timedelta(hours=hours), price=65000.5, liquidations_1h=exact,
                          provider="okx")
        history.record_poll(reading, timedelta(hours=3))
    polls = history.polls("BTC", at - timedelta(days=3), at)
    assert [p.at for p in polls] == [at - timedelta(hours=h) for h in (2, 1, 0)]  # the 48-hour-old poll is gone
    assert {p.liquidations_1h for p in polls} == {exact}
