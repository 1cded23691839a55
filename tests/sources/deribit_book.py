"""An illustrative Deribit BTC options book in the documented get_book_summary_by_currency format.

Not real data: five expiries (a weekly, the quarterly that holds most of the open interest, a monthly and two
later quarterlies) of strikes around the index price, open interest shaped like a real book (most at the money
and on round strikes, calls heavier above the price, puts below), pseudo-random from a fixed seed so every run
and every recording is the same. Used by the replica servers (venues.py), the provider cassette and the
analysis tests.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.snapshot import MarketSnapshot

# (weeks after the next Friday, share of the book's open interest, strike step as a share of the index): a weekly,
# the near quarterly or monthly that holds most of it, and later ones. Deribit's expiries are Fridays, 08:00 UTC.
EXPIRIES = ((0, 0.03, 0.02), (1, 0.46, 0.02), (5, 0.16, 0.04), (14, 0.25, 0.04), (27, 0.10, 0.08))
TOTAL_COINS = 38_000.0


def _nice(step: float) -> int:
    """The round strike step nearest ``step``: 1, 2, 2.5 or 5 times a power of ten (at least 1)."""
    tens = 10 ** max(0, math.floor(math.log10(max(step, 1.0))))
    return max(1, int(min((m * tens for m in (1, 2, 2.5, 5, 10)), key=lambda v: abs(math.log(v / step)))))


def _name(expiry: datetime, strike: int, kind: str, currency: str = "BTC") -> str:
    return f"{currency}-{expiry.day}{expiry.strftime('%b').upper()}{expiry:%y}-{strike}-{kind}"


def book_rows(now: datetime, index: float, seed: int = 16, stale: bool = False, absurd: bool = False,
              currency: str = "BTC") -> list[dict[str, Any]]:
    """The book's rows at ``now``; ``stale`` dates them three days back, ``absurd`` gives one negative open interest."""
    rng = random.Random(seed)
    day = datetime(now.year, now.month, now.day, 8, tzinfo=timezone.utc)
    friday = day + timedelta(days=(4 - day.weekday()) % 7 or 7)  # the next Friday, a week on from a Friday
    stamp = now - (timedelta(days=3) if stale else timedelta(seconds=2))
    rows = []
    for weeks, share, step_share in EXPIRIES:
        expiry = friday + timedelta(weeks=weeks)
        step = _nice(index * step_share)
        years = (expiry - now).total_seconds() / (365 * 86400)
        low, high = int(index * 0.6 // step * step), int(index * 1.5 // step * step)
        strikes = list(range(low, high + step, step))
        weights = {}
        for k in strikes:
            for kind in ("C", "P"):
                # OTM options carry most of the open interest: calls above the index, puts below.
                otm = (k >= index) if kind == "C" else (k <= index)
                w = math.exp(-(((k - index) / (index * 0.25)) ** 2)) * (1.6 if otm else 0.5)
                w *= 1.8 if k % (5 * step) == 0 else 1.0  # round strikes draw more
                weights[(k, kind)] = w * rng.uniform(0.5, 1.5)
        scale = TOTAL_COINS * share / sum(weights.values())
        for (k, kind), w in weights.items():
            oi = round(w * scale, 1)
            vol = 0.8 * math.sqrt(years)
            intrinsic = max(0.0, index - k) if kind == "C" else max(0.0, k - index)
            mark = (intrinsic + 0.4 * vol * index * math.exp(-(((k - index) / (index * vol + 1)) ** 2))) / index
            rows.append({
                "volume": round(oi * rng.uniform(0.0, 0.08), 1), "underlying_price": round(index * (1 + 0.01 * years), 2),
                "underlying_index": f"{currency}-{expiry.day}{expiry.strftime('%b').upper()}{expiry:%y}",
                "quote_currency": currency, "price_change": None, "open_interest": oi,
                "mid_price": None, "mark_price": round(mark, 4), "low": None, "last": None,
                "interest_rate": 0.0, "instrument_name": _name(expiry, k, kind, currency), "high": None,
                "estimated_delivery_price": round(index, 2), "creation_timestamp": int(stamp.timestamp() * 1000),
                "bid_price": None, "base_currency": currency, "ask_price": None,
            })
    if absurd:
        rows[len(rows) // 2]["open_interest"] = -12.5
    return rows


def envelope(result: Any, now: datetime) -> dict[str, Any]:
    """The JSON-RPC envelope Deribit wraps every answer in (times in microseconds)."""
    us = int(now.timestamp() * 1_000_000)
    return {"jsonrpc": "2.0", "result": result, "usIn": us, "usOut": us + 1843, "usDiff": 1843, "testnet": False}


def with_options(snapshot: MarketSnapshot, index: float | None = None) -> MarketSnapshot:
    """``snapshot`` with this illustrative book, valued at ``index`` (default: its price), as of its time."""
    from generator.snapshot import OptionContract, OptionsBook, Provenance
    from generator.sources.deribit import parse_instrument

    price = index or snapshot.price.current
    contracts = []
    for row in book_rows(snapshot.as_of, price, currency=snapshot.asset):
        expiry, strike, kind = parse_instrument(row["instrument_name"])
        contracts.append(OptionContract(instrument=row["instrument_name"], expiry=expiry, strike=strike, kind=kind,  # type: ignore[arg-type]
                                        open_interest=row["open_interest"]))
    source = Provenance(provider="illustrative", url=None, fetched_at=snapshot.as_of, as_of=snapshot.as_of,
                        note="Illustrative: tests/sources/deribit_book.py, not Deribit's data.")
    book = OptionsBook(venue="Deribit", index_price=price, contracts=contracts, source=source)
    return snapshot.model_copy(update={"options": book})
