"""Fixtures for the watch tests: replica providers at a moment mid-day, a clock the test moves, settings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from generator.alerts.rules import Reading
from generator.alerts.watch import Watcher
from generator.settings import Settings, load_settings
from tests.sources.conftest import FAST
from tests.sources.venues import Venues

# 09:07 UTC on the replicas' day: the daily candle closed at midnight, today's price path is the venues' own.
MIDDAY = datetime(2018, 6, 18, 9, 7, tzinfo=timezone.utc)


class Clock:
    """The watch's clock, moved by the test together with the replicas' clock."""

    def __init__(self, venues: Venues) -> None:
        self.venues = venues

    def __call__(self) -> datetime:
        return self.venues.now

    def advance(self, minutes: float) -> None:
        self.venues.now += timedelta(minutes=minutes)


@pytest.fixture
def venues() -> Iterator[Venues]:
    with Venues(now=MIDDAY) as v:
        yield v


def watch_settings(venues: Venues, out: Path, **overrides: Any) -> Settings:
    return load_settings(**{**venues.settings(), **FAST, "output_dir": out, **overrides})


def watcher(venues: Venues, out: Path, assets: list[str] | None = None, **overrides: Any) -> Watcher:
    return Watcher(watch_settings(venues, out, **overrides), assets or ["BTC"], clock=Clock(venues))


def seed_history(w: Watcher, asset: str, hourly_usd: float, hours: float = 24, every_min: float = 5,
                 provider: str = "okx") -> None:
    """Earlier polls, every ``every_min`` minutes for ``hours`` before now, each seeing ``hourly_usd`` in an hour."""
    now = w.clock()
    n = int(hours * 60 / every_min)
    for i in range(n, 0, -1):
        at = now - timedelta(minutes=every_min * i)
        w.history.record_poll(Reading(asset=asset, at=at, price=6400.0, liquidations_1h=hourly_usd,
                                      long_1h=hourly_usd * 0.7, short_1h=hourly_usd * 0.3, provider=provider),
                              keep=timedelta(hours=24))


@pytest.fixture(autouse=True, params=["sqlite", "postgres"])
def alert_desk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Every alert test on both engines: the default SQLite desk in the output folder, or MARKETNEWS_DESK_DB
    naming a fresh PostgreSQL schema (the commands the tests start inherit it)."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    url = request.getfixturevalue("pg_cluster").url()
    monkeypatch.setenv("MARKETNEWS_DESK_DB", url)
    yield url
    from generator.desk.engine import open_engine

    open_engine(url).close()
