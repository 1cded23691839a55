"""Binding: tie each mention to the fact its clause talks about.

Cues (cues.py) near a mention are weighed by distance: words between them,
clause barriers (commas, semicolons, "while", "against"...), other numbers in
between (a cue usually belongs to the nearest number) and, in a table, whether
the cue is in the row's label. Each candidate fact of a compatible unit scores
the cue weight its tags agree with minus the weight they contradict; unstated
slots fall back to the metric's default reading. Value closeness only breaks
ties between equally supported facts — it never picks a fact on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from dataclasses import dataclass, field

from generator.facts import Fact
from generator.factcheck.cues import DISTANCE_OF, SLOT_WEIGHT, Tags, fact_tags
from generator.factcheck.extract import Mention
from generator.factcheck.index import CUE_SCANNER, CUE_TAGS, DEFAULT_WEIGHT, Cue, FactIndex, FactInfo, moment
from generator.factcheck.markdown import Layout

TIE = 0.3  # scores closer than this are a tie, broken by the value
FOREIGN_SHARE = 0.75  # cues for a metric no fact has win over this share of the best fact's support
_COMMA = re.compile(r"[,(){}\[\]]")
_STRONG = re.compile(r"[;:—–]|\s-\s|\b(?:while|whereas|but|against|versus|vs\.?|compared (?:with|to)|although|"
                     r"though|and|as|with|after|before|which|where|when)\b", re.I)
# A cue followed by "at"/"of" and a number speaks about that number ("support at $7,846"), not an earlier one.
_RIGHT_ATTACH = re.compile(r"^(?:\s*[\w'-]+){0,3}?\s+(?:at|of|near|around|to|toward|is|was|from|between|=)\s+"
                           r"(?:the\s+|a\s+)?$|^\s*[:=]\s*$", re.I)
# Slots the previous sentence may fill: what is being counted and over which window, not which level.
_CARRIED = frozenset(("metric", "window", "side", "tf"))
_MOVE_UP = re.compile(r"\b(?:rally|rallied|rise|rose|advance|advanced|uptrend|climb(?:ed)?|surge[ds]?|recovery|bounced?|"
                      r"jump(?:ed)?|spiked?|squeeze|"
                      r"rebound(?:ed)?|up move|upswing)\b", re.I)
_MOVE_DOWN = re.compile(r"\b(?:decline[ds]?|drop(?:ped)?|fall|fell|sell-?off|downtrend|slide|slid|slump(?:ed)?|crash(?:ed)?|"
                        r"down move|downswing|correction)\b", re.I)
_APPOSITION = re.compile(r"^(?:\s+of\s+(?:that|it|the\s+\S+(?:\s+\S+)?))?\s*,\s*(?:or|i\.e\.|that is|or about|or roughly)\s*$",
                         re.I)
_ANAPHORA = re.compile(r"^\s*(?:of|from)\s+(?:that|it|them|those|this|the total|all)\b", re.I)
_DATE_PAIR = re.compile(r"^\s*(?:,\s*)?(?:\w+\s+){0,4}?(?:on|from|in|dated|set on|left on|reached on)\s*$", re.I)
# "the November 12 low of $5,429", "its December 17 peak at $19,850": a date naming the level after it.
_DATED_NOUN = re.compile(r"^\s*(?:[\w'-]+\s+){0,2}?(?P<noun>highs?|lows?|peak|top|bottom|trough|close|support|resistance|"
                         r"level|candle\s+closed|close\s+(?:came\s+)?)\s+(?:of|at|near|around)\s*$", re.I)
# Slots that say which figure a number is; words naming a value the bound fact lacks make it unbacked.
_IDENTITY = ("window", "side", "tf")
CONTRADICTED = 0.5  # weight of words for another window/side/timeframe that unbinds a number

# Mention kinds and the units of the facts they may bind to.
UNITS_FOR_KIND: dict[str, tuple[str, ...]] = {
    "money": ("usd",), "percent": ("percent",), "index": ("index",), "number": ("usd", "index", "count", "ratio"),
    "multiple": ("ratio",),
    "count": ("count",), "coins": ("count",), "date": ("date", "datetime"), "time": ("datetime",),
    "year": ("date", "datetime"),
}
# Facts that pair a level with the date it was set.
DATE_OF = {
    "levels.broken": "levels.broken_date", "levels.fib_move_low": "levels.fib_move_low_date",
    "levels.fib_move_high": "levels.fib_move_high_date", "levels.fvg_low": "levels.fvg_date",
    "levels.fvg_high": "levels.fvg_date", "price.last_close": "price.last_close_date",
}
# "The fair value gap left on February 11", "a high set in December": a date that says when a level was set.
_LEVEL_DATE_BEFORE = re.compile(
    r"\b(?:gap|fvg|imbalance|levels?|support|resistance|highs?|lows?|peak|top|bottom|trough|candle|close)\s+"
    r"(?:(?:was\s+)?(?:left|set|formed|created|reached|recorded|printed|hit|made|established|marked)\s+(?:on|in|from)|"
    r"on|from)\s*$", re.I)


@dataclass(slots=True)
class Binding:
    """The fact a mention was tied to (None: nothing backs it) and why."""

    fact: Fact | None
    reason: str
    score: float = 0.0
    alternatives: list[Fact] = field(default_factory=list)
    role: str | None = None  # dates: "level" (the date a level was set), "since" or "as_of"; else None
    foreign: bool = False  # unbacked because the words speak of another metric or asset


_WORD = re.compile(r"\S+")
_ASIDE = re.compile(r",[ \t]*(?:[A-Za-z]+[ \t]+){0,2}[A-Za-z]+[ \t]*,")


def _count(positions: list[int], a: int, b: int) -> int:
    """How many of the sorted ``positions`` lie in [a, b)."""
    return bisect_left(positions, b) - bisect_left(positions, a)


@lru_cache(maxsize=256)
def _title_cues(title: str) -> tuple[tuple[Tags, float], ...]:
    return tuple((CUE_TAGS[k][2], CUE_TAGS[k][1]) for _, _, k in CUE_SCANNER.finditer(title))


Summary = dict[str, tuple[float, dict[str, float]]]


class Binder:
    """Binds the mentions of one article, in order (later mentions may refer back to earlier ones)."""

    def __init__(self, layout: Layout, index: FactIndex, mentions: list[Mention], cues: list[Cue]) -> None:
        self.layout = layout
        self.index = index
        self.mentions = mentions
        self.cues = cues
        self._cue_starts = [c.start for c in cues]
        self._mention_starts = [m.start for m in mentions]
        self.bound: list[Binding | None] = [None] * len(mentions)
        self._evidence: dict[int, list[tuple[Tags, float]]] = {}
        # The masked text with every mention as one opaque token, so "$5,429" or "May 3, 2024" add no commas.
        chars = list(layout.masked)
        for m in mentions:
            chars[m.start : m.end] = "#" * (m.end - m.start)
        for i, m in enumerate(mentions):
            if m.partner is not None and m.partner > i:  # "between X and Y": the "and" is no clause barrier
                other = mentions[m.partner]
                chars[m.end : other.start] = " " * (other.start - m.end)
        # A short aside between commas (", for instance,", ", however,") is no clause barrier.
        for aside in _ASIDE.finditer("".join(chars)):
            chars[aside.start()] = chars[aside.end() - 1] = " "
        self.plain = "".join(chars)
        # Positions of words and clause barriers, counted between two points by bisection.
        self._words = [w.start() for w in _WORD.finditer(self.plain)]
        self._commas = [c.start() for c in _COMMA.finditer(self.plain)]
        self._strong = [c.start() for c in _STRONG.finditer(self.plain)]

    # --- evidence -----------------------------------------------------------------

    def _cues_in(self, start: int, end: int) -> list[Cue]:
        return self.cues[bisect_left(self._cue_starts, start) : bisect_left(self._cue_starts, end)]

    def _inside_other(self, cue: Cue, i: int) -> bool:
        """A cue inside another self-contained mention ("period" in "14-period") speaks only for that one."""
        j = bisect_right(self._mention_starts, cue.start) - 1
        if j < 0 or j == i:
            return False
        other = self.mentions[j]
        return other.kind == "count" and other.start <= cue.start and cue.end <= other.end

    def _mentions_between(self, a: int, b: int, skip: set[int]) -> int:
        lo, hi = bisect_right(self._mention_starts, a), bisect_left(self._mention_starts, b)
        return sum(1 for i in range(lo, hi) if i not in skip)

    def reach(self, i: int, start: int, end: int, skip: set[int] | None = None) -> float:
        """How strongly words at [start, end) speak about mention ``i`` (1: adjacent), in the same sentence.

        Falls with the words in between, clause barriers (commas, "while", "and") and other numbers in
        between (a phrase belongs to its nearest number).
        """
        m = self.mentions[i]
        a, b = (end, m.start) if end <= m.start else (m.end, start)
        if skip is None:
            skip = {i} | ({m.partner} if m.partner is not None else set())
        w = 1 / (1 + _count(self._words, a, b) / 6)
        w *= 0.5 ** _count(self._commas, a, b) * 0.4 ** _count(self._strong, a, b)
        return w * 0.45 ** self._mentions_between(a, b, skip)

    def evidence(self, i: int) -> list[tuple[Tags, float]]:
        """(tags, weight) of every cue that may speak about mention ``i`` (a fresh list each call)."""
        if i not in self._evidence:
            self._evidence[i] = self._gather(i)
        return list(self._evidence[i])

    def _gather(self, i: int) -> list[tuple[Tags, float]]:
        m = self.mentions[i]
        layout, masked = self.layout, self.layout.masked
        si = layout.sentence_index(m.start)
        sent = layout.sentences[si]
        skip = {i} | ({m.partner} if m.partner is not None else set())
        out: list[tuple[Tags, float]] = []
        cell = sent.cell_of(m.start) if sent.cells else None
        for cue in self._cues_in(sent.start, sent.end):
            if self._inside_other(cue, i):
                continue
            if cue.start < m.end and m.start < cue.end:
                if m.kind in ("duration", "timeframe", "count") or cue.tags is m.tags:
                    out.append((cue.tags, cue.weight))
                continue
            tags = cue.tags if cue.start >= m.end else cue.after
            if cell is not None:
                ccell = sent.cell_of(cue.start)
                if ccell != cell:
                    w = 0.9 if ccell == 0 else 0.25
                    out.append((tags, cue.weight * w))
                    continue
            w = cue.weight * self.reach(i, cue.start, cue.end, skip)
            if cue.start >= m.end:
                nxt = bisect_left(self._mention_starts, cue.end)
                if nxt < len(self.mentions) and self.mentions[nxt].start < sent.end and nxt not in skip \
                        and _RIGHT_ATTACH.match(self.plain[cue.end : self.mentions[nxt].start]):
                    w *= 0.25
            if w > 0.02 and tags:
                out.append((tags, w))
        if sent.cells:
            for col, title in enumerate(sent.header):
                if cell == col and title:
                    out.extend((tags, weight * 0.3) for tags, weight in _title_cues(title))
        elif si > 0 and layout.sentences[si - 1].paragraph == sent.paragraph and not layout.sentences[si - 1].cells:
            # The previous sentence speaks only to what this one leaves unsaid ("Long positions accounted for...").
            said = {slot for tags, w in out if w > 0.1 for slot in tags}
            prev = layout.sentences[si - 1]
            for cue in self._cues_in(prev.start, prev.end):
                rest = {k: v for k, v in cue.after.items() if k not in said and k in _CARRIED}
                if rest:
                    out.append((rest, cue.weight * 0.15))
        # "76% of the tally, or $1.9 billion": an apposition restates the amount before it.
        j = i - 1
        while j >= 0 and self.mentions[j].kind in ("duration", "timeframe", "date", "time", "year"):
            j -= 1
        if j >= 0 and m.kind in ("money", "number", "percent"):
            prev = self.mentions[j]
            if prev.kind in ("money", "number", "percent") and prev.kind != m.kind and \
                    _APPOSITION.match(self.plain[prev.end : m.start]) and \
                    layout.sentence_index(prev.start) == si:
                out.extend(self.evidence(j))
        # "of that", "of it": the amount refers back to the previous amount.
        if _ANAPHORA.match(masked[m.end : m.end + 20]):
            ref = self._previous_bound(i)
            if ref is not None:
                # "86% of it" is a share of that amount (same window); "$48.2 million of that" only the same metric.
                keep = ("metric", "window") if m.kind == "percent" else ("metric",)
                tags = {k: v for k, v in fact_tags(ref.key).items() if k in keep}
                out.append((tags, 1.0))
        return out

    def _previous_bound(self, i: int) -> Fact | None:
        for j in range(i - 1, -1, -1):
            b = self.bound[j]
            if b is not None and b.fact is not None and self.mentions[j].kind in ("money", "number"):
                return b.fact
        return None

    # --- scoring ---------------------------------------------------------------------

    @staticmethod
    def summarize(evidence: list[tuple[Tags, float]]) -> Summary:
        """Per slot: the total cue weight and the weight behind each value."""
        out: Summary = {}
        for tags, w in evidence:
            for slot, value in tags.items():
                total, by_value = out.get(slot, (0.0, {}))
                for v in value if isinstance(value, tuple) else (value,):
                    by_value[v] = by_value.get(v, 0.0) + w
                out[slot] = (total + w, by_value)
        return out

    @staticmethod
    def score(info: FactInfo, summary: Summary) -> tuple[float, float]:
        """(score, positive support) of a fact under the evidence.

        Per slot, a fact that has several values (a swing low is a level and a price) is read as the one
        value the cues support most; cues for other values count against it.
        """
        total = 0.0
        positive = 0.0
        metric = ""
        for slot, have, sw in info.items:
            said = summary.get(slot)
            if said is None:
                continue
            weight, by_value = said
            if len(have) == 1:
                best = have[0]
                support = by_value.get(best, 0.0)
            else:
                support, best = max((by_value.get(v, 0.0), v) for v in have)
            total += (2 * support - weight) * sw
            if slot == "metric":
                metric = best
            elif slot == "asset":
                continue
            positive += support * sw
        # A slot the text leaves (nearly) unsaid takes the metric's default reading: the metric's other facts
        # lose a little, enough to beat a stray cue, never enough to prefer one metric over another.
        for slot, default, sw in info.defaults.get(metric or info.metric, ()):
            said = summary.get(slot)
            if said is None or said[0] < 0.4:
                total -= 2 * DEFAULT_WEIGHT * sw
        return total, positive

    def candidates(self, m: Mention) -> list[FactInfo]:
        units = UNITS_FOR_KIND.get(m.kind, ())
        if m.kind == "number" and m.scaled:
            units = ("usd", "count")
        out = [info for u in units for info in self.index.by_unit.get(u, [])]
        if m.kind == "number" and not m.scaled and m.value is not None and m.value >= 1000:
            out = [info for info in out if info.fact.unit == "usd"]
        elif m.kind == "number" and m.value:
            # A bare "30" is no dollar level of $46,054: a number without a currency can be a price written
            # without "$" ("support at 58,200"), but only one of about that size.
            v = abs(m.value)
            out = [info for info in out if info.fact.unit != "usd" or v * 20 >= abs(float(info.fact.value)) >= v / 20]
        return out

    def bind(self, i: int) -> Binding:
        binding = self._bind(i)
        self.bound[i] = binding
        return binding

    def _bind(self, i: int) -> Binding:
        m = self.mentions[i]
        if m.unit == "foreign":
            return Binding(None, "an amount in another currency; the data is in dollars")
        cands = self.candidates(m)
        is_date = m.kind in ("date", "time", "year")
        if not cands:
            return Binding(None, f"no fact of this kind ({m.kind}) in the data")
        if is_date:
            paired = self._paired_date(i)
            if paired is not None:
                return Binding(paired[0], "date of the level it names", 1.0, role="level") if paired[0] is not None \
                    else Binding(None, paired[1], role="level")
        evidence = self.evidence(i)
        evidence.extend(self._dated(i))
        if m.kind == "percent":
            evidence.extend(self._distance_of(i, evidence))
        if m.range_role in ("low", "high"):
            evidence.append(({"aspect": m.range_role}, 0.5))
        elif m.range_role in ("start", "end"):
            evidence.extend(self._move_ends(m))
        summary = self.summarize(evidence)
        said = summary.get("metric")
        if said is not None and said[0] >= 0.3 and not is_date:
            top_weight = max(said[1].values())
            absent = [(w, v) for v, w in said[1].items() if v in self.index.metrics and v not in self.index.present
                      and w >= 0.3 and w >= 0.6 * top_weight]
            if absent:
                # "Open interest climbed to $1.2 billion" with no open-interest data: backed by nothing,
                # not by whichever figure of another metric is nearest.
                return Binding(None, f"the data has no {max(absent)[1].replace('_', ' ')} figures", foreign=True)
            # Facts of a metric no cue names cannot win; skip scoring them.
            floor = 0.25 * top_weight
            named = {v for v, w in said[1].items() if w >= floor}
            cands = [info for info in cands if not named.isdisjoint(info.tags.get("metric", ()))] or cands
        scored = [(self.score(info, summary), info) for info in cands]
        if not is_date:
            # Only facts some cue speaks for compete; defaults then rank them, they never pick one alone.
            scored = [t for t in scored if t[0][1] > 0.05] or scored
        best = max(s[0] for s, _ in scored)
        top = [(s, info) for s, info in scored if s[0] >= best - max(TIE, abs(best) * 0.08)]
        support = max(s[1] for s, _ in top)
        if is_date:
            return self._bind_date(m, scored, top, best, summary)
        if support <= 0.05:
            return Binding(None, self._unsupported_reason(evidence), best, foreign=self._foreign(evidence) > 0.3)
        if self._foreign(evidence) >= FOREIGN_SHARE * support:
            return Binding(None, self._unsupported_reason(evidence), best, foreign=True)
        top.sort(key=lambda t: _distance(m, t[1].fact))
        fitting = [t for t in top if _contradicted(t[1], summary) is None]
        if not fitting:
            # "fell 14.72% this week": the words name a window the data has no figure for.
            info = top[0][1]
            return Binding(None, f"the words tie it to a {_contradicted(info, summary)} the data has no figure for "
                                 f"(the closest is {info.fact.label})", best)
        info = fitting[0][1]
        return Binding(info.fact, f"bound to {info.fact.label}", best, [t[1].fact for t in fitting[1:]])

    def _bind_date(self, m: Mention, scored, top, best: float, summary: Summary) -> Binding:  # type: ignore[no-untyped-def]
        """A date verifies when some date fact has it; cues name the expected one for "as of" and "since" dates."""
        assert m.when is not None
        metric = summary.get("metric", (0.0, {}))[1]
        if metric.get("since", 0.0) >= 0.5:
            # "its lowest level since November": the date the candles were last that low (or high).
            aspects = summary.get("aspect", (0.0, {}))[1]
            pool = [info for _, info in scored if "since" in info.tags.get("metric", ())
                    and any(aspects.get(a, 0.0) > 0.3 for a in info.tags.get("aspect", ()))]
            matching = [info.fact for info in pool if m.when.matches(moment(info.fact))]
            if matching:
                return Binding(matching[0], f"matches {matching[0].label}", best, role="since")
            if pool:
                return Binding(pool[0].fact, f"bound to {pool[0].fact.label}", best, role="since")
            return Binding(None, "no earlier candle in the data traded at this price: nothing backs the date", best,
                           role="since")
        if _LEVEL_DATE_BEFORE.search(self.layout.masked[max(0, m.start - 60) : m.start]):
            # "the fair value gap left on February 1": the date some level was set.
            dated = [self.index.facts[k] for k in DATE_OF.values() if k in self.index.facts]
            matching = [f for f in dated if m.when.matches(moment(f))]
            if matching:
                return Binding(matching[0], f"matches {matching[0].label}", best, role="level")
            return Binding(None, "no level in the data was set on that date", best, role="level")
        as_of = [info for s, info in top if "as_of" in info.tags.get("metric", ()) and s[1] > 0.3]
        # "as of ..." must be a data time; any other date some date the data has (but not a since-date, which
        # only a since-claim states).
        pool = as_of or [info for _, info in scored if "since" not in info.tags.get("metric", ())]
        role = "as_of" if as_of else None
        matching = [info.fact for info in pool if m.when.matches(moment(info.fact))]
        if matching:
            return Binding(matching[0], f"matches {matching[0].label}", best, role=role)
        if as_of:
            return Binding(as_of[0].fact, f"bound to {as_of[0].fact.label}", best, role=role)
        return Binding(None, "no date in the data matches", best)

    def _dated(self, i: int) -> list[tuple[Tags, float]]:
        """'its high of $73,800 set on January 14', 'the November 12 low of $5,429': a date names the level."""
        m = self.mentions[i]
        if m.kind not in ("money", "number"):
            return []
        masked = self.layout.masked
        nxt = self.mentions[i + 1] if i + 1 < len(self.mentions) else None
        prev = self.mentions[i - 1] if i > 0 else None
        noun = None
        if nxt is not None and nxt.when is not None and _DATE_PAIR.match(masked[m.end : nxt.start]):
            when = nxt.when
        elif prev is not None and prev.when is not None and (dn := _DATED_NOUN.match(masked[prev.end : m.start])):
            when, noun = prev.when, dn.group("noun").lower()
        else:
            return []
        out: list[tuple[Tags, float]] = []
        for key, date_key in DATE_OF.items():
            date_fact = self.index.facts.get(date_key)
            info = self.index.by_key.get(key)
            if date_fact is not None and info is not None and when.matches(moment(date_fact)):
                out.append(({k: v for k, v in info.tags.items() if k not in ("asset", "role")}, 1.0))
        if not out and noun is not None and noun.rstrip("s") in ("high", "low", "peak", "top", "bottom", "trough"):
            out.append(({"window": "move"}, 0.6))  # a dated high or low is a swing, not today's range
        return out

    def _paired_date(self, i: int) -> tuple[Fact | None, str] | None:
        """A date that says when the level next to it was set: that level's date fact (None if it has none)."""
        m = self.mentions[i]
        si = self.layout.sentence_index(m.start)
        masked = self.layout.masked
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = self.mentions[j]
            b = self.bound[j]
            if prev.kind not in ("money", "number") or b is None or b.fact is None:
                continue
            if self.layout.sentence_index(prev.start) != si:
                break
            if _DATE_PAIR.match(masked[prev.end : m.start]):
                key = DATE_OF.get(b.fact.key)
                return (self.index.facts.get(key), "") if key and key in self.index.facts else None
            break
        if i + 1 < len(self.mentions) and _DATED_NOUN.match(masked[m.end : self.mentions[i + 1].start]):
            b = self.bound[i + 1]
            if b is not None and b.fact is not None and (key := DATE_OF.get(b.fact.key)) is not None:
                if key in self.index.facts:
                    return self.index.facts[key], ""
            return None, f"the data has no date for the level it names ({b.fact.label if b and b.fact else 'none'})"
        return None

    def _distance_of(self, i: int, evidence: list[tuple[Tags, float]]) -> list[tuple[Tags, float]]:
        """'Its low was $13,025, 21% beneath the high': the distance of the low, not of the price."""
        m = self.mentions[i]
        said = {a for tags, w in evidence if w >= 0.3 for a in _values(tags.get("aspect"))}
        wanted = [(subject, meant) for (subject, distance), meant in DISTANCE_OF.items() if distance in said]
        if not wanted:
            return []
        sent = self.layout.sentence_at(m.start)
        for cue in reversed(self._cues_in(sent.start, m.start)):
            aspects = _values(cue.tags.get("aspect"))
            if cue.tags.get("asset") == "ours" or "current" in aspects:
                return []  # the price (or the asset) is what is distant
            for subject, meant in wanted:
                if aspects == (subject,):
                    return [({"aspect": meant}, 1.2)]
        return []

    def _move_ends(self, m: Mention) -> list[tuple[Tags, float]]:
        """'the rally from X to Y': X is a low and Y a high, or where the price is now (the other way round for
        a decline). Which move (the day's, the swing's) the other words say: 'the rally', a date, 'in hours'."""
        sent = self.layout.sentence_at(m.start)
        text = self.layout.masked[sent.start : sent.end]
        up, down = _MOVE_UP.search(text), _MOVE_DOWN.search(text)
        if up and not down or down and not up:
            first, last = ("low", "high") if up else ("high", "low")
            if m.range_role == "start":
                return [({"aspect": (first, "open")}, 0.8)]
            return [({"aspect": (last, "current", "close")}, 0.8)]
        return [({"aspect": ("open", "high", "low", "close")}, 0.5)] if m.range_role == "start" else []

    def _foreign(self, evidence: list[tuple[Tags, float]]) -> float:
        """Weight of the cues that point away from every fact: metrics no fact has, other assets."""
        known = self.index.metrics
        mass = 0.0
        for tags, w in evidence:
            metric = tags.get("metric")
            if metric is not None:
                values = metric if isinstance(metric, tuple) else (metric,)
                if not any(v in known for v in values):
                    mass += w * SLOT_WEIGHT["metric"]
            if tags.get("asset") == "other":
                mass += w * SLOT_WEIGHT["asset"]
        return mass

    @staticmethod
    def _unsupported_reason(evidence: list[tuple[Tags, float]]) -> str:
        metrics: dict[str, float] = {}
        for tags, w in evidence:
            for v in (tags.get("metric"),) if isinstance(tags.get("metric"), str) else tags.get("metric") or ():
                metrics[v] = metrics.get(v, 0.0) + w  # type: ignore[index]
        other = next((w for tags, w in evidence if tags.get("asset") == "other"), 0.0)
        if other > 0.3:
            return "about another asset or market, not this snapshot's"
        if metrics:
            top = max(metrics, key=metrics.__getitem__)
            return f"no fact in the data backs this figure (it reads as {top.replace('_', ' ')})"
        return "no fact in the data backs this figure"


