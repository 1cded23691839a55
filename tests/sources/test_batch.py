"""A live run for several assets: shared provider calls, rate limits held across assets, per-asset recordings."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.errors import DataUnavailable
from generator.sources import FetchBatch, fetch_replay, okx
from generator.sources.base import RateLimit
from generator.sources.http import RateLimiter
from generator.sources.plan import build_plans
from tests.sources.conftest import settings_for
from tests.sources.venues import Venues

ASSETS = ["BTC", "ETH", "SOL"]


def fetch_all(batch: FetchBatch, assets: list[str]) -> dict:
    with ThreadPoolExecutor(len(assets)) as pool:
        return dict(zip(assets, pool.map(batch.fetch, assets), strict=True))


def test_assets_of_one_run_share_the_calls_the_apis_allow(venues: Venues) -> None:
    with FetchBatch(ASSETS, settings_for(venues), now=venues.now) as batch:
        results = fetch_all(batch, ASSETS)
    # One 24h ticker request for the three symbols and the peer XRP (it prices the assets and gives every article
    # its peers' moves), one CoinGecko price request, one Fear & Greed request ...
    assert venues.hits("binance", "/api/v3/ticker/24hr") == 1
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbols='["BTCUSDT","ETHUSDT","SOLUSDT","XRPUSDT"]') == 1
    assert venues.hits("coingecko", "/simple/price") == 1
    assert venues.hits("coingecko", "/simple/price", ids="bitcoin,ethereum,ripple,solana") == 1
    assert venues.hits("alternative_me") == 1
    assert venues.hits("binance_futures", "/fapi/v1/fundingInfo") == 1  # symbol-less: the same URL for all
    # ... while what is per symbol stays per symbol.
    assert venues.hits("binance", "/api/v3/klines") == 2 * len(ASSETS)
    assert venues.hits("binance_futures", "/fapi/v1/premiumIndex") == len(ASSETS)
    for asset, result in results.items():
        snap = result.snapshot
        # Deribit lists BTC and ETH options settled in the coin; SOL has none there, and the snapshot says so.
        no_options = {"options": "deribit: no symbol for SOL (add symbols.deribit.SOL)"} if asset == "SOL" else {}
        assert snap.asset == asset and snap.missing == no_options and snap.disagreements == []
        assert snap.price.source.provider == "binance" and "symbols=" in snap.price.source.url
        assert snap.fear_greed is not None and snap.liquidations is not None
        # Its peers: the other assets of the run and the market_peers setting, never itself.
        assert snap.peers is not None and [m.asset for m in snap.peers.moves] == [
            a for a in ["BTC", "ETH", "SOL", "XRP"] if a != asset]


def test_each_asset_gets_its_own_recording_that_replays_offline(venues: Venues, tmp_path: Path) -> None:
    with FetchBatch(ASSETS, settings_for(venues), now=venues.now) as batch:
        results = fetch_all(batch, ASSETS)
    venues.stop()  # the replays must not need the providers
    for asset, result in results.items():
        text = result.recording.decode()
        symbol = f"{asset}USDT"
        # Its own exchanges and the shared ones, not the other assets' own (daily candles: history_days).
        assert f"klines?interval=1d&limit=1000&symbol={symbol}" in text
        assert "/alternative_me/fng/" in text and "symbols=%5B%22BTCUSDT%22%2C%22ETHUSDT" in text
        others = [f"{a}USDT" for a in ASSETS if a != asset]
        assert not any(f"klines?interval=1d&limit=1000&symbol={o}" in text for o in others)
        path = tmp_path / f"{asset}.yaml"
        path.write_bytes(result.recording)
        assert fetch_replay(path).snapshot == result.snapshot


def test_a_symbol_binance_does_not_list_makes_the_others_ask_alone(venues: Venues) -> None:
    # Binance refuses a whole symbols=[...] list when one symbol is unknown (HTTP 400, -1121).
    venues.unlisted = {"FOOUSDT"}
    settings = settings_for(venues, symbols={"binance": {"FOO": "FOOUSDT"}}, market_peers=[])
    with FetchBatch(["BTC", "FOO", "ETH"], settings, now=venues.now) as batch:
        btc, eth = batch.fetch("BTC"), batch.fetch("ETH")
        with pytest.raises(DataUnavailable, match="no provider could give the FOO price"):
            batch.fetch("FOO")
    assert btc.snapshot.price.source.provider == "binance" and eth.snapshot.price.source.provider == "binance"
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbol="BTCUSDT") == 1
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbol="ETHUSDT") == 1
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbols='["BTCUSDT","ETHUSDT","FOOUSDT"]') == 1


def test_plans_group_symbols_by_the_providers_batch_size(venues: Venues, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.sources import binance

    monkeypatch.setattr(binance, "INFO", dataclasses.replace(binance.INFO, batch_size=2))
    plans = build_plans(settings_for(venues, market_peers=[]), ["BTC", "ETH", "SOL"], venues.now)
    assert plans["BTC"].providers["binance"].batch == ["BTCUSDT", "ETHUSDT"]
    assert plans["SOL"].providers["binance"].batch is None  # alone in its group: the single-symbol request
    assert plans["SOL"].providers["coingecko"].batch == ["bitcoin", "ethereum", "solana"]
    assert plans["BTC"].providers["kraken"].batch is None  # no batch endpoint
    # A run for one asset plans (and records) exactly what it did before batches existed.
    single = build_plans(settings_for(venues), ["BTC"], venues.now)["BTC"]
    assert "batch" not in single.model_dump(mode="json")["providers"]["binance"]
    # (its peers are asked in a request of their own: market_peers, the asset left out)
    assert list(single.peers) == ["ETH", "SOL", "XRP"]
    # The peers of a run's assets join the batch: the one request that prices the assets gives the peers' moves.
    joined = build_plans(settings_for(venues), ["BTC", "ETH"], venues.now)
    assert joined["BTC"].providers["binance"].batch == ["BTCUSDT", "ETHUSDT"]
    assert joined["ETH"].providers["binance"].batch == ["BTCUSDT", "ETHUSDT"]
    assert list(joined["ETH"].peers) == ["BTC", "SOL", "XRP"]


def test_a_providers_rate_limit_holds_across_the_assets_of_a_run(venues: Venues,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # OKX's liquidation pages: 3 per asset with the replicas' 250 orders. Allow 5 per second for the test.
    pages = "/api/v5/public/liquidation-orders"
    monkeypatch.setattr(okx, "INFO", dataclasses.replace(okx.INFO, rate_limits=(RateLimit(5, 1, pages),)))
    assets = ["BTC", "ETH", "SOL", "XRP"]
    started = time.monotonic()
    with FetchBatch(assets, settings_for(venues), now=venues.now) as batch:
        fetch_all(batch, assets)
        waited = batch.clients["okx"].limiter.waited
    elapsed = time.monotonic() - started
    assert venues.hits("okx", pages) == 12
    # 5 at once, then one every 0.2 s: the last of 12 cannot start before 1.4 s.
    assert elapsed >= 1.35 and waited > 0
    assert venues.hits("okx", "/api/v5/public/instruments") == 4  # another endpoint: its own limit, not this one


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds


def test_rate_limiter_allows_a_burst_then_the_rate() -> None:
    t = FakeTime()
    limiter = RateLimiter([RateLimit(2, 1)], clock=t.clock, sleep=t.sleep)
    starts = []
    for _ in range(5):
        with limiter.slot("/x"):
            starts.append(round(t.now, 6))
    assert starts == [0.0, 0.0, 0.5, 1.0, 1.5]


def test_rate_limiter_applies_a_path_limit_only_to_that_path() -> None:
    t = FakeTime()
    limiter = RateLimiter([RateLimit(1, 1, "/slow"), RateLimit(100, 1)], clock=t.clock, sleep=t.sleep)
    for _ in range(3):
        with limiter.slot("/fast"):
            pass
    assert t.now == 0.0
    for _ in range(3):
        with limiter.slot("/slow"):
            pass
    assert t.now == pytest.approx(2.0)


def test_rate_limiter_caps_requests_in_flight() -> None:
    limiter = RateLimiter([], max_concurrent=2)
    active, peak, lock = 0, 0, threading.Lock()

    def request(_: int) -> None:
        nonlocal active, peak
        with limiter.slot("/x"):
            with lock:
                active += 1
                peak = max(peak, active)
            time.sleep(0.02)
            with lock:
                active -= 1

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(request, range(16)))
    assert peak == 2
