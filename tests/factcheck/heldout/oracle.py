"""An independent oracle for claims made in words: is a sentence's claim true of the snapshot's facts?

This is test code. It does not import the fact-check and shares none of its rules: each predicate below says
in a few lines what a claim word means (``majority(24h, long)``: more dollars of longs than of shorts were
liquidated in the 24 hours) and decides it from the facts (``generator.facts.build_facts``). The claim cases
(flips.yaml) and paraphrase shapes (paraphrases.yaml) name these predicates in their ``truth``.

Every predicate answers True, False or None. None is a borderline the oracle refuses to decide, and the
variant is skipped, not counted: a change that prints as 0.00%, a 50/50 split (or zero totals), a funding
rate that prints as 0.0000%, a level that prints the same as the price, an RSI that prints as 30 or 70, a
Fear & Greed reading whose provider label and published band disagree, two move ends on the same date.

Expressions: calls joined by ``and`` (Kleene logic: any False makes the whole False; else any None makes it
None), arguments separated by a comma and a space, optionally quoted, e.g.
``position($60,704, above) and sign(funding.rate_pct, -)``.
A level may be given by its fact key (``levels.support``), by the money text the article printed
(``'$0.0003497'``) or, for Fibonacci levels, by the ratio (``0.236``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from generator.facts import Fact, FactSet

Truth = bool | None

# alternative.me's published Fear & Greed classification (inclusive upper bounds).
FEAR_GREED = ((25, "extreme fear"), (46, "fear"), (54, "neutral"), (75, "greed"), (100, "extreme greed"))
RSI_OVERSOLD, RSI_OVERBOUGHT = 30, 70
TIMEFRAME_WORDS = {"hourly": "1h", "1-hour": "1h", "4-hour": "4h", "daily": "1d", "weekly": "1w",
                   "1h": "1h", "4h": "4h", "1d": "1d", "1w": "1w"}
_HOURS_TO_TF = {1.0: "1h", 4.0: "4h", 24.0: "1d", 168.0: "1w"}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = re.compile(r"^(-)?\$?(-)?([\d,]*\.?\d+)\s*(thousand|million|billion|trillion|%|/100)?$")
_FIB = re.compile(r"^levels\.fib_0(_\d+)?$")
SWING_LEVELS = ("levels.support", "levels.resistance", "levels.broken")


def parse_amount(text: str) -> tuple[float, float] | None:
    """('$7.18 million') -> (7_180_000, 5_000): the value written and half a unit in its last place."""
    m = _NUMBER.match(text.strip())
    if m is None:
        return None
    digits = m.group(3).replace(",", "")
    scale = _SCALE.get(m.group(4) or "", 1.0)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    value = float(digits) * scale * (-1 if (m.group(1) or m.group(2)) else 1)
    return value, 0.5 * 10**-decimals * scale


def _printed_zero(fact: Fact) -> bool:
    parsed = parse_amount(fact.display)
    return parsed is not None and parsed[0] == 0


def _and(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values):
        return None
    return True


class Oracle:
    """The predicates, bound to one snapshot's facts."""

    def __init__(self, facts: FactSet) -> None:
        self.facts = facts
        self.price = facts.get("price.current")
        self.predicates: dict[str, Callable[..., Truth]] = {
            name: getattr(self, name) for name in (
                "change_direction", "majority", "squeeze", "sign", "position", "range_position", "gap_position",
                "gap_type", "fibs", "order", "fib_move", "broke", "band", "fg_band", "amount_is", "nearest", "strong")}

    # --- expressions --------------------------------------------------------

    def evaluate(self, expr: str) -> Truth:
        return _and([self._call(part) for part in re.split(r"\s+and\s+(?=\w+\()", expr.strip())])

    def _call(self, text: str) -> Truth:
        m = re.fullmatch(r"(\w+)\((.*)\)", text.strip())
        if m is None or m.group(1) not in self.predicates:
            raise ValueError(f"not a predicate call: {text!r}")
        # Arguments are separated by a comma and a space; money text never has one ('$60,704').
        args = [a.strip().strip("'") for a in re.split(r",\s+", m.group(2))]
        return self.predicates[m.group(1)](*args)

    # --- helpers ------------------------------------------------------------

    def _level(self, ref: str) -> tuple[float, str] | None:
        """A level's value and the text it prints as: a fact key, a money text or a Fibonacci ratio."""
        if ref.startswith("$"):
            parsed = parse_amount(ref)
            return (parsed[0], ref) if parsed else None
        if re.fullmatch(r"0\.\d+|0|1", ref):
            ref = "levels.fib_" + ref.replace(".", "_")
        fact = self.facts.get(ref)
        if fact is None or fact.unit != "usd":
            return None
        return float(fact.value), fact.display

    def _side(self, ref: str) -> str | None:
        """Where a level sits against the price: 'above', 'below' or None when it prints as the price."""
        level = self._level(ref)
        if level is None or self.price is None:
            return None
        value, text = level
        p = float(self.price.value)
        if text == self.price.display or value == p:
            return None
        parsed = parse_amount(text)
        if parsed is not None and abs(parsed[0] - p) <= parsed[1]:
            return None  # the price rounds to the level as written
        return "above" if value > p else "below"

    def _fib_keys(self) -> list[str]:
        return [f.key for f in self.facts if _FIB.match(f.key)]

    def _rsi_key(self, ref: str) -> list[str]:
        keys = [f.key for f in self.facts if f.key.startswith("technicals.rsi_") and f.key != "technicals.rsi_period"]
        if ref.startswith("technicals."):
            return [ref] if ref in self.facts else []
        if ref.startswith("rsi:"):
            tf = TIMEFRAME_WORDS.get(ref[4:])
            return [k for k in keys if k == f"technicals.rsi_{tf}"]
        # 'rsi': the RSI of the analysis timeframe when there is one, else every RSI the data has.
        tf_fact = self.facts.get("analysis.timeframe")
        tf = _HOURS_TO_TF.get(float(tf_fact.value)) if tf_fact else None
        primary = f"technicals.rsi_{tf}"
        return [primary] if primary in keys else keys

    # --- the predicates -----------------------------------------------------

    def change_direction(self, window: str, direction: str) -> Truth:
        """The price change over ``window`` (24h, 1h) went ``direction`` (up, down)."""
        fact = self.facts.get({"24h": "price.change_24h_pct", "1h": "price.change_1h_pct"}[window])
        if fact is None or _printed_zero(fact):
            return None
        return (float(fact.value) > 0) == (direction == "up")

    def majority(self, window: str, side: str) -> Truth:
        """More of the ``window`` liquidations (in dollars) were ``side`` (long, short) positions than the other."""
        long, short = self.facts.get(f"liquidations.long_{window}_usd"), self.facts.get(f"liquidations.short_{window}_usd")
        if long is None or short is None:
            return None
        a, b = float(long.value), float(short.value)
        if a + b <= 0 or round(100 * a / (a + b)) == 50:
            return None  # zero totals or a split that prints as 50/50
        return (a > b) == (side == "long")

    def squeeze(self, side: str) -> Truth:
        """A long squeeze: mostly longs liquidated as the price fell; a short squeeze: shorts, as it rose."""
        return _and([self.majority("24h", side), self.change_direction("24h", "down" if side == "long" else "up")])

    def strong(self, scale: str, window: str) -> Truth:
        """A magnitude word ("plunged", "a flush") is warranted: the move at least twice its average move over the
        same window (scale move), the hour's liquidations at least three times the other 23 hours' average (scale
        liquidations; a 24-hour total has no baseline: never). docs/factcheck.md, Magnitude. Within 2%: borderline."""
        if scale == "liquidations":
            if window != "1h":
                return False
            hour, day = self.facts.get("liquidations.total_1h_usd"), self.facts.get("liquidations.total_24h_usd")
            if hour is None or day is None or float(day.value) - float(hour.value) <= 0:
                return False
            multiple, need = float(hour.value) / ((float(day.value) - float(hour.value)) / 23), 3.0
        else:
            change, avg = self.facts.get(f"price.change_{window}_pct"), self.facts.get(f"volatility.average_move_{window}_pct")
            if change is None or avg is None or float(avg.value) <= 0:
                return False
            multiple, need = abs(float(change.value)) / float(avg.value), 2.0
        return None if abs(multiple - need) <= 0.02 * need else multiple >= need

    def sign(self, key: str, sign: str) -> Truth:
        """The fact is positive (+) or negative (-); a value that prints as zero is borderline."""
        fact = self.facts.get(key)
        if fact is None or _printed_zero(fact):
            return None
        return (float(fact.value) > 0) == (sign == "+")

    def position(self, level: str, side: str) -> Truth:
        """The level sits ``side`` (above, below) the current price."""
        where = self._side(level)
        return None if where is None else where == side

    def nearest(self, level: str, side: str) -> Truth:
        """The level is the nearest swing level (support, resistance or the broken level, whatever the data calls
        them now) on ``side`` of the price: "the next swing support below", "resistance overhead sits at"."""
        mine = self._level(level)
        if mine is None:
            return None
        where = self._side(level)
        if where is None:
            return None
        if where != side:
            return False
        p = float(self.price.value) if self.price else 0.0
        for key in SWING_LEVELS:
            other = self._level(key)
            if other is None or other[1] == mine[1] or self._side(key) != side:
                continue
            if abs(other[0] - p) < abs(mine[0] - p):
                return False
        return True

    def range_position(self, low: str, high: str, side: str) -> Truth:
        """The zone from ``low`` to ``high`` sits above, below or around (straddling) the price."""
        a, b = self._side(low), self._side(high)
        if a is None or b is None:
            return None
        where = "above" if a == b == "above" else "below" if a == b == "below" else "around"
        if where == "around" and (a, b) != ("below", "above"):
            return None  # the two ends are given the wrong way round: no zone to speak of
        return where == side

    def gap_position(self, side: str) -> Truth:
        """The unfilled fair value gap sits above, below or around the price."""
        return self.range_position("levels.fvg_low", "levels.fvg_high", side)

    def gap_type(self, kind: str) -> Truth:
        fact = self.facts.get("levels.fvg_direction")
        return None if fact is None else str(fact.value) == kind

    def fibs(self, side: str) -> Truth:
        """Every Fibonacci retracement level sits ``side`` the price."""
        sides = [self._side(k) for k in self._fib_keys()]
        if not sides or any(s is None for s in sides):
            return None
        return all(s == side for s in sides)

    def order(self, level: str, which: str) -> Truth:
        """The level is the deepest (largest ratio, furthest back toward the move's start) or the shallowest
        (smallest ratio) of the Fibonacci retracements the data has."""
        keys = self._fib_keys()
        if len(keys) < 2:
            return None
        ratio = {k: float("0." + k.split("_", 2)[2]) if k.count("_") == 2 else 0.0 for k in keys}
        if level.startswith("$"):
            match = [k for k in keys if self.facts[k].display == level]
            if len(match) != 1:
                return None
            level = match[0]
        elif re.fullmatch(r"0\.\d+", level):
            level = "levels.fib_" + level.replace(".", "_")
        if level not in ratio:
            return False  # not one of the retracements at all
        target = max(ratio, key=ratio.__getitem__) if which == "deepest" else min(ratio, key=ratio.__getitem__)
        return level == target

    def fib_move(self, direction: str) -> Truth:
        """The move the retracements are drawn on was a rally (up: its low came first) or a decline (down)."""
        lo, hi = self.facts.get("levels.fib_move_low_date"), self.facts.get("levels.fib_move_high_date")
        if lo is None or hi is None:
            return None
        a, b = datetime.fromisoformat(str(lo.value)), datetime.fromisoformat(str(hi.value))
        if a == b:
            return None
        return (a < b) == (direction == "up")

    def broke(self, kind: str, direction: str = "any") -> Truth:
        """The latest close broke a ``kind`` (support, resistance) level, going ``direction`` (above, below, any):
        the data names a broken level of that kind and the close stands on that side of it."""
        level, close = self.facts.get("levels.broken"), self.facts.get("price.last_close")
        if level is None:
            return False
        if level.context != kind:
            return False
        if direction == "any":
            return True
        if close is None or close.display == level.display or float(close.value) == float(level.value):
            return None
        return (float(close.value) > float(level.value)) == (direction == "above")

    def band(self, rsi: str, name: str) -> Truth:
        """The RSI (``rsi``, ``rsi:daily`` or a key) is oversold (<30), overbought (>70) or neutral."""
        keys = self._rsi_key(rsi)
        if not keys:
            return None
        answers = []
        for key in keys:
            fact = self.facts[key]
            if fact.display in (str(RSI_OVERSOLD), str(RSI_OVERBOUGHT)):
                return None
            v = float(fact.value)
            band = "oversold" if v < RSI_OVERSOLD else "overbought" if v > RSI_OVERBOUGHT else "neutral"
            answers.append(band == name)
        if all(answers):
            return True
        return False if not any(answers) else None  # RSIs of different timeframes disagree

    def fg_band(self, label: str) -> Truth:
        """The Crypto Fear & Greed Index is in the band ``label`` (provider's label and published band agree)."""
        fact = self.facts.get("sentiment.fear_greed")
        if fact is None:
            return None
        published = next(name for upper, name in FEAR_GREED if float(fact.value) <= upper)
        provider = (fact.context or published).lower()
        if provider != published:
            return None
        return label.lower().replace("-", " ") == published

    def amount_is(self, key: str, text: str) -> Truth:
        """The fact ``key`` rounds to ``text`` at the precision written ('$3.5 million', '27%')."""
        fact = self.facts.get(key)
        parsed = parse_amount(text)
        if parsed is None:
            raise ValueError(f"not an amount: {text!r}")
        if fact is None:
            return False  # the data has no such figure: the words claim one
        value, half = parsed
        return abs(abs(float(fact.value)) - abs(value)) <= half * 1.0000001
