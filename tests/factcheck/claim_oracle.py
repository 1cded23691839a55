"""The oracle of the claim perturbation suite: is a sentence's claim true of the snapshot's facts?

Independent of the fact-check: it reads fact values by key (``generator.facts.build_facts``'s vocabulary)
and decides with its own small predicates, written here from what the words mean, not from the checker's
rules. Each predicate answers True, False, or None — *borderline*: the words cannot be judged on these
values (a change that prints as 0.00%, a 50/50 split, a zero total, a level that prints as the price, an
RSI that prints on a band edge). Borderline variants are neither must-catch nor must-pass.

A claim is an expression over predicates, as the case files write it::

    change_direction(24h, down)
    majority(24h, long) and change_direction(24h, down)
    between(price, @a, @b)          # @a: the figure the case's pattern captured as group "a"
    position(levels.fvg_low, above)  # a fact key

``and`` / ``or`` / ``not`` combine predicates in three-valued logic (False wins ``and``, True wins ``or``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from generator.factcheck.rulebook import RULES
from generator.facts import Fact, FactSet

Truth = bool | None


@dataclass(frozen=True)
class Verdict:
    value: Truth
    why: str

    @property
    def text(self) -> str:
        return {True: "true", False: "false", None: "borderline"}[self.value] + f" ({self.why})"


class Context:
    """The facts of one market and the figures one matched sentence captured (group name -> text)."""

    def __init__(self, facts: FactSet, captures: Mapping[str, str] | None = None) -> None:
        self.facts = facts
        self.captures = dict(captures or {})

    def fact(self, key: str) -> Fact | None:
        return self.facts.get(key)

    def num(self, key: str) -> float | None:
        f = self.facts.get(key)
        return None if f is None or isinstance(f.value, str) else float(f.value)

    def price(self) -> Fact | None:
        return self.facts.get("price.current")

    def level(self, arg: str) -> Fact | None:
        """A level named by fact key, ``price``, or ``@name``: the captured figure, as the fact that prints it.

        Several facts may print the same figure; any of them serves a position (same text, same side of the
        price, or the level prints as the price and the predicate calls it borderline)."""
        if arg == "price":
            return self.price()
        if not arg.startswith("@"):
            return self.facts.get(arg)
        shown = self.captures.get(arg[1:])
        if shown is None:
            raise KeyError(f"the case captured no figure {arg}")
        matches = [f for f in self.facts if f.unit == "usd" and f.display == shown]
        levels = [f for f in matches if f.key.startswith(("levels.", "price."))]
        return (levels or matches or [None])[0]

    def shown(self, arg: str) -> str:
        """The text of ``@name`` (a captured figure) or of a fact key's display."""
        if arg.startswith("@"):
            return self.captures[arg[1:]]
        f = self.facts.get(arg)
        return "" if f is None else f.display


# --- the predicates ------------------------------------------------------------------------------------------

WINDOWS = {"24h": "24h", "1h": "1h"}
CHANGE_KEYS = {"24h": "price.change_24h_pct", "1h": "price.change_1h_pct"}


def _prints_zero(f: Fact) -> bool:
    return not re.sub(r"[^1-9]", "", f.display)


def change_direction(ctx: Context, window: str, way: str) -> Verdict:
    """The price went ``up`` or ``down`` over ``window`` (24h, 1h): the sign of that change."""
    f = ctx.fact(CHANGE_KEYS[window])
    if f is None:
        return Verdict(False, f"the data has no {window} change")
    if _prints_zero(f):
        return Verdict(None, f"the {window} change prints as {f.display}")
    actual = "up" if float(f.value) > 0 else "down"
    return Verdict(actual == way, f"{window} change {f.display}")


def _sides(ctx: Context, window: str) -> tuple[Fact, Fact] | None:
    lg, sh = ctx.fact(f"liquidations.long_{window}_usd"), ctx.fact(f"liquidations.short_{window}_usd")
    return None if lg is None or sh is None else (lg, sh)


