"""The predicates that judge claims made in words, over the facts a claim is bound to.

Each takes the claim (its predicate arguments: the values its words carry, "side": "long"), the facts its
subject was bound to, and the fact index, and returns a Judgement — or None when, on a closer look, the words
state nothing about the data here (a band word that names another gauge). They read facts through their
meanings (generator/fact_catalogue.py): which window, side and level a fact is, never its key's spelling;
``price.current`` is named because it is the reference every position is measured against.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from generator.factcheck.claim import Claim, Predicate
from generator.factcheck.funding_predicates import venue_rank, venue_sign, venues_sign
from generator.factcheck.history_predicates import record, streak_way
from generator.factcheck.index import FactIndex, moment
from generator.factcheck.judge import Judgement
from generator.factcheck.magnitude_predicates import magnitude
from generator.factcheck.markdown import Layout
from generator.factcheck.peer_predicates import compare_moves, peer_rank
from generator.factcheck.rulebook import RULES
from generator.facts import Fact, fear_greed_band
from generator.facts import rsi_band as band_of_rsi


def _flat(change: Fact) -> bool:
    """A change that prints as zero ("0.00%") makes no direction claim true or false; any other is up or down,
    as its own figure says ("slipped" when the hour printed +0.04% is false)."""
    return not any(c in "123456789" for c in change.display)


def _ok(ok: bool, fact: Fact | None, expected: str | None, good: str, bad: str, verdict: str = "direction") -> Judgement:
    return Judgement("verified" if ok else verdict, fact, expected, good if ok else bad)


def _none(why: str) -> Judgement:
    return Judgement("unsupported", None, None, why)


def _number(fact: Fact) -> float:
    return float(fact.value)


def _shown_sign(fact: Fact) -> int:  # (funding_predicates.shown_sign)
    """The sign of a fact as printed: a funding rate that prints as 0.0000% has none."""
    text = fact.display.replace(",", "")
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits.strip("0"):
        return 0
    return -1 if text.lstrip().startswith(("-", "−")) else 1


def _with(index: FactIndex, **tags: str) -> list[Fact]:
    """The facts whose meaning has every one of ``tags`` (found once per fact set)."""
    key = tuple(sorted(tags.items()))
    found = index.found.get(key)
    if found is None:
        found = index.found[key] = [f for f in index.facts if all(f.meaning.has(s, v) for s, v in tags.items())]
    return found


def _windows(facts: list[Fact]) -> list[str]:
    return list(dict.fromkeys(w for f in facts for w in f.meaning.tags.get("window", ())))


def _parts(index: FactIndex, window: str) -> tuple[Fact | None, Fact | None]:
    """The long and the short liquidation amounts of a window."""
    amounts = [f for f in _with(index, metric="liquidations", window=window) if f.unit == "usd"]
    long = next((f for f in amounts if f.meaning.has("side", "long")), None)
    short = next((f for f in amounts if f.meaning.has("side", "short")), None)
    return long, short


def majority(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'most of them longs', 'shorts bore the brunt': the side named is the larger part of the window's total."""
    side = claim.args.get("side")
    if side not in ("long", "short"):
        return None
    windows = _windows(claim.subject) or ["24h", "1h"]
    pairs = [(w, lg, sh) for w in windows for lg, sh in [_parts(index, w)] if lg is not None and sh is not None]
    if not pairs:
        return _none("the data has no long/short liquidations")
    wrong = []
    for w, lg, sh in pairs:
        if _number(lg) + _number(sh) <= 0:
            return _none(f"nothing was liquidated in the {w} window")
        larger = "long" if _number(lg) > _number(sh) else "short" if _number(sh) > _number(lg) else "neither"
        if larger != side:
            wrong.append((w, lg, sh, larger))
    w, lg, sh = (wrong[0][:3] if wrong else pairs[0])
    larger = "longs" if _number(lg) > _number(sh) else "shorts" if _number(sh) > _number(lg) else "neither side"
    why = f"{lg.label} {lg.display} against {sh.label.lower()} {sh.display}: {larger} were larger"
    return _ok(not wrong, lg, f"{lg.display} vs {sh.display}", why, why)


