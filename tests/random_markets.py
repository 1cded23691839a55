"""Random but valid markets, for tests: illustrative, not real market data.

Each seed gives one snapshot: a random walk of candles of one timeframe (1 to 300 of them, prices
from a millionth of a dollar to a few hundred thousand), sometimes an hourly series ending at the
price, and each derivatives group present or not, with random values (zero totals, tiny funding
rates, any Fear & Greed reading). Provenance says "illustrative" and the note says it is random.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from generator.snapshot import MarketSnapshot

STEPS = {"1d": timedelta(days=1), "4h": timedelta(hours=4), "1w": timedelta(days=7)}
NOTE = "Illustrative: a random market made by tests/random_markets.py, not real market data."


def _source(t: datetime) -> dict[str, Any]:
    return {"provider": "illustrative", "url": None, "fetched_at": t.isoformat(), "as_of": t.isoformat(), "note": NOTE}


def _walk(r: random.Random, scale: float, n: int, vol: float, drift: float) -> list[tuple[float, ...]]:
    """(open, high, low, close, volume) of ``n`` candles; now and then a flat one."""
    price, out = scale, []
    for _ in range(n):
        o = price
        c = o * (1 + r.gauss(drift, vol))
        c = max(o if r.random() < 0.02 else c, scale * 1e-3)
        hi = max(o, c) * (1 + abs(r.gauss(0, vol / 2)))
        lo = min(o, c) * (1 - min(0.5, abs(r.gauss(0, vol / 2))))
        out.append((o, hi, lo, c, r.uniform(0, 1e6)))
        price = c
    return out


def _hourly(r: random.Random, vol: float, as_of: datetime, end_price: float) -> dict[str, Any]:
    """48 hourly candles ending at ``as_of`` and at ``end_price``."""
    rows, p = [], 1.0
    for _ in range(48):
        o, p = p, p * (1 + r.gauss(0, vol / 5))
        rows.append((o, max(o, p) * (1 + abs(r.gauss(0, vol / 10))), min(o, p) * (1 - abs(r.gauss(0, vol / 10))), p))
    k = end_price / p
    start = as_of - timedelta(hours=48)
    return {"timeframe": "1h", "source": _source(as_of), "candles": [
        {"time": (start + timedelta(hours=i)).isoformat(), "open": o * k, "high": h * k, "low": lo * k,
         "close": c * k, "volume": r.uniform(0, 1e4)} for i, (o, h, lo, c) in enumerate(rows)]}


def _derivatives(r: random.Random, as_of: datetime) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.random() < 0.6:
        t24 = 10 ** r.uniform(0, 10.5)
        t24 = 0.0 if r.random() < 0.1 else t24
        share, t1, s1 = r.random(), t24 * r.random() * r.choice([0.01, 0.1, 1]), r.random()
        out["liquidations"] = {
            "total_1h_usd": t1, "long_1h_usd": t1 * s1, "short_1h_usd": t1 * (1 - s1),
            "total_24h_usd": t24, "long_24h_usd": t24 * share, "short_24h_usd": t24 * (1 - share),
            "scope": {"venues": r.choice([["OKX"], ["Binance", "OKX", "Bybit", "Bitget"]]),
                      "aggregated": r.random() < 0.5},
            "source": _source(as_of)}
    if r.random() < 0.6:
        rate = r.choice([0.0, r.uniform(-0.003, 0.003), r.uniform(-0.0001, 0.0001)])
        out["funding"] = {"rate": rate, "interval_hours": r.choice([8, 4, 1]), "venue": "Binance",
                          "source": _source(as_of)}
    if r.random() < 0.6:
        out["open_interest"] = {"usd": 10 ** r.uniform(3, 11), "venue": "Binance", "source": _source(as_of)}
    if r.random() < 0.6:
        v = r.randint(0, 100)
        label = ("Extreme Fear" if v < 25 else "Fear" if v < 47 else "Neutral" if v < 55 else "Greed" if v < 76
                 else "Extreme Greed")
        out["fear_greed"] = {"value": v, "classification": label, "source": _source(as_of)}
    return out


def market(seed: int, timeframe: str = "1d") -> MarketSnapshot:
    """The market of ``seed``, its candles of ``timeframe`` (1d, 4h or 1w)."""
    r = random.Random(seed)
    scale = 10 ** r.uniform(-6, 5.5)
    n = r.choice([1, 2, 5, 14, 15, 16, 30, 60, 120, 200, 300])
    vol = r.choice([0.001, 0.01, 0.03, 0.08])
    drift = r.uniform(-0.01, 0.01)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(days=r.randint(0, 2000))
    step = STEPS[timeframe]
    rows = _walk(r, scale, n, vol, drift)
    candles = [{"time": (start + step * i).isoformat(), "open": o, "high": h, "low": lo, "close": c, "volume": v}
               for i, (o, h, lo, c, v) in enumerate(rows)]
    as_of = start + step * n
    last = candles[-1]
    snapshot: dict[str, Any] = {
        "asset": r.choice(["BTC", "ETH", "SOL", "DOGE", "XYZ"]), "quote": "USDT", "as_of": as_of.isoformat(),
        "price": {"current": last["close"], "high_24h": last["high"], "low_24h": last["low"], "source": _source(as_of)},
        "candles": {timeframe: {"timeframe": timeframe, "candles": candles, "source": _source(as_of)}}}
    if r.random() < 0.5:
        snapshot["candles"]["1h"] = _hourly(r, vol, as_of, last["close"])
    if r.random() < 0.7:
        snapshot["price"]["change_24h_pct"] = round((last["close"] / last["open"] - 1) * 100, r.choice([1, 2, 3]))
    snapshot.update(_derivatives(r, as_of))
    return MarketSnapshot.model_validate(snapshot)