def majority(ctx: Context, window: str, side: str) -> Verdict:
    """Most of the ``window``'s liquidations were ``side`` (long, short) positions."""
    pair = _sides(ctx, window)
    if pair is None:
        return Verdict(False, f"the data has no long/short liquidations for {window}")
    lg, sh = (float(p.value) for p in pair)
    if lg + sh <= 0:
        return Verdict(None, f"nothing was liquidated in {window}")
    share = ctx.fact(f"liquidations.long_share_{window}_pct")
    if lg == sh or (share is not None and share.display == "50%"):
        return Verdict(None, f"an even split in {window} ({pair[0].display} long, {pair[1].display} short)")
    actual = "long" if lg > sh else "short"
    return Verdict(actual == side, f"{window}: {pair[0].display} long, {pair[1].display} short")


def _down_for(side: str) -> str:
    return "down" if side == "long" else "up"


def squeeze(ctx: Context, window: str, side: str) -> Verdict:
    """A ``side`` squeeze (the event): the price moved against that side and that side led the liquidations."""
    return _and(change_direction(ctx, window, _down_for(side)), majority(ctx, window, side))


def squeezed(ctx: Context, window: str, side: str) -> Verdict:
    """'shorts were squeezed': the price moved against ``side`` and ``side`` positions were liquidated. Whether
    that holds when the other side was most of what was liquidated is a matter of reading: borderline."""
    move = change_direction(ctx, window, _down_for(side))
    if move.value is not True:
        return move
    pair = _sides(ctx, window)
    if pair is None:
        return Verdict(False, f"the data has no long/short liquidations for {window}")
    own = pair[0] if side == "long" else pair[1]
    if float(own.value) <= 0:
        return Verdict(False, f"no {side} liquidations in {window}")
    most = majority(ctx, window, side)
    return Verdict(True if most.value else None, f"{move.why}; {most.why}")


def sign(ctx: Context, key: str, want: str) -> Verdict:
    """The sign of a rate as printed: ``+``, ``-`` or ``0`` (flat). A rate that prints as zero but is not
    zero is borderline for + and -."""
    f = ctx.fact(key)
    if f is None:
        return Verdict(False, f"the data has no {key}")
    v = float(f.value)
    if _prints_zero(f):
        if want == "0":
            return Verdict(True, f"{f.display}")
        return Verdict(None if v != 0 else False, f"{key} prints as {f.display}")
    actual = "+" if v > 0 else "-"
    return Verdict(actual == want, f"{key} {f.display}")


def payer(ctx: Context, side: str) -> Verdict:
    """'longs are paying shorts': funding is positive (shorts pay longs: negative)."""
    return sign(ctx, "funding.rate_pct", "+" if side == "long" else "-")


def _side_of(ctx: Context, arg: str) -> tuple[Truth, str, str]:
    """(level above the price?, level text, price text); None when the level prints as the price."""
    lv, p = ctx.level(arg), ctx.price()
    if lv is None or p is None:
        raise KeyError(f"no level or price for {arg}")
    if lv.display == p.display:
        return None, lv.display, p.display
    return float(lv.value) > float(p.value), lv.display, p.display


def position(ctx: Context, arg: str, where: str) -> Verdict:
    """The level ``arg`` is ``above`` or ``below`` the current price."""
    try:
        above, lv, p = _side_of(ctx, arg)
    except KeyError as e:
        return Verdict(False, str(e))
    if above is None:
        return Verdict(None, f"{arg} prints as the price {p}")
    return Verdict(above == (where == "above"), f"{arg} {lv} vs price {p}")


def still(ctx: Context, arg: str, where: str) -> Verdict:
    """For words that may tell a move rather than where the price stands ("plummeted below support at $X"): the
    level is still ``where`` against the price (True), or the price has come back since (borderline)."""
    found = position(ctx, arg, where)
    return Verdict(True if found.value else None, found.why)


def between(ctx: Context, what: str, low: str, high: str) -> Verdict:
    """``low`` < the price < ``high`` (``what`` is always the price: the current one)."""
    return _and(position(ctx, low, "below"), position(ctx, high, "above"))


def inside(ctx: Context, what: str, a: str, b: str) -> Verdict:
    """The price is between the two levels, whichever is the lower."""
    return _or(between(ctx, what, a, b), between(ctx, what, b, a))


_ROLE_KEYS = {"levels.support": "support", "levels.resistance": "resistance"}


