"""Binance USD-M futures public data: funding rate and open interest of the perpetual.

Docs: GET /fapi/v1/premiumIndex?symbol= (markPrice, lastFundingRate as a
fraction per interval, time in ms), GET /fapi/v1/openInterest?symbol=
(openInterest in coins, time in ms: converted to USD with the mark price) and
GET /fapi/v1/fundingInfo (only symbols whose funding interval was changed from
the default 8 hours, with fundingIntervalHours).
"""

from __future__ import annotations

from generator.snapshot import Funding, OpenInterest
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
from generator.sources.http import Client

INFO = ProviderInfo(
    id="binance_futures",
    name="Binance USD-M Futures",
    metrics=("funding", "open_interest"),
    docs="https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api",
    symbols={"BTC": "BTCUSDT", "ETH": "ETHUSDT", "SOL": "SOLUSDT", "XRP": "XRPUSDT", "BNB": "BNBUSDT",
             "DOGE": "DOGEUSDT"},
    quote="USDT",
    # 2,400 request weight per minute per IP; premiumIndex, openInterest and fundingInfo with a symbol weigh 1.
    rate_limits=(RateLimit(1200, 60),),
)
VENUE = "Binance"
DEFAULT_FUNDING_HOURS = 8.0


def fetch_funding(client: Client, ctx: FetchContext) -> Fetched:
    reply, info = client.get_many(("/fapi/v1/premiumIndex", {"symbol": ctx.symbol}), ("/fapi/v1/fundingInfo", None))
    hours = DEFAULT_FUNDING_HOURS
    if isinstance(info.data, list):
        for row in info.data:
            if isinstance(row, dict) and row.get("symbol") == ctx.symbol and row.get("fundingIntervalHours"):
                hours = number(row["fundingIntervalHours"], "fundingIntervalHours")
    as_of = from_ms(field_of(reply.data, "time", "premiumIndex"), "premiumIndex time")
    return Fetched(build(
        Funding, "premiumIndex",
        rate=number(field_of(reply.data, "lastFundingRate", "premiumIndex"), "lastFundingRate"),
        interval_hours=hours,
        venue=VENUE,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, as_of),
    ))


def fetch_open_interest(client: Client, ctx: FetchContext) -> Fetched:
    oi, mark = client.get_many(("/fapi/v1/openInterest", {"symbol": ctx.symbol}),
                               ("/fapi/v1/premiumIndex", {"symbol": ctx.symbol}))
    coins = number(field_of(oi.data, "openInterest", "openInterest"), "openInterest")
    mark_price = number(field_of(mark.data, "markPrice", "premiumIndex"), "markPrice")
    as_of = from_ms(field_of(oi.data, "time", "openInterest"), "openInterest time")
    return Fetched(build(
        OpenInterest, "openInterest",
        usd=coins * mark_price,
        venue=VENUE,
        source=provenance(INFO.id, oi.url, oi.date or ctx.now, as_of, note="open interest in coins x mark price"),
    ))
