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


class AverageMove(_Result):
    """The mean absolute close-to-close change over ``count`` windows of ``hours`` before the latest one: the
    asset's own recent volatility, the baseline a move is measured against ("3.1 times its average daily move")."""

    pct: float
    count: int
    hours: float
    window: CandleWindow


# --- the daily history (analysis/history.py) ---


class RecordClose(_Result):
    """The latest close is the lowest (highest) since ``since``: the latest earlier close at or beyond it."""

    side: Literal["low", "high"]
    close: float
    time: AwareDatetime
    since: AwareDatetime | None  # None: no earlier close in the data was at or beyond it
    days: int  # days from ``since`` (or the series' start) to the latest close


class LargestMove(_Result):
    """The latest one-day move is the largest drop (gain) since ``since``: the latest earlier one at least as large."""

    way: Literal["drop", "gain"]
    pct: float
    time: AwareDatetime
    since: AwareDatetime | None  # the day of that earlier move; None: the largest in the data
    days: int


class FirstCross(_Result):
    """The latest close is the first below (above) the round ``level`` since ``since``, the latest earlier close
    beyond it; the close before the latest was on the other side."""

    way: Literal["below", "above"]
    level: float
    time: AwareDatetime
    since: AwareDatetime | None  # None: no earlier close in the data was beyond it
    days: int


class Streak(_Result):
    """Consecutive closes in one direction, ending with the latest close."""

    way: Literal["down", "up"]
    length: int  # closes, each lower (higher) than the one before
    start: AwareDatetime  # the day of the streak's first such close
    # The latest earlier streak that way at least as long: its last day and its length (None: none in the data).
    longer_since: AwareDatetime | None
    longer_length: int | None
    days: int  # days from ``longer_since`` (or the series' start) to the latest close


class TrailingChange(_Result):
    days: int
    pct: float
    start: AwareDatetime  # the day of the close it is measured from


class SeriesHigh(_Result):
    """The highest close of the series and the latest close's distance from it (zero or below)."""

    high: float
    time: AwareDatetime
    pct: float


class History(_Result):
    """What the daily history says about the latest close; each part is None where the candles do not show it."""

    window: CandleWindow
    start: AwareDatetime  # the first candle: every "since" and "in the data" is bounded by it
    close: float
    time: AwareDatetime
    record_low: RecordClose | None
    record_high: RecordClose | None
    largest_move: LargestMove | None
    first_cross: FirstCross | None
    streak: Streak | None
    trailing: list[TrailingChange]
    series_high: SeriesHigh


class OptionsExpiry(_Result):
    """The options expiry an article reports (analysis/options.py): the nearest one holding enough open interest."""

    expiry: AwareDatetime
    max_pain: float  # the strike at which option holders' total payout is lowest (USD)
    put_call_ratio: float | None  # put over call open interest of the expiry; None without calls
    expiry_open_interest: float  # coins
    expiry_notional_usd: float  # the expiry's open interest at the index price: the notional expiring
    total_open_interest: float  # coins, every live expiry
    total_notional_usd: float
    share_pct: float  # the expiry's share of all open interest
    contracts: int
    index_price: float


class VenueRate(_Result):
    """One venue's funding, also per the common interval (analysis/funding.py)."""

    venue: str
    rate_pct: float  # per the venue's own interval, percent
    interval_hours: float
    rate_per_common_pct: float  # per FundingAcross.per_hours, percent
    open_interest_usd: float | None


class FundingAcross(_Result):
    """Funding across the venues that answered: their rates per one interval, the open-interest-weighted average
    (None unless every venue gave its open interest), who is highest, lowest and the outlier, and the signs."""

    per_hours: float  # the interval every rate is normalised to
    venues: list[VenueRate]
    average_pct: float | None  # open-interest-weighted, per per_hours; None: average_left_out says why
    average_left_out: str | None = None
    highest: str | None  # None on a tie (as printed) or with one venue
    lowest: str | None
    farthest: str | None  # the venue farthest from the average (None without an average, or on a tie)
    farthest_gap_pct: float | None  # its distance from the average, percentage points per per_hours
    outlier: str | None  # the farthest venue when its gap exceeds outlier_pp; None otherwise
    outlier_pp: float  # the threshold it was judged by
    positive: int
    negative: int
    zero: int


class Analysis(_Result):
    """Everything the analysis stage found for one snapshot."""

    timeframe: str  # the timeframe levels, Fibonacci and gaps were computed on
    rsi: dict[str, RSIResult]
    fib: FibResult | None
    levels: LevelsResult | None
    fvg: FVGResult | None
    change_24h: ChangeResult | None
    change_1h: ChangeResult | None = None  # from the finest candles that divide an hour (alerts fetch 5m ones)
    history: History | None = None  # from the daily candles (analysis/history.py); None without them
    options: OptionsExpiry | None = None  # from the options book (analysis/options.py); None without one
    funding_venues: FundingAcross | None = None  # from funding on every venue (analysis/funding.py); None without

    # The baselines of the 24h and the 1h move (change.average_move); None when the candles do not reach back.
    average_move_24h: AverageMove | None = None
    average_move_1h: AverageMove | None = None