def named(ctx: Context, key: str, role: str) -> Verdict:
    """The words call level ``key`` a ``role`` (support, resistance) and the data names it so. When the data names it
    the other role, the words name it by the part it plays now (a resistance the price has risen above, called
    support): borderline, whatever the position says."""
    f = ctx.fact(key)
    if f is None:
        return Verdict(False, f"the data has no {key}")
    actual = _ROLE_KEYS.get(key) or f.context or ""
    return Verdict(True if actual == role else None, f"the data names {key} {actual}")


def gap_type(ctx: Context, kind: str) -> Verdict:
    """The fair value gap is ``bullish`` or ``bearish``."""
    f = ctx.fact("levels.fvg_direction")
    if f is None:
        return Verdict(False, "the data has no fair value gap")
    return Verdict(f.value == kind, f"the gap is {f.value}")


def fib_move(ctx: Context, noun: str) -> Verdict:
    """The Fibonacci move is a ``rally`` (its low came first) or a ``decline``."""
    lo, hi = ctx.fact("levels.fib_move_low_date"), ctx.fact("levels.fib_move_high_date")
    if lo is None or hi is None:
        return Verdict(False, "the data has no Fibonacci move")
    a, b = datetime.fromisoformat(str(lo.value)), datetime.fromisoformat(str(hi.value))
    if a == b:
        return Verdict(None, "the move's low and high are on the same candle")
    actual = "rally" if a < b else "decline"
    return Verdict(actual == noun, f"low {lo.display}, high {hi.display}: a {actual}")


_FIB = re.compile(r"^levels\.fib_(0_\d+)$")


def order(ctx: Context, arg: str, word: str) -> Verdict:
    """The retracement ``arg`` is the ``deepest`` (largest ratio) or ``shallowest`` (smallest) of the data's."""
    shown = ctx.shown(arg)
    ratios = {float(m.group(1).replace("_", ".")): f for f in ctx.facts if (m := _FIB.match(f.key))}
    named = [r for r, f in ratios.items() if f.display == shown]
    if not ratios or not named:
        return Verdict(False, f"{shown} is no Fibonacci retracement")
    pick = max(ratios) if word == "deepest" else min(ratios)
    return Verdict(pick in named, f"{shown} is the {'/'.join(f'{r:g}' for r in named)}; the {word} is {pick:g}")


def broke(ctx: Context, kind: str, way: str = "any") -> Verdict:
    """The latest close broke a ``kind`` level (support, resistance) — ``way``: down, up or any."""
    f = ctx.fact("levels.broken")
    if f is None:
        return Verdict(False, "no level was broken")
    actual = f.context or ""
    natural = "down" if actual == "support" else "up"
    ok = actual == kind and way in ("any", natural)
    return Verdict(ok, f"the close broke {actual} at {f.display} ({natural})")


_TF_WORDS = {"daily": "1d", "4-hour": "4h", "weekly": "1w", "hourly": "1h"}
_TF_HOURS = {24.0: "1d", 4.0: "4h", 168.0: "1w", 1.0: "1h"}


def _rsi(ctx: Context, which: str) -> list[Fact]:
    """The RSI readings ``which`` names: a timeframe (1d, or a captured word: @tf = "daily"), a captured
    printed reading (@n = "35"), ``main`` (the analysis timeframe's RSI, else every RSI the data has) or ``any``."""
    readings = [f for f in ctx.facts if f.key.startswith("technicals.rsi_") and f.key != "technicals.rsi_period"]
    if which.startswith("@"):
        which = ctx.shown(which)
        if which not in _TF_WORDS:
            return [f for f in readings if f.display == which]
    if which == "any":
        return readings
    if which == "main":
        tf = ctx.fact("analysis.timeframe")
        own = [f for f in readings if tf is not None and f.key == f"technicals.rsi_{_TF_HOURS.get(float(tf.value))}"]
        return own or readings
    tf = _TF_WORDS.get(which, which)
    return [f for f in readings if f.key == f"technicals.rsi_{tf}"]


def _rsi_band_of(v: float) -> str:
    return "oversold" if v < 30 else "overbought" if v > 70 else "neutral"


