"""What every provider module shares: its description as data, the fetch context, and parsing helpers.

A provider module declares a :class:`ProviderInfo` (which metrics it gives,
its timeframe names, candle limits, default symbols) and one ``fetch_<metric>``
function per metric. Shared code reads the data; it never branches on a
provider's name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from generator.errors import ProviderError
from generator.snapshot import TIMEFRAMES, Candle, Provenance


@dataclass(frozen=True)
class RateLimit:
    """At most ``requests`` per ``seconds`` (a token bucket: that many at once, then the rate). ``path``: only
    that endpoint's requests count (providers that limit per endpoint); None: every request to the provider."""

    requests: int
    seconds: float
    path: str | None = None


@dataclass(frozen=True)
class ProviderInfo:
    """A provider's capabilities and limits, as data."""

    id: str
    name: str
    metrics: tuple[str, ...]
    docs: str
    symbols: Mapping[str, str] = field(default_factory=dict)  # asset -> the provider's symbol
    quote: str | None = None  # quote currency of the default symbols
    timeframes: Mapping[str, str | int] = field(default_factory=dict)  # our timeframe -> the provider's name
    max_candles: int | None = None  # per request
    includes_open_candle: bool = False  # the newest row is the still-open candle
    needs_key: str | None = None  # settings field of a required API key
    optional_key: str | None = None  # settings field of an optional API key
    key_header: str | None = None  # where the key goes
    # Limits as documented by the provider, shared by every asset of a run (generator.sources.http.RateLimiter).
    rate_limits: tuple[RateLimit, ...] = ()
    max_concurrent: int = 8  # requests in flight at once
    batch_size: int | None = None  # symbols one request may ask for together (None: one symbol per request)


@dataclass(frozen=True)
class FetchContext:
    """What a fetch function may know besides its client: the moment, the symbol and the run's parameters."""

    asset: str
    symbol: str
    now: datetime
    candle_count: int = 200
    okx_max_pages: int = 20
    batch: tuple[str, ...] = ()  # symbols asked for together in one request (providers with batch_size)
    history_days: int = 0  # daily candles wanted for the history facts (FetchPlan.history_days)
    # The peers' (ticker, this provider's symbol) pairs whose 24h moves the article compares (FetchPlan.peers).
    peers: tuple[tuple[str, str], ...] = ()

    def count(self, timeframe: str) -> int:
        """Closed candles wanted of ``timeframe``: the daily ones reach back history_days, others candle_count."""
        return max(self.candle_count, self.history_days) if timeframe == "1d" else self.candle_count


@dataclass(frozen=True)
class Fetched:
    """A fetch result: the snapshot group, plus parts of it no provider could give (metric -> reason)."""

    value: Any
    missing: dict[str, str] = field(default_factory=dict)


# --- parsing helpers ---------------------------------------------------------


def number(value: object, what: str) -> float:
    """A finite float from a JSON number or numeric string; ProviderError naming ``what`` otherwise."""
    if isinstance(value, bool) or value is None or value == "":
        raise ProviderError(f"{what} is missing")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ProviderError(f"{what} is not a number ({str(value)[:40]!r})") from None
    if not math.isfinite(out):
        raise ProviderError(f"{what} is not finite ({value!r})")
    return out


def from_ms(value: object, what: str) -> datetime:
    return _from_epoch(number(value, what) / 1000, what)


def from_s(value: object, what: str) -> datetime:
    return _from_epoch(number(value, what), what)


def _from_epoch(seconds: float, what: str) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise ProviderError(f"{what} is not a valid timestamp ({seconds!r})") from None


def from_iso(value: object, what: str) -> datetime:
    if not isinstance(value, str):
        raise ProviderError(f"{what} is missing")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ProviderError(f"{what} is not an ISO 8601 time ({value[:40]!r})") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def field_of(data: object, key: str, what: str) -> Any:
    """``data[key]`` of a JSON object, with a readable error when the shape is wrong."""
    if not isinstance(data, dict):
        raise ProviderError(f"unexpected response shape: {what} is not an object")
    if key not in data:
        raise ProviderError(f"unexpected response shape: {what} has no {key!r}")
    return data[key]


def non_empty_list(data: object, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise ProviderError(f"unexpected response shape: {what} is not a list")
    if not data:
        raise ProviderError(f"empty data: {what} is empty")
    return data


def closed_candles(
    rows: Iterable[tuple[datetime, float, float, float, float, float]], timeframe: str, now: datetime, count: int
) -> list[Candle]:
    """The newest ``count`` candles that had closed by ``now``, oldest first, one per open time.

    Providers differ on whether they return the still-open candle; checking the
    close time against ``now`` drops it whichever way they do it.
    """
    step = TIMEFRAMES[timeframe]
    by_time: dict[datetime, Candle] = {}
    for time, o, h, low, c, v in rows:
        if time + step <= now:
            try:
                by_time[time] = Candle(time=time, open=o, high=h, low=low, close=c, volume=v)
            except ValueError as err:  # pydantic ValidationError is a ValueError
                raise ProviderError(f"absurd candle at {time.isoformat()}: {_first_error(err)}") from None
    candles = [by_time[t] for t in sorted(by_time)]
    if not candles:
        raise ProviderError(f"empty data: no closed {timeframe} candles")
    return candles[-count:]


def check_row(row: object, length: int, what: str) -> list[Any]:
    """A candle row as a list of at least ``length`` fields."""
    if not isinstance(row, list) or len(row) < length:
        raise ProviderError(f"unexpected response shape: {what} is not a list of {length} fields")
    return row


def candle_series(provider: str, url: str, date: datetime | None, timeframe: str,
                  rows: Iterable[tuple[datetime, float, float, float, float, float]], ctx: FetchContext) -> Fetched:
    """A CandleSeries of the closed candles among ``rows``, dated at the close of the newest one."""
    from generator.snapshot import CandleSeries

    candles = closed_candles(rows, timeframe, ctx.now, ctx.count(timeframe))
    src = provenance(provider, url, date or ctx.now, candles[-1].time + TIMEFRAMES[timeframe])
    return Fetched(build(CandleSeries, f"{timeframe} candles", timeframe=timeframe, candles=candles, source=src))


def candles_to_request(count: int, info: ProviderInfo) -> int:
    """How many rows to ask for so that ``count`` closed ones remain, within the provider's limit."""
    wanted = count + (1 if info.includes_open_candle else 0)
    return min(wanted, info.max_candles) if info.max_candles else wanted


def provenance(provider: str, url: str, fetched_at: datetime, as_of: datetime, note: str | None = None) -> Provenance:
    return Provenance(provider=provider, url=url, fetched_at=fetched_at, as_of=as_of, note=note)


def span(timeframe: str, count: int) -> timedelta:
    """The time ``count`` candles of ``timeframe`` cover."""
    return TIMEFRAMES[timeframe] * count


def _first_error(err: Exception) -> str:
    from pydantic import ValidationError

    from generator.snapshot import describe_validation_error

    if isinstance(err, ValidationError):
        return describe_validation_error(err)
    return str(err)


def build(model: Callable[..., Any], what: str, **values: Any) -> Any:
    """Construct a snapshot model; a value the model rejects becomes a ProviderError ('absurd value')."""
    from pydantic import ValidationError

    from generator.snapshot import describe_validation_error

    try:
        return model(**values)
    except ValidationError as err:
        raise ProviderError(f"absurd value in {what}: {describe_validation_error(err)}") from None
