"""Binance spot public market data (data-api.binance.vision): 24h ticker and klines.

Docs: GET /api/v3/ticker/24hr?symbol= (lastPrice, priceChangePercent in percent,
highPrice, lowPrice, volume in base units, closeTime in ms; with
symbols=["BTCUSDT","ETHUSDT"] a list of them, refused with HTTP 400 code -1121
when any symbol is unknown) and GET
/api/v3/klines (rows [openTime ms, open, high, low, close, volume, closeTime,
...], prices as strings; the newest row is the still-open kline). Binance
answers HTTP 451 from restricted locations; the next provider is asked then.
"""

from __future__ import annotations

import json
from typing import Any

from generator.errors import ProviderError
from generator.snapshot import PeerMove, Peers, Price
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
    from_ms,
    non_empty_list,
    number,
    provenance,
)
from generator.sources.http import Client, HttpStatusError, Reply

INFO = ProviderInfo(
    id="binance",
    name="Binance",
    metrics=("price", "candles", "price_check", "peers"),
    docs="https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints",
    symbols={"BTC": "BTCUSDT", "ETH": "ETHUSDT", "SOL": "SOLUSDT", "XRP": "XRPUSDT", "BNB": "BNBUSDT",
             "DOGE": "DOGEUSDT"},
    quote="USDT",
    timeframes={tf: tf for tf in ("1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w")},
    max_candles=1000,
    includes_open_candle=True,
    # 6,000 request weight per minute per IP; a kline or one-symbol ticker weighs 2, a ticker of up to 100
    # symbols 40. Counted as requests of weight 5, to stay clear of the limit whatever the mix.
    rate_limits=(RateLimit(1200, 60),),
    batch_size=100,
)
TICKER = "/api/v3/ticker/24hr"


def _tickers(client: Client, symbols: list[str]) -> Reply:
    """One request for the 24h tickers of ``symbols`` (a list of rows)."""
    return client.get_json(TICKER, {"symbols": json.dumps(symbols, separators=(",", ":"))})


def _ticker(client: Client, ctx: FetchContext) -> tuple[Reply, Any]:
    """The 24h ticker of ``ctx.symbol``: from one request for the whole batch when several assets run together."""
    if len(ctx.batch) > 1:
        try:
            reply = _tickers(client, list(ctx.batch))
        except HttpStatusError as err:
            if err.status != 400:
                raise
            # One symbol Binance does not list makes it refuse the whole list (-1121): ask for this one alone.
        else:
            rows = non_empty_list(reply.data, "tickers")
            row = next((r for r in rows if isinstance(r, dict) and r.get("symbol") == ctx.symbol), None)
            if row is None:
                raise ProviderError(f"empty data: no ticker for {ctx.symbol} in the answer")
            return reply, row
    reply = client.get_json(TICKER, {"symbol": ctx.symbol})
    return reply, reply.data


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    reply, t = _ticker(client, ctx)
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


def fetch_peers(client: Client, ctx: FetchContext) -> Fetched:
    """The peers' 24h moves from one ticker request: the run's batch when it holds them all (the request that
    priced the run's assets, made once), else the asset's and its peers' symbols. A peer missing from the answer is
    left out; none at all is empty data."""
    wanted = {symbol for _, symbol in ctx.peers}
    symbols = list(ctx.batch) if wanted <= set(ctx.batch) else sorted({ctx.symbol, *wanted})
    reply = _tickers(client, symbols)
    rows = {r.get("symbol"): r for r in non_empty_list(reply.data, "tickers") if isinstance(r, dict)}
    moves, dated = [], []
    for asset, symbol in ctx.peers:
        if (t := rows.get(symbol)) is None:
            continue
        dated.append(from_ms(field_of(t, "closeTime", "ticker"), "ticker closeTime"))
        moves.append(build(PeerMove, f"{asset} move", asset=asset, price=number(field_of(t, "lastPrice", "ticker"), "lastPrice"),
                              change_24h_pct=number(field_of(t, "priceChangePercent", "ticker"), "priceChangePercent")))
    if not moves:
        raise ProviderError("empty data: no peer's ticker in the answer")
    return Fetched(build(Peers, "peers", moves=moves, source=provenance(INFO.id, reply.url, reply.date or ctx.now,
                                                                         min(dated))))


def fetch_candles(client: Client, ctx: FetchContext, timeframe: str) -> Fetched:
    limit = candles_to_request(ctx.count(timeframe), INFO)
    reply = client.get_json("/api/v3/klines", {"symbol": ctx.symbol, "interval": INFO.timeframes[timeframe],
                                               "limit": limit})
    rows = []
    for i, raw in enumerate(non_empty_list(reply.data, "klines")):
        row = check_row(raw, 6, f"kline {i}")
        rows.append((from_ms(row[0], "kline open time"), number(row[1], "open"), number(row[2], "high"),
                     number(row[3], "low"), number(row[4], "close"), number(row[5], "volume")))
    return candle_series(INFO.id, reply.url, reply.date, timeframe, rows, ctx)
