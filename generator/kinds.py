"""Article kinds and how each names its article.

A ``daily`` analysis is one article per asset and day. A breaking ``alert`` is
one per asset and minute: a second alert on the same day is a new story, not a
rewrite of the morning's (which may already be approved or published). The
folder, the desk's key and the publishing slug all come from here, so they agree.
"""

from __future__ import annotations

from datetime import datetime, timezone

KINDS = ("daily", "alert")
# strftime suffix that tells two articles of one kind, asset and day apart (None: one per day).
_STAMP: dict[str, str | None] = {"daily": None, "alert": "%H%M"}


def _utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc) if when.tzinfo else when


def article_name(asset: str, kind: str, when: datetime) -> str:
    """'btc-daily', 'btc-alert-0905': the article's folder under output/<date>/."""
    stamp = _STAMP.get(kind)
    name = f"{asset.lower()}-{kind}"
    return f"{name}-{_utc(when):{stamp}}" if stamp else name


def article_slug(asset: str, kind: str, when: datetime) -> str:
    """'2018-02-06-btc-daily', '2018-02-06-btc-alert-0905': unique per article folder."""
    return f"{_utc(when):%Y-%m-%d}-{article_name(asset, kind, when)}"


def desk_date(kind: str, when: datetime) -> str:
    """The desk's date of the article: '2018-02-06', or '2018-02-06 09:05' for a kind with one per minute."""
    moment = _utc(when)
    return f"{moment:%Y-%m-%d %H:%M}" if _STAMP.get(kind) else f"{moment:%Y-%m-%d}"
