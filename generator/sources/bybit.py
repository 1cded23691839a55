"""Bybit v5 market tickers: spot price (fallback) and the perpetual's funding and open interest.

Docs: GET /v5/market/tickers?category=spot|linear&symbol= ->
{"retCode": 0, "result": {"list": [{lastPrice, price24hPcnt, highPrice24h,
lowPrice24h, volume24h, fundingRate, openInterest, openInterestValue,
markPrice, fundingIntervalHour, nextFundingTime}]}, "time": ms}. price24hPcnt is a fraction
(-0.0079 = -0.79%), fundingRate a fraction per interval, openInterestValue in
USD, nextFundingTime the next settlement in ms. Errors come back with HTTP 200 and a non-zero retCode.
"""

from __future__ import annotations

from typing import Any

from generator.errors import ProviderError
from generator.snapshot import Funding, OpenInterest, Price, VenueFunding
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    RateLimit,
    build,
    field_of,
    from_ms,
    number,
    provenance,
)
from generator.sources.http import Client, Reply

INFO = ProviderInfo(
    id="bybit",
    name="Bybit",
    metrics=("price", "price_check", "funding", "open_interest", "funding_venues"),
    docs="https://bybit-exchange.github.io/docs/v5/market/tickers",
    symbols={"BTC": "BTCUSDT", "ETH": "ETHUSDT", "SOL": "SOLUSDT", "XRP": "XRPUSDT", "DOGE": "DOGEUSDT"},
    quote="USDT",
    rate_limits=(RateLimit(600, 5),),  # 600 requests per 5 seconds per IP
)
VENUE = "Bybit"
DEFAULT_FUNDING_HOURS = 8.0


def _ticker(client: Client, ctx: FetchContext, category: str) -> tuple[Reply, dict[str, Any]]:
    reply = client.get_json("/v5/market/tickers", {"category": category, "symbol": ctx.symbol})
    data = reply.data
    if not isinstance(data, dict):
        raise ProviderError("unexpected response shape: not an object")
    if data.get("retCode") not in (0, "0"):
        raise ProviderError(f"Bybit error {data.get('retCode')}: {str(data.get('retMsg'))[:120]}")
    rows = (data.get("result") or {}).get("list") or []
    if not rows or not isinstance(rows[0], dict):
        raise ProviderError(f"empty data: no {category} ticker for {ctx.symbol}")
    return reply, rows[0]


def _as_of(reply: Reply) -> Any:
    return from_ms(field_of(reply.data, "time", "response"), "response time")


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    reply, t = _ticker(client, ctx, "spot")
    return Fetched(build(
        Price, "spot ticker",
        current=number(field_of(t, "lastPrice", "ticker"), "lastPrice"),
        change_24h_pct=number(field_of(t, "price24hPcnt", "ticker"), "price24hPcnt") * 100,  # a fraction
        high_24h=number(t.get("highPrice24h"), "highPrice24h"),
        low_24h=number(t.get("lowPrice24h"), "lowPrice24h"),
        volume_24h=number(t.get("volume24h"), "volume24h"),
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, _as_of(reply)),
    ))


def fetch_funding(client: Client, ctx: FetchContext) -> Fetched:
    reply, t = _ticker(client, ctx, "linear")
    hours = t.get("fundingIntervalHour")
    return Fetched(build(
        Funding, "linear ticker",
        rate=number(field_of(t, "fundingRate", "ticker"), "fundingRate"),
        interval_hours=number(hours, "fundingIntervalHour") if hours not in (None, "") else DEFAULT_FUNDING_HOURS,
        venue=VENUE,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, _as_of(reply)),
    ))


def fetch_open_interest(client: Client, ctx: FetchContext) -> Fetched:
    reply, t = _ticker(client, ctx, "linear")
    if t.get("openInterestValue") not in (None, ""):
        usd, note = number(t["openInterestValue"], "openInterestValue"), None
    else:
        usd = number(field_of(t, "openInterest", "ticker"), "openInterest") * number(t.get("markPrice"), "markPrice")
        note = "open interest in coins x mark price"
    return Fetched(build(
        OpenInterest, "linear ticker", usd=usd, venue=VENUE,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, _as_of(reply), note=note),
    ))


def fetch_funding_venues(client: Client, ctx: FetchContext) -> Fetched:
    """Bybit's funding, next settlement and open interest: one linear ticker (the memo's, shared with funding)."""
    reply, t = _ticker(client, ctx, "linear")
    hours, nxt = t.get("fundingIntervalHour"), t.get("nextFundingTime")
    oi = t.get("openInterestValue")
    return Fetched(build(
        VenueFunding, "linear ticker",
        venue=VENUE,
        rate=number(field_of(t, "fundingRate", "ticker"), "fundingRate"),
        interval_hours=number(hours, "fundingIntervalHour") if hours not in (None, "") else DEFAULT_FUNDING_HOURS,
        next_funding_time=from_ms(nxt, "nextFundingTime") if nxt not in (None, "", "0") else None,
        open_interest_usd=number(oi, "openInterestValue") if oi not in (None, "") else None,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, _as_of(reply)),
    ))
