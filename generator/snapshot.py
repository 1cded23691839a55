"""MarketSnapshot: the typed, JSON-serialisable record of one asset at one moment.

Every group of values carries a :class:`Provenance` (provider, URL, fetched_at,
as_of) so an article can say where each number came from. Validation rejects
values that cannot be true; a metric that no provider gave is ``None`` and is
listed in ``missing`` with the reason, never guessed.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)

from generator.errors import InputError

SCHEMA_VERSION: Literal[1] = 1

# Candle lengths the project understands; keys are the exchange-style names used everywhere.
TIMEFRAMES: dict[str, timedelta] = {
    "1m": timedelta(minutes=1),
    "5m": timedelta(minutes=5),
    "15m": timedelta(minutes=15),
    "30m": timedelta(minutes=30),
    "1h": timedelta(hours=1),
    "4h": timedelta(hours=4),
    "1d": timedelta(days=1),
    "1w": timedelta(weeks=1),
}

# Tolerance for long + short == total: providers round each part separately.
_PARTS_TOLERANCE = 0.005

# Plausibility bounds (docs/snapshot.md): far beyond anything a market has shown, yet close enough to refuse a
# typo, a unit error (cents, satoshis) or an overflow before it becomes a headline.
MIN_PRICE = 1e-12  # quote currency per unit; the smallest listed tokens trade near 1e-9
MAX_PRICE = 1e9
MAX_AMOUNT = 1e13  # USD (or quote currency): liquidations, open interest, the value traded in a candle or a day
MAX_CHANGE_PCT = 100_000.0  # a 24h rise of 1,000 times
MAX_FUNDING_RATE = 0.05  # per interval; the highest exchange caps are a few percent
MAX_FUNDING_INTERVAL_HOURS = 24.0
# The current price may stand this factor beyond the 24h high or low (feeds and providers disagree a little)...
PRICE_RANGE_FACTOR = 1.5
# ...and this factor beyond the last candle of the shortest timeframe (the market may move on after it closed).
CANDLE_RANGE_FACTOR = 10.0
# Clocks of providers and of this machine may differ a little; more than this is an error, not skew.
CLOCK_SKEW = timedelta(minutes=5)
# as_of may follow the last close by two candles (a live fetch just before the next close, a late provider)
# or a day, whichever is longer (an exchange that paused, short candles of an illiquid pair).
MIN_AS_OF_GAP = timedelta(days=1)


def _priced(value: float) -> float:
    """Refuse a price too small to be one (a typo, or a unit a trillion times too big)."""
    if value < MIN_PRICE:
        raise ValueError(f"{value:g} is below the smallest plausible price, {MIN_PRICE:g}")
    return value


# Numbers are JSON numbers: no true/false, no "6960", no Infinity or NaN (ints are fine where floats go).
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
PriceValue = Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=MAX_PRICE), AfterValidator(_priced)]
Amount = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=MAX_AMOUNT)]


class FieldProblem(ValueError):
    """A model validator's complaint about one of its fields, so the message can name the field's path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(_Model):
    """Where a group of values came from."""

    provider: str = Field(min_length=1, description="Provider name, e.g. 'binance' or 'illustrative'.")
    url: str | None = Field(default=None, description="Request URL (no secrets) or None for non-HTTP data.")
    fetched_at: AwareDatetime = Field(description="When marketnews received the data.")
    as_of: AwareDatetime = Field(description="The moment the data describes, per the provider.")
    note: str | None = Field(default=None, description="Free text, e.g. why a value is illustrative.")


