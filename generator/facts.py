"""Facts: the one vocabulary templates, the LLM stage and the fact-check share.

A fact has a stable key (``liquidations.total_1h_usd``), a value, a unit, a
label and its canonical display text. All number formatting in marketnews
happens in this module: anything else that prints a number asks a fact for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.analysis.models import Analysis, OptionsExpiry
from generator.fact_catalogue import FactMeaning, meaning_of
from generator.fact_invariants import check_invariants
from generator.snapshot import TIMEFRAMES, CandleSeries, MarketSnapshot, Provenance

Unit = Literal["usd", "percent", "index", "ratio", "count", "date", "datetime", "hours", "text"]

# Bands shared by the templates (mood words) and the fact-check (which checks those words).
RSI_OVERSOLD = 30.0
RSI_OVERBOUGHT = 70.0
# alternative.me's published classification bands, inclusive upper bounds.
FEAR_GREED_BANDS: tuple[tuple[int, str], ...] = (
    (25, "Extreme Fear"),
    (46, "Fear"),
    (54, "Neutral"),
    (75, "Greed"),
    (100, "Extreme Greed"),
)
FIB_RATIO_TEXT = {0.236: "0.236", 0.382: "0.382", 0.5: "0.5", 0.618: "0.618", 0.786: "0.786"}

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


# --- formatting -----------------------------------------------------------


# Exchanges quote funding to four decimals of a percent (0.0100%); a rate below that prints as 0.0000%.
FUNDING_DECIMALS = 4


def format_usd(value: float) -> str:
    """'$60,704', '$142.35', '$0.5123', '$431 million', '$2.51 billion' (3 significant digits from a million)."""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for scale, word in _SCALES:
        if v >= scale * 0.9995:
            scaled = _round_sig(v / scale, 3)
            if scaled >= 1000 and word != "trillion":
                continue  # 999.96 million rounds up into the next scale
            return f"{sign}${_trim(scaled, 3)} {word}"
    if v >= 1000:
        return f"{sign}${v:,.0f}"
    if v >= 1:
        return f"{sign}${v:,.2f}"
    if v == 0:
        return "$0"
    return f"{sign}${_round_sig(v, 4):.{_decimals_for_sig(v, 4)}f}"


def format_amount(value: float, scaled: bool, whole: bool) -> str:
    """An amount in its kind's precision: '$0.62 million' when the kind needs a scale word, '$142' when whole dollars."""
    v = abs(value)
    if scaled and 0 < v < 1e6 * 0.9995:  # two significant digits of a million, at least to the hundredth
        scaled_v = _round_sig(v / 1e6, 2)
        decimals = max(2, _decimals_for_sig(scaled_v, 2))
        text = f"{scaled_v:.{decimals}f}"
        text = text[: text.index(".") + 3] + text[text.index(".") + 3:].rstrip("0")
        return f"{'-' if value < 0 else ''}${text} million"
    if whole and 1 <= v < 1000:
        return f"{'-' if value < 0 else ''}${v:,.0f}"
    return format_usd(value)


def even_amounts(facts: dict[str, Fact]) -> dict[str, Fact]:
    """One precision rule per kind of amount in an article (docs/factcheck.md, "One precision per kind").

    Once the largest amount of a kind needs a scale word, every amount of that kind has one ("$0.62 million" beside
    "$2.89 million", never "$619,603"); once it is in whole dollars, none shows cents ("$142" beside "$6,210").
    """
    largest: dict[str, float] = {}
    for f in facts.values():
        if f.meaning.amount and isinstance(f.value, float | int):
            largest[f.meaning.amount] = max(largest.get(f.meaning.amount, 0.0), abs(float(f.value)))
    out = dict(facts)
    for key, f in facts.items():
        if (kind := f.meaning.amount) is None or not isinstance(f.value, float | int):
            continue
        scaled, whole = largest[kind] >= 1e6 * 0.9995, largest[kind] >= 999.995
        v = float(f.value)
        out[key] = f.model_copy(update={"display": format_amount(v, scaled, whole),
                                        "display_abs": format_amount(abs(v), scaled, whole)})
    return out


