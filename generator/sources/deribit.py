"""Deribit options (keyless): every listed option of a currency with its open interest.

Docs: GET /public/get_book_summary_by_currency?currency=BTC&kind=option -> {"jsonrpc": "2.0", "result":
[{"instrument_name": "BTC-29JUN18-7000-C", "open_interest": 1234.5, "mark_price": 0.0421,
"underlying_price": 6512.3, "estimated_delivery_price": 6498.7, "volume": 12.3,
"creation_timestamp": 1529280300000, ...}], "usIn": ..., "usOut": ..., "usDiff": ..., "testnet": false}.
Open interest is in coins (one contract is one coin), mark_price in coins too; estimated_delivery_price is the
index price, the same on every row. The instrument name carries what the summary lacks:
<currency>-<DMMMYY expiry>-<strike>-<C|P>, and every Deribit option expires at 08:00 UTC. Errors come as
{"error": {"code", "message"}} (HTTP 400 for bad parameters, 429 with code 10028 when over the limit).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from generator.errors import ProviderError
from generator.snapshot import OptionContract, OptionsBook
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    RateLimit,
    build,
    field_of,
    from_ms,
    non_empty_list,
    number,
    provenance,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="deribit",
    name="Deribit",
    metrics=("options",),
    docs="https://docs.deribit.com/api-reference/market-data/public-get_book_summary_by_currency",
    # Options currencies Deribit settles in the coin itself (SOL and XRP options are USDC-settled, another book).
    symbols={"BTC": "BTC", "ETH": "ETH"},
    quote="USD",
    # Public requests draw on a credit pool: 20 a second sustained (bursts of 50); stay at the sustained rate.
    rate_limits=(RateLimit(20, 1),),
)
VENUE = "Deribit"
EXPIRY_HOUR = 8  # every Deribit option expires at 08:00 UTC
NAME = re.compile(r"^(?P<ccy>[A-Z]+)-(?P<day>\d{1,2})(?P<mon>[A-Z]{3})(?P<yy>\d{2})-(?P<strike>\d+(?:d\d+)?)-(?P<cp>[CP])$")
MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                                      "DEC"), start=1)}


def parse_instrument(name: str) -> tuple[datetime, float, str]:
    """'BTC-29JUN18-7000-C' -> (2018-06-29 08:00 UTC, 7000.0, 'call'); ProviderError for another shape."""
    m = NAME.match(name)
    if m is None or m["mon"] not in MONTHS:
        raise ProviderError(f"unexpected instrument name {name[:40]!r} (not <ccy>-<DMMMYY>-<strike>-<C|P>)")
    try:
        expiry = datetime(2000 + int(m["yy"]), MONTHS[m["mon"]], int(m["day"]), EXPIRY_HOUR, tzinfo=timezone.utc)
    except ValueError:
        raise ProviderError(f"unexpected instrument name {name[:40]!r}: no such date") from None
    # Strikes below one dollar are written with a 'd' for the decimal point (XRP_USDC-...-0d55-C).
    return expiry, float(m["strike"].replace("d", ".")), "call" if m["cp"] == "C" else "put"


def _result(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        err = data["error"]
        raise ProviderError(f"Deribit error {err.get('code')}: {str(err.get('message'))[:120]}")
    return non_empty_list(field_of(data, "result", "response"), "result")


def fetch_options(client: Client, ctx: FetchContext) -> Fetched:
    reply = client.get_json("/public/get_book_summary_by_currency", {"currency": ctx.symbol, "kind": "option"})
    rows = [r for r in _result(reply.data) if isinstance(r, dict)]
    contracts, index, newest = [], None, None
    for row in rows:
        name = str(field_of(row, "instrument_name", "book summary"))
        expiry, strike, kind = parse_instrument(name)
        if not name.startswith(f"{ctx.symbol}-"):
            raise ProviderError(f"instrument {name[:40]} is not a {ctx.symbol} option")
        oi = number(field_of(row, "open_interest", name), f"{name} open_interest")
        contracts.append(build(OptionContract, name, instrument=name, expiry=expiry, strike=strike, kind=kind,
                               open_interest=oi))
        if index is None and row.get("estimated_delivery_price") is not None:
            index = number(row["estimated_delivery_price"], f"{name} estimated_delivery_price")
        stamp = from_ms(field_of(row, "creation_timestamp", name), f"{name} creation_timestamp")
        newest = stamp if newest is None else max(newest, stamp)
    if not contracts or newest is None:
        raise ProviderError("empty data: Deribit lists no options")
    if index is None:
        raise ProviderError("unexpected response shape: no estimated_delivery_price (index price) on any option")
    note = f"{len(contracts)} {ctx.symbol} options; open interest in coins valued at the index price"
    return Fetched(build(
        OptionsBook, "options book", venue=VENUE, index_price=index, contracts=contracts,
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, newest, note=note),
    ))
