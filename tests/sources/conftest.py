"""Fixtures for the live-data tests: replica venues on 127.0.0.1 and settings pointing at them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from generator.settings import Settings, load_settings
from generator.sources import FetchResult, fetch_live
from tests.sources.venues import Venues

# Fast failure for tests: one retry, no backoff sleeps. The timeout is generous because a loaded CI
# machine can take a second to answer on localhost; tests of the timeout path set a short one themselves.
FAST = {"http_timeout_seconds": 3.0, "http_retries": 1, "http_backoff_seconds": 0.0, "http_max_retry_wait_seconds": 2.0}


@pytest.fixture
def venues() -> Iterator[Venues]:
    with Venues() as v:
        yield v


def settings_for(venues: Venues, **overrides: Any) -> Settings:
    return load_settings(**{**venues.settings(), **FAST, **overrides})


def fetch(venues: Venues, asset: str = "BTC", **overrides: Any) -> FetchResult:
    return fetch_live(asset, settings_for(venues, **overrides), now=venues.now)