def format_percent(value: float, decimals: int = 2) -> str:
    """'16.43%', '-0.0375%'; never '-0.00%'."""
    text = f"{value:.{decimals}f}"
    if float(text) == 0:
        text = f"{0:.{decimals}f}"
    return f"{text}%"


def format_number(value: float, decimals: int = 0) -> str:
    """'22', '1,250', '0.5'."""
    text = f"{value:,.{decimals}f}"
    return "0" if float(text.replace(",", "")) == 0 and decimals == 0 else text


def format_hours(value: float) -> str:
    """'1 hour', '4 hours', '1 day', '90 days', '1 week', '90 seconds' (a duration given in hours)."""
    for size, word in ((8760.0, "year"), (730.0, "month"), (168.0, "week"), (24.0, "day"), (1.0, "hour"),
                       (1 / 60, "minute"), (1 / 3600, "second")):
        count = value / size
        if value >= size and abs(count - round(count)) < 1e-9:
            n = round(count)
            return f"{n} {word}" + ("s" if n != 1 else "")
    return f"{value:g} hours"


def format_index(value: float) -> str:
    """'9/100'."""
    return f"{round(value)}/100"


def format_ratio(value: float) -> str:
    """'0.618', '0.5'."""
    return FIB_RATIO_TEXT.get(value, f"{value:g}")


def format_times(value: float) -> str:
    """'4.6 to 1'."""
    return f"{value:.1f} to 1"


def format_date(value: date | datetime) -> str:
    """'February 6, 2018'."""
    return f"{value:%B} {value.day}, {value.year}"


def format_datetime(value: datetime) -> str:
    """'February 6, 2018, 00:00 UTC' (always shown in UTC)."""
    from datetime import timezone

    utc = value.astimezone(timezone.utc)
    return f"{format_date(utc)}, {utc:%H:%M} UTC"


def format_time(value: datetime) -> str:
    """'09:05 UTC' (the time of day only, in UTC)."""
    from datetime import timezone

    return f"{value.astimezone(timezone.utc):%H:%M} UTC"


