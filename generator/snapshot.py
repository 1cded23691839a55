"""MarketSnapshot: the typed, JSON-serialisable record of one asset at one moment.

Every group of values carries a :class:`Provenance` (provider, URL, fetched_at,
as_of) so an article can say where each number came from. Validation rejects
values that cannot be true; a metric that no provider gave is ``None`` and is
listed in ``missing`` with the reason, never guessed.
"""

from __future__ import annotations

import json
import math
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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
    open: float = Field(gt=0)
    high: float = Field(gt=0)
    low: float = Field(gt=0)
    close: float = Field(gt=0)
    volume: float = Field(ge=0, description="Volume in units of the base asset.")

    @model_validator(mode="after")
    def _consistent(self) -> Candle:
        if self.high < self.low:
            raise ValueError(f"candle {self.time.isoformat()}: high {self.high} is below low {self.low}")
        if not (self.low <= self.open <= self.high and self.low <= self.close <= self.high):
            raise ValueError(f"candle {self.time.isoformat()}: open/close outside the high-low range")
        return self


class CandleSeries(_Model):
    """Closed candles of one timeframe, oldest first."""

    timeframe: str
    candles: list[Candle] = Field(min_length=1)
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

    current: float = Field(gt=0)
    change_24h_pct: float | None = Field(default=None, description="Percent, e.g. -16.43 for a 16.43% fall.")
    high_24h: float | None = Field(default=None, gt=0)
    low_24h: float | None = Field(default=None, gt=0)
    volume_24h: float | None = Field(default=None, ge=0, description="Base-asset units.")
    source: Provenance

    @model_validator(mode="after")
    def _range(self) -> Price:
        if self.high_24h is not None and self.low_24h is not None and self.high_24h < self.low_24h:
            raise ValueError(f"24h high {self.high_24h} is below 24h low {self.low_24h}")
        if self.change_24h_pct is not None and self.change_24h_pct <= -100:
            raise ValueError(f"24h change {self.change_24h_pct}% would make the price zero or negative")
        return self


class LiquidationScope(_Model):
    """Which venues liquidation totals cover; the article words it from this."""

    venues: list[str] = Field(min_length=1, description="Exchanges included, e.g. ['OKX'].")
    aggregated: bool = Field(description="True when the totals aggregate several major exchanges.")


class Liquidations(_Model):
    """Forced closures of leveraged futures positions, in USD.

    The 24h figures may be absent when the provider could not cover the whole
    window (OKX's public feed pages through recent orders only); ``missing``
    of the snapshot then says why. They are never extrapolated from the 1h ones.
    """

    total_1h_usd: float = Field(ge=0)
    long_1h_usd: float = Field(ge=0)
    short_1h_usd: float = Field(ge=0)
    total_24h_usd: float | None = Field(default=None, ge=0)
    long_24h_usd: float | None = Field(default=None, ge=0)
    short_24h_usd: float | None = Field(default=None, ge=0)
    scope: LiquidationScope
    source: Provenance

    @model_validator(mode="after")
    def _parts(self) -> Liquidations:
        day = (self.total_24h_usd, self.long_24h_usd, self.short_24h_usd)
        if any(v is None for v in day) and any(v is not None for v in day):
            raise ValueError("24h liquidations need total, long and short together (or none of them)")
        for window in ("1h", "24h"):
            total = getattr(self, f"total_{window}_usd")
            if total is None:
                continue
            parts = getattr(self, f"long_{window}_usd") + getattr(self, f"short_{window}_usd")
            if not math.isclose(parts, total, rel_tol=_PARTS_TOLERANCE, abs_tol=1.0):
                raise ValueError(
                    f"{window} long + short ({parts:.0f}) does not add up to the total ({total:.0f}): "
                    "long/short shares would fall outside 0..1"
                )
        if self.total_24h_usd is not None and self.total_1h_usd > self.total_24h_usd * (1 + _PARTS_TOLERANCE):
            raise ValueError("1h liquidations exceed the 24h total")
        return self

    def long_share(self, window: Literal["1h", "24h"]) -> float | None:
        """Share of the window's total that were long positions (0..1), None when the total is zero or absent."""
        total = getattr(self, f"total_{window}_usd")
        return getattr(self, f"long_{window}_usd") / total if total else None


class Funding(_Model):
    """Perpetual-swap funding rate for one interval."""

    rate: float = Field(ge=-0.05, le=0.05, description="Fraction per interval, e.g. 0.0001 = 0.01%.")
    interval_hours: float = Field(default=8, gt=0)
    venue: str
    source: Provenance


class OpenInterest(_Model):
    """Open interest of the perpetual contract, in USD."""

    usd: float = Field(gt=0)
    venue: str
    source: Provenance


class FearGreed(_Model):
    """The Crypto Fear & Greed Index."""

    value: int = Field(ge=0, le=100)
    classification: str = Field(min_length=1, description="The provider's label, e.g. 'Extreme Fear'.")
    source: Provenance


class PriceDisagreement(_Model):
    """Two providers' prices differ by more than the configured tolerance."""

    provider: str
    price: float = Field(gt=0)
    difference_pct: float


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
    missing: dict[str, str] = Field(default_factory=dict, description="Metric -> why no provider gave it.")
    disagreements: list[PriceDisagreement] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> MarketSnapshot:
        for key, series in self.candles.items():
            if key != series.timeframe:
                raise ValueError(f"candles[{key!r}] holds {series.timeframe} candles")
            last_close = series.candles[-1].time + TIMEFRAMES[key]
            if last_close > self.as_of + timedelta(minutes=1):
                raise ValueError(
                    f"{key} candle opening {series.candles[-1].time.isoformat()} had not closed at as_of "
                    f"{self.as_of.isoformat()}"
                )
        for name in ("price", "liquidations", "funding", "open_interest", "fear_greed"):
            group = getattr(self, name)
            if group is not None and group.source.as_of > self.as_of + timedelta(minutes=5):
                raise ValueError(f"{name} is dated {group.source.as_of.isoformat()}, after the snapshot's as_of")
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
        ):
            group = getattr(self, name)
            if group is not None:
                out.append((label, group.source))
        return out


def dump_snapshot(snapshot: MarketSnapshot) -> str:
    """Canonical JSON text; loading it back gives an equal snapshot and the same text."""
    return snapshot.model_dump_json(indent=2) + "\n"


def parse_snapshot(text: str, origin: str = "snapshot") -> MarketSnapshot:
    """Parse and validate snapshot JSON; raise InputError with one readable line on failure."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"{origin} is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})") from None
    if isinstance(data, dict):
        data.pop("analysis", None)  # snapshot.json outputs carry analysis results; inputs recompute them
    try:
        return MarketSnapshot.model_validate(data)
    except ValidationError as err:
        raise InputError(f"{origin} is not a valid snapshot: {describe_validation_error(err)}") from None


def load_snapshot(path: Path) -> MarketSnapshot:
    """Read a snapshot file (raises InputError for missing, unreadable or invalid files)."""
    try:
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
    where = ".".join(str(p) for p in first["loc"]) or "(top level)"
    msg = first["msg"].removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return f"{where}: {msg}{more}"


def snapshot_json_schema() -> dict[str, Any]:
    return MarketSnapshot.model_json_schema()