def _values(value: str | tuple[str, ...] | None) -> tuple[str, ...]:
    return () if value is None else value if isinstance(value, tuple) else (value,)


def _contradicted(info: FactInfo, summary: Summary) -> str | None:
    """The window, side or timeframe the words name for which this fact has no value, when they name it clearly."""
    for slot in _IDENTITY:
        said, have = summary.get(slot), info.tags.get(slot)
        if said is None or not have:
            continue
        support = max(said[1].get(v, 0.0) for v in have)
        other, weight = max(((v, w) for v, w in said[1].items() if v not in have), key=lambda t: t[1],
                            default=(None, 0.0))
        if other is not None and weight >= CONTRADICTED and support < 0.25 * weight:
            return f"{slot} of {other}"
    return None


def _distance(m: Mention, fact: Fact) -> float:
    if m.value is None or not isinstance(fact.value, int | float):
        return 0.0
    ref = abs(float(fact.value)) or 1.0
    value = abs(m.value) if m.kind == "percent" else m.value
    target = abs(float(fact.value)) if m.kind == "percent" else float(fact.value)
    return abs(value - target) / ref


def isclose(a: float, b: float, tol: float) -> bool:
    return abs(a - b) <= tol + 1e-9 * max(1.0, abs(a), abs(b))


__all__ = ["Binder", "Binding", "isclose"]