def _round_sig(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _decimals_for_sig(value: float, digits: int) -> int:
    return max(0, digits - 1 - math.floor(math.log10(abs(value))))


def _trim(value: float, digits: int) -> str:
    """Up to ``digits`` significant digits without trailing zeros: 6.9, 73, 2.51."""
    decimals = _decimals_for_sig(value, digits)
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money_precision(display: str) -> float:
    """Half a unit in the last place shown, in dollars ('$431 million' -> 500,000)."""
    body = display.lstrip("-$")
    scale = 1.0
    for factor, word in _SCALES:
        if body.endswith(word):
            body, scale = body[: -len(word)].strip(), factor
    decimals = len(body.split(".")[1]) if "." in body else 0
    return 0.5 * 10**-decimals * scale


# --- the facts ------------------------------------------------------------


class Fact(BaseModel):
    """One number (or date) an article may state, with how to say it and where it came from."""

    model_config = ConfigDict(frozen=True)

    key: str
    value: float | str  # str for dates (ISO 8601)
    unit: Unit
    label: str
    display: str
    display_abs: str  # the display text of |value|, for use beside a direction word
    context: str | None = None
    provider: str | None = None
    as_of: datetime | None = None
    # What the fact means (fact_catalogue.py), stamped where it is built. Not stored: a fact read back from JSON
    # (the desk keeps every draft's facts) takes its meaning from today's catalogue, so old drafts are re-checked
    # by today's rules.
    meaning: FactMeaning = Field(default=None, exclude=True, repr=False)  # type: ignore[assignment]

    @model_validator(mode="before")
    @classmethod
    def _stamp(cls, data: object) -> object:
        if isinstance(data, dict) and data.get("meaning") is None and "key" in data:
            return {**data, "meaning": meaning_of(str(data["key"]))}
        return data

    def __str__(self) -> str:
        return self.display


class FactSet(BaseModel):
    """The facts of one article, in a stable order."""

    model_config = ConfigDict(frozen=True)

    facts: dict[str, Fact]

    def __contains__(self, key: object) -> bool:
        return key in self.facts

    def __getitem__(self, key: str) -> Fact:
        return self.facts[key]

    def __iter__(self) -> Iterator[Fact]:  # type: ignore[override]
        return iter(self.facts.values())

    def __len__(self) -> int:
        return len(self.facts)

    def get(self, key: str) -> Fact | None:
        return self.facts.get(key)


class _Builder:
    def __init__(self) -> None:
        self.facts: dict[str, Fact] = {}

    def add(
        self,
        key: str,
        value: float | None,
        unit: Unit,
        label: str,
        source: Provenance | None,
        context: str | None = None,
        decimals: int | None = None,
        formatter: Callable[[float], str] | None = None,
    ) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return  # missing data: no fact, so no sentence
        fmt = formatter or _formatter(unit, decimals)
        display, display_abs = fmt(value), fmt(abs(value))
        self.facts[key] = Fact(
            key=key,
            value=value,
            unit=unit,
            label=label,
            display=display,
            display_abs=display_abs,
            context=context,
            provider=source.provider if source else None,
            as_of=source.as_of if source else None,
            meaning=meaning_of(key),  # raises for a key the catalogue does not declare
        )

    def add_text(self, key: str, value: str, display: str, label: str, source: Provenance | None) -> None:
        # A word fact is proven by the same data as its figures: it carries their provider and as-of time.
        self.facts[key] = Fact(key=key, value=value, unit="text", label=label, display=display, display_abs=display,
                               provider=source.provider if source else None, as_of=source.as_of if source else None,
                               meaning=meaning_of(key))

    def add_date(self, key: str, when: datetime, label: str, source: Provenance | None, with_time: bool = False,
                 time_only: bool = False) -> None:
        text = format_time(when) if time_only else format_datetime(when) if with_time else format_date(when)
        with_time = with_time or time_only
        self.facts[key] = Fact(
            key=key,
            value=when.isoformat(),
            unit="datetime" if with_time else "date",
            label=label,
            display=text,
            display_abs=text,
            provider=source.provider if source else None,
            as_of=source.as_of if source else None,
            meaning=meaning_of(key),
        )


def _formatter(unit: Unit, decimals: int | None) -> Callable[[float], str]:
    match unit:
        case "usd":
            return format_usd
        case "percent":
            return lambda v: format_percent(v, 2 if decimals is None else decimals)
        case "index":
            return format_index
        case "ratio":
            return format_ratio
        case "hours":
            return format_hours
        case _:
            return lambda v: format_number(v, decimals or 0)


def fear_greed_band(value: float) -> str:
    """alternative.me's classification for an index value."""
    return next(label for upper, label in FEAR_GREED_BANDS if value <= upper)


def rsi_band(value: float) -> Literal["oversold", "overbought", "neutral"]:
    if value < RSI_OVERSOLD:
        return "oversold"
    if value > RSI_OVERBOUGHT:
        return "overbought"
    return "neutral"


def source_fact_key(what: str) -> str:
    """'sources.fear_and_greed_index.as_of' for the source list entry 'Fear & Greed Index'."""
    return f"sources.{what.replace(' ', '_').replace('&', 'and').lower()}.as_of"


def last_beyond(series: CandleSeries, level: float, as_of: datetime, side: Literal["low", "high"]) -> datetime | None:
    """When the candles before the last 24 hours last traded at or below (``low``) or above ``level``; None if never.

    Candles that end within the 24 hours before ``as_of`` are today's move, not history.
    """
    cutoff = as_of - timedelta(hours=24)
    span = TIMEFRAMES[series.timeframe]
    for candle in reversed(series.candles):
        if candle.time + span > cutoff:
            continue
        if (candle.low <= level) if side == "low" else (candle.high >= level):
            return candle.time
    return None


def fib_key(ratio: float) -> str:
    """'levels.fib_0_618' for 0.618."""
    return "levels.fib_" + format_ratio(ratio).replace(".", "_")


def add_options(b: _Builder, opt: OptionsExpiry, venue: str, src: Provenance) -> None:
    """The options expiry's facts: when, max pain, the put/call ratio, the notional expiring and in all."""
    b.add_date("options.expiry", opt.expiry, "Options expiry", src, with_time=True)
    b.add("options.max_pain", opt.max_pain, "usd", "Max pain strike", src, context=f"{venue} options expiring")
    b.add("options.put_call_ratio", opt.put_call_ratio, "ratio", "Put/call open-interest ratio", src,
          formatter=lambda v: f"{v:.2f}")
    b.add("options.expiry_notional_usd", opt.expiry_notional_usd, "usd", "Options notional expiring", src)
    b.add("options.total_notional_usd", opt.total_notional_usd, "usd", f"Options open interest ({venue})", src)
    b.add("options.expiry_share_pct", opt.share_pct, "percent", "Share of options open interest expiring", src,
          decimals=0)


def build_facts(snapshot: MarketSnapshot, analysis: Analysis) -> FactSet:
    """Every fact the snapshot and its analysis support; missing data gives no fact."""
    b = _Builder()
    asset = snapshot.asset
    p = snapshot.price
    b.add_date("article.date", snapshot.as_of, "Article date", None)
    b.add_date("article.as_of", snapshot.as_of, "Data as of", None, with_time=True)
    b.add_text("article.asset", asset, snapshot.asset_name or asset, "Asset", None)  # the request, not data
    b.add("price.current", p.current, "usd", f"{asset} price", p.source)
    change = p.change_24h_pct
    change_source: Provenance | None = p.source
    if change is None and analysis.change_24h is not None:
        change = analysis.change_24h.pct
        change_source = snapshot.candles[analysis.change_24h.window.timeframe].source
    b.add("price.change_24h_pct", change, "percent", "24h change", change_source)
    b.add("price.high_24h", p.high_24h, "usd", "24h high", p.source)
    b.add("price.low_24h", p.low_24h, "usd", "24h low", p.source)
    b.add("price.volume_24h", p.volume_24h, "count", f"24h volume ({asset})", p.source,
          formatter=lambda v: format_number(v, 0 if v >= 100 else 2))
    if change is not None:
        b.add("windows.change", 24.0, "hours", "Window of the price change", change_source)
    if (hour := analysis.change_1h) is not None and hour.end is not None:  # alerts: "fell 4.2% in the hour to 09:15 UTC"
        hour_src = snapshot.candles[hour.window.timeframe].source
        b.add("price.change_1h_pct", hour.pct, "percent", "1h change", hour_src)
        b.add("windows.change_1h", 1.0, "hours", "Window of the 1h price change", hour_src)
        b.add_date("price.change_1h_end", hour.end, "End of the hour the 1h change covers", hour_src, time_only=True)
    if p.high_24h is not None or p.low_24h is not None:  # "traded between X and Y over the past 24 hours"
        b.add("windows.range_24h", 24.0, "hours", "Window of the 24h high and low", p.source)
    if p.high_24h is not None and p.low_24h is not None:  # "fell as much as 18%", "17% below the day's high"
        b.add("price.max_drop_24h_pct", (p.low_24h / p.high_24h - 1) * 100, "percent", "24h high-to-low drop", p.source)
        b.add("price.from_high_24h_pct", (p.current / p.high_24h - 1) * 100, "percent", "Price vs 24h high", p.source)

    if (liq := snapshot.liquidations) is not None:
        for window, words in (("1h", "1-hour"), ("24h", "24-hour")):
            b.add(f"liquidations.total_{window}_usd", getattr(liq, f"total_{window}_usd"), "usd",
                  f"{words} liquidations", liq.source)
            b.add(f"liquidations.long_{window}_usd", getattr(liq, f"long_{window}_usd"), "usd",
                  f"{words} long liquidations", liq.source)
            b.add(f"liquidations.short_{window}_usd", getattr(liq, f"short_{window}_usd"), "usd",
                  f"{words} short liquidations", liq.source)
            share = liq.long_share(window)  # type: ignore[arg-type]
            b.add(f"liquidations.long_share_{window}_pct", share * 100 if share is not None else None, "percent",
                  f"Long share of {words} liquidations", liq.source, decimals=0)
            # The other side's share and the long/short ratio: "shorts made up 18%", "longs outnumbered
            # shorts more than four to one" are claims about the same figures.
            b.add(f"liquidations.short_share_{window}_pct", (1 - share) * 100 if share is not None else None,
                  "percent", f"Short share of {words} liquidations", liq.source, decimals=0)
            short = getattr(liq, f"short_{window}_usd")
            b.add(f"liquidations.long_short_ratio_{window}", getattr(liq, f"long_{window}_usd") / short if short else None,
                  "ratio", f"Longs to shorts liquidated ({words})", liq.source, formatter=format_times)

        for window, hours in (("1h", 1.0), ("24h", 24.0)):
            b.add(f"windows.liquidations_{window}", hours, "hours", f"Liquidation window ({window})", liq.source)

    if (fund := snapshot.funding) is not None:
        b.add("funding.rate_pct", fund.rate * 100, "percent", f"Funding rate ({fund.venue})", fund.source,
              context=f"per {format_number(fund.interval_hours)}-hour interval", decimals=FUNDING_DECIMALS)
        b.add("funding.interval_hours", fund.interval_hours, "count", "Funding interval (hours)", fund.source)
        b.add_text("funding.chain_venue", fund.venue, fund.venue, "Venue of the funding rate", fund.source)
        b.add("windows.funding_interval", fund.interval_hours, "hours", "Funding interval", fund.source)
    if (oi := snapshot.open_interest) is not None:
        b.add("open_interest.usd", oi.usd, "usd", f"Open interest ({oi.venue})", oi.source)
    if (fg := snapshot.fear_greed) is not None:
        b.add("sentiment.fear_greed", fg.value, "index", "Crypto Fear & Greed Index", fg.source,
              context=fg.classification)

    if (mkt := snapshot.market) is not None:  # the whole crypto market (CoinGecko /global)
        b.add("market.total_cap_usd", mkt.total_market_cap_usd, "usd", "Total crypto market cap", mkt.source)
        b.add("market.cap_change_24h_pct", mkt.market_cap_change_24h_pct, "percent", "Crypto market cap, 24h change",
              mkt.source)
        if mkt.market_cap_change_24h_pct is not None:
            b.add("windows.market_change", 24.0, "hours", "Window of the market cap change", mkt.source)
        b.add("market.btc_dominance_pct", mkt.btc_dominance_pct, "percent", "Bitcoin dominance", mkt.source, decimals=1)
    if (opt := analysis.options) is not None and (book := snapshot.options) is not None:
        add_options(b, opt, book.venue, book.source)

    for tf, rsi in analysis.rsi.items():
        series_src = snapshot.candles[tf].source
        # RSI is an index too, but written as a plain number ('22'), not '22/100'.
        b.add(f"technicals.rsi_{tf}", rsi.value, "index", f"RSI ({tf})", series_src, context=rsi_band(rsi.value),
              formatter=format_number)
    b.add("technicals.rsi_period", float(next(iter(analysis.rsi.values())).period) if analysis.rsi else None,
          "count", "RSI period (candles)", None)
    if analysis.rsi:  # the band edges an article may name ("below the oversold threshold of 30")
        b.add("bands.rsi_oversold", RSI_OVERSOLD, "index", "RSI oversold threshold", None, formatter=format_number)
        b.add("bands.rsi_overbought", RSI_OVERBOUGHT, "index", "RSI overbought threshold", None,
              formatter=format_number)

    for tf, series in snapshot.candles.items():
        b.add(f"timeframes.{tf}", TIMEFRAMES[tf].total_seconds() / 3600, "hours", f"{tf} candles", series.source)
    tf_hours = TIMEFRAMES[analysis.timeframe].total_seconds() / 3600
    b.add("analysis.timeframe", tf_hours, "hours", "Timeframe of the level analysis", None)
    src = snapshot.candles[analysis.timeframe].source
    # "its lowest level since November": when the candles last traded at or beyond today's price.
    series = snapshot.candles.get("1d") or snapshot.candles[analysis.timeframe]
    for side, word in (("low", "low"), ("high", "high")):
        when = last_beyond(series, p.current, snapshot.as_of, side)  # type: ignore[arg-type]
        if when is not None:
            b.add_date(f"price.{side}_since_date", when, f"Last time the price was this {word}", series.source)
    # Where the history begins: "a three-week low" needs the data to reach three weeks back.
    b.add_date("price.history_start_date", series.candles[0].time, f"First {series.timeframe} candle of the data",
               series.source)
    if (daily := snapshot.candles.get("1d")) is not None:  # records, streaks, trailing changes (history_facts.py)
        from generator.history_facts import add_history  # (it builds on this module)

        add_history(b, analysis.history, daily.source)
    last = snapshot.candles[analysis.timeframe].candles[-1]
    b.add("price.last_close", last.close, "usd", f"Latest {analysis.timeframe} close", src)
    b.add_date("price.last_close_date", last.time, f"Date of the latest {analysis.timeframe} candle", src)
    if (fib := analysis.fib) is not None:
        move = fib.move
        b.add("windows.fib", fib.window.count * tf_hours, "hours", "Look-back of the Fibonacci move", src)
        b.add("levels.fib_move_low", move.low, "usd", "Low of the move", src)
        b.add("levels.fib_move_high", move.high, "usd", "High of the move", src)
        b.add("levels.from_move_high_pct", (p.current / move.high - 1) * 100, "percent", "Price vs the move's high", src)
        b.add("levels.from_move_low_pct", (p.current / move.low - 1) * 100, "percent", "Price vs the move's low", src)
        b.add_date("levels.fib_move_low_date", move.low_time, "Date of the move's low", src)
        b.add_date("levels.fib_move_high_date", move.high_time, "Date of the move's high", src)
        for lv in fib.levels:
            b.add(fib_key(lv.ratio), lv.price, "usd", f"{format_ratio(lv.ratio)} Fibonacci retracement", src,
                  context=f"{format_ratio(lv.ratio)} retracement of the {move.direction} move")
    if (lvs := analysis.levels) is not None:
        b.add("windows.levels", lvs.window.count * tf_hours, "hours", "Look-back of the swing levels", src)
        if lvs.broken is not None:
            b.add("levels.broken", lvs.broken.level, "usd", f"Broken {lvs.broken.kind}", src, context=lvs.broken.kind)
            b.add_date("levels.broken_date", lvs.broken.level_time, f"Date of the broken {lvs.broken.kind}", src)
        # The swing each level comes from: "the November support at $11,277" names it by its date.
        if lvs.nearest_support is not None:
            b.add("levels.support", lvs.nearest_support.price, "usd", "Nearest support", src)
            b.add_date("levels.support_date", lvs.nearest_support.time, "Date of the nearest support", src)
        if lvs.nearest_resistance is not None:
            b.add("levels.resistance", lvs.nearest_resistance.price, "usd", "Nearest resistance", src)
            b.add_date("levels.resistance_date", lvs.nearest_resistance.time, "Date of the nearest resistance", src)
        # A level the price has gone through since the close (taken during the day): the nearest one to the price.
        if lvs.crossed and (way := lvs.crossed_direction) is not None:
            level = lvs.crossed[0]
            b.add("levels.crossed", level.price, "usd", f"Swing level crossed since the latest {analysis.timeframe} close",
                  src, context=way)
            b.add_date("levels.crossed_date", level.time, "Date of the crossed swing level", src)
            b.add_text("levels.crossed_direction", way, way, "Which way the price crossed it since the close",
                       src)
    if analysis.fvg is not None and analysis.fvg.gaps:
        gap = analysis.fvg.gaps[0]  # the newest unfilled gap: the imbalance the latest move left behind
        b.add("levels.fvg_low", gap.low, "usd", f"Lower bound of the {gap.direction} fair value gap", src)
        b.add("levels.fvg_high", gap.high, "usd", f"Upper bound of the {gap.direction} fair value gap", src)
        b.add_date("levels.fvg_date", gap.time, "Date of the fair value gap", src)
        b.add_text("levels.fvg_direction", gap.direction, gap.direction, "Kind of the fair value gap", src)

    from generator.funding_facts import add_funding_venues  # (they build on this module)
    from generator.magnitude_facts import add_magnitude
    from generator.peer_facts import add_peers

    add_peers(b, snapshot)
    add_magnitude(b, snapshot, analysis)
    add_funding_venues(b, snapshot, analysis.funding_venues)
    for what, prov in snapshot.sources():
        b.add_date(source_fact_key(what), prov.as_of, f"{what} as of", prov, with_time=True)
    facts = FactSet(facts=even_amounts(b.facts))
    check_invariants(facts)  # a bug in the analysis stops here, before it can print a false sentence
    return facts
