"""The fetch deadline bounds a whole fetch: a dead network answers "data unavailable" in that time.

The dead network is a server on 127.0.0.1 that accepts connections and never
answers (as a firewalled or overloaded host does); the living providers are the
replicas of tests/sources/venues.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.errors import DataUnavailable, ProviderError
from generator.snapshot import dump_snapshot
from generator.sources import fetch_live, fetch_replay
from generator.sources.base import RateLimit
from generator.sources.deadline import Deadline
from generator.sources.http import Client, HttpOptions, RateLimiter, live_adapter, make_session
from tests.sources.black_hole import black_hole
from tests.sources.conftest import settings_for
from tests.sources.venues import PROVIDERS, Venues

# What a user who changed nothing but the deadline gets: 10 s timeouts, 2 retries with backoff.
DEFAULT_HTTP = {"http_timeout_seconds": 10.0, "http_retries": 2, "http_backoff_seconds": 0.5,
                "http_max_retry_wait_seconds": 30.0}
SLACK = 1.0  # thread start-up and a loaded 2-core CI machine; the unbounded fetch takes minutes


def dead_settings(base: str, deadline: float) -> dict[str, object]:
    return {**{f"{p}_url": f"{base}/{p}" for p in PROVIDERS}, **DEFAULT_HTTP, "fetch_deadline_seconds": deadline}


def test_dead_network_is_data_unavailable_within_the_deadline(venues: Venues) -> None:
    with black_hole() as base:
        settings = settings_for(venues, **dead_settings(base, 1.5))
        started = time.monotonic()
        with pytest.raises(DataUnavailable) as err:
            fetch_live("BTC", settings, now=venues.now)
        elapsed = time.monotonic() - started
    assert elapsed < 1.5 + SLACK, f"took {elapsed:.2f} s"
    message = str(err.value)
    assert "\n" not in message and message.startswith("no provider could give the BTC price")
    assert "binance: no answer within the fetch deadline (1.5 s)" in message
    assert "coinbase: not asked: the fetch deadline (1.5 s) had passed" in message


def test_cli_answers_exit_4_within_the_deadline(tmp_path: Path) -> None:
    from tests.test_cli_live import run

    with black_hole() as base:
        env = {f"MARKETNEWS_{k.upper()}": str(v) for k, v in dead_settings(base, 2.0).items()}
        started = time.monotonic()
        proc = run("generate", "--asset", "BTC", "--out", str(tmp_path / "out"), env=env, cwd=tmp_path)
        elapsed = time.monotonic() - started
    assert proc.returncode == 4, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "fetch deadline (2 s)" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()
    # The interpreter's start-up and imports come on top of the fetch (about a second here).
    assert elapsed < 2.0 + SLACK + 3.0, f"took {elapsed:.2f} s"


def test_slow_but_working_first_provider_still_wins(venues: Venues) -> None:
    venues.latency("binance", 1.0)  # every Binance answer takes a second; the deadline leaves time for it
    snapshot = fetch_live("BTC", settings_for(venues, fetch_deadline_seconds=4.0), now=venues.now).snapshot
    assert snapshot.price.source.provider == "binance" and snapshot.price.source.note is None
    assert snapshot.candles["1d"].source.provider == "binance"
    assert not any("deadline" in why for why in snapshot.missing.values())


def test_a_hanging_first_provider_falls_back_when_time_allows(venues: Venues) -> None:
    venues.fault("binance", "*", "timeout")  # answers after 5 s: too late for the 0.5 s timeout
    settings = settings_for(venues, http_timeout_seconds=0.5, http_retries=0, fetch_deadline_seconds=4.0)
    snapshot = fetch_live("BTC", settings, now=venues.now).snapshot
    assert snapshot.price.source.provider == "coinbase"
    assert "binance: timed out" in (snapshot.price.source.note or "")


def test_a_long_retry_after_is_not_slept_past_the_deadline(venues: Venues) -> None:
    # Every exchange asks to come back in 20 s, which http_max_retry_wait_seconds (30) would allow.
    for provider in ("binance", "coinbase", "kraken", "bybit"):
        venues.fault(provider, "*", "429", retry_after="20")
    settings = settings_for(venues, **{**DEFAULT_HTTP, "fetch_deadline_seconds": 1.0})
    started = time.monotonic()
    with pytest.raises(DataUnavailable, match="binance: HTTP 429 .*Retry-After 20; coinbase: HTTP 429"):
        fetch_live("BTC", settings, now=venues.now)
    assert time.monotonic() - started < 1.0 + SLACK
    # not asked again: the wait outlasts the deadline (the peers' request, refused the same way, is not asked again either)
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbol="BTCUSDT") == 1


def test_missing_metric_after_the_deadline_replays_the_same(venues: Venues, tmp_path: Path) -> None:
    venues.fault("okx", "*", "timeout")  # liquidations' only provider without a key hangs for 5 s
    settings = settings_for(venues, http_timeout_seconds=3.0, fetch_deadline_seconds=1.5)
    live = fetch_live("BTC", settings, now=venues.now)
    assert live.snapshot.liquidations is None
    assert live.snapshot.missing["liquidations"] == "okx: no answer within the fetch deadline (1.5 s)"
    assert live.snapshot.price is not None and live.snapshot.fear_greed is not None
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    venues.stop()
    replayed = fetch_replay(path)
    assert dump_snapshot(replayed.snapshot) == dump_snapshot(live.snapshot)


def test_every_retry_gets_only_the_time_left() -> None:
    options = HttpOptions(timeout_seconds=10.0, retries=5, backoff_seconds=0.0)
    with black_hole() as base:
        client = Client("dead", base, make_session(live_adapter(options)), options, deadline=Deadline(0.8))
        started = time.monotonic()
        with pytest.raises(ProviderError):
            client.get_json("/anything")
        assert time.monotonic() - started < 0.8 + SLACK


def test_rate_limit_wait_stops_at_the_deadline() -> None:
    limiter = RateLimiter([RateLimit(1, 60)])  # one request a minute
    with limiter.slot("/x", Deadline(5.0)):
        pass
    started = time.monotonic()
    with pytest.raises(ProviderError, match="rate limit would hold the request past the fetch deadline"):
        with limiter.slot("/x", Deadline(5.0)):
            pass
    assert time.monotonic() - started < 0.5
