"""alternative.me Crypto Fear & Greed Index.

Docs: GET /fng/?limit=1 -> {"name": "Fear and Greed Index", "data": [{"value":
"40", "value_classification": "Fear", "timestamp": "1551157200",
"time_until_update": "68499"}], "metadata": {"error": null}}. The value is
published once a day, dated at 00:00 UTC.
"""

from __future__ import annotations

from generator.errors import ProviderError
from generator.snapshot import FearGreed
from generator.sources.base import (
    FetchContext,
    Fetched,
    ProviderInfo,
    RateLimit,
    build,
    field_of,
    from_s,
    non_empty_list,
    number,
    provenance,
)
from generator.sources.http import Client

INFO = ProviderInfo(
    id="alternative_me",
    name="alternative.me",
    metrics=("fear_greed",),
    docs="https://alternative.me/crypto/fear-and-greed-index/#api",
    # The index is market-wide: every asset maps to it, so a run for several assets asks once (one URL, shared).
    symbols={"*": "fng"},
    rate_limits=(RateLimit(60, 60),),  # 60 requests per minute
)


def fetch_fear_greed(client: Client, ctx: FetchContext) -> Fetched:
    reply = client.get_json("/fng/", {"limit": 1})
    error = (reply.data.get("metadata") or {}).get("error") if isinstance(reply.data, dict) else None
    if error:
        raise ProviderError(f"alternative.me error: {str(error)[:120]}")
    row = non_empty_list(field_of(reply.data, "data", "response"), "data")[0]
    value = number(field_of(row, "value", "data[0]"), "value")
    if value != int(value):
        raise ProviderError(f"absurd value in index: {value} is not a whole number")
    return Fetched(build(
        FearGreed, "index",
        value=int(value),
        classification=str(field_of(row, "value_classification", "data[0]")),
        source=provenance(INFO.id, reply.url, reply.date or ctx.now, from_s(field_of(row, "timestamp", "data[0]"),
                                                                             "timestamp")),
    ))