def rsi_band(ctx: Context, which: str, band: str) -> Verdict:
    """The RSI is in the ``band`` (oversold below 30, overbought above 70, else neutral). A reading within half
    a point of an edge (it prints as 30 or 70) is borderline; an unnamed RSI whose timeframes disagree too."""
    readings = _rsi(ctx, which)
    if not readings:
        return Verdict(False, f"the data has no RSI for {which}")
    if any(abs(float(f.value) - edge) <= 0.5 for f in readings for edge in (30.0, 70.0)):
        return Verdict(None, "the RSI prints on a band edge")
    bands = {_rsi_band_of(float(f.value)) for f in readings}
    if len(bands) > 1:
        return Verdict(None, "the RSIs of the timeframes disagree")
    shown = ", ".join(f"{f.key} {f.display}" for f in readings)
    return Verdict(band in bands, shown)


def rsi_vs(ctx: Context, which: str, where: str, edge: str) -> Verdict:
    """The RSI is ``above`` or ``below`` the threshold ``edge`` (30, 70, oversold, overbought, or @band)."""
    readings = _rsi(ctx, which)
    if not readings:
        return Verdict(False, f"the data has no RSI for {which}")
    if edge.startswith("@"):
        edge = ctx.shown(edge)
    e = {"oversold": 30.0, "overbought": 70.0}.get(edge) or float(edge)
    if any(abs(float(f.value) - e) <= 0.5 for f in readings):
        return Verdict(None, f"the RSI prints at {edge}")
    sides = {float(f.value) > e for f in readings}
    if len(sides) > 1:
        return Verdict(None, "the RSIs of the timeframes disagree")
    return Verdict(sides.pop() == (where == "above"), ", ".join(f.display for f in readings))


# alternative.me's bands, by their edges (inclusive upper bounds), written here from the provider's page.
_FG_EDGES = ((24, "extreme fear"), (46, "fear"), (54, "neutral"), (75, "greed"), (100, "extreme greed"))


def fear_greed(ctx: Context, band: str) -> Verdict:
    """The Fear & Greed reading is in ``band``: the provider's label says so. A reading within a point of the edge
    between the label's band and the one named is borderline (providers and tables draw the edges a point apart)."""
    f = ctx.fact("sentiment.fear_greed")
    if f is None:
        return Verdict(False, "the data has no Fear & Greed reading")
    want = band.replace("_", " ").lower()
    label = (f.context or "").lower()
    v = float(f.value)
    if label == want:
        return Verdict(True, f"{f.display} {f.context}")
    names = [n for _, n in _FG_EDGES]
    if want in names and label in names and abs(names.index(want) - names.index(label)) == 1:
        lo = min(names.index(want), names.index(label))
        edge = _FG_EDGES[lo][0]
        if edge - 1 <= v <= edge + 2:
            return Verdict(None, f"{f.display} {f.context}: on the edge of {want}")
    return Verdict(False, f"{f.display} {f.context}")


def figure_is(ctx: Context, arg: str, key: str) -> Verdict:
    """The figure ``arg`` (a captured @name, or a fact key's display) is what fact ``key`` prints, signed or not:
    the words moved the figure to ``key``'s window or side. True when the two print the same."""
    shown = ctx.shown(arg)
    f = ctx.fact(key)
    if f is None:
        return Verdict(False, f"the data has no {key}")
    return Verdict(shown in (f.display, f.display_abs), f"{key} prints {f.display}; the words give {shown}")


# The least multiple of its baseline a magnitude word needs: the rule book's definition (docs/factcheck.md,
# Magnitude), read as data; the multiple itself is computed here from the figures, not taken from a multiple fact.
_THRESHOLDS = {scale: float(spec["threshold"]) for scale, spec in RULES.setting("magnitude").items()}


