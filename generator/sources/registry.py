"""Which providers exist and the order they are asked in, per metric (data, not branches)."""

from __future__ import annotations

from types import ModuleType

from generator.sources import (
    alternative_me,
    binance,
    binance_futures,
    bybit,
    coinbase,
    coingecko,
    coinglass,
    deribit,
    kraken,
    okx,
)

PROVIDERS: dict[str, ModuleType] = {
    m.INFO.id: m
    for m in (binance, coinbase, kraken, coingecko, binance_futures, bybit, coinglass, okx, alternative_me,
              deribit)
}

# First choice first. Keyed providers (CoinGlass) are dropped from a run that has no key for them.
DEFAULT_ORDER: dict[str, list[str]] = {
    "price": ["binance", "coinbase", "kraken", "bybit"],
    "candles": ["binance", "coinbase", "kraken"],
    # The cross-check: CoinGecko, else the first price provider that did not give the price.
    "price_check": ["coingecko", "binance", "coinbase", "kraken", "bybit"],
    "funding": ["binance_futures", "bybit"],
    "open_interest": ["binance_futures", "bybit"],
    "liquidations": ["coinglass", "okx"],
    "fear_greed": ["alternative_me"],
    "options": ["deribit"],
    "market": ["coingecko"],
    # The peers' 24h moves: Binance's ticker for all of them in one request, else CoinGecko's simple price.
    "peers": ["binance", "coingecko"],
    # Not a fallback chain: every one of these venues is asked, and each that answers is kept (EVERY).
    "funding_venues": ["binance_futures", "bybit", "okx"],
}
# Metrics whose providers are all asked at once, each answer kept (one per venue), instead of the first that answers.
EVERY = frozenset({"funding_venues"})


def chain_metric(metric: str) -> str:
    """'candles.4h' -> 'candles' (one chain per timeframe, one capability for all)."""
    return metric.split(".", 1)[0]
