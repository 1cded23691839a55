"""An oracle for the template article's position, order and magnitude words, at the close and at any hour of the day.

It does not call the fact-check and does not read the facts: it reads the article's own sentence shapes with a
few regexes and judges each statement against the snapshot (the live price, the last close) and the analysis's
raw material (the Fibonacci grid, the newest gap, the swing levels found afresh from the candles). A support
must be below the price, a resistance above it, "between" must bracket it, "nearest"/"next" must have no swing
level nearer, "deepest"/"shallowest" must name the largest/smallest retracement ratio, and a statement about the
close is judged against the close. A strong move word ("plunged", "surged", "sell-off") needs the move at least the
rule book's threshold times the average move of the 30 days (24 hours) before, computed here from the candles, and a
liquidation word ("flush", "wiped out", "long squeeze") an hour that far above the average of the previous 23 hours;
the multiples printed must be those. Prices are compared as printed, so a level printed at the price's own figure
is on neither side of it.

``python -m tests.drafting.test_levels_any_hour`` prints the counts (markets, statements, falsehoods).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from generator.analysis import Analysis, analyze
from generator.analysis.levels import merge_levels
from generator.analysis.models import ChangeResult
from generator.analysis.swings import find_swings
from generator.drafting import draft_article
from generator.factcheck.magnitude_predicates import threshold
from generator.facts import build_facts, format_ratio, format_usd
from generator.settings import Settings
from generator.snapshot import TIMEFRAMES, MarketSnapshot
from tests.random_markets import market

M = r"(\$\d+(?:,\d{3})*(?:\.\d+)?)(?! (?:million|billion|trillion))"  # a price as printed
NAME = r"[^$|]*?"
DATE = r"\w+ \d{1,2}, \d{4}"  # a level's name before its figure ("the 0.5 Fibonacci retracement")


def usd(text: str) -> float:
    return float(text.lstrip("$").replace(",", ""))


@dataclass
class Truth:
    """What the data says: the live price, the last close and every level the analysis could name, true values."""

    price: float  # the live price
    close: float  # the last close of the analysis timeframe
    swings: list[float]  # every swing level
    fibs: dict[float, float]  # ratio -> price
    gap: tuple[float, float] | None  # the newest unfilled gap
    extremes: tuple[float, ...]  # the Fibonacci move's low and high
    # The 24h and 1h moves against the average move of the 30 days / 24 hours before (None: the candles lack it),
    # and the hour's liquidations against the average of the previous 23 hours (None: no baseline).
    move_multiple: dict[str, float | None] = field(default_factory=dict)
    liquidation_multiple: float | None = None

    @classmethod
    def of(cls, snapshot: MarketSnapshot, analysis: Analysis, settings: Settings) -> Truth:
        candles = snapshot.candles[analysis.timeframe].candles
        recent = candles[-settings.level_lookback:][:-1]  # swings confirmed before the latest candle
        swings = merge_levels(find_swings(recent, settings.swing_strength), settings.level_tolerance_pct)
        gap = analysis.fvg.gaps[0] if analysis.fvg and analysis.fvg.gaps else None
        fib = analysis.fib
        liq = snapshot.liquidations
        rest = (liq.total_24h_usd - liq.total_1h_usd) / 23 if liq and liq.total_24h_usd is not None else 0.0
        return cls(price=snapshot.price.current, close=candles[-1].close, swings=sorted(s.price for s in swings),
                   fibs={lv.ratio: lv.price for lv in fib.levels} if fib else {},
                   gap=(gap.low, gap.high) if gap else None, extremes=(fib.move.low, fib.move.high) if fib else (),
                   move_multiple={"24h": _multiple(snapshot, analysis.change_24h, "1d", 1, 30),
                                  "1h": _multiple(snapshot, analysis.change_1h, None, 1, 24)},
                   liquidation_multiple=liq.total_1h_usd / rest if liq and rest > 0 else None)

    @property
    def levels(self) -> list[float]:
        return [*self.swings, *self.fibs.values(), *(self.gap or ()), *self.extremes]

    def value(self, printed: str, among: list[float] | None = None) -> float:
        """The true value of a printed level (the one nearest the price when several print alike)."""
        same = [v for v in (self.levels if among is None else among) if format_usd(v) == printed]
        return min(same, key=lambda v: abs(v - self.price)) if same else usd(printed)

    def nearest(self, printed: str, among: list[float]) -> float | None:
        """A level of ``among`` that lies between this one and the price, if any (one printed as the price is at
        the price, on neither side)."""
        x, p = self.value(printed, among), self.price
        return next((v for v in among if min(x, p) < v < max(x, p) and format_usd(v) not in (printed, format_usd(p))),
                    None)


def _multiple(snapshot: MarketSnapshot, change: ChangeResult | None, timeframe: str | None, hours_each: int,
              count: int) -> float | None:
    """The window's move (the snapshot's 24h change, else the candles') over the mean absolute change of the
    ``count`` windows before the latest, from the daily candles (24h) or the finest series that gives hours (1h)."""
    pct = snapshot.price.change_24h_pct if timeframe == "1d" and snapshot.price.change_24h_pct is not None else \
        change.pct if change is not None else None
    if pct is None:
        return None
    step_hours = 24 if timeframe == "1d" else 1
    series_list = [snapshot.candles[timeframe]] if timeframe in snapshot.candles else [] if timeframe else \
        sorted(snapshot.candles.values(), key=lambda c: TIMEFRAMES[c.timeframe])
    for series in series_list:
        step = TIMEFRAMES[series.timeframe]
        window = timedelta(hours=step_hours * hours_each)
        if step > window or window % step:
            continue
        k = window // step
        closes = series.candles[: len(series.candles) - k][::-1][::k][: count + 1]  # newest first, one window apart
        if len(closes) < count + 1 or any(a.time - b.time != window for a, b in zip(closes, closes[1:])):
            continue
        mean = sum(abs(a.close / b.close - 1) for a, b in zip(closes, closes[1:])) / count * 100
        return abs(pct) / mean if mean > 0 else None
    return None


Check = Callable[[re.Match[str], Truth], Iterator[tuple[bool, str]]]
CHECKS: list[tuple[re.Pattern[str], Check]] = []


def check(pattern: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((re.compile(pattern, re.M), fn))
        return fn
    return register


def below(x: str, t: Truth) -> tuple[bool, str]:
    return t.value(x) < t.price, f"{x} below the price"


def above(x: str, t: Truth) -> tuple[bool, str]:
    return t.value(x) > t.price, f"{x} above the price"


def nearest(x: str, t: Truth, what: str, among: list[float] | None = None) -> tuple[bool, str]:
    nearer = t.nearest(x, t.swings if among is None else among)
    return nearer is None, f"{what} {x}: no level nearer the price" + (f" (not {format_usd(nearer)})" if nearer else "")


# --- supports and resistances: on their side of the price, "nearest"/"next" with no swing level nearer ---
@check(r"(?<!broken )(?<!cleared )\b(the nearest |the next |next )?swing support(?: below)?(?: sits)? at " + M)
def swing_support(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[2], t)
    if m[1]:
        yield nearest(m[2], t, f"{m[1].strip()} support")


@check(r"(?<!broken )(?<!cleared )\b(the nearest |the next |next )?swing resistance(?: above)?(?: sits)? at " + M)
def swing_resistance(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield above(m[2], t)
    if m[1]:
        yield nearest(m[2], t, f"{m[1].strip()} resistance")


@check(r"^\| (Nearest|Swing) (support|resistance) \| " + M + r" \|")
def table_level(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[3], t) if m[2] == "support" else above(m[3], t)
    if m[1] == "Nearest":
        yield nearest(m[3], t, f"the table's nearest {m[2]}")


@check(r"(?:trades|sits) between " + NAME + M + NAME + r" and " + NAME + M)
def between(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield t.value(m[1]) < t.price < t.value(m[2]), f"the price between {m[1]} and {m[2]}"


# --- the Fibonacci grid: all of it on one side, and the order word names the right ratio ---
@check(r"below even the (deepest|shallowest) of them, the ([\d.]+) Fibonacci retracement at " + M)
def below_all_fibs(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield all(v > t.price for v in t.fibs.values()), "the price below every retracement"
    yield from _order_word(m[1], m[2], m[3], t)


@check(r"above all of them; the (deepest|shallowest), the ([\d.]+) Fibonacci retracement at " + M)
def above_all_fibs(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield all(v < t.price for v in t.fibs.values()), "the price above every retracement"
    yield from _order_word(m[1], m[2], m[3], t)


def _order_word(word: str, ratio: str, printed: str, t: Truth) -> Iterator[tuple[bool, str]]:
    want = max(t.fibs) if word == "deepest" else min(t.fibs)
    yield ratio == format_ratio(want) and printed == format_usd(t.fibs[want]), f"the {word} is the {ratio} at {printed}"


@check(r"^\| ([\d.]+) Fibonacci retracement \| " + M + r" \|")
def table_fib(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield any(format_ratio(r) == m[1] and format_usd(v) == m[2] for r, v in t.fibs.items()), f"{m[1]} is {m[2]}"


# --- the fair value gap ---
@check(r"gap between " + M + r" and " + M + r", left on " + DATE + r", (sits above the price|sits below the price|surrounds)")
def gap_sentence(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield from _gap(m[1], m[2], m[3].split()[1] if "sits" in m[3] else "around", t)


@check(r"^\| Fair value gap \| " + M + r" – " + M + r" \| Unfilled, (above|below|around) the price \|")
def table_gap(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield from _gap(m[1], m[2], m[3], t)


@check(r"moved into an? \w+ fair value gap between " + M + r" and " + M + r"|^\| Fair value gap \| " + M + r" – " + M
       + r" \| Unfilled at the close, the price now inside it \|")
def inside_gap(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield from _gap(m[1] or m[3], m[2] or m[4], "around", t)


def _gap(low: str, high: str, where: str, t: Truth) -> Iterator[tuple[bool, str]]:
    lo, hi = t.gap or (usd(low), usd(high))
    ok = {"above": lo > t.price, "below": hi < t.price}.get(where, lo < t.price < hi)
    yield ok, f"the gap {low} – {high} {where} the price"


# --- levels named against the price in prose: outlook, why it matters, scenarios, alerts ---
@check(M + r" (below|above)(?= and | the price|\.|,| it\b)")
def figure_side(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[1], t) if m[2] == "below" else above(m[1], t)


@check(r"the broken " + M + r" support now stands overhead")
def broken_overhead(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield above(m[1], t)


@check(r"the cleared " + M + r" resistance is now the level buyers need to defend")
def cleared_below(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[1], t)


@check(r"[Tt]he price has since (climbed back above|fallen back below) the (?:broken|cleared) level at " + M)
def broken_since(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[2], t) if m[1].endswith("above") else above(m[2], t)


# A trigger or a target the prose has said twice is named without its figure (generator/drafting/mentions.py):
# "A recovery above the broken support would open the way toward the level above it, the 0.786 ... at $8,515".
TRIGGER = r"(?:(?! would)[^$|])*?"  # the trigger's name, which ends at "would" when its figure is left out
LINE = r"[^$|\n]*?"  # the target's name, on the scenario's own line (no figure when it ends "the level above it.")


@check(r"\*\*Bullish:\*\* (?:A \S+ close back above|A recovery above) " + TRIGGER + M + r"? would(?: open the way toward "
       r"(?:the level above it, )?" + LINE + M + ")?")
def bullish(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    if m[1]:
        yield above(m[1], t)
    if m[2]:
        yield (t.value(m[2]) > t.value(m[1]), f"bullish target {m[2]} beyond its trigger {m[1]}") if m[1] \
            else above(m[2], t)


@check(r"\*\*Bearish:\*\* (?:A \S+ close below|Losing) " + TRIGGER + M + r"? would(?: (?:expose|open the way down to) "
       r"(?:the level below it, )?" + LINE + M + ")?")
def bearish(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    if m[1]:
        yield below(m[1], t)
    if m[2]:
        yield (t.value(m[2]) < t.value(m[1]), f"bearish target {m[2]} beyond its trigger {m[1]}") if m[1] \
            else below(m[2], t)


@check(r"took [\w ]+? (below|above) " + NAME + M)
def hour_took(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield above(m[2], t) if m[1] == "below" else below(m[2], t)


@check(r"The (?:next|nearest) level (below|above) the price(?: on the \S+ chart)? is " + NAME + M)
def next_level(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield below(m[2], t) if m[1] == "below" else above(m[2], t)
    yield nearest(m[2], t, f"the nearest level {m[1]} the price", t.levels)


# --- statements about the close: judged against the close, not the price ---
@check(r"close at " + M + r" (broke below support|cleared resistance) at " + M)
def close_broke(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield m[1] == format_usd(t.close), f"the close is {m[1]}"
    level = t.value(m[3], t.swings)
    yield (t.close < level) if m[2].startswith("broke") else (t.close > level), f"the close {m[2]} {m[3]}"


@check(r"close (?:breaks (?P<a>\$\d+(?:,\d{3})*(?:\.\d+)?) support|slicing through support at (?P<b>\$\d+(?:,\d{3})*(?:\.\d+)?)|below support at "
       r"(?P<c>\$\d+(?:,\d{3})*(?:\.\d+)?))")
def close_below_support(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    level = m["a"] or m["b"] or m["c"]
    yield t.close < t.value(level, t.swings), f"the close below support {level}"


@check(r"close (?:clears (?P<a>\$\d+(?:,\d{3})*(?:\.\d+)?) resistance|clearing resistance at (?P<b>\$\d+(?:,\d{3})*(?:\.\d+)?)|above resistance at "
       r"(?P<c>\$\d+(?:,\d{3})*(?:\.\d+)?))")
def close_above_resistance(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    level = m["a"] or m["b"] or m["c"]
    yield t.close > t.value(level, t.swings), f"the close above resistance {level}"


# --- a level crossed since the close: between the close and the price ---
def _between_close_and_price(printed: str, way: str, t: Truth) -> tuple[bool, str]:
    k = t.value(printed, t.swings)
    ok = t.price < k < t.close if way == "below" else t.close < k < t.price
    return ok, f"{printed} between the close and the price ({way})"


@check(r"[\w ]+? has (?:fallen|climbed) (below|above) the " + M + r" swing level from " + DATE + r" since the \S+ close at "
       + M)
def crossed_since_close(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield m[3] == format_usd(t.close), f"the close is {m[3]}"
    yield _between_close_and_price(m[2], m[1], t)


@check(r"has since also (?:fallen|climbed) (below|above) the " + M + r" swing level")
def crossed_further(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield _between_close_and_price(m[2], m[1], t)


@check(r"(?:broke below support|cleared resistance) at " + M + r", a swing level from " + DATE + r"\. [\w ]+? has since "
       r"(?:fallen|climbed) back (below|above) it(?:, and (?:below|above) the " + M + r" swing level)?")
def crossed_back(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    yield _between_close_and_price(m[1], m[2], t)  # the level the close broke, undone since
    if m[3]:
        yield _between_close_and_price(m[3], m[2], t)


@check(r"^\| Crossed swing level \| " + M + r" \| From " + DATE + r", now (above|below) the price \|")
def table_crossed(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    k = t.value(m[1], t.swings)
    yield min(t.close, t.price) < k < max(t.close, t.price), f"{m[1]} between the close and the price"
    yield above(m[1], t) if m[2] == "above" else below(m[1], t)


# --- magnitude words: only on a move or an hour well above its own baseline, and the multiple printed right ---
STRONG_MOVE = (r"\b(?:plung|tumbl|plummet|crash|crater|nosediv|tank|slump|collaps|surg|soar|skyrocket|rocket|spik|"
               r"jump|explod|leap|sell-off|selloff)\w*")
SURGE = r"\b(?:flush\w*|cascad\w*|wiped out|wipe-?outs?|(?:long|short)[- ]squeezes?)"


def _window_of(text: str) -> str:
    return "1h" if re.search(r"\bin the hour\b|\bin an hour\b", text) else "24h"


def _sentence(m: re.Match[str]) -> str:
    text = m.string
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()), text.rfind("# ", 0, m.start())) + 1
    ends = [i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


@check(STRONG_MOVE)
def strong_move(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    window = _window_of(_sentence(m))
    multiple = t.move_multiple.get(window)
    need = threshold("move")
    yield multiple is not None and multiple >= need, \
        f"'{m[0]}' on a {window} move {'with no baseline' if multiple is None else f'{multiple:.2f}x its average'}"


@check(SURGE)
def liquidation_surge(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    multiple = t.liquidation_multiple
    yield multiple is not None and multiple >= threshold("liquidations"), \
        f"'{m[0]}' on an hour {'with no baseline' if multiple is None else f'{multiple:.2f}x its average'}"


def _shown(multiple: float) -> str:
    """A multiple as an editor would print it: a tenth below 100, whole numbers from there."""
    return f"{multiple:.1f}" if round(multiple, 1) < 100 else f"{multiple:,.0f}"


@check(r"about ([\d.,]+) times its average (daily|hourly) move over the previous")
def move_multiple_printed(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    multiple = t.move_multiple.get("24h" if m[2] == "daily" else "1h")
    yield multiple is not None and m[1] == _shown(multiple), f"the {m[2]} move multiple is {m[1]} ({multiple})"


@check(r"about ([\d.,]+) times the average of the previous 23 hours")
def liquidation_multiple_printed(m: re.Match[str], t: Truth) -> Iterator[tuple[bool, str]]:
    multiple = t.liquidation_multiple
    yield multiple is not None and m[1] == _shown(multiple), f"the hour's multiple is {m[1]} ({multiple})"


@dataclass
class Audit:
    markets: int = 0
    articles: int = 0
    statements: int = 0
    falsehoods: list[str] = field(default_factory=list)
    shapes: Counter[str] = field(default_factory=Counter)  # statements checked per sentence shape


def audit(cases: list[tuple[int, str, bool]], settings: Settings | None = None,
          edit: Callable[[str], str] | None = None) -> Audit:
    """Render the daily and the alert article of each (seed, timeframe, intraday) market and judge every statement."""
    settings = settings or Settings()
    out = Audit()
    for seed, timeframe, intraday in cases:
        snapshot = market(seed, timeframe, intraday=intraday)
        analysis = analyze(snapshot, level_lookback=settings.level_lookback, swing_strength=settings.swing_strength,
                           level_tolerance_pct=settings.level_tolerance_pct, fib_lookback=settings.fib_lookback)
        facts = build_facts(snapshot, analysis)
        truth = Truth.of(snapshot, analysis, settings)
        out.markets += 1
        for kind in ("daily", "alert"):
            body = draft_article(snapshot, analysis, facts, settings, kind=kind).body
            body = edit(body) if edit is not None else body
            out.articles += 1
            for pattern, judge in CHECKS:
                for m in pattern.finditer(body):
                    for ok, what in judge(m, truth):
                        out.statements += 1
                        out.shapes[judge.__name__] += 1
                        if not ok:
                            line = body[body.rfind("\n", 0, m.start()) + 1 : body.find("\n", m.end())]
                            out.falsehoods.append(f"seed {seed} {timeframe}{' intraday' if intraday else ''} "
                                                  f"{kind} (price {format_usd(snapshot.price.current)}): {what}: "
                                                  f"{line.strip()[:300]}")
    return out


CASES = [(seed, tf, intraday) for tf, seeds in (("1d", range(0, 120)), ("4h", range(120, 220)), ("1w", range(220, 300)))
         for seed in seeds for intraday in (False, True)]


def test_no_position_or_order_statement_is_false_at_any_hour() -> None:
    result = audit(CASES)
    assert result.markets >= 500
    assert result.statements >= 5 * result.markets  # the shapes still match the templates' sentences
    assert not result.falsehoods, f"{len(result.falsehoods)} false statements:\n" + "\n".join(result.falsehoods[:15])


def test_the_oracle_catches_magnitude_words_the_data_does_not_warrant() -> None:
    """The oracle can fail: plain verbs made strong and "were liquidated" made "were wiped out" on every article
    are false on most markets (most moves and hours are near their average)."""
    def louder(body: str) -> str:
        for plain, strong in (("fell", "plunged"), ("rose", "surged"), ("were liquidated", "were wiped out")):
            body = body.replace(f" {plain} ", f" {strong} ")
        return body

    result = audit(CASES[:120], edit=louder)
    moves = [f for f in result.falsehoods if "move with no baseline" in f or "x its average" in f and "' on a " in f]
    hours = [f for f in result.falsehoods if "' on an hour" in f]
    assert len(moves) >= 30 and len(hours) >= 30, (len(moves), len(hours))


if __name__ == "__main__":
    result = audit(CASES)
    print(f"{result.markets} markets, {result.articles} articles, {result.statements} statements checked, "
          f"{len(result.falsehoods)} false")
    print(", ".join(f"{name} {n}" for name, n in result.shapes.most_common()))
    for line in result.falsehoods[:40]:
        print(" ", line)
