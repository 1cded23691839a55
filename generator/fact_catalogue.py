"""What each fact means, declared once per fact family: its tags, sign rule, side against the price and date.

``build_facts`` (facts.py) stamps a :class:`FactMeaning` onto every fact it makes, from the family whose key
template the key fits; a key that fits no family is refused there, so a fact cannot be added without its
meaning. The fact-check reads these meanings — which metric, window, side and aspect a fact is, whether the
words or the written sign carry its sign, whether it is a price position with a side against the current
price, which fact holds its date — instead of parsing keys or keeping lists of them; the templates take a
level's prose name from here.

Tags are slot -> values; the slots are the ones the fact-check's cues speak for (metric, window, side,
aspect, role, level, state, ratio, tf, source). A fact with several values in a slot is each of them (the
24-hour low is a price and a level).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

Tags = dict[str, tuple[str, ...]]
Sign = Literal["none", "words", "written"]


class FactMeaning(BaseModel):
    """One fact's meaning, as the fact-check and the templates read it."""

    model_config = ConfigDict(frozen=True)

    family: str  # the key template of its family, e.g. "liquidations.{side}_{window}_usd"
    tags: Tags
    # Who carries the sign: "fell 14.72%" (the words), "-0.0375%" (the written figure), or nobody.
    sign: Sign = "none"
    table_sign: bool = False  # a metrics table writes its sign: an unsigned figure there reads as a rise
    position: bool = False  # a price or a level: it has a side against the current price
    price: bool = False  # where the price is or was (now, the close, the day's extremes): what "BTC at $X" states
    date: str | None = None  # the key of the fact holding the date this level was set (or this change is measured from)
    names: tuple[str, ...] = ()  # how prose names it ("the broken level")
    clock: bool = False  # a time of the snapshot itself (its date, the latest close): what a bare date states
    # A figure the words name exactly even after "below"/"above" ("the first close below $7,000"): no bound.
    exact: bool = False
    # The kind of amount it is ("liquidations"): an article prints all amounts of one kind to one precision
    # rule (facts.py, even_amounts), so "$0.62 million" stands beside "$2.89 million", not "$619,603".
    amount: str | None = None

    def has(self, slot: str, value: str) -> bool:
        return value in self.tags.get(slot, ())

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.tags.get("metric", ())

    @property
    def is_level(self) -> bool:
        return "level" in self.metrics


@dataclass(frozen=True)
class Family:
    """Facts that share a meaning up to a few parameters (``{side}``, ``{window}``) of their key."""

    key: str  # the key template
    tags: Mapping[str, str | tuple[str, ...]]
    params: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)  # None: any word
    sign: Sign = "none"
    table_sign: bool = False
    position: bool = False
    price: bool = False
    date: str | None = None  # a key template too ("levels.fib_move_{end}_date")
    names: tuple[str, ...] = ()
    clock: bool = False
    exact: bool = False
    amount: str | None = None
    # Words derived from a parameter for tags and names: {"edge": ("end", {"low": "lower", ...})}.
    derived: Mapping[str, tuple[str, Mapping[str, str]]] = field(default_factory=dict)

    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", self.key)
        out = []
        for i, part in enumerate(parts):
            if i % 2 == 0:
                out.append(re.escape(part))
            else:
                domain = self.params.get(part)
                choice = "|".join(re.escape(v) for v in domain) if domain else r"[a-z0-9]+(?:_[a-z0-9]+)*"
                out.append(f"(?P<{part}>{choice})")
        return re.compile("".join(out))

    def meaning(self, **values: str) -> FactMeaning:
        words = {**values, **{name: table[values[param]] for name, (param, table) in self.derived.items()}}

        def fill(text: str) -> str:
            return text.format(**words) if "{" in text else text

        tags = {slot: tuple(fill(v) for v in (vs if isinstance(vs, tuple) else (vs,))) for slot, vs in self.tags.items()}
        return FactMeaning(family=self.key, tags=tags, sign=self.sign, table_sign=self.table_sign,
                           position=self.position, price=self.price, date=fill(self.date) if self.date else None,
                           names=tuple(fill(n) for n in self.names), clock=self.clock, exact=self.exact,
                           amount=self.amount)


_SIDES = ("total", "long", "short")
_WINDOWS = ("1h", "24h")
_ENDS = ("low", "high")
_TIMEFRAMES = ("1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w")
_BASES = ("day", "polls")
_RATIOS = ("0_236", "0_382", "0_5", "0_618", "0_786")

