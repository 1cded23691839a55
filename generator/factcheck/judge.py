"""Verdicts for numeric mentions: verified, mismatch, direction or unsupported.

The precision rule: a number verifies when the fact's value rounds to it at the
precision written — "$60.7K" and "$61K" both verify 60,704; "$60K" does not.
Qualifiers widen or bound that: "about/around/roughly" accept 5% either way,
"nearly/almost" up to 5% below, "just over" up to 5% above; "over/more than"
and "under/less than" are bounds (for an amount the fact must also lie within
a factor of two of the bound: "over $1 billion" is wrong for 2.6 billion as it
is for 431 million). Where the fact is a price, "above/below" is a position and
a wrong side is a ``direction`` error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from generator.factcheck.bind import UNITS_FOR_KIND, Binding, Summary, isclose
from generator.factcheck.cues import DEFAULTS
from generator.factcheck.extract import Mention
from generator.factcheck.index import FactIndex, FactInfo
from generator.factcheck.lexicon import (
    APPROX_PCT,
    BOUND_FACTOR,
    DOWN_WORDS,
    FORECAST,
    NEGATIVE_WORDS,
    POSITIVE_WORDS,
    UP_WORDS,
)
from generator.factcheck.markdown import Layout
from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import Fast, lowered
from generator.factcheck.scope import clause, denied, supposed
from generator.facts import Fact

Verdict = str  # verified | mismatch | direction | unsupported | quote

# Which facts carry their sign in the words ("fell 14.72%") or in the written figure ("-0.0375%"), which must write
# it in a table (an unsigned "16.43%" there reads as a rise), which are positions with a side against the price
# ("above/below" them places the price, it is no bound on an amount) and which are the price itself: each fact's
# meaning says (generator/fact_catalogue.py).
_POST_RELATION = RULES.regex("post_relation")
_SIDE_CLAIM = RULES.regex("side_claim_words")


RULES.regex("price_relation")  # compiled once now: an error in it shows at import, not in the first article


@lru_cache(maxsize=256)  # per asset: a batch of 50 assets must not recompile per article
def _price_relation_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """'The price is below', 'Bitcoin now trades above': the price (or the asset) placed against a level."""
    ours = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n) or "(?!x)x"
    return lowered(RULES.compile("{price_relation}", "price_relation", dynamic={"our_asset": ours}))  # (lower case)


_GAINED = lowered(RULES.regex("gained_amount"))
_RATIO_TEXT = RULES.regex("ratio_text")
_CROSS = Fast(RULES.regex("cross_number"))  # (gated, on the lower-cased text: tried before many figures)
_BREAK_BEFORE = Fast(RULES.regex("break_before"))
RELATION_REACH = float(RULES.setting("relation_reach"))
# Every relation above needs one of these words: sentences without them skip the patterns.
_RELATION_WORDS = frozenset(RULES.words("crossing"))
_BOUND_WORDS = lowered(RULES.regex("bound_words"))
_DOWN_LOWER, _UP_LOWER = lowered(DOWN_WORDS), lowered(UP_WORDS)
Reach = Callable[[int, int], float]  # how strongly the words at [start, end) speak to the mention judged


@dataclass(slots=True)
class Judgement:
    verdict: Verdict
    fact: Fact | None
    expected: str | None
    reason: str
    # The words that place the price against the figure ("broke below", "$6,189 below"): a claim of their own,
    # reported on those words, while the figure is judged on its value. (start, end, judgement)
    relation: tuple[int, int, Judgement] | None = None


def _direction(layout: Layout, m: Mention) -> int | None:
    """+1 / -1 for the direction the words around a change claim, None when they say none."""
    a, b = clause(layout, m.start, m.end)
    masked = layout.masked
    best: tuple[int, int] | None = None
    for pattern, sign in ((_DOWN_LOWER, -1), (_UP_LOWER, 1)):
        for w in pattern.finditer(layout.lower, a, b):
            if w.group().lower() == "up" and re.match(r"\s+to\b", masked[w.end() : w.end() + 4]):
                continue
            dist = m.start - w.end() if w.end() <= m.start else (w.start() - m.end) * 1.5
            if dist < 0 or dist > 60:
                continue
            if best is None or dist < best[0]:
                best = (int(dist), sign)
    return best[1] if best else None


def _table_sign(layout: Layout, m: Mention) -> int | None:
    """The sign a table row gives an unsigned change: its direction words (in any cell or the column's title), else
    +1, since a table writes a fall's minus sign. None outside tables, or when the row says both ways."""
    sent = layout.sentence_at(m.start)
    cell = sent.cell_of(m.start) if sent.cells else None
    if cell is None:
        return None
    row = layout.masked[sent.start : sent.end] + " | " + (sent.header[cell] if cell < len(sent.header) else "")
    down, up = DOWN_WORDS.search(row) is not None, UP_WORDS.search(row) is not None
    return None if down and up else -1 if down else 1


def _exact(m: Mention) -> Mention:
    """The mention read as written, without its qualifier or sign ("about $107 million" as $107 million)."""
    return Mention(m.start, m.end, m.text, m.kind, m.value, m.precision)


def _within(m: Mention, value: float) -> tuple[bool, str]:
    """Does ``value`` satisfy the mention at its written precision and qualifier? (ok, how it was read)."""
    v = m.value if m.value is not None else 0.0
    tol = m.precision / 2
    loose = max(tol, abs(v) * APPROX_PCT / 100)
    q = m.qualifier
    eps = 1e-9 * max(abs(v), tol)  # float error only, relative (a coin at $0.0000009411)
    if q == "approx":
        return abs(value - v) <= loose + eps, "about"
    if q == "nearly":
        return v - loose - eps <= value <= v + tol + eps, "nearly"
    if q == "just_over":
        return v - tol - eps <= value <= v + loose + eps, "just over"
    if q == "lower":
        return value >= v - tol - eps, "more than"
    if q == "upper":
        return value <= v + tol + eps, "less than"
    return isclose(value, v, tol), "rounded"


def _is_position(fact: Fact) -> bool:
    return fact.unit == "usd" and fact.meaning.position


def _hypothetical(layout: Layout, m: Mention) -> bool:
    """A clause about what could happen, or one that denies the relation ("failed to stay above"): the scope of
    claims (scope.py), so a number and a claim in one clause are read alike."""
    return supposed(layout, m.start, m.end) or denied(layout, m.start)


Words = Callable[[str, str], tuple[int, int] | None]  # where the words say slot=value for the mention judged
_MISNAMED = ("window", "side", "role", "state")  # slots words may get wrong about a figure that is right
NAMED = 0.3  # the cue weight at which the words name a slot's value


def _misnamed(m: Mention, binding: Binding, index: FactIndex, words: Words) -> Judgement | None:
    """'| 24-hour liquidations | $12.61 |' when $12.61 is the hour's total: the figure is right, the words naming its
    window (side, role) are wrong. The figure verifies against the fact it is, and the words carry the error."""
    summary = binding.summary
    if summary is None or m.value is None:
        return None
    exact = _exact(m)
    best: tuple[int, Judgement] | None = None
    for info in index.of_units(UNITS_FOR_KIND.get(m.kind, ())):
        if info.fact is binding.fact or not isinstance(info.fact.value, int | float):
            continue
        number = abs(info.number) if m.sign is None else info.number  # ("Down 0.42%": the sign is in words)
        if not _within(exact, number)[0]:
            continue
        metric = summary.get("metric")
        if metric is not None and max((metric[1].get(v, 0.0) for v in info.metrics), default=0.0) < 0.3 \
                and max(metric[1].values()) >= 0.3:
            continue  # the words are about another metric
        wrong = []
        for slot in _MISNAMED:
            said, have = summary.get(slot), info.tags.get(slot)
            if said is None or not have:
                continue
            value, weight = max(said[1].items(), key=lambda t: t[1])
            if weight >= NAMED and value not in have:
                wrong.append((slot, value))
        if len(wrong) != 1:
            continue
        slot, value = wrong[0]
        if not _agrees(info, slot, summary):
            continue
        if slot != "role" and not any(value in o.tags.get(slot, ()) and not set(o.metrics).isdisjoint(info.metrics)
                                      for o in index.infos):
            continue  # "21.38% this month": no monthly figure exists; that is no misnamed window but a claim unbacked
        span = words(slot, value)
        if span is None:
            continue
        fact = info.fact
        if slot == "role":
            price = index.facts.get("price.current")
            where = "below" if price is not None and info.number < float(price.value) else "above"
            claim = Judgement("direction", fact, fact.display,
                              f"{fact.label} {fact.display} is {where} the price: a {have_role(where)}, not {value}")
        else:
            claim = Judgement("mismatch", fact, fact.display,
                              f"{m.text.strip()} is the {fact.label.lower()}: the words name a {slot} of {value}")
        found = Judgement("verified", fact, fact.display, f"{fact.label} is {fact.display}")
        found.relation = (span[0], span[1], claim)
        # The nearest naming words carry the error: "| 24-hour liquidations | $2,499 | 15% shorts |" when 15% is the
        # day's long share (and also the hour's short share) is wrong in "shorts", not in the row's label.
        gap = span[0] - m.end if span[0] >= m.end else m.start - span[1]
        if best is None or gap < best[0]:
            best = (gap, found)
    return best[1] if best is not None else None


def _agrees(info: FactInfo, slot: str, summary: Summary) -> bool:
    """The fact matches the words but for ``slot``: where the words name a value it has it; where they leave a slot
    to its default reading it has the default ("Over $1 billion ... in the past hour" is the hour's total, not the
    day's short side); slots with no default ("the next support": which kind of level) are open."""
    for k in set(info.tags) - {slot, "asset"}:
        said = summary.get(k)
        if said is not None and max(said[1].values()) >= NAMED:
            if not set(info.tags[k]) & {v for v, w in said[1].items() if w >= NAMED}:
                return False
        else:
            default = DEFAULTS.get(info.metric, {}).get(k)
            if default is not None and default not in info.tags[k]:
                return False
    return True


def have_role(where: str) -> str:
    return "support" if where == "below" else "resistance"


def judge_number(m: Mention, binding: Binding, layout: Layout, index: FactIndex, reach: Reach,
                 words: Words | None = None) -> Judgement:
    """Verdict for a money, percent, index or plain-number mention bound (or not) to a fact.

    ``reach`` weighs how strongly words before the number speak to it (a relation such as "fell below").
    """
    j = _judge_number(m, binding, layout, index, reach)
    fact = binding.fact
    loose = j.verdict == "verified" and m.qualifier in ("approx", "nearly", "just_over") and j.fact is fact \
        and fact is not None and isinstance(fact.value, int | float) and not _within(_exact(m), float(fact.value))[0]
    # "Some $107 million ... over the past 24 hours" when $107 million is the hour's total exactly and the day's is
    # $111 million: a figure that is one fact exactly is that fact, not another one loosely.
    if (loose or j.verdict in ("mismatch", "unsupported")) and words is not None \
            and m.kind in ("money", "number", "percent"):
        misnamed = _misnamed(m, binding, index, words)
        if misnamed is not None:
            # The figure is judged as the fact it is ("Up 0.42%" when the hour fell 0.42%: its sign is wrong too).
            own = _judge_number(m, Binding(misnamed.fact, "", summary=binding.summary), layout, index, reach)
            own.relation = misnamed.relation
            return own
    crossable = j.verdict == "unsupported" and not binding.foreign or \
        j.verdict == "mismatch" and j.fact is not None and j.fact.meaning.price  # "Blasts Through $15,000"
    if crossable and m.kind in ("money", "number"):
        # "dropped below the $60,000 level": a round number no fact names, which the price crossed in
        # the last 24 hours, is backed by the 24h range. (A number the words tie to a fact must be that fact.)
        crossed = _crossing(m, layout, index, reach)
        if crossed is not None:
            return crossed
    return j


def _last(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    """The last of the matches (None when there are none)."""
    found = None
    for found in matches:  # noqa: B007 - kept after the loop on purpose
        pass
    return found


def _relation_before(pattern: Fast, layout: Layout, m: Mention, reach: Reach) -> re.Match[str] | None:
    """The last match of ``pattern`` before ``m`` in its sentence, when it reaches the number."""
    if layout.words_at(m.start).isdisjoint(_RELATION_WORDS):
        return None
    last = _last(pattern.finditer(layout.word_starts(), layout.sentence_at(m.start).start, m.start))
    return last if last is not None and reach(last.start(), last.end()) >= RELATION_REACH else None


def _way(m: re.Match[str]) -> str | None:
    """Which way a move across a level went: the crossing word's, or for "through" the verb's (None: unknown)."""
    way = RULES.value("crossing", m.group("crossing"))
    if way == "through":
        return "down" if m.group("down_verb") else "up" if m.group("up_verb") else None
    return way


def _crossing(m: Mention, layout: Layout, index: FactIndex, reach: Reach) -> Judgement | None:
    verb = _relation_before(_CROSS, layout, m, reach)
    if verb is None or _hypothetical(layout, m) or m.value is None:
        return None
    low, high = index.facts.get("price.low_24h"), index.facts.get("price.high_24h")
    price = index.facts.get("price.current")
    if price is None:
        return None
    lo = float(low.value) if low is not None else float(price.value)
    hi = float(high.value) if high is not None else float(price.value)
    way = _way(verb)
    if way is None:
        return None
    down = way == "down"
    level = m.value
    ok = lo < level <= hi if down else lo <= level < hi
    ref = low if down else high
    shown = ref or price
    if ok:
        return Judgement("verified", shown, shown.display,
                         f"{shown.label} {shown.display} is {'below' if down else 'above'} {m.text.strip()}")
    return Judgement("direction", shown, shown.display,
                     f"the 24h range ({lo:,.0f}-{hi:,.0f}) never went {'below' if down else 'above'} {m.text.strip()}")


def _judge_number(m: Mention, binding: Binding, layout: Layout, index: FactIndex, reach: Reach) -> Judgement:
    fact = binding.fact
    if fact is None:
        return Judgement("unsupported", None, None, binding.reason)
    value = float(fact.value)
    label = fact.label
    meaning = fact.meaning
    if meaning.sign != "none":
        written = m.value if m.value is not None else 0.0
        magnitude = Mention(m.start, m.end, m.text, m.kind, abs(written), m.precision, m.qualifier)
        ok, _ = _within(magnitude, abs(value))
        if not ok:
            return Judgement("mismatch", fact, fact.display, f"{label} is {fact.display}")
        claimed: int | None
        if meaning.sign == "written":
            claimed = m.sign if m.sign is not None else _sign_words(layout, m)
        else:
            claimed = m.sign if m.sign is not None else _direction(layout, m)
            if claimed is None and meaning.table_sign:
                claimed = _table_sign(layout, m)
        actual = (value > 0) - (value < 0)
        # A figure written as zero ("0.0000%" for a rate of -0.00003%) has no sign to get wrong.
        if claimed is not None and actual and written != 0 and claimed != actual:
            way = "rose" if actual > 0 else "fell"
            return Judgement("direction", fact, fact.display, f"{label} is {fact.display}: it {way}")
        return Judgement("verified", fact, fact.display, f"{label} is {fact.display}")
    position = _is_position(fact)
    level = position and not meaning.price  # a level (the price's own extremes are prices)
    if meaning.price and m.kind == "money" and _GAINED.search(layout.lower, max(0, m.start - 40), m.start):
        # "Bitcoin added more than $3,400": a change in dollars, which no fact gives.
        return Judgement("unsupported", None, None, "a change in dollars: the data has the change in percent")
    if meaning.price and _forecast(layout, m):
        # "could fall to $5,000", "expect bitcoin to hit $20,000": no claim about the price; backed only if a
        # level the data has is at that number.
        return _as_level(m, index)
    if m.qualifier in ("lower", "upper") and meaning.price and _hypothetical(layout, m):
        # "If BTC closes below $58,200": no claim about the price, but the number must be a level the data has.
        return _as_level(m, index)
    if m.qualifier in ("lower", "upper") and level:
        # "holds above the $58,200 support": the number names the level exactly; the words place the price
        # (unless the clause only supposes it: "if it holds above ...").
        exact = _exact(m)
        if not _within(exact, value)[0]:
            m = exact  # judged below as a plain number: alternatives, then mismatch
        elif _hypothetical(layout, m):
            return Judgement("verified", fact, fact.display, f"{label} is {fact.display}")
        else:
            rel = "above" if m.qualifier == "lower" else "below"
            return _relation(m, fact, rel, layout, index, True, _qualifier_span(layout, m))
    if m.qualifier in ("lower", "upper") and meaning.exact:
        m = _exact(m)  # "the first close below $7,000": the round level itself, not a bound
    ok, _ = _within(m, value)
    if ok and m.qualifier in ("lower", "upper") and not position and m.value:
        ratio = value / m.value
        ok = (ratio <= BOUND_FACTOR) if m.qualifier == "lower" else (ratio >= 1 / BOUND_FACTOR)
        if not ok:
            return Judgement("mismatch", fact, fact.display,
                             f"{label} is {fact.display}, far from a bound of {m.text.strip()}")
    if not ok and binding.alternatives:
        # The words fit several facts equally ("bears eye $X"): any of them may back the number;
        # when none does, nothing singles out a fact to call it a mismatch against.
        for alt in binding.alternatives:
            if _within(m, float(alt.value))[0]:
                return Judgement("verified", alt, alt.display, f"{alt.label} is {alt.display}")
        levels = all(f.meaning.is_level for f in [fact, *binding.alternatives])
        if len(binding.alternatives) >= 2 or levels:
            names = ", ".join(f.display for f in [fact, *binding.alternatives][:4])
            return Judgement("unsupported", None, None,
                             f"no fact matches; the words fit several ({names}) and none is {m.text.strip()}")
    if not ok:
        if position and m.qualifier in ("lower", "upper"):
            side = "above" if m.qualifier == "lower" else "below"
            return Judgement("direction", fact, fact.display, f"{label} is {fact.display}, not {side} {m.text.strip()}")
        return Judgement("mismatch", fact, fact.display, f"{label} is {fact.display}")
    judgement = Judgement("verified", fact, fact.display, f"{label} is {fact.display}")
    if position and fact.key != "price.current":
        post = _POST_RELATION.match(layout.masked[m.end : m.end + 60])
        if post and _SIDE_CLAIM.match(post.group()):
            # "... $9,680 sits above the price": the side is reported once, as a claim (claims.side_claims).
            return judgement
        if post:  # "$6,189 below": where a level (or the day's low) is, even in a sentence about what to watch
            rel = post.group("position_word").lower()
            rel = "above" if rel == "overhead" else "below" if rel in ("under", "beneath", "underneath") else rel
            span = (m.end + post.start("position_word"), m.end + post.end())
            return _relation(m, fact, rel, layout, index, False, span)
    if position and fact.key != "price.current":
        # "remains above resistance at $2.04" read as the day's high at $2.04: the price against it all the same.
        pre = _price_relation(layout, m, index, reach)
        if pre is not None and not _hypothetical(layout, m):
            return _relation(m, fact, pre[0], layout, index, True, pre[1])
    return judgement


def _forecast(layout: Layout, m: Mention) -> bool:
    """The clause before the number (or the rest of its sentence) says what is expected, not what is."""
    a, b = clause(layout, m.start, m.end)
    sent = layout.sentence_at(m.start)
    return bool(FORECAST.search(layout.masked, a, m.start) or FORECAST.search(layout.masked, m.end, sent.end))


def _as_level(m: Mention, index: FactIndex) -> Judgement:
    exact = _exact(m)
    for info in index.by_unit.get("usd", []):
        if "level" in info.tags.get("metric", ()) and _within(exact, float(info.fact.value))[0]:
            f = info.fact
            return Judgement("verified", f, f.display, f"{f.label} is {f.display}")
    return Judgement("unsupported", None, None, f"no level in the data is at {m.text.strip()}")


def _qualifier_span(layout: Layout, m: Mention) -> tuple[int, int]:
    """Where the words of a bound before a level are ("holding above the $7,846 support"): the verb and the word."""
    sent = layout.sentence_at(m.start)
    lo = max(sent.start, m.start - 60)
    found = _last(_BOUND_WORDS.finditer(layout.lower, lo, m.start))
    return found.span() if found is not None else (m.start, m.end)


def _price_relation(layout: Layout, m: Mention, index: FactIndex, reach: Reach) -> tuple[str, tuple[int, int]] | None:
    """'The price is below ... $8,515' / 'broke below support at $7,846': the relation the words set, and where."""
    if layout.words_at(m.start).isdisjoint(_RELATION_WORDS):
        return None
    sent = layout.sentence_at(m.start)
    before = layout.lower[sent.start : m.start]  # (for the lowered patterns; offsets are the text's)
    if bm := _relation_before(_BREAK_BEFORE, layout, m, reach):
        way = _way(bm) if bm.group("crossing").lower() != "past" else None
        return None if way is None else ("below" if way == "down" else "above", bm.span())
    relations = list(_price_relation_pattern(index.asset_names).finditer(before))
    if not relations:
        return None
    found = relations[-1]
    between = before[found.end() :]
    if re.search(r"\d", _RATIO_TEXT.sub("", between)):
        # Another number sits between the relation and this one: the relation belongs to that one.
        return None
    span = (sent.start + found.start(), sent.start + found.end())
    return "below" if RULES.value("crossing", found.group("crossing")) == "down" else "above", span


def _relation(m: Mention, fact: Fact, rel: str, layout: Layout, index: FactIndex, pre: bool,
              span: tuple[int, int]) -> Judgement:
    """The figure, judged on its value (it is the level), with the relation's claim on its own words ``span``:
    'price above/below level' (pre) or 'level above/below the price' (post)."""
    placed = _placed(m, fact, rel, layout, index, pre)
    value = Judgement("verified", fact, fact.display, f"{fact.label} is {fact.display}")
    value.relation = (span[0], span[1], placed)
    return value


def _placed(m: Mention, fact: Fact, rel: str, layout: Layout, index: FactIndex, pre: bool) -> Judgement:
    price_fact = index.facts.get("price.current")
    a, b = clause(layout, m.start, m.end)
    sent = layout.sentence_at(m.start)
    if re.search(r"\bclos(?:e|ed|es|ing)\b", layout.masked[sent.start : m.start], re.I):
        price_fact = index.facts.get("price.last_close") or price_fact
    if price_fact is None:
        return Judgement("verified", fact, fact.display, f"{fact.label} is {fact.display}")
    price, level = float(price_fact.value), float(fact.value)
    # pre: the price is <rel> the level; post: the level is <rel> the price.
    holds = (price > level if rel == "above" else price < level) if pre else \
        (level > price if rel == "above" else level < price)
    if holds:
        return Judgement("verified", fact, fact.display,
                         f"{fact.label} is {fact.display}; {price_fact.label.lower()} {price_fact.display}")
    where = "above" if level > price else "below"
    return Judgement("direction", fact, fact.display,
                     f"{fact.label} {fact.display} is {where} the {price_fact.label.lower()} ({price_fact.display})")


def _sign_words(layout: Layout, m: Mention) -> int:
    a, b = clause(layout, m.start, m.end)
    sent = layout.sentence_at(m.start)
    text = layout.masked[sent.start : b]
    # The sign word nearest before the figure speaks for it ("negative on Binance at -0.0150% and positive on
    # Bybit at 0.0100%": the second is positive); one after it in its clause counts only when none is before.
    upto = m.start - sent.start
    neg = [x.end() for x in NEGATIVE_WORDS.finditer(text)]
    pos = [x.end() for x in POSITIVE_WORDS.finditer(text)]
    last_neg = max((e for e in neg if e <= upto), default=-1)
    last_pos = max((e for e in pos if e <= upto), default=-1)
    if last_neg >= 0 or last_pos >= 0:
        return -1 if last_neg > last_pos else 1
    if neg:
        return -1
    return 1


def judge_ratio(m: Mention, index: FactIndex) -> Judgement:
    ratio = round((m.value or 0) / (100 if m.kind == "percent" else 1), 3)
    fact = next((f for f in index.facts if f.meaning.has("ratio", f"{ratio:g}")), None)
    if fact is not None:
        return Judgement("verified", fact, f"{ratio:g}", f"the {ratio:g} Fibonacci level is {fact.display}")
    return Judgement("unsupported", None, None, f"no {ratio:g} Fibonacci level in the data")