def strong(ctx: Context, scale: str, window: str) -> Verdict:
    """A magnitude word is warranted: the ``window``'s move against the average move (scale move), or the hour's
    liquidations against the other 23 hours' average (scale liquidations), at least the threshold. Within 2% of it:
    borderline."""
    if scale == "move":
        change, avg = ctx.num(f"price.change_{window}_pct"), ctx.num(f"volatility.average_move_{window}_pct")
        multiple = abs(change) / avg if change is not None and avg else None
    elif window != "1h":
        return Verdict(False, "a 24-hour liquidation total has no baseline in a snapshot")
    else:
        hour, day = ctx.num("liquidations.total_1h_usd"), ctx.num("liquidations.total_24h_usd")
        rest = (day - hour) / 23 if hour is not None and day is not None else 0.0
        multiple = hour / rest if hour is not None and rest > 0 else None
    if multiple is None:
        return Verdict(False, f"no baseline for the {window} {scale}")
    need = _THRESHOLDS[scale]
    if abs(multiple - need) <= 0.02 * need:
        return Verdict(None, f"{multiple:.2f}x its baseline, at the {need:g}x threshold")
    return Verdict(multiple >= need, f"{multiple:.2f}x its baseline (needs {need:g}x)")


PREDICATES: Mapping[str, Callable[..., Verdict]] = {
    "change_direction": change_direction, "majority": majority, "squeeze": squeeze, "squeezed": squeezed,
    "sign": sign, "payer": payer, "position": position, "still": still, "between": between, "inside": inside, "gap_type": gap_type,
    "fib_move": fib_move, "order": order, "broke": broke, "rsi_band": rsi_band, "rsi_vs": rsi_vs,
    "fear_greed": fear_greed, "figure_is": figure_is, "named": named, "strong": strong,
}


# --- expressions ------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<op>\(|\)|,)|(?P<word>[^\s(),]+))")


def _and(*vs: Verdict) -> Verdict:
    why = "; ".join(v.why for v in vs)
    if any(v.value is False for v in vs):
        return Verdict(False, "; ".join(v.why for v in vs if v.value is False))
    return Verdict(None if any(v.value is None for v in vs) else True, why)


def _or(*vs: Verdict) -> Verdict:
    if any(v.value is True for v in vs):
        return Verdict(True, "; ".join(v.why for v in vs if v.value is True))
    return Verdict(None if any(v.value is None for v in vs) else False, "; ".join(v.why for v in vs))


def _not(v: Verdict) -> Verdict:
    return Verdict(None if v.value is None else not v.value, "not: " + v.why)


def parse(expr: str) -> tuple:
    """'a(x, y) and not b(z)' -> a tree of ('and', ...), ('or', ...), ('not', t), ('call', name, args)."""
    tokens = [m.group("op") or m.group("word") for m in _TOKEN.finditer(expr) if m.group().strip()]
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise ValueError(f"bad claim expression {expr!r}: expected {expected or 'more'} at {tok!r}")
        pos += 1
        return tok

    def disjunction() -> tuple:
        terms = [conjunction()]
        while peek() == "or":
            take()
            terms.append(conjunction())
        return terms[0] if len(terms) == 1 else ("or", *terms)

    def conjunction() -> tuple:
        terms = [unary()]
        while peek() == "and":
            take()
            terms.append(unary())
        return terms[0] if len(terms) == 1 else ("and", *terms)

    def unary() -> tuple:
        if peek() == "not":
            take()
            return ("not", unary())
        if peek() == "(":
            take("(")
            inner = disjunction()
            take(")")
            return inner
        name = take()
        if name not in PREDICATES:
            raise ValueError(f"bad claim expression {expr!r}: no predicate {name!r}")
        take("(")
        args = []
        while peek() != ")":
            args.append(take())
            if peek() == ",":
                take(",")
        take(")")
        return ("call", name, tuple(args))

    tree = disjunction()
    if pos != len(tokens):
        raise ValueError(f"bad claim expression {expr!r}: trailing {tokens[pos:]}")
    return tree


def evaluate(expr: str | tuple, ctx: Context) -> Verdict:
    tree = parse(expr) if isinstance(expr, str) else expr
    op = tree[0]
    if op == "call":
        return PREDICATES[tree[1]](ctx, *tree[2])
    if op == "not":
        return _not(evaluate(tree[1], ctx))
    parts = [evaluate(t, ctx) for t in tree[1:]]
    return _and(*parts) if op == "and" else _or(*parts)


def predicates_used(tree: tuple) -> set[str]:
    if tree[0] == "call":
        return {tree[1]}
    return set().union(*(predicates_used(t) for t in tree[1:] if isinstance(t, tuple)))