FAMILIES: tuple[Family, ...] = (
    # --- the article ---
    Family("article.date", {"metric": "article"}, clock=True),
    Family("article.as_of", {"metric": "as_of"}, clock=True),
    Family("article.asset", {}),
    Family("sources.{source}.as_of", {"metric": "as_of", "source": "{source}"}, {"source": None}, clock=True),
    # --- price ---
    # The price now ends every window: "fell 14% in 24 hours to $X" and "fell 4% in an hour to $X" both state it.
    Family("price.current", {"metric": "price", "aspect": "current", "window": ("24h", "1h")}, position=True,
           price=True),
    Family("price.last_close", {"metric": "price", "aspect": "close"}, position=True, price=True,
           date="price.last_close_date"),
    Family("price.last_close_date", {"metric": "price", "aspect": "close"}, clock=True),
    # The day's high and low bound the range the price is in: levels nothing has broken.
    Family("price.{end}_24h", {"metric": ("price", "level"), "aspect": "{end}", "window": "24h", "state": "intact"},
           {"end": _ENDS}, position=True, price=True),
    Family("price.change_24h_pct", {"metric": "change", "window": "24h", "aspect": "net"}, sign="words",
           table_sign=True),
    Family("price.change_1h_pct", {"metric": "change", "window": "1h", "aspect": "net"}, sign="words",
           table_sign=True),
    Family("price.change_1h_end", {"metric": "change", "window": "1h"}, clock=True),
    Family("price.max_drop_24h_pct", {"metric": "change", "window": "24h", "aspect": "max"}, sign="words"),
    Family("price.from_high_24h_pct", {"metric": "change", "window": "24h", "aspect": "from_high"}, sign="words"),
    Family("price.volume_24h", {"metric": "volume", "window": "24h"}),
    Family("price.{end}_since_date", {"metric": "since", "aspect": "{end}"}, {"end": _ENDS}),
    Family("price.history_start_date", {"metric": "since", "aspect": "start"}),
    # --- the daily history (history_facts.py): each "since" is the date of the candle that bounds the claim ---
    # "the lowest close since November 14, 2017": the latest earlier close at or beyond the latest one.
    Family("history.close_{end}_since_date", {"metric": "since", "aspect": "{end}", "level": "close"}, {"end": _ENDS}),
    # "the lowest close in the data": no earlier close was at or beyond it (bounded by price.history_start_date).
    Family("history.close_{end}_record", {"metric": "since", "aspect": "{end}", "level": "close", "state": "record"},
           {"end": _ENDS}),
    # "the largest one-day drop since January 16, 2018": the day of the latest earlier move at least as large.
    Family("history.move_{way}_since_date", {"metric": "since", "aspect": "{way}"}, {"way": ("drop", "gain")}),
    Family("history.move_{way}_record", {"metric": "since", "aspect": "{way}", "state": "record"},
           {"way": ("drop", "gain")}),
    # "the first close below $7,000 since November 14, 2017": the round level and the latest earlier close beyond it.
    Family("history.cross_{way}_level", {"metric": "since", "aspect": "cross_{way}"}, {"way": ("below", "above")},
           exact=True),
    Family("history.cross_{way}_since_date", {"metric": "since", "aspect": "cross_{way}"}, {"way": ("below", "above")}),
    Family("history.cross_{way}_record", {"metric": "since", "aspect": "cross_{way}", "state": "record"},
           {"way": ("below", "above")}),
    # "five straight daily declines": the closes in a row one way, ending with the latest; "the longest losing
    # streak since DATE": the last day of the latest earlier streak that way at least as long.
    Family("history.streak_days", {"metric": "streak", "aspect": "length"}),
    Family("history.streak_direction", {"metric": "streak", "aspect": "direction"}),
    Family("history.streak_start_date", {"metric": "streak", "aspect": "start"}),
    Family("history.streak_since_date", {"metric": "since", "aspect": "streak"}),
    Family("history.streak_record", {"metric": "since", "aspect": "streak", "state": "record"}),
    # Close to close over a week and a month: "down 38.39% over the past seven days".
    # (aspect trailing: only words naming the week or the month reach it, not a bare "fell 13%")
    Family("history.change_{n}d_pct", {"metric": "change", "window": "{window}", "aspect": "trailing"},
           {"n": ("7", "30")}, sign="words", table_sign=True,
           derived={"window": ("n", {"7": "1w", "30": "1mo"})}),
    # The highest close of the data and the distance from it: "63.86% below the highest close in the data".
    # (its own aspect: no "high" or "support" of the day or the swings is the series' highest close)
    Family("history.series_high", {"metric": "price", "aspect": "series_high", "window": "series"},
           date="history.series_high_date"),
    Family("history.series_high_date", {"metric": "price", "aspect": "series_high", "window": "series"}),
    Family("history.from_series_high_pct", {"metric": "change", "window": "series", "aspect": "from_high"},
           sign="words", date="history.series_high_date"),
    # --- windows: how long each figure's period is ---
    Family("windows.change", {"metric": ("change", "price"), "window": "24h"}),
    Family("windows.change_1h", {"metric": ("change", "price"), "window": "1h"}),
    Family("windows.range_24h", {"metric": ("change", "price"), "window": "24h"}),
    Family("windows.change_{n}d", {"metric": ("change", "price"), "window": "{window}"}, {"n": ("7", "30")},
           derived={"window": ("n", {"7": "1w", "30": "1mo"})}),
    Family("windows.liquidations_{window}", {"metric": "liquidations", "window": "{window}"}, {"window": _WINDOWS}),
    Family("windows.funding_interval", {"metric": "funding", "venue": "chain", "aspect": "interval"}),
    Family("windows.{what}", {"metric": "level", "aspect": "period"}, {"what": ("fib", "levels")}),
    # frame: the length of a chart's candles ("the 4-hour chart", "a 1-hour close"), not a window of figures. The
    # levels are analysis.timeframe's ("a 4-hour close beyond either level"), whatever other candles the data has.
    Family("timeframes.{tf}", {"metric": ("rsi", "price"), "tf": "{tf}", "frame": "candles"},
           {"tf": _TIMEFRAMES}),
    Family("analysis.timeframe", {"metric": "level", "aspect": "timeframe", "frame": "candles"}),
    # --- derivatives and sentiment ---
    Family("liquidations.{side}_{window}_usd", {"metric": "liquidations", "side": "{side}", "window": "{window}"},
           {"side": _SIDES, "window": _WINDOWS}, amount="liquidations"),
    Family("liquidations.{side}_share_{window}_pct",
           {"metric": "liquidations", "side": "{side}", "aspect": "share", "window": "{window}"},
           {"side": ("long", "short"), "window": _WINDOWS}),
    Family("liquidations.long_short_ratio_{window}",
           {"metric": "liquidations", "side": "long", "aspect": "ratio", "window": "{window}"}, {"window": _WINDOWS}),
    # --- baselines of magnitude words (magnitude_facts.py): "about 3.1 times the average of the previous 23 hours" ---
    # basis: the provider's 24h total less the hour (day), or the alert watcher's stored polls (polls).
    # The polls' average as an amount, which the alert prints (the day's is (24h - 1h) / 23 of figures it prints
    # already: an amount of its own would compete with them for every "$X liquidated"). (side total: an amount of
    # all liquidations, so "1-hour liquidations" with no word for the average is not it)
    Family("liquidations.baseline_polls_usd", {"metric": "liquidations", "aspect": "baseline", "window": "1h",
                                               "side": "total", "basis": "polls"}),
    Family("liquidations.multiple_{basis}", {"metric": "liquidations", "aspect": "multiple", "window": "1h",
                                             "basis": "{basis}"}, {"basis": _BASES}),
    Family("windows.liquidations_baseline_{basis}", {"metric": "liquidations", "aspect": "baseline",
                                                     "basis": "{basis}"}, {"basis": _BASES}),
    Family("liquidations.baseline_polls_count", {"metric": "liquidations", "aspect": "baseline", "basis": "polls"}),
    # "the largest hourly total in three days": no stored poll in that many days had a larger hour.
    Family("liquidations.largest_polls_days", {"metric": "liquidations", "aspect": "record", "window": "1h",
                                               "basis": "polls"}),
    Family("volatility.average_move_{window}_pct", {"metric": "volatility", "aspect": "baseline", "window": "{window}"},
           {"window": _WINDOWS}),
    Family("volatility.move_multiple_{window}", {"metric": "volatility", "aspect": "multiple", "window": "{window}"},
           {"window": _WINDOWS}),
    Family("windows.average_move_{window}", {"metric": "volatility", "aspect": "baseline", "window": "{window}"},
           {"window": _WINDOWS}),
    # The chain's funding (the first venue that answered) is venue "chain": a sentence naming a venue binds to that
    # venue's own rate (below), and one naming none to this one (cues.yaml defaults: funding).
    Family("funding.rate_pct", {"metric": "funding", "venue": "chain"}, sign="written"),
    Family("funding.interval_hours", {"metric": "funding", "venue": "chain", "aspect": "interval"}),
    Family("funding.chain_venue", {"metric": "funding", "venue": "chain", "aspect": "name"}),
    Family("open_interest.usd", {"metric": "open_interest"}, amount="open_interest"),
    Family("sentiment.fear_greed", {"metric": "fear_greed"}),
    # --- funding across venues (generator/funding_facts.py): venue is the prose name in lower case ---
    Family("funding.venue_{venue}_rate_pct", {"metric": "funding", "venue": "{venue}"}, {"venue": None},
           sign="written"),
    Family("funding.venue_{venue}_interval_hours", {"metric": "funding", "venue": "{venue}", "aspect": "interval"},
           {"venue": None}),
    Family("windows.funding_venue_{venue}_interval", {"metric": "funding", "venue": "{venue}", "aspect": "interval"},
           {"venue": None}),
    Family("funding.venue_{venue}_name", {"metric": "funding", "venue": "{venue}", "aspect": "name"},
           {"venue": None}),
    Family("funding.average_pct", {"metric": "funding", "venue": "all", "aspect": "average"}, sign="written"),
    Family("windows.funding_average", {"metric": "funding", "venue": "all", "aspect": "average"}),
    Family("windows.funding_venues_interval", {"metric": "funding", "venue": "all", "aspect": "interval"}),
    Family("funding.venues_count", {"metric": ("funding", "venues"), "venue": "all", "aspect": "count"}),
    Family("funding.venues_{sign}", {"metric": ("funding", "venues"), "venue": "all", "aspect": "{sign}"},
           {"sign": ("positive", "negative")}),
    Family("funding.{rank}_venue", {"metric": "funding", "venue": "all", "aspect": "{rank}"},
           {"rank": ("highest", "lowest", "outlier")}),
    # --- the whole crypto market (CoinGecko /global) ---
    # (aspect market: a bare "fell 2%" is the asset's own change; only words naming the market cap reach this one)
    Family("market.total_cap_usd", {"metric": "market_cap"}),
    Family("market.cap_change_24h_pct", {"metric": ("market_cap", "change"), "window": "24h", "aspect": "market"},
           sign="words", table_sign=True),
    Family("windows.market_change", {"metric": ("market_cap", "change"), "window": "24h"}),
    Family("market.btc_dominance_pct", {"metric": "dominance"}),
    # Derived (peer_facts.py): the share now less the share 24 hours ago, in percentage points.
    # ("fell 1.35 percentage points to 40.1%": the first figure is a change by an amount, extract.py change_by)
    Family("market.btc_dominance_change_24h_pp", {"metric": ("dominance", "change_amount"), "aspect": "change",
                                                  "window": "24h"},
           sign="words"),
    # --- the peers' 24h moves (peer_facts.py): each names its asset (aspect peer: only its name reaches it, so a
    # bare "fell 2%" stays the article's asset's own change) ---
    Family("peers.{peer}.change_24h_pct", {"metric": "change", "window": "24h", "aspect": "peer", "asset": "{peer}"},
           {"peer": None}, sign="words", table_sign=True),
    # --- options (one venue's book, the expiry analysis/options.py picks) ---
    # Max pain is a strike, a price level with a side against the price ("the price sits above max pain"); its
    # date is the expiry's ("max pain for the June 29 expiry").
    Family("options.max_pain", {"metric": ("options", "level"), "level": "max_pain", "aspect": "strike",
                                "state": "intact"},
           position=True, date="options.expiry", names=("the max pain strike",)),
    Family("options.expiry", {"metric": "options", "aspect": "expiry"}),
    Family("options.put_call_ratio", {"metric": "options", "aspect": "ratio"}),
    # Notional: open interest in USD, of the expiry and of the whole book.
    Family("options.expiry_notional_usd", {"metric": ("options", "open_interest"), "aspect": "expiring"}),
    Family("options.total_notional_usd", {"metric": ("options", "open_interest"), "aspect": "all"}),
    Family("options.expiry_share_pct", {"metric": ("options", "open_interest"), "aspect": "share"}),
    # --- technicals ---
    Family("technicals.rsi_period", {"metric": "rsi", "aspect": "period"}),
    Family("technicals.rsi_{tf}", {"metric": "rsi", "tf": "{tf}", "aspect": "reading"}, {"tf": _TIMEFRAMES}),
    # A band edge is a level of the RSI: "below the 30 level".
    Family("bands.rsi_{band}", {"metric": ("rsi", "level"), "aspect": "threshold"}, {"band": ("oversold", "overbought")}),
    # --- levels ---
    Family("levels.fib_move_{end}", {"metric": ("level", "price"), "aspect": "{end}", "window": "move",
                                     "state": "intact"}, {"end": _ENDS}, position=True,
           date="levels.fib_move_{end}_date", names=("the {end} of the move",)),
    Family("levels.fib_move_{end}_date", {"metric": ("level", "price"), "aspect": "{end}", "window": "move"},
           {"end": _ENDS}),
    Family("levels.from_move_{end}_pct", {"metric": "change", "window": "move", "aspect": "from_{end}"},
           {"end": _ENDS}, sign="words", date="levels.fib_move_{end}_date"),
    Family("levels.fib_{ratio}", {"metric": "level", "level": "fib", "ratio": "{ratio_text}", "state": "intact"},
           {"ratio": _RATIOS}, position=True, names=("the {ratio_text} Fibonacci retracement",),
           derived={"ratio_text": ("ratio", {r: r.replace("_", ".") for r in _RATIOS})}),
    # A broken support is resistance now, and the other way: it may be called either.
    Family("levels.broken", {"metric": "level", "level": "swing", "state": "broken", "role": ("support", "resistance")},
           position=True, date="levels.broken_date", names=("the broken level",)),
    Family("levels.broken_date", {"metric": "level", "level": "swing", "state": "broken",
                                  "role": ("support", "resistance")}),
    Family("levels.{role}", {"metric": "level", "level": "swing", "role": "{role}", "state": "intact"},
           {"role": ("support", "resistance")}, position=True, date="levels.{role}_date",
           names=("the nearest swing {role}",)),
    Family("levels.{role}_date", {"metric": "level", "level": "swing", "role": "{role}"},
           {"role": ("support", "resistance")}),
    # A swing level the price went through after the latest close (a snapshot taken during the day): it lies
    # between that close and the price, so it is neither support nor resistance yet; it was one at the close and
    # is the other now, so it may be called either.
    Family("levels.crossed", {"metric": "level", "level": "swing", "state": "crossed",
                              "role": ("support", "resistance")},
           position=True, date="levels.crossed_date", names=("the newly crossed swing level",)),
    Family("levels.crossed_date", {"metric": "level", "level": "swing", "state": "crossed"}),
    # Which way it was crossed, as a word ("down": the price fell below it since the close).
    Family("levels.crossed_direction", {"metric": "level", "level": "swing", "state": "crossed", "aspect": "direction"}),
    Family("levels.fvg_{end}", {"metric": "level", "level": "fvg", "aspect": "{end}", "state": "intact"},
           {"end": _ENDS}, position=True, date="levels.fvg_date", names=("the {edge} edge of the fair value gap",),
           derived={"edge": ("end", {"low": "lower", "high": "upper"})}),
    Family("levels.fvg_date", {"metric": "level", "level": "fvg"}),
    # The gap's kind, as words ("bearish"): what "a bearish fair value gap" states.
    Family("levels.fvg_direction", {"metric": "level", "level": "fvg", "aspect": "kind"}),
)
_COMPILED = tuple((family, family.pattern()) for family in FAMILIES)


class UnknownFact(KeyError):
    """A fact key that no family in the catalogue declares."""


@lru_cache(maxsize=1024)
def meaning_of(key: str) -> FactMeaning:
    """The meaning of the fact ``key`` (raises UnknownFact for a key no family declares)."""
    for family, pattern in _COMPILED:
        m = pattern.fullmatch(key)
        if m is None:
            continue
        return family.meaning(**m.groupdict())
    raise UnknownFact(f"no family in generator/fact_catalogue.py declares the fact {key!r}")


def known_metrics() -> frozenset[str]:
    """Every metric some fact family has (a snapshot may still lack its figures)."""
    out: set[str] = set()
    for f in FAMILIES:
        metric = f.tags.get("metric")
        out.update((metric,) if isinstance(metric, str) else metric or ())
    return frozenset(out)
