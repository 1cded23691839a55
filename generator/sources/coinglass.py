"""CoinGlass (API v4, keyed): liquidations aggregated across the major futures exchanges.

Docs: GET /api/futures/liquidation/exchange-list?symbol=BTC&range=1h|24h with
the key in the CG-API-KEY header -> {"code": "0", "data": [{"exchange": "All",
"liquidation_usd", "longLiquidation_usd", "shortLiquidation_usd"}, {"exchange":
"Binance", ...}, ...]}: the "All" row is the total over the exchanges listed.
The response has no timestamp of its own; its Date header dates it.
"""

from __future__ import annotations

from typing import Any

from generator.errors import ProviderError
from generator.snapshot import Liquidations, LiquidationScope
from generator.sources.base import FetchContext, Fetched, ProviderInfo, RateLimit, build, number, provenance
from generator.sources.http import Client, Reply

INFO = ProviderInfo(
    id="coinglass",
    name="CoinGlass",
    metrics=("liquidations",),
    docs="https://docs.coinglass.com/reference/exchange-liquidation-list",
    symbols={"BTC": "BTC", "ETH": "ETH", "SOL": "SOL", "XRP": "XRP", "BNB": "BNB", "DOGE": "DOGE"},
    needs_key="coinglass_api_key",
    key_header="CG-API-KEY",
    rate_limits=(RateLimit(30, 60),),  # the Hobbyist plan's 30 requests per minute (higher plans allow more)
)


def _rows(reply: Reply) -> list[dict[str, Any]]:
    data = reply.data
    if not isinstance(data, dict):
        raise ProviderError("unexpected response shape: not an object")
    if str(data.get("code")) != "0":
        raise ProviderError(f"CoinGlass error {data.get('code')}: {str(data.get('msg'))[:120]}")
    rows = data.get("data")
    if not isinstance(rows, list) or not rows:
        raise ProviderError("empty data: no liquidation rows")
    return [r for r in rows if isinstance(r, dict)]


def _amount(row: dict[str, Any], side: str) -> float:
    # The documented names are camel-and-snake ("longLiquidation_usd"); accept the all-snake spelling too.
    for key in (f"{side}Liquidation_usd", f"{side}_liquidation_usd"):
        if key in row:
            return number(row[key], key)
    raise ProviderError(f"unexpected response shape: no {side} liquidation amount")


def _window(reply: Reply, window: str) -> tuple[dict[str, float], list[str]]:
    rows = _rows(reply)
    total = next((r for r in rows if str(r.get("exchange", "")).lower() == "all"), None)
    if total is None:
        raise ProviderError(f"unexpected response shape: no 'All' row for {window}")
    venues = [str(r["exchange"]) for r in rows if r is not total and r.get("exchange")]
    amounts = {"total": number(total.get("liquidation_usd"), "liquidation_usd"),
               "long": _amount(total, "long"), "short": _amount(total, "short")}
    return amounts, venues


def fetch_liquidations(client: Client, ctx: FetchContext) -> Fetched:
    path = "/api/futures/liquidation/exchange-list"
    hour_reply, day_reply = client.get_many((path, {"symbol": ctx.symbol, "range": "1h"}),
                                            (path, {"symbol": ctx.symbol, "range": "24h"}))
    hour, _ = _window(hour_reply, "1h")
    day, venues = _window(day_reply, "24h")
    when = day_reply.date or ctx.now
    return Fetched(build(
        Liquidations, "liquidation exchange list",
        total_1h_usd=hour["total"], long_1h_usd=hour["long"], short_1h_usd=hour["short"],
        total_24h_usd=day["total"], long_24h_usd=day["long"], short_24h_usd=day["short"],
        scope=LiquidationScope(venues=venues or ["CoinGlass-tracked exchanges"], aggregated=True),
        source=provenance(INFO.id, day_reply.url, when, when),
    ))
