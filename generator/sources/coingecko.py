"""CoinGecko: the independent price the primary one is checked against, and the whole market (/global).

Docs: GET /simple/price?ids=bitcoin&vs_currencies=usd&include_24hr_change=true
&include_last_updated_at=true -> {"bitcoin": {"usd": 67187.34,
"usd_24h_change": 3.63, "last_updated_at": 1711356300}}; ids=bitcoin,ethereum
answers for both in one object. CoinGecko ids are
names, not tickers, hence the symbol map. A demo API key, when configured, goes
in the x-cg-demo-api-key header.

GET /global -> {"data": {"active_cryptocurrencies": 13690, "total_market_cap": {"usd": 2721226850772.63, ...},
"market_cap_percentage": {"btc": 50.45, "eth": 14.92, ...}, "market_cap_change_percentage_24h_usd": 1.72,
"updated_at": 1712512855}}: market-wide, so every asset of a run shares the one request.
"""

from __future__ import annotations

from generator.errors import ProviderError
from generator.snapshot import GlobalMarket, PeerMove, Peers, Price
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
from generator.sources.http import Client, Reply

INFO = ProviderInfo(
    id="coingecko",
    name="CoinGecko",
    metrics=("price_check", "market", "peers"),
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


def _simple_price(client: Client, ids: str) -> Reply:
    return client.get_json("/simple/price", {"ids": ids, "vs_currencies": "usd",
                                             "include_24hr_change": "true", "include_last_updated_at": "true"})


def fetch_price(client: Client, ctx: FetchContext) -> Fetched:
    # Several assets of a run share one request; ids CoinGecko does not know are simply absent from the answer.
    reply = _simple_price(client, ",".join(ctx.batch) if len(ctx.batch) > 1 else ctx.symbol)
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


def fetch_market(client: Client, ctx: FetchContext) -> Fetched:
    reply = client.get_json("/global")
    data = field_of(reply.data, "data", "response")
    cap = field_of(field_of(data, "total_market_cap", "data"), "usd", "total_market_cap")
    change = data.get("market_cap_change_percentage_24h_usd") if isinstance(data, dict) else None
    btc = (data.get("market_cap_percentage") or {}).get("btc") if isinstance(data, dict) else None
    return Fetched(build(
        GlobalMarket, "global market",
        total_market_cap_usd=number(cap, "total_market_cap.usd"),
        market_cap_change_24h_pct=number(change, "market_cap_change_percentage_24h_usd") if change is not None else None,
        btc_dominance_pct=number(btc, "market_cap_percentage.btc") if btc is not None else None,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, from_s(field_of(data, "updated_at", "data"),
                                                                             "updated_at")),
    ))


def fetch_peers(client: Client, ctx: FetchContext) -> Fetched:
    """The peers' 24h moves from one simple-price request (the run's batch when it holds them all: the request of
    the price cross-check, made once). A peer without a price or a 24h change is left out; none at all is empty."""
    wanted = {symbol for _, symbol in ctx.peers}
    ids = list(ctx.batch) if wanted <= set(ctx.batch) and len(ctx.batch) > 1 else sorted({ctx.symbol, *wanted})
    reply = _simple_price(client, ",".join(ids))
    if not isinstance(reply.data, dict):
        raise ProviderError("empty data: the answer is not an object of coins")
    moves, dated = [], []
    for asset, coin_id in ctx.peers:
        coin = reply.data.get(coin_id)
        if not isinstance(coin, dict) or coin.get("usd") is None or coin.get("usd_24h_change") is None:
            continue
        dated.append(from_s(field_of(coin, "last_updated_at", coin_id), "last_updated_at"))
        moves.append(build(PeerMove, f"{asset} move", asset=asset, price=number(coin["usd"], "usd"),
                              change_24h_pct=number(coin["usd_24h_change"], "usd_24h_change")))
    if not moves:
        raise ProviderError("empty data: no peer's price in the answer")
    return Fetched(build(Peers, "peers", moves=moves, source=provenance(INFO.id, reply.url, reply.date or ctx.now,
                                                                         min(dated))))
