"""OKX public data (keyless): liquidations of the OKX perpetual only, and its funding.

Docs: GET /api/v5/public/liquidation-orders?instType=SWAP&uly=BTC-USDT
&state=filled&limit=100[&after=ts] -> {"code": "0", "data": [{"instId":
"BTC-USDT-SWAP", "details": [{"side", "posSide", "sz", "bkPx", "ts"}, ...]}]},
newest first, 100 per page, one day kept; ``after`` pages to older orders.
``sz`` is in contracts: GET /api/v5/public/instruments?instType=SWAP&instId=
gives the contract value ``ctVal`` in ``ctValCcy`` (0.01 BTC for BTC-USDT-SWAP;
USD for inverse contracts). A long position is closed by a sell: posSide
"long", or side "sell" in net mode.

Funding (fetch_funding_venues): GET /api/v5/public/funding-rate?instId=
BTC-USDT-SWAP -> {"code": "0", "data": [{"fundingRate", "fundingTime",
"nextFundingTime", "ts", ...}]}: fundingRate is the fraction due at the
upcoming settlement fundingTime (ms); the interval is nextFundingTime -
fundingTime (OKX's documented way to learn it). GET /api/v5/public/open-
interest?instType=SWAP&instId= -> data [{"oi", "oiCcy", "oiUsd", "ts"}]:
oiUsd in USD (left out when OKX does not give it or the request fails).

Only whole windows are reported: when the pages read do not reach back 24
hours, the 24h totals are left out with the reason, never extrapolated.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from generator.errors import ProviderError
from generator.snapshot import Liquidations, LiquidationScope, VenueFunding
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
    id="okx",
    name="OKX",
    metrics=("liquidations", "funding_venues"),
    docs="https://www.okx.com/docs-v5/en/#public-data-rest-api-get-liquidation-orders",
    # The underlying; the perpetual is "<underlying>-SWAP".
    symbols={"BTC": "BTC-USDT", "ETH": "ETH-USDT", "SOL": "SOL-USDT", "XRP": "XRP-USDT", "DOGE": "DOGE-USDT"},
    quote="USDT",
    # Public data endpoints are limited per endpoint: 20 requests per 2 seconds per IP each.
    # funding-rate: 10 requests per 2 seconds (IP + instrument); open-interest: 20 per 2 seconds.
    rate_limits=(RateLimit(20, 2, "/api/v5/public/liquidation-orders"), RateLimit(20, 2, "/api/v5/public/instruments"),
                 RateLimit(10, 2, "/api/v5/public/funding-rate"), RateLimit(20, 2, "/api/v5/public/open-interest")),
)
VENUE = "OKX"
PAGE = 100
USD_LIKE = frozenset({"USD", "USDT", "USDC"})


def _data(reply: Reply, what: str) -> list[Any]:
    data = reply.data
    if not isinstance(data, dict):
        raise ProviderError(f"unexpected response shape: {what} is not an object")
    if str(data.get("code")) != "0":
        raise ProviderError(f"OKX error {data.get('code')}: {str(data.get('msg'))[:120]}")
    rows = data.get("data")
    if not isinstance(rows, list):
        raise ProviderError(f"unexpected response shape: {what} has no data list")
    return rows


def _contract(reply: Reply, ctx: FetchContext) -> tuple[float, str]:
    rows = _data(reply, "instruments")
    if not rows:
        raise ProviderError(f"empty data: OKX lists no {ctx.symbol}-SWAP")
    ct_val = number(field_of(rows[0], "ctVal", "instrument"), "ctVal")
    if ct_val <= 0:
        raise ProviderError(f"absurd value in instrument: ctVal {ct_val}")
    return ct_val, str(field_of(rows[0], "ctValCcy", "instrument")).upper()


def _page(after: int | None, ctx: FetchContext) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"instType": "SWAP", "uly": ctx.symbol, "state": "filled", "limit": PAGE}
    if after is not None:
        params["after"] = after
    return "/api/v5/public/liquidation-orders", params


def fetch_liquidations(client: Client, ctx: FetchContext) -> Fetched:
    # The contract value and the first page are independent: ask for both at once.
    instrument, _ = client.get_many(
        ("/api/v5/public/instruments", {"instType": "SWAP", "instId": f"{ctx.symbol}-SWAP"}), _page(None, ctx))
    ct_val, ct_ccy = _contract(instrument, ctx)
    base = ctx.symbol.split("-")[0].upper()
    if ct_ccy != base and ct_ccy not in USD_LIKE:
        raise ProviderError(f"cannot value contracts of {ct_val} {ct_ccy} in USD")
    day_start, hour_start = ctx.now - timedelta(hours=24), ctx.now - timedelta(hours=1)
    orders: dict[tuple[Any, ...], tuple[Any, float, bool]] = {}
    first: Reply | None = None
    after: int | None = None
    exhausted = False
    pages = 0
    oldest_ms: int | None = None
    while pages < ctx.okx_max_pages:
        reply = client.get_json(*_page(after, ctx))  # the first page comes from the memo
        first = first or reply
        pages += 1
        details = [d for item in _data(reply, "liquidation orders") if isinstance(item, dict)
                   for d in (item.get("details") or []) if isinstance(d, dict)]
        new = 0
        for d in details:
            ts_ms = int(number(field_of(d, "ts", "order"), "order ts"))
            ts = from_ms(ts_ms, "order ts")
            size, price = number(field_of(d, "sz", "order"), "sz"), number(field_of(d, "bkPx", "order"), "bkPx")
            if size < 0 or price <= 0:
                raise ProviderError(f"absurd value in order at {ts.isoformat()}: sz {size}, bkPx {price}")
            pos, side = str(d.get("posSide", "")).lower(), str(d.get("side", "")).lower()
            key = (ts_ms, pos, side, d["sz"], d["bkPx"])
            if key not in orders:
                new += 1
                usd = size * ct_val * (price if ct_ccy == base else 1.0)
                orders[key] = (ts, usd, pos == "long" or (pos not in ("long", "short") and side == "sell"))
            oldest_ms = ts_ms if oldest_ms is None else min(oldest_ms, ts_ms)
        if len(details) < PAGE:
            exhausted = True  # OKX has nothing older: the day it keeps is covered
            break
        if new == 0 or (oldest_ms is not None and from_ms(oldest_ms, "ts") <= day_start):
            break
        # 'after' gives orders strictly older; +1 ms re-reads the boundary millisecond (duplicates are dropped).
        after = oldest_ms + 1 if oldest_ms is not None else None
    assert first is not None
    if not orders:
        raise ProviderError("empty data: OKX returned no liquidation orders")
    oldest = from_ms(oldest_ms, "ts")
    reach = ctx.now - oldest

    def totals(start: Any) -> tuple[float, float]:
        picked = [(usd, long) for ts, usd, long in orders.values() if start < ts <= ctx.now]
        return sum(u for u, lg in picked if lg), sum(u for u, lg in picked if not lg)

    coverage = f"{len(orders)} orders in {pages} page{'s' if pages > 1 else ''} reach back {_hours(reach)}"
    if not exhausted and oldest > hour_start:
        raise ProviderError(f"{coverage}, less than the last hour (raise okx_max_pages)")
    long_1h, short_1h = totals(hour_start)
    values: dict[str, Any] = {"total_1h_usd": long_1h + short_1h, "long_1h_usd": long_1h, "short_1h_usd": short_1h}
    missing = {}
    if exhausted or oldest <= day_start:
        long_24h, short_24h = totals(day_start)
        values |= {"total_24h_usd": long_24h + short_24h, "long_24h_usd": long_24h, "short_24h_usd": short_24h}
    else:
        missing["liquidations.24h"] = f"okx: {coverage}, not 24 hours (raise okx_max_pages); not extrapolated"
    when = first.date or ctx.now
    note = f"sum of {len(orders)} OKX liquidation orders: contracts x {ct_val:g} {ct_ccy} x bankruptcy price"
    return Fetched(build(
        Liquidations, "liquidation orders", **values,
        scope=LiquidationScope(venues=["OKX"], aggregated=False),
        source=provenance(INFO.id, first.url, when, when, note=note),
    ), missing)


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} hours" if hours >= 1 else f"{delta.total_seconds() / 60:.0f} minutes"


def fetch_funding_venues(client: Client, ctx: FetchContext) -> Fetched:
    """OKX's perpetual funding, its next settlement and open interest in USD (both asked at once)."""
    inst = f"{ctx.symbol}-SWAP"
    funding, oi = client.get_settled(("/api/v5/public/funding-rate", {"instId": inst}),
                                     ("/api/v5/public/open-interest", {"instType": "SWAP", "instId": inst}))
    if isinstance(funding, ProviderError):
        raise funding
    rows = _data(funding, "funding rate")
    if not rows:
        raise ProviderError(f"empty data: OKX gives no funding rate for {inst}")
    row = rows[0]
    settles = from_ms(field_of(row, "fundingTime", "funding rate"), "fundingTime")
    after = from_ms(field_of(row, "nextFundingTime", "funding rate"), "nextFundingTime")
    hours = (after - settles).total_seconds() / 3600
    usd, note = None, None
    try:
        if isinstance(oi, ProviderError):
            raise oi
        oi_rows = _data(oi, "open interest")
        if oi_rows and isinstance(oi_rows[0], dict) and oi_rows[0].get("oiUsd") not in (None, ""):
            usd = number(oi_rows[0]["oiUsd"], "oiUsd")
        else:
            note = "open interest left out: OKX gave no oiUsd"
    except ProviderError as err:
        note = f"open interest left out: {err}"
    return Fetched(build(
        VenueFunding, "funding rate",
        venue=VENUE,
        rate=number(field_of(row, "fundingRate", "funding rate"), "fundingRate"),
        interval_hours=hours,
        next_funding_time=settles,
        open_interest_usd=usd,
        source=provenance(INFO.id, funding.url, funding.date or ctx.now,
                          from_ms(field_of(row, "ts", "funding rate"), "funding rate ts"), note=note),
    ))
