"""Result models of the analysis stage; each says which timeframe and candles it used."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CandleWindow(_Result):
    """The candles a result was computed from."""

    timeframe: str
    count: int
    first: AwareDatetime
    last: AwareDatetime


class RSIResult(_Result):
    """Relative Strength Index (Wilder) of the latest closed candle."""

    period: int
    value: float
    window: CandleWindow


class Move(_Result):
    """A price move between two swing extremes."""

    direction: Literal["up", "down"]
    low: float
    low_time: AwareDatetime
    high: float
    high_time: AwareDatetime

    @property
    def start_time(self) -> AwareDatetime:
        return self.low_time if self.direction == "up" else self.high_time

    @property
    def end_time(self) -> AwareDatetime:
        return self.high_time if self.direction == "up" else self.low_time


class FibLevel(_Result):
    ratio: float
    price: float


class FibResult(_Result):
    """Fibonacci retracement levels of the latest major move."""

    move: Move
    levels: list[FibLevel]
    window: CandleWindow

    def level(self, ratio: float) -> FibLevel | None:
        return next((lv for lv in self.levels if abs(lv.ratio - ratio) < 1e-9), None)


class Swing(_Result):
    """A confirmed swing point (pivot) of the candle series."""

    kind: Literal["high", "low"]
    price: float
    time: AwareDatetime


class LevelBreak(_Result):
    """The latest close crossed a level the previous close was on the other side of."""

    kind: Literal["support", "resistance"]
    level: float
    level_time: AwareDatetime
    previous_close: float
    close: float
    time: AwareDatetime


class LevelsResult(_Result):
    """Support and resistance from swing points, relative to the current price; the break is the latest close's."""

    close: float
    price: float  # the price the levels are placed against: the live price, or the latest close
    supports: list[Swing]  # below the price, nearest first
    resistances: list[Swing]  # above the price, nearest first
    # Between the latest close and the price: crossed since that close, so neither support nor resistance yet.
    crossed: list[Swing] = []  # nearest the price first
    broken: LevelBreak | None
    window: CandleWindow

    @property
    def crossed_direction(self) -> Literal["down", "up"] | None:
        """Which way the price crossed the levels since the close (None: it crossed none)."""
        if not self.crossed:
            return None
        return "down" if self.price < self.close else "up"

    @property
    def nearest_support(self) -> Swing | None:
        return self.supports[0] if self.supports else None

    @property
    def nearest_resistance(self) -> Swing | None:
        return self.resistances[0] if self.resistances else None


class FairValueGap(_Result):
    """A three-candle imbalance not yet filled; ``low``/``high`` bound the still-open part."""

    direction: Literal["bullish", "bearish"]
    low: float
    high: float
    original_low: float
    original_high: float
    time: AwareDatetime  # open time of the middle candle


class FVGResult(_Result):
    gaps: list[FairValueGap]  # unfilled, newest first
    window: CandleWindow


class ChangeResult(_Result):
    """Percent change between two closes ``hours`` apart; ``end`` is when the later candle closed."""

    pct: float
    from_price: float
    to_price: float
    window: CandleWindow
    hours: float = 24.0
    end: AwareDatetime | None = None


class Analysis(_Result):
    """Everything the analysis stage found for one snapshot."""

    timeframe: str  # the timeframe levels, Fibonacci and gaps were computed on
    rsi: dict[str, RSIResult]
    fib: FibResult | None
    levels: LevelsResult | None
    fvg: FVGResult | None
    change_24h: ChangeResult | None
    change_1h: ChangeResult | None = None  # from the finest candles that divide an hour (alerts fetch 5m ones)
