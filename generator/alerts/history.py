"""The watch's memory in the desk database: the polls (for the trailing average) and the alerts sent.

Times are stored as UTC ISO 8601 strings of one fixed format, so comparing the
strings compares the moments.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict

from generator.alerts.rules import Reading, Trigger
from generator.desk.store import Store

# Polls older than the longest baseline plus this are deleted as new ones arrive.
KEEP_EXTRA = timedelta(days=1)


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


class AlertRecord(BaseModel):
    """An alert the watch fired: its triggers, the article it drafted and whether the webhook has it."""

    model_config = ConfigDict(frozen=True)

    id: int
    asset: str
    at: AwareDatetime
    triggers: list[Trigger]
    article_id: int | None
    payload: dict[str, Any]
    notified_at: AwareDatetime | None
    notify_error: str | None


class History:
    """Polls and alerts of ``marketnews watch``, kept in the desk store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record_poll(self, reading: Reading, keep: timedelta) -> None:
        """Add a poll and forget the asset's polls older than ``keep`` (plus a day)."""
        row = {"asset": reading.asset, "at": stamp(reading.at), "price": reading.price,
               "change_1h_pct": reading.change_1h_pct, "liquidations_1h": reading.liquidations_1h,
               "long_1h": reading.long_1h, "short_1h": reading.short_1h,
               "liquidations_24h": reading.liquidations_24h, "provider": reading.provider}
        with self.store.transaction() as conn:
            conn.execute(f"INSERT INTO watch_polls ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         tuple(row.values()))
            conn.execute("DELETE FROM watch_polls WHERE asset = ? AND at < ?",
                         (reading.asset, stamp(reading.at - keep - KEEP_EXTRA)))

    def polls(self, asset: str, since: datetime, until: datetime) -> list[Reading]:
        """The asset's polls from ``since`` to ``until`` (inclusive), oldest first."""
        with self.store.connect() as conn:
            rows = conn.execute("SELECT * FROM watch_polls WHERE asset = ? AND at >= ? AND at <= ? ORDER BY at",
                                (asset, stamp(since), stamp(until))).fetchall()
        return [Reading.model_validate({k: row[k] for k in row.keys() if k != "id"}) for row in rows]

    def last_alert(self, asset: str) -> AlertRecord | None:
        with self.store.connect() as conn:
            row = conn.execute("SELECT * FROM alerts WHERE asset = ? ORDER BY at DESC, id DESC LIMIT 1",
                               (asset,)).fetchone()
        return _alert(row) if row else None

    def record_alert(self, asset: str, at: datetime, triggers: list[Trigger], article_id: int | None,
                     payload: dict[str, Any]) -> AlertRecord:
        with self.store.transaction() as conn:
            row = conn.execute(
                "INSERT INTO alerts (asset, at, triggers, article_id, payload) VALUES (?, ?, ?, ?, ?) RETURNING *",
                (asset, stamp(at), json.dumps([t.model_dump() for t in triggers]), article_id,
                 json.dumps(payload, sort_keys=True))).fetchone()
            return _alert(row)

    def mark_notified(self, alert_id: int, at: datetime | None, error: str | None = None) -> None:
        """Record a delivery (``at``) or why it failed (``error``, ``at`` None: to be retried)."""
        with self.store.transaction() as conn:
            conn.execute("UPDATE alerts SET notified_at = ?, notify_error = ? WHERE id = ?",
                         (stamp(at) if at else None, error, alert_id))

    def undelivered(self, since: datetime) -> list[AlertRecord]:
        """Alerts since ``since`` the webhook has not accepted yet, oldest first."""
        with self.store.connect() as conn:
            rows = conn.execute("SELECT * FROM alerts WHERE notified_at IS NULL AND at >= ? ORDER BY at, id",
                                (stamp(since),)).fetchall()
        return [_alert(r) for r in rows]

    def alerts(self, asset: str | None = None) -> list[AlertRecord]:
        """Every alert (of ``asset``), newest first."""
        with self.store.connect() as conn:
            rows = conn.execute("SELECT * FROM alerts WHERE ? IS NULL OR asset = ? ORDER BY at DESC, id DESC",
                                (asset, asset)).fetchall()
        return [_alert(r) for r in rows]


def _alert(row: Any) -> AlertRecord:
    data = dict(row)
    data["triggers"] = json.loads(data["triggers"])
    data["payload"] = json.loads(data["payload"])
    return AlertRecord.model_validate(data)