class Candle(_Model):
    """One OHLCV bar; ``time`` is the bar's open time (UTC)."""

    time: AwareDatetime
    open: PriceValue
    high: PriceValue
    low: PriceValue
    close: PriceValue
    volume: Number = Field(ge=0, description="Volume in units of the base asset.")

    @model_validator(mode="after")
    def _consistent(self) -> Candle:
        if self.high < self.low:
            raise FieldProblem("high", f"candle {self.time.isoformat()}: high {self.high} is below low {self.low}")
        if not (self.low <= self.open <= self.high and self.low <= self.close <= self.high):
            raise FieldProblem("close", f"candle {self.time.isoformat()}: open/close outside the high-low range")
        _traded("volume", self.volume, self.close, f"candle {self.time.isoformat()}")
        return self


MAX_CANDLES = 5_000  # candles per timeframe in a snapshot
MAX_SNAPSHOT_BYTES = 20_000_000  # a snapshot file: 5,000 candles in each of several timeframes is ~5 MB


class CandleSeries(_Model):
    """Closed candles of one timeframe, oldest first."""

    timeframe: str
    # (the fetch asks for at most 1,000; a longer series is a mistake, and the analysis is linear in it)
    candles: list[Candle] = Field(min_length=1, max_length=MAX_CANDLES)
    source: Provenance

    @field_validator("timeframe")
    @classmethod
    def _known_timeframe(cls, value: str) -> str:
        if value not in TIMEFRAMES:
            raise ValueError(f"unknown timeframe {value!r}; expected one of {', '.join(TIMEFRAMES)}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> CandleSeries:
        step = TIMEFRAMES[self.timeframe]
        for prev, cur in zip(self.candles, self.candles[1:]):
            if cur.time <= prev.time:
                raise ValueError(
                    f"{self.timeframe} candles out of order: {cur.time.isoformat()} follows {prev.time.isoformat()}"
                )
            if (cur.time - prev.time) % step:
                raise ValueError(f"{self.timeframe} candle at {cur.time.isoformat()} is not on the {self.timeframe} grid")
        return self

    @property
    def closes(self) -> list[float]:
        return [c.close for c in self.candles]


class Price(_Model):
    """The 24h ticker."""

    current: PriceValue
    change_24h_pct: Number | None = Field(
        default=None, le=MAX_CHANGE_PCT, description="Percent, e.g. -16.43 for a 16.43% fall."
    )
    high_24h: PriceValue | None = None
    low_24h: PriceValue | None = None
    volume_24h: Number | None = Field(default=None, ge=0, description="Base-asset units.")
    source: Provenance

    @model_validator(mode="after")
    def _range(self) -> Price:
        high, low, now = self.high_24h, self.low_24h, self.current
        if high is not None and low is not None and high < low:
            raise FieldProblem("high_24h", f"24h high {high:g} is below 24h low {low:g}")
        if self.change_24h_pct is not None and self.change_24h_pct <= -100:
            raise FieldProblem(
                "change_24h_pct", f"24h change {self.change_24h_pct}% would make the price zero or negative"
            )
        if high is not None and now > high * PRICE_RANGE_FACTOR:
            raise FieldProblem("current", f"{now:g} is {now / high:.3g} times the 24h high {high:g}; more than "
                                          f"{PRICE_RANGE_FACTOR:g} times is refused (a unit or feed error?)")
        if low is not None and now < low / PRICE_RANGE_FACTOR:
            raise FieldProblem("current", f"{now:g} is {now / low:.3g} times the 24h low {low:g}; less than "
                                          f"1/{PRICE_RANGE_FACTOR:g} of it is refused (a unit or feed error?)")
        if self.volume_24h is not None:
            _traded("volume_24h", self.volume_24h, now, "24h volume")
        return self


class LiquidationScope(_Model):
    """Which venues liquidation totals cover; the article words it from this."""

    venues: list[str] = Field(min_length=1, description="Exchanges included, e.g. ['OKX'].")
    aggregated: bool = Field(strict=True, description="True when the totals aggregate several major exchanges.")


class Liquidations(_Model):
    """Forced closures of leveraged futures positions, in USD.

    The 24h figures may be absent when the provider could not cover the whole
    window (OKX's public feed pages through recent orders only); ``missing``
    of the snapshot then says why. They are never extrapolated from the 1h ones.
    """

    total_1h_usd: Amount
    long_1h_usd: Amount
    short_1h_usd: Amount
    total_24h_usd: Amount | None = None
    long_24h_usd: Amount | None = None
    short_24h_usd: Amount | None = None
    scope: LiquidationScope
    source: Provenance

    @model_validator(mode="after")
    def _parts(self) -> Liquidations:
        day = (self.total_24h_usd, self.long_24h_usd, self.short_24h_usd)
        if any(v is None for v in day) and any(v is not None for v in day):
            field = ("total_24h_usd", "long_24h_usd", "short_24h_usd")[[v is None for v in day].index(True)]
            raise FieldProblem(field, "24h liquidations need total, long and short together (or none of them)")
        for window in ("1h", "24h"):
            total = getattr(self, f"total_{window}_usd")
            if total is None:
                continue
            parts = getattr(self, f"long_{window}_usd") + getattr(self, f"short_{window}_usd")
            if not math.isclose(parts, total, rel_tol=_PARTS_TOLERANCE, abs_tol=1.0):
                raise FieldProblem(
                    f"total_{window}_usd",
                    f"{window} long + short ({parts:.0f}) does not add up to the total ({total:.0f}): "
                    "long/short shares would fall outside 0..1"
                )
        if self.total_24h_usd is not None and self.total_1h_usd > self.total_24h_usd * (1 + _PARTS_TOLERANCE):
            raise FieldProblem("total_1h_usd", "1h liquidations exceed the 24h total")
        return self

    def long_share(self, window: Literal["1h", "24h"]) -> float | None:
        """Share of the window's total that were long positions (0..1), None when the total is zero or absent."""
        total = getattr(self, f"total_{window}_usd")
        return getattr(self, f"long_{window}_usd") / total if total else None


class AlertBaseline(_Model):
    """The trailing hourly average of liquidations an alert fired on (generator/alerts/rules.py's Baseline), kept
    with the snapshot so the alert article can say by how much the hour exceeded it and over what period."""

    source: Literal["polls", "provider_24h"] = Field(description="Stored polls, or the provider's 24h total.")
    hourly_usd: Amount = Field(description="The trailing average 1h total, in USD.")
    hours: Number = Field(gt=0, le=24 * 366, description="How many hours the average covers.")
    polls: int = Field(default=0, ge=0, description="How many stored polls it is the mean of (0: provider_24h).")
    largest_days: Number | None = Field(
        default=None, gt=0, description="The hour's total is the largest of the stored polls over this many days.")


class Funding(_Model):
    """Perpetual-swap funding rate for one interval."""

    rate: Number = Field(
        ge=-MAX_FUNDING_RATE, le=MAX_FUNDING_RATE, description="Fraction per interval, e.g. 0.0001 = 0.01%."
    )
    interval_hours: Number = Field(default=8, gt=0, le=MAX_FUNDING_INTERVAL_HOURS)
    venue: str
    source: Provenance


class VenueFunding(_Model):
    """One futures venue's perpetual funding (every venue that answered: MarketSnapshot.funding_venues)."""

    venue: str = Field(min_length=1, description="Exchange as prose names it, e.g. 'Binance'.")
    rate: Number = Field(ge=-MAX_FUNDING_RATE, le=MAX_FUNDING_RATE, description="Fraction per interval.")
    interval_hours: Number = Field(gt=0, le=MAX_FUNDING_INTERVAL_HOURS)
    next_funding_time: AwareDatetime | None = Field(default=None, description="The next settlement, if given.")
    open_interest_usd: Amount | None = Field(default=None, gt=0, description="The venue's perpetual OI, if given.")
    source: Provenance


class OpenInterest(_Model):
    """Open interest of the perpetual contract, in USD."""

    usd: Amount = Field(gt=0)
    venue: str
    source: Provenance


class FearGreed(_Model):
    """The Crypto Fear & Greed Index."""

    value: int = Field(strict=True, ge=0, le=100)
    classification: str = Field(min_length=1, description="The provider's label, e.g. 'Extreme Fear'.")
    source: Provenance


class GlobalMarket(_Model):
    """The whole crypto market (CoinGecko /global): total capitalisation, its 24h change, Bitcoin's share."""

    total_market_cap_usd: Amount = Field(gt=0)
    market_cap_change_24h_pct: Number | None = Field(default=None, gt=-100, le=MAX_CHANGE_PCT)
    btc_dominance_pct: Number | None = Field(default=None, ge=0, le=100, description="Bitcoin's share, percent.")
    source: Provenance


class PeerMove(_Model):
    """One peer's price and 24h change, as the peers' shared request gave them."""

    asset: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    price: Amount = Field(gt=0)
    change_24h_pct: Number = Field(gt=-100, le=MAX_CHANGE_PCT)


class Peers(_Model):
    """The 24h moves of the assets an article compares its own with (one request for all of them)."""

    moves: list[PeerMove] = Field(min_length=1)
    source: Provenance  # as_of: the oldest of the moves

    @model_validator(mode="after")
    def _each_once(self) -> Peers:
        names = [m.asset for m in self.moves]
        if len(set(names)) != len(names):
            raise FieldProblem("peers.moves", "a peer is listed twice")
        return self


MAX_OPTION_CONTRACTS = 5_000  # Deribit lists under 1,000 BTC options; more is a mistake (max pain is quadratic)


class OptionContract(_Model):
    """One listed option: expiry, strike, call or put, and open interest in coins of the underlying."""

    instrument: str = Field(min_length=1, description="The venue's name, e.g. 'BTC-29JUN18-7000-C'.")
    expiry: AwareDatetime = Field(description="When it expires (Deribit: 08:00 UTC).")
    strike: PriceValue = Field(description="Strike price in USD.")
    kind: Literal["call", "put"]
    open_interest: Amount = Field(description="Open interest in coins (a Deribit contract is one coin).")


class OptionsBook(_Model):
    """Every listed option of the asset on one venue: raw data; generator/analysis/options.py reads it."""

    venue: str = Field(min_length=1, description="Exchange, e.g. 'Deribit'.")
    index_price: PriceValue = Field(description="The venue's index price (USD) that values the open interest.")
    contracts: list[OptionContract] = Field(min_length=1, max_length=MAX_OPTION_CONTRACTS)
    source: Provenance

    @model_validator(mode="after")
    def _distinct(self) -> OptionsBook:
        names = [c.instrument for c in self.contracts]
        if len(set(names)) != len(names):
            raise FieldProblem("contracts", f"option {next(n for n in names if names.count(n) > 1)} is listed twice")
        return self


class PriceDisagreement(_Model):
    """Two providers' prices differ by more than the configured tolerance."""

    provider: str
    price: PriceValue
    difference_pct: Number = Field(gt=-100)


class MarketSnapshot(_Model):
    """One asset at one moment: what the article may say, and where each value came from."""

    schema_version: Literal[1] = SCHEMA_VERSION
    asset: str = Field(pattern=r"^[A-Z0-9]{2,12}$", description="Ticker of the asset, e.g. 'BTC'.")
    asset_name: str | None = Field(default=None, description="Display name, e.g. 'Bitcoin'.")
    quote: str = Field(pattern=r"^[A-Z0-9]{2,12}$", description="Quote currency, e.g. 'USDT'.")
    as_of: AwareDatetime
    price: Price
    candles: dict[str, CandleSeries] = Field(min_length=1)
    liquidations: Liquidations | None = None
    funding: Funding | None = None
    open_interest: OpenInterest | None = None
    fear_greed: FearGreed | None = None
    options: OptionsBook | None = None
    market: GlobalMarket | None = None
    peers: Peers | None = None  # the 24h moves of the assets the article compares its own with
    # Funding on every futures venue that answered (funding above is the first of the chain); None: not fetched.
    funding_venues: list[VenueFunding] | None = Field(default=None, min_length=1)
    alert_baseline: AlertBaseline | None = None  # set by the alert watcher: what the alert fired on
    missing: dict[str, str] = Field(default_factory=dict, description="Metric -> why no provider gave it.")
    disagreements: list[PriceDisagreement] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _without_absent_groups(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in ("options", "market", "peers", "funding_venues", "alert_baseline"):  # without them a snapshot reads as before they existed
            if data.get(key) is None:
                data.pop(key, None)
        return data

    @model_validator(mode="after")
    def _coherent(self) -> MarketSnapshot:
        now = datetime.now(timezone.utc)
        if self.as_of > now + CLOCK_SKEW:
            raise FieldProblem("as_of", f"{self.as_of.isoformat()} is in the future (it is now {now:%Y-%m-%d %H:%M} UTC)")
        for key, series in self.candles.items():
            if key != series.timeframe:
                raise FieldProblem(f"candles.{key}.timeframe", f"candles[{key!r}] holds {series.timeframe} candles")
            _after_the_candles(self.as_of, series)
        for name in ("price", "liquidations", "funding", "open_interest", "fear_greed", "options", "market", "peers"):
            group = getattr(self, name)
            if group is not None and group.source.as_of > self.as_of + CLOCK_SKEW:
                raise FieldProblem(
                    f"{name}.source.as_of", f"{name} is dated {group.source.as_of.isoformat()}, after the snapshot's as_of"
                )
        for i, v in enumerate(self.funding_venues or []):
            if v.source.as_of > self.as_of + CLOCK_SKEW:
                raise FieldProblem(f"funding_venues.{i}.source.as_of", f"{v.venue} funding is dated after the snapshot")
        names = [v.venue for v in self.funding_venues or []]
        if len(set(names)) != len(names):
            raise FieldProblem("funding_venues", f"venue {next(n for n in names if names.count(n) > 1)} is listed twice")
        _near_the_candles(self.price.current, self.candles)
        return self

    def series(self, timeframe: str) -> CandleSeries | None:
        return self.candles.get(timeframe)

    def sources(self) -> list[tuple[str, Provenance]]:
        """(what, provenance) for every group present, in article order."""
        out: list[tuple[str, Provenance]] = [("price", self.price.source)]
        out += [(f"{tf} candles", s.source) for tf, s in self.candles.items()]
        for name, label in (
            ("liquidations", "liquidations"),
            ("funding", "funding rate"),
            ("open_interest", "open interest"),
            ("fear_greed", "Fear & Greed Index"),
            ("options", "options open interest"),
            ("market", "crypto market capitalisation"),
            ("peers", "peer prices"),
        ):
            group = getattr(self, name)
            if group is not None:
                out.append((label, group.source))
        out += [(f"funding rate on {v.venue}", v.source) for v in self.funding_venues or []]
        return out


def _traded(field: str, volume: float, price: float, what: str) -> None:
    """Refuse a volume whose value (volume × price) is beyond MAX_AMOUNT: an overflow, not a market."""
    if volume * price > MAX_AMOUNT:
        raise FieldProblem(field, f"{what}: {volume:g} units at {price:g} is {volume * price:.3g} traded, "
                                  f"more than the plausible {MAX_AMOUNT:g}")


def _after_the_candles(as_of: datetime, series: CandleSeries) -> None:
    """as_of must follow the close of the last (closed) candle, by at most two candles or a day."""
    step = TIMEFRAMES[series.timeframe]
    last = series.candles[-1].time
    if last + step > as_of + timedelta(minutes=1):
        raise FieldProblem("as_of", f"the last {series.timeframe} candle (opening {last.isoformat()}) had not closed "
                                    f"at {as_of.isoformat()}; a snapshot holds closed candles only")
    allowed = max(2 * step, MIN_AS_OF_GAP)
    gap = as_of - (last + step)
    if gap > allowed:
        raise FieldProblem("as_of", f"{as_of.isoformat()} is {_span(gap)} after the last {series.timeframe} candle "
                                    f"closed ({(last + step).isoformat()}); at most {_span(allowed)} allowed")


def _near_the_candles(current: float, candles: dict[str, CandleSeries]) -> None:
    """The current price within CANDLE_RANGE_FACTOR of the last candle of the shortest timeframe."""
    key = min(candles, key=lambda tf: TIMEFRAMES[tf])
    last = candles[key].candles[-1]
    if current > last.high * CANDLE_RANGE_FACTOR or current < last.low / CANDLE_RANGE_FACTOR:
        raise FieldProblem("price.current", f"{current:g} is more than {CANDLE_RANGE_FACTOR:g} times beyond the "
                                            f"last {key} candle's range {last.low:g}-{last.high:g} "
                                            "(a unit or feed error?)")


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 72:
        return f"{hours:.4g} hours"  # 48.02 hours against 48 allowed: the difference shows
    return f"{hours / 24:,.0f} days"


def dump_snapshot(snapshot: MarketSnapshot) -> str:
    """Canonical JSON text; loading it back gives an equal snapshot and the same text."""
    return snapshot.model_dump_json(indent=2) + "\n"


def parse_snapshot(text: str, origin: str = "snapshot") -> MarketSnapshot:
    """Parse and validate snapshot JSON; raise InputError with one readable line on failure."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{origin} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    except RecursionError:  # json reads nested arrays and objects recursively; a snapshot nests five levels deep
        raise InputError(f"{origin} is not a valid snapshot: nested too deeply to read") from None
    if isinstance(data, dict):
        data.pop("analysis", None)  # snapshot.json outputs carry analysis results; inputs recompute them
    try:
        return MarketSnapshot.model_validate(data)
    except ValidationError as err:
        raise InputError(f"{origin} is not a valid snapshot: {describe_validation_error(err)}") from None


def load_snapshot(path: Path) -> MarketSnapshot:
    """Read a snapshot file (raises InputError for missing, unreadable or invalid files)."""
    try:
        size = path.stat().st_size
        if size > MAX_SNAPSHOT_BYTES:  # refused before it is read
            raise InputError(f"snapshot {path} is {size:,} bytes; a snapshot file may hold at most "
                             f"{MAX_SNAPSHOT_BYTES:,} (and {MAX_CANDLES:,} candles per timeframe)")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"snapshot file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read snapshot {path}: {err}") from None
    return parse_snapshot(text, origin=str(path))


def describe_validation_error(err: ValidationError) -> str:
    """First validation problem as 'field.path: message', plus a count of the others."""
    errors = err.errors()
    first = errors[0]
    loc = [str(p) for p in first["loc"]]
    problem = (first.get("ctx") or {}).get("error")
    if isinstance(problem, FieldProblem):
        loc.append(problem.field)
    where = ".".join(loc) or "(top level)"
    msg = first["msg"].removeprefix("Value error, ")
    if first["type"] in _SHOW_INPUT:
        msg += f" (got {_shown(first['input'])})"
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where}: {msg}{more}"


# Error types whose message does not say what was given; the value shown makes it plain (true, "6960", 1e+30).
_SHOW_INPUT = frozenset({
    "float_type", "int_type", "bool_type", "finite_number", "greater_than", "greater_than_equal", "less_than",
    "less_than_equal", "int_from_float", "string_type",
})


def _shown(value: object) -> str:
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    if isinstance(value, (bool, int, float, str)) or value is None:
        text = json.dumps(value)  # as JSON writes it: true, "6960", Infinity, NaN
        return text if len(text) <= 40 else text[:37] + "..."
    return type(value).__name__


def snapshot_json_schema() -> dict[str, Any]:
    return MarketSnapshot.model_json_schema()