def _change(index: FactIndex, window: str) -> Fact | None:
    return next((f for f in _with(index, metric="change", aspect="net", window=window)), None)


def squeeze(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'shorts were squeezed': a rising market forced shorts out (a long squeeze: a falling one, longs); 'a long
    squeeze' (args led) names the event, so longs were also most of what was liquidated."""
    side = claim.args.get("side")
    if side not in ("long", "short"):
        return None
    if claim.args.get("led"):
        found = majority(claim, index, layout)
        if found is None or found.verdict != "verified":
            return found
    else:
        windows = _windows(claim.subject) or ["24h"]
        parts = [(w, _parts(index, w)) for w in windows]
        amounts = [lg if side == "long" else sh for _, (lg, sh) in parts if lg is not None and sh is not None]
        if not amounts:
            return _none("the data has no long/short liquidations")
        if all(_number(a) <= 0 for a in amounts):
            return Judgement("direction", amounts[0], amounts[0].display, f"{amounts[0].label} is {amounts[0].display}")
        found = Judgement("verified", amounts[0], amounts[0].display, f"{amounts[0].label} is {amounts[0].display}")
    windows = _windows(claim.subject) or ["24h"]
    for w in windows:
        change = _change(index, w)
        if change is None or _flat(change):
            continue
        fell = _number(change) < 0
        if fell != (side == "long"):
            way = "fell" if fell else "rose"
            return Judgement("direction", change, change.display,
                             f"a {side} squeeze forces {side}s out of a {'falling' if side == 'long' else 'rising'} "
                             f"market; the price {way} ({change.label} {change.display})")
    return found


def payer(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'longs are paying shorts': positive funding (shorts paying longs: negative)."""
    side = claim.args.get("payer")
    fact = next(iter(claim.subject), None)
    if fact is None:
        return _none("the data has no funding rate")
    sign = _shown_sign(fact)
    pays = "long" if sign > 0 else "short" if sign < 0 else None
    why = f"{fact.label} is {fact.display}: " + (f"{pays}s pay {'shorts' if pays == 'long' else 'longs'}" if pays
                                                   else "neither side pays")
    return _ok(pays == side, fact, fact.display, why, why)


def sign(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'funding is negative', 'positive funding': the sign of the rate as printed ('funding is positive on Bybit':
    of that venue's rate, funding_predicates.venue_sign)."""
    if claim.args.get("futures_venue"):
        return venue_sign(claim, index, layout)
    if claim.args.get("across") == "venues":
        return venues_sign(claim, index, layout)
    word = claim.args.get("sign_word")
    fact = next(iter(claim.subject), None)
    if fact is None:
        return _none("the data has no funding rate")
    actual = {1: "positive", -1: "negative", 0: "zero"}[_shown_sign(fact)]
    why = f"{fact.label} is {fact.display}, {actual}"
    return _ok(word == actual, fact, fact.display, why, why)


def _reference(index: FactIndex) -> Fact | None:
    return index.facts.get("price.current")


def position(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'$9,680 sits above the price' (orient: level), 'the price remains above the gap' (orient: price)."""
    where = claim.args.get("position_word")
    levels = [f for f in claim.subject if f.unit == "usd"]
    price = _reference(index)
    if not levels or where not in ("above", "below") or price is None:
        return None if price is not None and not claim.subject else _none("no level in the data is named here")
    p = _number(price)
    if claim.args.get("orient") == "price":  # the price is above (or below) every one of them
        ok = all((p > _number(f)) if where == "above" else (p < _number(f)) for f in levels)
        shown = max(levels, key=_number) if where == "above" else min(levels, key=_number)
        why = f"the price ({price.display}) is {'above' if p > _number(shown) else 'below'} {shown.label} {shown.display}"
        return _ok(ok, shown, shown.display, why, why)
    wrong = [f for f in levels if (_number(f) > p) != (where == "above")]
    fact = wrong[0] if wrong else levels[0]
    side = "above" if _number(fact) > p else "below"
    why = f"{fact.label} {fact.display} is {side} the price ({price.display})"
    return _ok(not wrong, fact, fact.display, why, why)


def inside(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'trades between support at X and resistance at Y', 'the price is inside the gap': between the two."""
    levels = [f for f in claim.subject if f.unit == "usd"]
    price = _reference(index)
    if price is None:
        return None
    if len(levels) < 2:
        return _none("the words name two levels; the data does not back both") if levels else None
    low, high = min(levels, key=_number), max(levels, key=_number)
    p = _number(price)
    ok = _number(low) < p < _number(high)
    where = "below both" if p <= _number(low) else "above both" if p >= _number(high) else "between them"
    why = f"the price ({price.display}) is {where}: {low.label} {low.display}, {high.label} {high.display}"
    return _ok(ok, low if p <= _number(low) else high, f"{low.display} – {high.display}", why, why)


def gap_type(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'a bearish fair value gap': the gap's own kind."""
    kind = index.facts.get("levels.fvg_direction")
    if kind is None:
        return _none("the data has no fair value gap")
    said = claim.args.get("gap_kind")
    why = f"the fair value gap is {kind.display}"
    return _ok(said == kind.value, kind, kind.display, why, why, verdict="mismatch")


def _move_way(index: FactIndex) -> tuple[str, Fact] | None:
    dated = [f for f in _with(index, window="move", metric="level") if f.unit in ("date", "datetime")]
    low = next((f for f in dated if f.meaning.has("aspect", "low")), None)
    high = next((f for f in dated if f.meaning.has("aspect", "high")), None)
    if low is None or high is None:
        return None
    up = moment(low) < moment(high)
    return ("up" if up else "down"), high if up else low


def move_type(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'retracements of the rally': the Fibonacci move went up (a decline: down)."""
    found = _move_way(index)
    if found is None:
        return _none("the data has no Fibonacci move")
    way, end = found
    said = claim.args.get("move_noun")
    word = "rally" if way == "up" else "decline"
    why = f"the move ran {way} to {end.display}: a {word}"
    if claim.args.get("from_to"):  # "from $A to $B": A must be where the move began
        ends = [f for f in claim.subject if f.unit == "usd"]
        if len(ends) != 2 or {e.meaning.tags.get("aspect", ("",))[0] for e in ends} != {"low", "high"}:
            return None  # not the move's two ends: another move
        began = "low" if way == "up" else "high"
        if not ends[0].meaning.has("aspect", began):
            why = f"the move ran {way}: it began at the {began}, {ends[1].display}"
            return _ok(False, end, word, why, why, verdict="mismatch")
    return _ok(said == way, end, word, why, why, verdict="mismatch")


def order(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'the deepest of them' (the largest retracement ratio), 'the nearest support' (no closer level that side)."""
    word = claim.args.get("order_word")
    levels = [f for f in claim.subject if f.unit == "usd"]
    if not levels:
        return None
    fact = levels[0]
    if word in ("deepest", "shallowest"):
        ratios = {f.key: float(f.meaning.tags["ratio"][0]) for f in index.facts if "ratio" in f.meaning.tags}
        if fact.key not in ratios:
            return None
        pick = max if word == "deepest" else min
        best = pick(ratios, key=ratios.__getitem__)
        named = index.facts[best]
        why = f"the {word} retracement is {named.label} {named.display}"
        return _ok(best == fact.key, named, named.display, why, why, verdict="mismatch")
    price = _reference(index)
    if price is None:
        return None
    p, v = _number(price), _number(fact)
    role = claim.args.get("level_role")
    if role in ("support", "resistance") and (v < p) != (role == "support"):
        # "the nearest swing resistance sits at $3.69" below a $3.83 price: a level below the price is support
        where = "below" if v < p else "above"
        why = f"{fact.label} {fact.display} is {where} the price ({price.display}): not a {role}"
        return _ok(False, fact, fact.display, why, why)
    kinds = set(fact.meaning.tags.get("level", ()))
    same = [f for f in index.facts if f.unit == "usd" and f.meaning.position and not f.meaning.price
            and kinds & set(f.meaning.tags.get("level", ())) and (_number(f) > p) == (v > p)]
    closer = [f for f in same if abs(_number(f) - p) < abs(v - p) - 1e-9]
    nearest = min(closer, key=lambda f: abs(_number(f) - p)) if closer else fact
    why = f"the nearest level on that side of the price ({price.display}) is {nearest.label} {nearest.display}"
    return _ok(not closer, nearest, nearest.display, why, why, verdict="mismatch")


def crossed(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'broke below support', 'cleared resistance': the latest close broke that kind of level, that way."""
    kind = claim.args.get("level_role")
    way = claim.args.get("break_way")
    fact = index.facts.get("levels.broken")
    if any(f.meaning.price for f in claim.subject):
        return None  # a round figure the price crossed: the figure's own verdict (the day's range) says it
    named = next((f for f in claim.subject if f.unit == "usd" and f.meaning.position), None)
    if named is not None and fact is not None and named.key != fact.key and way in ("down", "up"):
        # "rose above resistance at $8,349": another level than the one the close broke. The day's range must have
        # gone through it and the price must stand beyond it.
        return _crossed_in_range(claim, named, way, index)
    if fact is None:
        return _none("no level was broken on the latest close")
    actual = fact.context or ("support" if "support" in fact.label.lower() else "resistance")
    expected = f"broken {actual} at {fact.display}"
    if kind != actual:
        return Judgement("mismatch", fact, expected, f"the close broke {actual}, not {kind}")
    need = "down" if actual == "support" else "up"
    if way in ("down", "up") and way != need and not claim.args.get("any_way"):
        return Judgement("direction", fact, expected, f"{actual} breaks {need}, not {way}")
    return Judgement("verified", fact, expected, f"the close broke {actual} at {fact.display}")


def _crossed_in_range(claim: Claim, level: Fact, way: str, index: FactIndex) -> Judgement:
    price, low, high = (index.facts.get(k) for k in ("price.current", "price.low_24h", "price.high_24h"))
    if price is None:
        return _none("the data has no price")
    p, x = _number(price), _number(level)
    lo = _number(low) if low is not None else p
    hi = _number(high) if high is not None else p
    crossed = (lo < x <= hi and p < x) if way == "down" else (lo <= x < hi and p > x)
    where = "below" if p < x else "above"
    why = (f"the 24h range ({low.display if low else price.display} – {high.display if high else price.display}) "
           f"went through {level.label} {level.display} and the price ({price.display}) is {where} it")
    bad = f"the price ({price.display}) did not cross {level.label} {level.display} {'down' if way == 'down' else 'up'}" \
          f" in the 24 hours (range {low.display if low else '?'} – {high.display if high else '?'}; now {where} it)"
    return _ok(crossed, level, level.display, why, bad)


def direction(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'Bitcoin fell', 'despite the decline': the sign of the change over the window the words name."""
    said = claim.args.get("move_verb") or claim.args.get("move_noun") or claim.args.get("move_word")
    changes = [f for f in claim.subject if f.unit == "percent"]
    if said not in ("up", "down") or not changes:
        return None
    change = changes[0]
    if _flat(change):
        return None
    actual = "up" if _number(change) > 0 else "down"
    why = f"{change.label} is {change.display}: it {'rose' if actual == 'up' else 'fell'}"
    return _ok(said == actual, change, change.display, why, why)


def _rsi(claim: Claim, index: FactIndex) -> Fact | None:
    readings = [f for f in claim.subject if f.meaning.has("aspect", "reading")]
    if len(readings) > 1:  # the words name no timeframe: the RSI of the analysis timeframe
        tf = index.facts.get("analysis.timeframe")
        own = [f for f in readings for t in f.meaning.tags.get("tf", ())
               if tf is not None and (h := index.facts.get(f"timeframes.{t}")) is not None and h.value == tf.value]
        return own[0] if own else readings[0]
    return readings[0] if readings else None


_NOT_IN = RULES.regex("rsi_not_in")
_NEAR = RULES.regex("rsi_near")
_RSI_NAMED = RULES.regex("rsi_named")
_OTHER_NEUTRAL = RULES.regex("other_neutral")


def _nearest(pattern: re.Pattern[str], text: str, start: int, end: int, claim: Claim) -> int | None:
    """How far the nearest match of ``pattern`` outside the claim's own words lies from them (None: none)."""
    gaps = [claim.start - m.end() if m.end() <= claim.start else m.start() - claim.end
            for m in pattern.finditer(text, start, end) if m.end() <= claim.start or m.start() >= claim.end]
    return min(gaps, default=None)


def rsi_band(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'oversold', 'below the oversold threshold', 'no longer overbought', 'near oversold': the RSI's band."""
    word = claim.args.get("rsi_band_word", "")
    sent = layout.sentence_at(claim.start)
    masked = layout.masked
    if word == "neutral":
        # "neutral" names the RSI's band only where the RSI is the gauge named nearest it ("the daily RSI in neutral
        # territory and the Fear & Greed Index at 54": the RSI's; "separates oversold from neutral": no band's).
        rsi = _nearest(_RSI_NAMED, masked, sent.start, sent.end, claim)
        other = _nearest(_OTHER_NEUTRAL, masked, sent.start, sent.end, claim)
        if rsi is None or (other is not None and other <= rsi):
            return None
    fact = _rsi(claim, index)
    if fact is None:
        return _none("the data has no RSI")
    value = _number(fact)
    band = band_of_rsi(value)
    shown = f"{band} (RSI {fact.display})"
    relation = claim.args.get("rsi_relation")
    before = masked[max(sent.start, claim.start - 40) : claim.start]
    if relation is not None:
        want_in = (relation != "above") if word == "oversold" else (relation == "above")
        return _ok((band == word) == want_in, fact, shown, f"RSI is {fact.display}", f"RSI is {fact.display}, {band}",
                   "mismatch")
    if _NOT_IN.search(before):
        return _ok(band != word, fact, shown, f"RSI is {fact.display}", f"RSI is {fact.display}, which is {band}",
                   "mismatch")
    if _NEAR.search(before) and word != "neutral":
        limit = 30.0 if word == "oversold" else 70.0
        return _ok(abs(value - limit) <= 10, fact, shown, f"RSI is {fact.display}",
                   f"RSI is {fact.display}, not near {word}", "mismatch")
    return _ok(band == word, fact, shown, f"RSI is {fact.display}, {band}", f"RSI is {fact.display}, which is {band}",
               "mismatch")


_FG_CONTEXT = RULES.regex("fear_greed_context")
_RSI_CONTEXT = RULES.regex("rsi_context")


def fear_greed_band_claim(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'extreme fear', 'in the Greed band': the Fear & Greed Index's band (or the provider's label)."""
    sent = layout.sentence_at(claim.start)
    text = layout.masked[sent.start : sent.end]
    word = " ".join(claim.args.get("fear_greed_band", "").split()).title()
    fg = _FG_CONTEXT.search(text)
    if fg is None and not word.startswith("Extreme"):
        return None  # "fear" and "greed" are common words: a band only where the index or sentiment is named
    if word == "Neutral":
        rsi = _nearest(_RSI_CONTEXT, layout.masked, sent.start, sent.end, claim)
        near_fg = _nearest(_FG_CONTEXT, layout.masked, sent.start, sent.end, claim)
        if rsi is not None and (near_fg is None or rsi < near_fg):
            return None  # the RSI's neutral band (rsi_band)
    fact = index.facts.get("sentiment.fear_greed")
    if fact is None:
        return _none("the data has no Fear & Greed reading")
    bands = {fear_greed_band(_number(fact)), fact.context or ""}
    expected = fact.context or fear_greed_band(_number(fact))
    why = f"the index is {fact.display}, {expected}"
    return _ok(word in bands, fact, expected, why, why, "mismatch")


PREDICATES: Mapping[str, Predicate] = {
    "majority": majority, "squeeze": squeeze, "payer": payer, "sign": sign, "position": position, "inside": inside,
    "gap_type": gap_type, "move_type": move_type, "order": order, "crossed": crossed, "direction": direction,
    "rsi_band": rsi_band, "fear_greed_band": fear_greed_band_claim, "record": record, "streak_way": streak_way,
    "magnitude": magnitude, "peer_rank": peer_rank, "compare_moves": compare_moves, "venue_rank": venue_rank,
}

__all__ = ["PREDICATES", "Claim", "Predicate"]
