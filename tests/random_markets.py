"""Random but valid markets, for tests: illustrative, not real market data.

Each seed gives one snapshot: a random walk of daily candles (1 to 300 of them, prices from a
millionth of a dollar to a few hundred thousand), sometimes an hourly series ending at the price,
and each derivatives group present or not, with random values (zero totals, tiny funding rates,
any Fear & Greed reading). Provenance says "illustrative" and the note says it is random.
"""
from __future__ import annotations
import random
from datetime import datetime, timedelta, timezone
from generator.snapshot import MarketSnapshot

def prov(t: datetime) -> dict[str, object]:
    return {"provider": "illustrative", "url": None, "fetched_at": t.isoformat(), "as_of": t.isoformat(), "note": "Illustrative: a random market made by tests/random_markets.py, not real market data."}

def market(seed: int) -> MarketSnapshot:
    r = random.Random(seed)
    scale = 10 ** r.uniform(-6, 5.5)
    n = r.choice([1, 2, 5, 14, 15, 16, 30, 60, 120, 200, 300])
    vol = r.choice([0.001, 0.01, 0.03, 0.08])
    drift = r.uniform(-0.01, 0.01)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(days=r.randint(0, 2000))
    price = scale
    candles = []
    for i in range(n):
        o = price
        c = o * (1 + r.gauss(drift, vol))
        if r.random() < 0.02:
            c = o  # a flat candle
        c = max(c, scale * 1e-3)
        hi = max(o, c) * (1 + abs(r.gauss(0, vol / 2)))
        lo = min(o, c) * (1 - min(0.5, abs(r.gauss(0, vol / 2))))
        candles.append({"time": (start + timedelta(days=i)).isoformat(), "open": o, "high": hi, "low": lo, "close": c, "volume": r.uniform(0, 1e6)})
        price = c
    as_of = start + timedelta(days=n)
    last = candles[-1]
    cur = last["close"]
    d = {"asset": r.choice(["BTC", "ETH", "SOL", "DOGE", "XYZ"]), "quote": "USDT", "as_of": as_of.isoformat(),
         "price": {"current": cur, "high_24h": last["high"], "low_24h": last["low"], "source": prov(as_of)},
         "candles": {"1d": {"timeframe": "1d", "candles": candles, "source": prov(as_of)}}}
    if r.random() < 0.5:  # an hourly series ending at the price now, for the hour's move
        hourly, p = [], 1.0
        for i in range(48):
            o = p
            p = o * (1 + r.gauss(0, vol / 5))
            hourly.append((o, p, max(o, p) * (1 + abs(r.gauss(0, vol / 10))), min(o, p) * (1 - abs(r.gauss(0, vol / 10)))))
        k = cur / p
        hstart = as_of - timedelta(hours=48)
        d["candles"]["1h"] = {"timeframe": "1h", "source": prov(as_of), "candles": [
            {"time": (hstart + timedelta(hours=i)).isoformat(), "open": o * k, "high": h * k, "low": l * k,
             "close": c * k, "volume": r.uniform(0, 1e4)} for i, (o, c, h, l) in enumerate(hourly)]}
    if r.random() < 0.7:
        d["price"]["change_24h_pct"] = round((cur / last["open"] - 1) * 100, r.choice([1, 2, 3]))
    if r.random() < 0.6:
        t24 = 10 ** r.uniform(0, 10.5)
        if r.random() < 0.1: t24 = 0.0
        share = r.random()
        t1 = t24 * r.random() * r.choice([0.01, 0.1, 1])
        s1 = r.random()
        d["liquidations"] = {"total_1h_usd": t1, "long_1h_usd": t1 * s1, "short_1h_usd": t1 * (1 - s1),
                             "total_24h_usd": t24, "long_24h_usd": t24 * share, "short_24h_usd": t24 * (1 - share),
                             "scope": {"venues": r.choice([["OKX"], ["Binance", "OKX", "Bybit", "Bitget"]]), "aggregated": r.random() < 0.5},
                             "source": prov(as_of)}
    if r.random() < 0.6:
        d["funding"] = {"rate": r.choice([0.0, r.uniform(-0.003, 0.003), r.uniform(-0.0001, 0.0001)]), "interval_hours": r.choice([8, 4, 1]), "venue": "Binance", "source": prov(as_of)}
    if r.random() < 0.6:
        d["open_interest"] = {"usd": 10 ** r.uniform(3, 11), "venue": "Binance", "source": prov(as_of)}
    if r.random() < 0.6:
        v = r.randint(0, 100)
        lab = "Extreme Fear" if v < 25 else "Fear" if v < 47 else "Neutral" if v < 55 else "Greed" if v < 76 else "Extreme Greed"
        d["fear_greed"] = {"value": v, "classification": lab, "source": prov(as_of)}
    return MarketSnapshot.model_validate(d)

