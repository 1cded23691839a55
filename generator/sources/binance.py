"""Binance spot public market data (data-api.binance.vision): 24h ticker and klines.

Docs: GET /api/v3/ticker/24hr (lastPrice, priceChangePercent in percent,
highPrice, lowPrice, volume in base units, closeTime in ms) and GET
/api/v3/klines (rows [openTime ms, open, high, low, close, volume, closeTime,
...], prices as strings; the newest row is the still-open kline). Binance
answers HTTP 451 from restricted locations; the next provider is asked then.
"""

from __future__ import annotations

from generator.snapshot import Price
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    build,
    candle_series,
    candles_to_request,
    check_row,
    field_of,
    from_ms,
    non_empty_list,
    number,
    provenance,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="binance",
    name="Binance",
    metrics=("price", "candles", "price_check"),
    docs="https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints",
    symbols={"BTC": "BTCUSDT", "ETH": "ETHUSDT", "SOL": "SOLUSDT", "XRP": "XRPUSDT", "BNB": "BNBUSDT",
             "DOGE": "DOGEUSDT"},
    quote="USDT",
    timeframes={tf: tf for tf in ("1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w")},
    max_candles=1000,
    includes_open_candle=True,
)


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    reply = client.get_json("/api/v3/ticker/24hr", {"symbol": ctx.symbol})
    t = reply.data
    as_of = from_ms(field_of(t, "closeTime", "ticker"), "ticker closeTime")
    src = provenance(INFO.id, reply.url, reply.date or ctx.now, as_of)
    return Fetched(build(
        Price, "ticker",
        current=number(field_of(t, "lastPrice", "ticker"), "lastPrice"),
        change_24h_pct=number(field_of(t, "priceChangePercent", "ticker"), "priceChangePercent"),
        high_24h=number(t.get("highPrice"), "highPrice"),
        low_24h=number(t.get("lowPrice"), "lowPrice"),
        volume_24h=number(t.get("volume"), "volume"),
        source=src,
    ))


def fetch_candles(client: Client, ctx: FetchContext, timeframe: str) -> Fetched:
    limit = candles_to_request(ctx.candle_count, INFO)
    reply = client.get_json("/api/v3/klines", {"symbol": ctx.symbol, "interval": INFO.timeframes[timeframe],
                                               "limit": limit})
    rows = []
    for i, raw in enumerate(non_empty_list(reply.data, "klines")):
        row = check_row(raw, 6, f"kline {i}")
        rows.append((from_ms(row[0], "kline open time"), number(row[1], "open"), number(row[2], "high"),
                     number(row[3], "low"), number(row[4], "close"), number(row[5], "volume")))
    return candle_series(INFO.id, reply.url, reply.date, timeframe, rows, ctx)
