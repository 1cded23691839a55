"""Illustrative intraday candles for tests: a real day's path, cut into 5-minute or hourly bars.

Not real market data. The day's open, high, low and close are real (the daily
Bittrex candles of tests/fixtures); the path between them is drawn the way
tests/sources/venues.py draws its 4h bars (open, first extreme, second extreme,
close), and the last hour can be bent to move by a chosen percent, still inside
the day's range.
"""

from __future__ import annotations

from datetime import timedelta

from generator.snapshot import TIMEFRAMES, Candle, CandleSeries, MarketSnapshot

HOUR = timedelta(hours=1)


def day_path(day: Candle, last_hour_pct: float | None = None) -> list[tuple[timedelta, float]]:
    """(offset into the day, price) points of a path through the day's open, extremes and close."""
    first, second = (day.high, day.low) if day.close < day.open else (day.low, day.high)
    points = [(timedelta(0), day.open), (timedelta(hours=6), first), (timedelta(hours=15), second),
              (timedelta(hours=24), day.close)]
    if last_hour_pct is not None:
        start = min(max(day.close / (1 + last_hour_pct / 100), day.low), day.high)
        points = [p for p in points if p[0] < timedelta(hours=23)] + [(timedelta(hours=23), start),
                                                                     (timedelta(hours=24), day.close)]
    return points


def _at(points: list[tuple[timedelta, float]], t: timedelta) -> float:
    for (t0, p0), (t1, p1) in zip(points, points[1:]):
        if t0 <= t <= t1:
            return p0 + (p1 - p0) * ((t - t0) / (t1 - t0))
    return points[-1][1]


def intraday(day: Candle, timeframe: str, last_hour_pct: float | None = None) -> list[Candle]:
    """The day as bars of ``timeframe`` (a divisor of an hour), following :func:`day_path`."""
    step = TIMEFRAMES[timeframe]
    points = day_path(day, last_hour_pct)
    bars, t = [], timedelta(0)
    while t < timedelta(days=1):
        inside = [_at(points, t), *(p for off, p in points if t < off < t + step), _at(points, t + step)]
        bars.append(Candle(time=day.time + t, open=inside[0], high=max(inside), low=min(inside), close=inside[-1],
                           volume=day.volume * (step / timedelta(days=1))))
        t += step
    return bars


def with_intraday(snapshot: MarketSnapshot, timeframe: str = "5m", last_hour_pct: float | None = None) -> MarketSnapshot:
    """``snapshot`` plus illustrative ``timeframe`` candles for the day of its last daily candle."""
    daily = snapshot.candles["1d"]
    day = daily.candles[-1]
    src = daily.source.model_copy(update={"note": "illustrative intraday bars through the real day's "
                                                  "open, high, low and close"})
    series = CandleSeries(timeframe=timeframe, candles=intraday(day, timeframe, last_hour_pct), source=src)
    return snapshot.model_copy(update={"candles": {**snapshot.candles, timeframe: series}})


def during_the_next_day(until: str, hours: float, with_derivatives: bool = True) -> MarketSnapshot:
    """The snapshot of ``until``'s close (tests/conftest.py ``make_snapshot``), taken ``hours`` into the next day.

    The candles stay the closed ones; the live price is where :func:`day_path` puts the next real day at that
    hour, and the 24-hour high, low and change are those of the rolling day along the two days' paths.
    """
    from tests.conftest import bittrex_candles, make_snapshot

    snapshot = make_snapshot(until, with_derivatives)
    day, nxt = bittrex_candles(until=until)[-1], bittrex_candles(until=(nxt_date := _next_date(until)))[-1]
    assert nxt.time.date().isoformat() == nxt_date, "the fixture has no next day"
    into = timedelta(hours=hours)
    now = _at(day_path(nxt), into)
    seen = [_at(day_path(day), t) for t in _steps(into, timedelta(days=1))] + \
        [_at(day_path(nxt), t) for t in _steps(timedelta(0), into)]
    as_of = nxt.time + into
    price = snapshot.price.model_copy(update={
        "current": now, "high_24h": max(seen), "low_24h": min(seen),
        "change_24h_pct": (now / _at(day_path(day), into) - 1) * 100,
        "source": snapshot.price.source.model_copy(update={"as_of": as_of, "fetched_at": as_of})})
    return snapshot.model_copy(update={"as_of": as_of, "price": price})


def _next_date(day: str) -> str:
    from datetime import date

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _steps(start: timedelta, end: timedelta, step: timedelta = timedelta(minutes=5)) -> list[timedelta]:
    out, t = [], start
    while t <= end:
        out.append(t)
        t += step
    return out
