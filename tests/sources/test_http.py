"""The shared HTTP layer: retries honour Retry-After (but not forever), timeouts, one-line errors."""

from __future__ import annotations

import time

import pytest

from generator.errors import ProviderError
from generator.sources.http import Client, HttpOptions, live_adapter, make_session
from tests.sources.venues import Venues

TICKER = "/api/v3/ticker/24hr"


def client(venues: Venues, **options: float) -> Client:
    opts = HttpOptions(**{"timeout_seconds": 3.0, "retries": 2, "backoff_seconds": 0.0, **options})
    return Client("binance", venues.base_url("binance"), make_session(live_adapter(opts)), opts)


def test_retry_after_is_honoured(venues: Venues) -> None:
    venues.fault("binance", TICKER, "429", times=1, retry_after="1")
    started = time.monotonic()
    reply = client(venues).get_json(TICKER, {"symbol": "BTCUSDT"})
    assert time.monotonic() - started >= 1.0  # waited the second the server asked for
    assert reply.data["lastPrice"] and venues.hits("binance", TICKER) == 2


def test_a_retry_after_longer_than_the_cap_gives_up_at_once(venues: Venues) -> None:
    venues.fault("binance", TICKER, "429", retry_after="3600")
    started = time.monotonic()
    with pytest.raises(ProviderError, match=r"HTTP 429 \(rate limited\); Retry-After 3600"):
        client(venues, max_retry_wait_seconds=5).get_json(TICKER, {"symbol": "BTCUSDT"})
    assert time.monotonic() - started < 1.0 and venues.hits("binance", TICKER) == 1


def test_5xx_is_retried_then_reported(venues: Venues) -> None:
    venues.fault("binance", TICKER, "502")
    with pytest.raises(ProviderError, match=r"^HTTP 502"):
        client(venues, retries=3).get_json(TICKER, {"symbol": "BTCUSDT"})
    assert venues.hits("binance", TICKER) == 4


def test_backoff_is_configurable(venues: Venues) -> None:
    """urllib3's backoff: no wait before the first retry, factor x 2 before the second."""
    venues.fault("binance", TICKER, "500", times=2)
    started = time.monotonic()
    client(venues, backoff_seconds=0.2).get_json(TICKER, {"symbol": "BTCUSDT"})
    assert 0.35 <= time.monotonic() - started < 2.0


def test_451_is_not_retried(venues: Venues) -> None:
    venues.fault("binance", TICKER, "451")
    with pytest.raises(ProviderError, match="HTTP 451 \\(not available from this location\\)"):
        client(venues).get_json(TICKER, {"symbol": "BTCUSDT"})
    assert venues.hits("binance", TICKER) == 1


def test_timeout_message(venues: Venues) -> None:
    venues.fault("binance", TICKER, "timeout")
    with pytest.raises(ProviderError, match="^timed out after 0.2 s$"):
        client(venues, timeout_seconds=0.2, retries=0).get_json(TICKER, {"symbol": "BTCUSDT"})


def test_refused_connection_is_one_line() -> None:
    opts = HttpOptions(timeout_seconds=0.5, retries=0)
    c = Client("binance", "http://127.0.0.1:9", make_session(live_adapter(opts)), opts)  # port 9: discard, closed
    with pytest.raises(ProviderError, match="^could not connect: ") as err:
        c.get_json(TICKER)
    assert "\n" not in str(err.value) and "object at 0x" not in str(err.value)


def test_malformed_and_empty_bodies(venues: Venues) -> None:
    venues.fault("binance", TICKER, "malformed")
    with pytest.raises(ProviderError, match="malformed JSON"):
        client(venues).get_json(TICKER, {"symbol": "BTCUSDT"})


def test_identical_requests_are_made_once(venues: Venues) -> None:
    c = client(venues)
    first = c.get_json("/api/v3/ticker/24hr", {"symbol": "BTCUSDT"})
    second = c.get_json("/api/v3/ticker/24hr", {"symbol": "BTCUSDT"})
    assert first is second and venues.hits("binance", TICKER) == 1


def test_failures_are_shared_too(venues: Venues) -> None:
    venues.fault("binance", TICKER, "451")
    c = client(venues)
    for _ in range(2):
        with pytest.raises(ProviderError):
            c.get_json(TICKER, {"symbol": "BTCUSDT"})
    assert venues.hits("binance", TICKER) == 1
