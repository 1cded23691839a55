"""Binance USD-M futures public data: funding rate and open interest of the perpetual.

Docs: GET /fapi/v1/premiumIndex?symbol= (markPrice, lastFundingRate as a
fraction per interval, time in ms), GET /fapi/v1/openInterest?symbol=
(openInterest in coins, time in ms: converted to USD with the mark price) and
GET /fapi/v1/fundingInfo (only symbols whose funding interval was changed from
the default 8 hours, with fundingIntervalHours). nextFundingTime (ms) of
premiumIndex is the next settlement. The funding of every venue
(fetch_funding_venues) asks the same three URLs as funding and open interest:
the client's memo answers them once for all three.
"""

from __future__ import annotations

from generator.errors import ProviderError
from generator.snapshot import Funding, OpenInterest, VenueFunding
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
    metrics=("funding", "open_interest", "funding_venues"),
    docs="https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api",
    symbols={"BTC": "BTCUSDT", "ETH": "ETHUSDT", "SOL": "SOLUSDT", "XRP": "XRPUSDT", "BNB": "BNBUSDT",
             "DOGE": "DOGEUSDT"},
    quote="USDT",
    # 2,400 request weight per minute per IP; premiumIndex, openInterest and fundingInfo with a symbol weigh 1.
    rate_limits=(RateLimit(1200, 60),),
)
VENUE = "Binance"
DEFAULT_FUNDING_HOURS = 8.0


def _hours(info: object, symbol: str) -> float:
    """The symbol's funding interval: fundingInfo lists only symbols changed from the default."""
    hours = DEFAULT_FUNDING_HOURS
    if isinstance(info, list):
        for row in info:
            if isinstance(row, dict) and row.get("symbol") == symbol and row.get("fundingIntervalHours"):
                hours = number(row["fundingIntervalHours"], "fundingIntervalHours")
    return hours


def fetch_funding(client: Client, ctx: FetchContext) -> Fetched:
    reply, info = client.get_many(("/fapi/v1/premiumIndex", {"symbol": ctx.symbol}), ("/fapi/v1/fundingInfo", None))
    hours = _hours(info.data, ctx.symbol)
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


def fetch_funding_venues(client: Client, ctx: FetchContext) -> Fetched:
    """Binance's funding with its next settlement and open interest (the open interest left out if it fails)."""
    reply, info, coins = client.get_settled(("/fapi/v1/premiumIndex", {"symbol": ctx.symbol}),
                                            ("/fapi/v1/fundingInfo", None),
                                            ("/fapi/v1/openInterest", {"symbol": ctx.symbol}))
    for part in (reply, info):
        if isinstance(part, ProviderError):
            raise part
    assert not isinstance(reply, ProviderError) and not isinstance(info, ProviderError)
    as_of = from_ms(field_of(reply.data, "time", "premiumIndex"), "premiumIndex time")
    nxt = reply.data.get("nextFundingTime")
    oi, note = None, None
    try:
        if isinstance(coins, ProviderError):
            raise coins
        oi = number(field_of(coins.data, "openInterest", "openInterest"), "openInterest") * \
            number(field_of(reply.data, "markPrice", "premiumIndex"), "markPrice")
        if oi <= 0:
            oi, note = None, f"open interest left out: absurd value {coins.data['openInterest']}"
    except ProviderError as err:
        note = f"open interest left out: {err}"
    return Fetched(build(
        VenueFunding, "premiumIndex",
        venue=VENUE,
        rate=number(field_of(reply.data, "lastFundingRate", "premiumIndex"), "lastFundingRate"),
        interval_hours=_hours(info.data, ctx.symbol),
        next_funding_time=from_ms(nxt, "nextFundingTime") if nxt not in (None, "", 0) else None,
        open_interest_usd=oi,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, as_of, note=note),
    ))
