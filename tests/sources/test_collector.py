"""The fetch as a whole: concurrency, fallbacks, the cross-check, what stops it, and what the article says."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.errors import ConfigError, DataUnavailable, InputError
from generator.pipeline import generate
from tests.sources.conftest import fetch, settings_for
from tests.sources.venues import PROVIDERS, Venues


def test_providers_are_fetched_concurrently(venues: Venues) -> None:
    for provider in PROVIDERS:
        venues.latency(provider, 0.3)
    started = time.monotonic()
    result = fetch(venues)
    took = time.monotonic() - started
    requests = len(venues.requests)
    # One after the other this would take requests x 0.3 s; the longest chain is OKX's four pages in a row.
    assert requests >= 12 and took < min(2.2, requests * 0.3 * 0.6), (requests, took)
    assert result.snapshot.missing == {}


def test_a_failed_primary_falls_back_and_says_so(venues: Venues) -> None:
    venues.fault("binance", "*", "451")
    snapshot = fetch(venues).snapshot
    assert snapshot.price.source.provider == "coinbase" and snapshot.quote == "USD"
    assert snapshot.price.source.note == "after binance: HTTP 451 (not available from this location)"
    assert snapshot.candles["1d"].source.provider == "coinbase"
    assert snapshot.candles["4h"].source.provider == "kraken"  # Coinbase has no 4h candles
    assert "coinbase: no 4h candles" in (snapshot.candles["4h"].source.note or "")


def test_price_disagreement_is_recorded(venues: Venues) -> None:
    venues.index_premium = 1.02
    snapshot = fetch(venues).snapshot
    [d] = snapshot.disagreements
    assert d.provider == "coingecko" and d.difference_pct == pytest.approx(2.0, abs=0.01)
    assert d.price == pytest.approx(snapshot.price.current * 1.02, abs=0.01)


def test_agreement_within_tolerance_is_not_a_disagreement(venues: Venues) -> None:
    venues.index_premium = 1.004
    assert fetch(venues).snapshot.disagreements == []
    assert fetch(venues, price_tolerance_pct=0.3).snapshot.disagreements[0].provider == "coingecko"


def test_the_check_falls_back_to_another_exchange(venues: Venues) -> None:
    venues.fault("coingecko", "*", "503")
    snapshot = fetch(venues).snapshot
    assert "price_check" not in snapshot.missing and venues.hits("coinbase") >= 1
    venues.fault("coinbase", "*", "451")
    venues.fault("kraken", "*", "451")
    venues.fault("bybit", "*", "451")
    missing = fetch(venues).snapshot.missing["price_check"]
    assert missing.startswith("coingecko: HTTP 503") and "bybit: HTTP 451" in missing and "binance" not in missing


def test_no_price_anywhere_stops_the_fetch(venues: Venues) -> None:
    for provider in ("binance", "coinbase", "kraken", "bybit"):
        venues.fault(provider, "*", "451" if provider != "kraken" else "stale")
    with pytest.raises(DataUnavailable) as err:
        fetch(venues)
    message = str(err.value)
    assert message.startswith("no provider could give the BTC price: binance: HTTP 451")
    assert "kraken: stale" in message and "\n" not in message and err.value.exit_code == 4


def test_no_candles_anywhere_stops_the_fetch(venues: Venues) -> None:
    for endpoint in ("/api/v3/klines",):
        venues.fault("binance", endpoint, "empty")
    venues.fault("coinbase", "/products/{id}/candles", "500")
    venues.fault("kraken", "/0/public/OHLC", "malformed")
    with pytest.raises(DataUnavailable, match="no provider could give BTC candles: 1d: binance: empty data"):
        fetch(venues)


def test_an_asset_nobody_lists_is_refused_before_any_request(venues: Venues) -> None:
    with pytest.raises(InputError, match=r"^unknown asset ZZZ: no price provider has a symbol for it \(built in: "
                                         r"BNB, BTC, DOGE, ETH, SOL, XRP\); map it under symbols") as err:
        fetch(venues, asset="ZZZ")
    assert err.value.exit_code == 2 and venues.hits("binance", "/api/v3/ticker/24hr") == 0


def test_a_user_symbol_is_asked_for(venues: Venues) -> None:
    fetch(venues, asset="ADA", symbols={"binance": {"ADA": "ADAUSDT"}})
    assert venues.hits("binance", "/api/v3/ticker/24hr", symbol="ADAUSDT") == 1


def test_provider_order_is_configurable(venues: Venues) -> None:
    snapshot = fetch(venues, provider_order={"price": ["kraken", "binance"]}).snapshot
    # (Binance is still asked for the peers' moves, not for the price)
    assert snapshot.price.source.provider == "kraken" and venues.hits("binance", "/api/v3/ticker/24hr", symbol="BTCUSDT") == 0


@pytest.mark.parametrize(("order", "message"), [
    ({"price": ["okx"]}, "'okx' does not give price"),
    ({"price": ["nasdaq"]}, "'nasdaq' does not give price"),
    ({"weather": ["binance"]}, "unknown metric 'weather'"),
])
def test_bad_provider_order(venues: Venues, order: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        fetch(venues, provider_order=order)


def test_liquidations_on_okx_are_worded_as_okx_only(venues: Venues, tmp_path: Path) -> None:
    snapshot = fetch(venues).snapshot
    assert snapshot.liquidations.scope.venues == ["OKX"]
    article = _article(venues, snapshot, tmp_path)
    assert "liquidated on OKX in 24 hours" in article and "across major exchanges" not in article


def test_liquidations_from_coinglass_are_worded_as_market_wide(venues: Venues, tmp_path: Path) -> None:
    snapshot = fetch(venues, coinglass_api_key="cg-key").snapshot
    # (OKX is still asked for its funding, not for liquidations)
    assert snapshot.liquidations.source.provider == "coinglass" and venues.hits("okx", "/api/v5/public/liquidation-orders") == 0
    article = _article(venues, snapshot, tmp_path)
    assert "liquidated across major exchanges in 24 hours" in article and "liquidated on OKX" not in article


def test_okx_pages_short_of_a_day_leave_the_24h_figures_out(venues: Venues, tmp_path: Path) -> None:
    snapshot = fetch(venues, okx_max_pages=1).snapshot
    liq = snapshot.liquidations
    assert liq.total_24h_usd is None and liq.total_1h_usd > 0
    assert "not 24 hours (raise okx_max_pages); not extrapolated" in snapshot.missing["liquidations.24h"]
    article = _article(venues, snapshot, tmp_path)
    assert "| 1-hour liquidations |" in article and "24-hour liquidations" not in article
    assert "in 24 hours" not in article


def test_missing_metrics_are_left_out_of_the_article(venues: Venues, tmp_path: Path) -> None:
    for provider in ("binance_futures", "bybit", "okx", "alternative_me", "deribit"):
        venues.fault(provider, "*", "503")
    venues.fault("coingecko", "/global", "503")
    snapshot = fetch(venues).snapshot
    assert set(snapshot.missing) == {"funding", "open_interest", "liquidations", "fear_greed", "options", "market",
                                     "funding_venues.binance_futures", "funding_venues.bybit", "funding_venues.okx"}
    assert snapshot.funding_venues is None and "funding_venues" not in snapshot.model_dump(mode="json")
    article = _article(venues, snapshot, tmp_path)
    for words in ("Funding rate", "Open interest", "open interest", "liquidat", "Fear & Greed", "ption", "max pain",
                  "Max pain", "Deribit", "expir", "market cap", "capitalisation", "dominance", "venues", "Funding"):
        assert words not in article


def test_the_options_paragraph_and_rows_come_with_the_options_book(venues: Venues, tmp_path: Path) -> None:
    snapshot = fetch(venues).snapshot
    assert snapshot.options is not None and "options" not in snapshot.missing
    article = _article(venues, snapshot, tmp_path)
    assert "On Deribit, Bitcoin options with" in article and "max pain" in article
    assert "| Max pain strike |" in article and "| Options open interest |" in article
    assert "status: draft" in article  # every figure and claim of it verified


def test_the_venues_paragraph_and_rows_come_with_two_venues_or_more(venues: Venues, tmp_path: Path) -> None:
    snapshot = fetch(venues).snapshot
    assert [v.venue for v in snapshot.funding_venues or []] == ["Binance", "Bybit", "OKX"]
    article = _article(venues, snapshot, tmp_path)
    assert "Funding is negative on all 3 venues tracked" in article and "OKX is the outlier" in article
    assert "| Funding rate, Bybit |" in article and "| Funding, weighted average |" in article
    assert "status: draft" in article  # every figure and claim of it verified
    # One venue left: no comparison, no paragraph, no rows; the chain's own funding sentence stays.
    venues.fault("bybit", "/v5/market/tickers", "451")
    venues.fault("okx", "/api/v5/public/funding-rate", "451")
    snapshot = fetch(venues).snapshot
    assert [v.venue for v in snapshot.funding_venues or []] == ["Binance"]
    article = _article(venues, snapshot, tmp_path / "one")
    assert "venues" not in article and "| Funding rate, " not in article and "weighted average" not in article
    assert "Funding on Binance perpetual swaps is negative" in article


def _article(venues: Venues, snapshot, tmp_path: Path) -> str:  # noqa: ANN001
    result = generate(snapshot, settings_for(venues), out=tmp_path)
    return (result.path / "article.md").read_text()
