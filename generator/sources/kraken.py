"""Kraken public market data: ticker and OHLC.

Docs: GET /0/public/Ticker?pair= (result keyed by Kraken's own pair name, e.g.
XXBTZUSD: c = [last price, lot volume], h/l/v = [today, last 24 hours], o =
today's opening price at 00:00 UTC, so no rolling 24h change) and GET
/0/public/OHLC?pair=&interval=&since= (rows [time in seconds, open, high,
low, close, vwap, volume, count], at most the 720 most recent, the last one
not yet committed). Errors come back with HTTP 200 in the "error" list.
"""

from __future__ import annotations

from typing import Any

from generator.errors import ProviderError
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
    from_s,
    non_empty_list,
    number,
    provenance,
    span,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="kraken",
    name="Kraken",
    metrics=("price", "candles", "price_check"),
    docs="https://docs.kraken.com/api-reference/market-data/get-ohlc-data",
    symbols={"BTC": "XBTUSD", "ETH": "ETHUSD", "SOL": "SOLUSD", "XRP": "XRPUSD", "DOGE": "XDGUSD"},
    quote="USD",
    timeframes={"1m": 1, "5m": 5, "15m": 15, "30m": 30, "1h": 60, "4h": 240, "1d": 1440, "1w": 10080},
    max_candles=720,
    includes_open_candle=True,
    rate_limits=(RateLimit(3, 3),),  # public endpoints: about one call per second per IP, short bursts tolerated
)


def _result(data: Any, what: str) -> dict[str, Any]:
    """The one pair's entry of a Kraken result (keyed by Kraken's pair name, not the one we asked for)."""
    if not isinstance(data, dict):
        raise ProviderError(f"unexpected response shape: {what} is not an object")
    if data.get("error"):
        raise ProviderError(f"Kraken error: {'; '.join(str(e) for e in data['error'])[:160]}")
    result = data.get("result")
    pairs = {k: v for k, v in (result or {}).items() if k != "last"} if isinstance(result, dict) else {}
    if not pairs:
        raise ProviderError(f"empty data: {what} has no result")
    return next(iter(pairs.values()))


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    reply = client.get_json("/0/public/Ticker", {"pair": ctx.symbol})
    t = _result(reply.data, "ticker")
    try:
        last, high, low, volume = t["c"][0], t["h"][1], t["l"][1], t["v"][1]
    except (KeyError, IndexError, TypeError):
        raise ProviderError("unexpected response shape: ticker lacks c/h/l/v") from None
    # The ticker carries no time of its own: the response's Date is when it was true.
    when = reply.date or ctx.now
    return Fetched(build(
        Price, "ticker",
        current=number(last, "last price"),
        change_24h_pct=None,  # 'o' is today's open, not the open 24 hours ago: the analysis uses candles instead
        high_24h=number(high, "24h high"),
        low_24h=number(low, "24h low"),
        volume_24h=number(volume, "24h volume"),
        source=provenance(INFO.id, reply.url, when, when),
    ))


def fetch_candles(client: Client, ctx: FetchContext, timeframe: str) -> Fetched:
    n = candles_to_request(ctx.count(timeframe), INFO)
    since = int((ctx.now - span(timeframe, n)).timestamp())
    reply = client.get_json("/0/public/OHLC", {"pair": ctx.symbol, "interval": INFO.timeframes[timeframe],
                                               "since": since})
    rows = []
    for i, raw in enumerate(non_empty_list(_result(reply.data, "OHLC"), "OHLC rows")):
        row = check_row(raw, 7, f"OHLC row {i}")
        rows.append((from_s(row[0], "OHLC time"), number(row[1], "open"), number(row[2], "high"),
                     number(row[3], "low"), number(row[4], "close"), number(row[6], "volume")))
    return candle_series(INFO.id, reply.url, reply.date, timeframe, rows, ctx)
