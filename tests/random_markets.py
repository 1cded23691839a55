"""Random but valid markets, for tests: illustrative, not real market data.

Each seed gives one snapshot: a random walk of candles of one timeframe (1 to 300 of them, prices
from a millionth of a dollar to a few hundred thousand), sometimes an hourly series ending at the
price, and each derivatives group present or not, with random values (zero totals, tiny funding
rates, any Fear & Greed reading, an options book of one to four expiries, funding on one to three venues). Provenance says "illustrative" and the note says it is random.

``intraday=True`` takes the same market at a random moment inside the candle that is still forming
(any hour, any minute after the last close): the current price has moved on from the last close,
sometimes through a level, and the 24-hour high, low and change are those of the rolling day, as a
live fetch during the day sees them. Every market ends before ``LATEST``, in the past.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from generator.facts import FactSet
from generator.snapshot import MarketSnapshot

STEPS = {"1d": timedelta(days=1), "4h": timedelta(hours=4), "1w": timedelta(days=7)}
# Markets end by this date: a snapshot dated in the future is refused (generator/snapshot.py, CLOCK_SKEW).
LATEST = datetime(2025, 1, 1, tzinfo=timezone.utc)
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


def market(seed: int, timeframe: str = "1d", intraday: bool = False) -> MarketSnapshot:
    """The market of ``seed``, its candles of ``timeframe`` (1d, 4h or 1w); ``intraday``: taken during the day."""
    r = random.Random(seed)
    scale = 10 ** r.uniform(-6, 5.5)
    n = r.choice([1, 2, 5, 14, 15, 16, 30, 60, 120, 200, 300])
    vol = r.choice([0.001, 0.01, 0.03, 0.08])
    drift = r.uniform(-0.01, 0.01)
    start = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(days=r.randint(0, 2000))
    step = STEPS[timeframe]
    if (late := start + step * (n + 1) - LATEST) > timedelta(0):  # whole weeks back: same weekday, same hour
        start -= timedelta(weeks=-(-late // timedelta(weeks=1)))
    rows = _walk(r, scale, n, vol, drift)
    candles = [{"time": (start + step * i).isoformat(), "open": o, "high": h, "low": lo, "close": c, "volume": v}
               for i, (o, h, lo, c, v) in enumerate(rows)]
    closed = start + step * n
    last = candles[-1]
    price: dict[str, Any] = {"current": last["close"], "high_24h": last["high"], "low_24h": last["low"]}
    as_of, hourly_end, day_ago = closed, closed, last["open"]
    if intraday:
        # A separate stream, so the candles and derivatives of a seed are the same with and without it.
        ri = random.Random(f"{seed}|intraday")
        as_of = closed + timedelta(minutes=ri.randint(1, int(step / timedelta(minutes=1)) - 1))
        price, day_ago = _rolling_day(ri, rows, step, vol, as_of - closed)
        hourly_end = as_of.replace(minute=0, second=0, microsecond=0)
    snapshot: dict[str, Any] = {
        "asset": r.choice(["BTC", "ETH", "SOL", "DOGE", "XYZ"]), "quote": "USDT", "as_of": as_of.isoformat(),
        "price": {**price, "source": _source(as_of)},
        "candles": {timeframe: {"timeframe": timeframe, "candles": candles, "source": _source(closed)}}}
    if r.random() < 0.5:
        snapshot["candles"]["1h"] = _hourly(r, vol, hourly_end, price["current"])
    if r.random() < 0.7:
        snapshot["price"]["change_24h_pct"] = round((price["current"] / day_ago - 1) * 100, r.choice([1, 2, 3]))
    snapshot.update(_derivatives(r, as_of))
    ro = random.Random(f"{seed}|options")  # its own stream: the other groups of a seed stay as they were
    if ro.random() < 0.4:
        snapshot["options"] = _options(ro, as_of, price["current"])
    rf = random.Random(f"{seed}|funding_venues")  # its own stream too
    if rf.random() < 0.5:
        venues = _funding_venues(rf, as_of)
        chain = snapshot.get("funding")
        for v in venues:  # the chain's funding is its venue's own answer (one request in a fetch): they agree
            if chain is not None and v["venue"] == chain["venue"]:
                v["rate"], v["interval_hours"] = chain["rate"], chain["interval_hours"]
        snapshot["funding_venues"] = venues
    rm = random.Random(f"{seed}|market")
    if rm.random() < 0.5:  # the whole market: any size, any change (a flat one too), dominance or not
        snapshot["market"] = {"total_market_cap_usd": 10 ** rm.uniform(8, 12.5),
                              "market_cap_change_24h_pct": rm.choice([None, 0.0, 0.004, rm.uniform(-30, 30)]),
                              "btc_dominance_pct": rm.choice([None, rm.uniform(0, 100)]), "source": _source(as_of)}
    rp = random.Random(f"{seed}|peers")  # its own stream too
    if rp.random() < 0.5:  # peers: one to four of them, any moves (ties as printed, flat ones, the asset's own)
        others = [a for a in ("BTC", "ETH", "SOL", "XRP", "DOGE") if a != snapshot["asset"]]
        own = snapshot["price"].get("change_24h_pct")
        pool = [0.0, 0.001, rp.uniform(-40, 40), rp.uniform(-3, 3), *([own] if own is not None else [])]
        snapshot["peers"] = {"moves": [{"asset": a, "price": 10 ** rp.uniform(-4, 5), "change_24h_pct": rp.choice(pool)}
                                       for a in rp.sample(others, rp.randint(1, 4))], "source": _source(as_of)}
    return MarketSnapshot.model_validate(snapshot)


def _options(r: random.Random, as_of: datetime, price: float) -> dict[str, Any]:
    """A random options book: 1 to 4 expiries (one sometimes already past), strikes around the price, open
    interest anywhere from none to a lot, sometimes only calls or only puts."""
    day = as_of.replace(hour=8, minute=0, second=0, microsecond=0)
    contracts = []
    for e in range(r.randint(1, 4)):
        expiry = day + timedelta(days=r.choice([-1, 1, 3, 7, 30, 90]) + 7 * e)
        kinds = r.choice([("call", "put"), ("call", "put"), ("call",), ("put",)])
        for j in range(r.randint(1, 12)):
            strike = price * r.uniform(0.5, 1.5)
            for kind in kinds:
                oi = 0.0 if r.random() < 0.15 else 10 ** r.uniform(-1, 4)
                contracts.append({"instrument": f"X-{e}-{j}-{kind}", "expiry": expiry.isoformat(), "strike": strike,
                                  "kind": kind, "open_interest": oi})
    return {"venue": r.choice(["Deribit", "OKX"]), "index_price": price * r.uniform(0.99, 1.01),
            "contracts": contracts, "source": _source(as_of)}


def _funding_venues(r: random.Random, as_of: datetime) -> list[dict[str, Any]]:
    """Funding on one to three venues: any sign, rates from zero (as printed) to large, intervals of 1 to 8 hours
    (not always the same), open interest sometimes missing, sometimes two rates alike."""
    names = r.sample(["Binance", "Bybit", "OKX"], r.randint(1, 3))
    shared = r.uniform(-0.001, 0.001)
    out = []
    for name in names:
        rate = r.choice([0.0, shared, r.uniform(-0.003, 0.003), r.uniform(-0.0001, 0.0001), r.uniform(-2e-7, 2e-7)])
        venue: dict[str, Any] = {"venue": name, "rate": rate, "interval_hours": r.choice([8, 8, 8, 4, 1]),
                                 "source": _source(as_of)}
        if r.random() < 0.8:
            venue["open_interest_usd"] = 10 ** r.uniform(5, 11)
        if r.random() < 0.7:
            venue["next_funding_time"] = (as_of + timedelta(hours=r.randint(1, 8))).isoformat()
        out.append(venue)
    return out


def _rolling_day(r: random.Random, rows: list[tuple[float, ...]], step: timedelta, vol: float,
                 into: timedelta) -> tuple[dict[str, float], float]:
    """The ticker ``into`` the forming candle: (current, 24h high and low), and the price 24 hours before.

    The price has moved on from the last close; one time in four it jumps anywhere in (or a little past) the
    last candle's range, so it often stands on the other side of a level than the close did.
    """
    o, hi, lo, close = rows[-1][:4]
    if r.random() < 0.25:
        current = r.uniform(lo * (1 - vol), hi * (1 + vol))
    else:
        current = close * (1 + r.gauss(0, vol * max(0.3, (into / step) ** 0.5)))
    current = max(current, close * 1e-2)
    # The rolling 24 hours: part of the last closed candles (all of them on a daily chart's last one) and the
    # forming one, whose own path reaches a little beyond the two prices it joins.
    day = max(1, round(timedelta(days=1) / step)) if step < timedelta(days=1) else 1
    recent = rows[-day:]
    path_hi = max(current, close) * (1 + abs(r.gauss(0, vol / 4)))
    path_lo = min(current, close) * (1 - min(0.3, abs(r.gauss(0, vol / 4))))
    if step <= timedelta(days=1):
        high, low = max([path_hi, *(c[1] for c in recent)]), min([path_lo, *(c[2] for c in recent)])
        day_ago = recent[0][0] if step < timedelta(days=1) else r.uniform(min(o, close), max(o, close))
    else:  # a weekly chart: the day is a slice of the week, around the close and the price now
        high, low = path_hi, path_lo
        day_ago = r.uniform(min(current, close), max(current, close))
    return {"current": current, "high_24h": max(high, current, day_ago),
            "low_24h": min(low, current, day_ago)}, day_ago


def drafted(seed: int, timeframe: str, kind: str, intraday: bool = False) -> tuple[MarketSnapshot, FactSet, str]:
    """Market ``seed``, its facts and its template article, as generate drafts them."""
    from generator.analysis import analyze
    from generator.drafting import draft_article
    from generator.facts import build_facts
    from generator.settings import Settings

    snapshot = market(seed, timeframe, intraday=intraday)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return snapshot, facts, draft_article(snapshot, analysis, facts, Settings(), kind=kind).body
