"""CoinGecko simple price: the independent price the primary one is checked against.

Docs: GET /simple/price?ids=bitcoin&vs_currencies=usd&include_24hr_change=true
&include_last_updated_at=true -> {"bitcoin": {"usd": 67187.34,
"usd_24h_change": 3.63, "last_updated_at": 1711356300}}; ids=bitcoin,ethereum
answers for both in one object. CoinGecko ids are
names, not tickers, hence the symbol map. A demo API key, when configured, goes
in the x-cg-demo-api-key header.
"""

from __future__ import annotations

from generator.errors import ProviderError
from generator.snapshot import Price
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    RateLimit,
    build,
    field_of,
    from_s,
    number,
    provenance,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="coingecko",
    name="CoinGecko",
    metrics=("price_check",),
    docs="https://docs.coingecko.com/reference/simple-price",
    symbols={"BTC": "bitcoin", "ETH": "ethereum", "SOL": "solana", "XRP": "ripple", "BNB": "binancecoin",
             "DOGE": "dogecoin"},
    quote="USD",
    optional_key="coingecko_api_key",
    key_header="x-cg-demo-api-key",
    # Keyless and demo plans: 5 to 30 calls per minute depending on load and key; 10 is safe for both.
    rate_limits=(RateLimit(10, 60),),
    batch_size=50,  # /simple/price takes a comma-separated list of ids
)


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    # Several assets of a run share one request; ids CoinGecko does not know are simply absent from the answer.
    ids = ",".join(ctx.batch) if len(ctx.batch) > 1 else ctx.symbol
    reply = client.get_json("/simple/price", {"ids": ids, "vs_currencies": "usd",
                                              "include_24hr_change": "true", "include_last_updated_at": "true"})
    if not isinstance(reply.data, dict) or not reply.data.get(ctx.symbol):
        raise ProviderError(f"empty data: no price for {ctx.symbol!r}")
    coin = reply.data[ctx.symbol]
    change = coin.get("usd_24h_change")
    return Fetched(build(
        Price, "simple price",
        current=number(field_of(coin, "usd", ctx.symbol), "usd"),
        change_24h_pct=number(change, "usd_24h_change") if change is not None else None,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now,
                          from_s(field_of(coin, "last_updated_at", ctx.symbol), "last_updated_at")),
    ))
