"""Coinbase Exchange public market data: ticker, 24h stats and candles.

Docs: GET /products/{id}/ticker (price, time ISO 8601), GET
/products/{id}/stats (open, high, low, last, volume of the last 24 hours) and
GET /products/{id}/candles?granularity=&start=&end= (rows [time in seconds,
low, high, open, close, volume], newest first, at most 300 per request, no
4h granularity; the current bucket may be included and is dropped).
"""

from __future__ import annotations

from generator.snapshot import Price
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    RateLimit,
    build,
    candle_series,
    candles_to_request,
    check_row,
    field_of,
    from_iso,
    from_s,
    non_empty_list,
    number,
    provenance,
    span,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="coinbase",
    name="Coinbase Exchange",
    metrics=("price", "candles", "price_check"),
    docs="https://docs.cdp.coinbase.com/exchange/reference/exchangerestapi_getproductcandles",
    symbols={"BTC": "BTC-USD", "ETH": "ETH-USD", "SOL": "SOL-USD", "XRP": "XRP-USD", "DOGE": "DOGE-USD"},
    quote="USD",
    timeframes={"1m": 60, "5m": 300, "15m": 900, "1h": 3600, "1d": 86400},  # no 4h: Coinbase offers 6h instead
    max_candles=300,
    includes_open_candle=True,
    rate_limits=(RateLimit(10, 1),),  # public endpoints: 10 requests per second per IP
)


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    ticker, stats = client.get_many((f"/products/{ctx.symbol}/ticker", None), (f"/products/{ctx.symbol}/stats", None))
    price = number(field_of(ticker.data, "price", "ticker"), "ticker price")
    open_24h = number(field_of(stats.data, "open", "stats"), "stats open")
    as_of = from_iso(field_of(ticker.data, "time", "ticker"), "ticker time")
    return Fetched(build(
        Price, "ticker",
        current=price,
        # Coinbase gives the open of the rolling 24 hours, not a percentage.
        change_24h_pct=(price - open_24h) / open_24h * 100 if open_24h > 0 else None,
        high_24h=number(stats.data.get("high"), "stats high"),
        low_24h=number(stats.data.get("low"), "stats low"),
        volume_24h=number(stats.data.get("volume"), "stats volume"),
        source=provenance(INFO.id, ticker.url, ticker.date or ctx.now, as_of),
    ))


def fetch_candles(client: Client, ctx: FetchContext, timeframe: str) -> Fetched:
    n = candles_to_request(ctx.count(timeframe), INFO)
    start = ctx.now - span(timeframe, n)
    reply = client.get_json(f"/products/{ctx.symbol}/candles", {
        "granularity": INFO.timeframes[timeframe],
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": ctx.now.strftime("%Y-%m-%dT%H:%M:%SZ"),
    })
    rows = []
    for i, raw in enumerate(non_empty_list(reply.data, "candles")):
        time, low, high, open_, close, volume = check_row(raw, 6, f"candle {i}")[:6]
        rows.append((from_s(time, "candle time"), number(open_, "open"), number(high, "high"), number(low, "low"),
                     number(close, "close"), number(volume, "volume")))
    return candle_series(INFO.id, reply.url, reply.date, timeframe, rows, ctx)
