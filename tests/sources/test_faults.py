"""Every fault, for every provider, against replica servers on 127.0.0.1.

Each case ends in a retry (same provider answers), a fallback (the next
provider answers, and the failure is noted in the provenance) or a recorded
missing metric (no value, the reason in ``snapshot.missing``): never a crash
and never a number that no provider gave.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.snapshot import MarketSnapshot
from generator.sources.collector import collect
from generator.sources.http import live_adapter, make_session
from generator.sources.plan import build_plan
from tests.sources.conftest import settings_for
from tests.sources.venues import Venues

# case -> (metric, endpoint to break, faults that make it the one asked, fallback or None, settings)
# A case named "<provider>-<what>" breaks another endpoint of the same provider.
SCENARIOS: dict[str, tuple[str, str, list[tuple[str, str]], str | None, dict[str, Any]]] = {
    "binance": ("price", "/api/v3/ticker/24hr", [], "coinbase", {}),
    "binance-klines": ("candles.4h", "/api/v3/klines", [], "kraken", {}),
    "coinbase": ("price", "/products/{id}/ticker", [("binance", "*")], "kraken", {}),
    "coinbase-candles": ("candles.1d", "/products/{id}/candles", [("binance", "*")], "kraken", {}),
    "kraken": ("price", "/0/public/Ticker", [("binance", "*"), ("coinbase", "*")], "bybit", {}),
    "kraken-ohlc": ("candles.4h", "/0/public/OHLC", [("binance", "*")], None, {}),
    "coingecko": ("price_check", "/simple/price", [], "coinbase", {}),
    "binance_futures": ("funding", "/fapi/v1/premiumIndex", [], "bybit", {}),
    "bybit": ("open_interest", "/v5/market/tickers", [("binance_futures", "*")], None, {}),
    "coinglass": ("liquidations", "/api/futures/liquidation/exchange-list", [], "okx",
                  {"coinglass_api_key": "cg-test-key-123"}),
    "okx": ("liquidations", "/api/v5/public/liquidation-orders", [], None, {}),
    "alternative_me": ("fear_greed", "/fng/", [], None, {}),
    "deribit": ("options", "/public/get_book_summary_by_currency", [], None, {}),
    "coingecko-global": ("market", "/global", [], None, {}),
    # The peers' one ticker request (the price falls back on its own), then CoinGecko's several-id simple price.
    "binance-peers": ("peers", "/api/v3/ticker/24hr", [], "coingecko", {}),
    "coingecko-peers": ("peers", "/simple/price", [("binance", "/api/v3/ticker/24hr")], None, {}),
}
# Endpoints shared by two metrics: count only the requests of the metric under test.
PEER_SYMBOLS = '["BTCUSDT","ETHUSDT","SOLUSDT","XRPUSDT"]'
ONLY = {"binance-klines": {"interval": "4h"}, "kraken-ohlc": {"interval": "240"}, "coinglass": {"range": "1h"},
        "binance-peers": {"symbols": PEER_SYMBOLS}, "coingecko-peers": {"ids": "bitcoin,ethereum,ripple,solana"}}
FAULTS = ("timeout", "429", "500", "502", "503", "451", "malformed", "empty", "stale", "absurd")
REASONS = {
    "timeout": "timed out", "429": "HTTP 429", "500": "HTTP 500", "502": "HTTP 502", "503": "HTTP 503",
    "451": "HTTP 451", "malformed": "malformed JSON", "empty": ("empty", "unexpected response shape"),
    "stale": "stale", "absurd": "absurd",
}
GROUP = {"price": "price", "price_check": None, "funding": "funding", "open_interest": "open_interest",
         "liquidations": "liquidations", "fear_greed": "fear_greed",
         "options": "options", "market": "market", "peers": "peers"}


def run(venues: Venues, metric: str, **overrides: Any) -> MarketSnapshot:
    """Fetch only what the case needs: price and daily candles (the article needs them) and ``metric``."""
    settings = settings_for(venues, candle_count=130, **overrides)
    plan = build_plan(settings, "BTC", venues.now)
    keep = {"price", "candles.1d", metric}
    plan = plan.model_copy(update={"chains": {m: c for m, c in plan.chains.items() if m in keep}})
    key = overrides.get("coinglass_api_key")
    return collect(plan, lambda pid: make_session(live_adapter(plan.http),
                                                  {"CG-API-KEY": key} if key and pid == "coinglass" else None))


def value_of(snapshot: MarketSnapshot, metric: str) -> Any:
    if metric.startswith("candles."):
        return snapshot.candles.get(metric.split(".")[1])
    if metric == "price_check":
        return None
    return getattr(snapshot, GROUP[metric])


def _mentions(text: str, fault: str) -> bool:
    words = REASONS[fault]
    return any(w in text for w in ((words,) if isinstance(words, str) else words))


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("case", list(SCENARIOS))
def test_fault_falls_back_or_is_missing(venues: Venues, case: str, fault: str) -> None:
    metric, endpoint, before, fallback, overrides = SCENARIOS[case]
    provider = case.split("-")[0]
    for other, where in before:
        venues.fault(other, where, "451")
    venues.fault(provider, endpoint, fault)
    if fault == "timeout":
        overrides = {**overrides, "http_timeout_seconds": 0.25}  # localhost answers in milliseconds otherwise
    snapshot = run(venues, metric, **overrides)

    value = value_of(snapshot, metric)
    if metric == "price_check":
        # The check moved on to the next exchange, which agrees within tolerance: nothing recorded, nothing missing.
        assert "price_check" not in snapshot.missing and snapshot.disagreements == []
        assert venues.hits("coinbase", "/products/{id}/ticker") == 1
        return
    if fallback is None:
        assert value is None, f"{metric} should be missing, got {value}"
        reason = snapshot.missing[metric]
        assert f"{provider}:" in reason and _mentions(reason, fault), reason
    else:
        assert value is not None and value.source.provider == fallback
        assert metric not in snapshot.missing
        note = value.source.note or ""
        assert f"{provider}:" in note and _mentions(note, fault), note
        assert f"/{fallback}/" in (value.source.url or "")
    # Statuses worth retrying were retried once (http_retries = 1); the others gave up at the first answer.
    # Stale and absurd data show only once the provider's answers are all in (several pages, for OKX).
    hits = venues.hits(provider, endpoint, **ONLY.get(case, {}))
    if fault in ("timeout", "429", "500", "502", "503"):
        assert hits == 2
    elif fault in ("451", "malformed", "empty"):
        assert hits == 1
    else:
        assert hits >= 1


@pytest.mark.parametrize("kind", ["503", "429", "timeout"])
@pytest.mark.parametrize("case", ["binance", "coinbase", "kraken", "binance_futures", "bybit", "coinglass", "okx",
                                  "alternative_me", "coingecko", "deribit", "coingecko-global", "binance-peers"])
def test_transient_fault_is_retried_on_the_same_provider(venues: Venues, case: str, kind: str) -> None:
    metric, endpoint, before, _, overrides = SCENARIOS[case]
    provider = case.split("-")[0]
    for other, where in before:
        venues.fault(other, where, "451")
    venues.fault(provider, endpoint, kind, times=1)
    if kind == "timeout":
        overrides = {**overrides, "http_timeout_seconds": 0.25}
    snapshot = run(venues, metric, **overrides)
    assert venues.hits(provider, endpoint) >= 2
    value = value_of(snapshot, metric)
    if metric != "price_check":
        assert value is not None and value.source.provider == provider and f"{provider}:" not in (value.source.note or "")
    assert metric not in snapshot.missing
