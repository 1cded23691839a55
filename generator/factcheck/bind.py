"""Binding: tie each mention to the fact its clause talks about.

Each candidate fact of a compatible unit scores the evidence (evidence.py) its tags agree with minus the
evidence they contradict; unstated slots fall back to the metric's default reading. Value closeness only
breaks ties between equally supported facts — it never picks a fact on its own.
"""

from __future__ import annotations

from generator.factcheck.binding import Binding, Summary
from generator.factcheck.cues import NEEDS_SUPPORT, SLOT_WEIGHT, Tags
from generator.factcheck.evidence import DATE_PAIR, DATED_NOUN, TIME_DATE_PAIR, Evidence
from generator.factcheck.extract import Mention
from generator.factcheck.index import DEFAULT_WEIGHT, FactInfo, moment
from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import lowered
from generator.facts import Fact

TIE = 0.3  # scores closer than this are a tie, broken by the value
_SIGNED: Tags = {"metric": ("change", "funding")}
_NAMED_DATE = 0.5  # the cue weight that makes the words name whose date a date is
_PRICE_HISTORY = frozenset(("since", "price", "level", "as_of", "article"))  # what the candles' past covers
FOREIGN_SHARE = 0.75  # cues for a metric no fact has win over this share of the best fact's support
# Slots that say which figure a number is; words naming a value the bound fact lacks make it unbacked.
_IDENTITY = ("window", "side", "tf")
CONTRADICTED = 0.5  # weight of words for another window/side/timeframe that unbinds a number
_DATES = ("date", "time", "year")
_METRIC_WEIGHT = SLOT_WEIGHT["metric"]
_ASSET_WEIGHT = SLOT_WEIGHT["asset"]

# Mention kinds and the units of the facts they may bind to.
UNITS_FOR_KIND: dict[str, tuple[str, ...]] = {
    "money": ("usd",), "percent": ("percent",), "index": ("index",), "number": ("usd", "index", "count", "ratio"),
    "multiple": ("ratio",),
    "count": ("count",), "coins": ("count",), "date": ("date", "datetime"), "time": ("datetime",),
    "year": ("date", "datetime"),
}
# "The fair value gap left on February 11", "a high set in December": a date that says when a level was set.
_LEVEL_DATE_BEFORE = lowered(RULES.regex("level_date_before"))  # (on the lower-cased text)
_DATED_MOVE = RULES.regex("dated_move")


def summarize(evidence: list[tuple[Tags, float]]) -> Summary:
    """Per slot: the total cue weight and the weight behind each value (tag values are tuples)."""
    out: Summary = {}
    for tags, w in evidence:
        for slot, values in tags.items():
            said = out.get(slot)
            if said is None:
                by_value: dict[str, float] = {}
                out[slot] = (w, by_value)
            else:
                by_value = said[1]
                out[slot] = (said[0] + w, by_value)
            for v in values:
                by_value[v] = by_value.get(v, 0.0) + w
    return out


def score(info: FactInfo, summary: Summary) -> tuple[float, float]:
    """(score, positive support) of a fact under the evidence.

    Per slot, a fact that has several values (a swing low is a level and a price) is read as the one
    value the cues support most; cues for other values count against it.
    """
    total = positive = 0.0
    metric = ""
    get = summary.get
    for slot, best, rest, sw, kind in info.scoring:  # (index.Scoring: the items, pre-split)
        said = get(slot)
        if said is None:
            continue
        weight, by_value = said
        support = by_value.get(best, 0.0)
        for v in rest:  # the best-supported value; on a tie the greater name, as max() of (support, name)
            x = by_value.get(v, 0.0)
            if x > support or (x == support and v > best):
                support, best = x, v
        total += (2 * support - weight) * sw
        if kind == 1:
            metric = best
        elif kind == 2:
            continue
        positive += support * sw
    # A slot the text leaves (nearly) unsaid takes the metric's default reading: the metric's other facts
    # lose a little, enough to beat a stray cue, never enough to prefer one metric over another.
    for slot, _, sw in info.defaults.get(metric or info.metric, ()):
        said = summary.get(slot)
        if said is None or said[0] < 0.4:
            total -= 2 * DEFAULT_WEIGHT * sw
    return total, positive


class Binder(Evidence):
    """Binds the mentions of one article: numbers in order (later ones may refer back), then dates."""

    summarize = staticmethod(summarize)
    score = staticmethod(score)

    def candidates(self, m: Mention) -> list[FactInfo]:
        units = UNITS_FOR_KIND.get(m.kind, ())
        if m.kind == "number" and m.scaled:
            units = ("usd", "count")
        out = self.index.of_units(units)
        if m.kind == "number" and not m.scaled and m.value is not None and m.value >= 1000:
            out = [info for info in out if info.fact.unit == "usd"]
        elif m.kind == "number" and m.value:
            # A bare "30" is no dollar level of $46,054: a number without a currency can be a price written
            # without "$" ("support at 58,200"), but only one of about that size.
            v = abs(m.value)
            out = [info for info in out if info.fact.unit != "usd" or v * 20 >= abs(info.number) >= v / 20]
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
        is_date = m.kind in _DATES
        if not cands:
            return Binding(None, f"no fact of this kind ({m.kind}) in the data")
        if is_date:
            paired = self._paired_date(i)
            if paired is not None:
                return Binding(paired[0], "date of the level it names", 1.0, role="level") if paired[0] is not None \
                    else Binding(None, paired[1], role="level")
        evidence = self.evidence(i)
        evidence.extend(self.dated(i))
        if m.kind == "percent":
            evidence.extend(self.distance_of(i, evidence))
        if m.kind == "percent" and m.sign is not None:
            evidence.append((_SIGNED, 0.25))  # "$7.95K (+13.49%)": a written sign marks a change or a rate
        if m.range_role in ("low", "high"):
            evidence.append(({"aspect": (m.range_role,)}, 0.5))
        elif m.range_role in ("start", "end"):
            evidence.extend(self.move_ends(m))
        summary = summarize(evidence)
        said = summary.get("metric")
        if said is not None and said[0] >= 0.3 and not is_date:
            top_weight = max(said[1].values())
            # A metric the data lacks backs nothing only when the words name it over every metric it has: "a total
            # of $284 million" after "liquidated" is the liquidations' total, though "total" fits volume too.
            present = max((w for v, w in said[1].items() if v in self.index.present), default=0.0)
            absent = [(w, v) for v, w in said[1].items() if v in self.index.metrics and v not in self.index.present
                      and w >= 0.3 and w > present]
            if absent:
                # "Open interest climbed to $1.2 billion" with no open-interest data: backed by nothing,
                # not by whichever figure of another metric is nearest.
                return Binding(None, f"the data has no {max(absent)[1].replace('_', ' ')} figures", foreign=True)
            # Facts of a metric no cue names cannot win; skip scoring them.
            floor = 0.25 * top_weight
            named = {v for v, w in said[1].items() if w >= floor}
            cands = [info for info in cands if not named.isdisjoint(info.metrics)] or cands
        if not self.index.needy_units.isdisjoint(UNITS_FOR_KIND.get(m.kind, ())):
            cands = _worded(cands, summary)
        if is_date:
            # The snapshot's own times (a date for each source) need no score: only the facts the words may name do.
            scored = [(*score(info, summary), info) if not info.fact.meaning.clock or "as_of" in info.metrics
                      else (0.0, 0.0, info) for info in cands]
            return self._bind_date(m, scored, max(t[0] for t in scored), summary)
        scored = [(*score(info, summary), info) for info in cands]
        if not is_date:
            # Only facts some cue speaks for compete; defaults then rank them, they never pick one alone.
            scored = [t for t in scored if t[1] > 0.05] or scored
        best = max(t[0] for t in scored)
        floor_score = best - max(TIE, abs(best) * 0.08)
        top = [t for t in scored if t[0] >= floor_score]
        if is_date:
            return self._bind_date(m, scored, best, summary)
        support = max(t[1] for t in top)
        foreign = self._foreign(evidence)
        if support <= 0.05:
            return Binding(None, self._unsupported_reason(evidence), best, foreign=foreign > 0.3)
        if foreign >= FOREIGN_SHARE * support:
            return Binding(None, self._unsupported_reason(evidence), best, foreign=True)
        if len(top) > 1:
            top.sort(key=lambda t: _distance(m, t[2].fact))
        fitting = [t for t in top if contradicted(t[2], summary) is None] \
            if any(slot in summary for slot in _IDENTITY) else top
        if not fitting:
            # "fell 14.72% this week": the words name a window the data has no figure for.
            info = top[0][2]
            return Binding(None, f"the words tie it to a {contradicted(info, summary)} the data has no figure for "
                                 f"(the closest is {info.fact.label})", best, summary=summary)
        info = fitting[0][2]
        return Binding(info.fact, f"bound to {info.fact.label}", best, [t[2].fact for t in fitting[1:]],
                       summary=summary)

    def _bind_date(self, m: Mention, scored: list[tuple[float, float, FactInfo]], best: float,
                   summary: Summary) -> Binding:
        """A date binds by what its words say it is, like a number: the date of the level, move or record they name,
        "as of" the data's time; a date the words tie to nothing is the snapshot's own (its date, the latest
        close). It verifies only when that fact has it: another date in the data with the same day is no backing."""
        assert m.when is not None
        metric = summary.get("metric", (0.0, {}))[1]
        if metric.get("since", 0.0) >= 0.5:
            # "its lowest level since November": the date the candles were last that low (or high). The candles
            # are the price's history: "liquidations were the most since February" has none behind it.
            other = max(((w, v) for v, w in metric.items() if v not in _PRICE_HISTORY), default=(0.0, ""))
            if other[0] >= 0.5 and other[0] >= metric.get("price", 0.0):
                return Binding(None, f"the data has no history of {other[1].replace('_', ' ')}: nothing backs the date",
                               best, role="since")
            aspects = summary.get("aspect", (0.0, {}))[1]
            pool = [info for *_, info in scored if "since" in info.metrics
                    and any(aspects.get(a, 0.0) > 0.3 for a in info.tags.get("aspect", ()))]
            matching = [info.fact for info in pool if m.when.matches(moment(info.fact))]
            if matching:
                return Binding(matching[0], f"matches {matching[0].label}", best, role="since")
            if pool:
                return Binding(pool[0].fact, f"bound to {pool[0].fact.label}", best, role="since")
            return Binding(None, "no earlier candle in the data traded at this price: nothing backs the date", best,
                           role="since")
        by_key = {info.key: (s, support) for s, support, info in scored}
        if _LEVEL_DATE_BEFORE.search(self.layout.lower[max(0, m.start - 60) : m.start]):
            # "the fair value gap left on February 1": the date the level the words name was set.
            dated = [self.index.by_key[k] for info in self.index.dated
                     if (k := info.fact.meaning.date) is not None and k in self.index.by_key]
            if not dated:
                return Binding(None, "no level in the data has a date", best, role="level")
            return self._named_date(m, dated, by_key, best, "level", "no level in the data was set on that date")
        if _DATED_MOVE.match(self.layout.masked, m.end):
            # "the November-January rally": the dates of the move's ends.
            ends = [info for *_, info in scored if info.fact.meaning.has("window", "move")]
            if ends:
                return self._named_date(m, ends, {}, best, "level", "")
        as_of = [info for s, support, info in scored if "as_of" in info.metrics and support > 0.3]
        if as_of:
            return self._named_date(m, as_of, by_key, best, "as_of", "")
        # Dates the words name (a level's, a move's end), else the snapshot's own (its date, the latest close).
        named = [info for *_, info in scored if _naming(info, summary) >= _NAMED_DATE and "since" not in info.metrics
                 and not info.fact.meaning.clock]
        if named:
            return self._named_date(m, named, by_key, best, None, "")
        clock = [info for *_, info in scored if info.fact.meaning.clock]
        matching = [info.fact for info in clock if m.when.matches(moment(info.fact))]
        if matching:  # any of the snapshot's own times backs a date the words tie to nothing else
            return Binding(matching[0], f"matches {matching[0].label}", best)
        return Binding(None, "no date in the data matches", best)

    def _named_date(self, m: Mention, pool: list[FactInfo], by_key: dict[str, tuple[float, float]], best: float,
                    role: str | None, none_reason: str) -> Binding:
        """The best-supported of ``pool`` (ties: any of them that has the date); a mismatch against it otherwise."""
        assert m.when is not None
        ranked = sorted(pool, key=lambda info: -by_key.get(info.key, (0.0, 0.0))[0])
        top = by_key.get(ranked[0].key, (0.0, 0.0))[0]
        tied = [info for info in ranked if by_key.get(info.key, (0.0, 0.0))[0] >= top - TIE]
        matching = [info.fact for info in tied if m.when.matches(moment(info.fact))]
        if matching:
            return Binding(matching[0], f"matches {matching[0].label}", best, role=role)
        if none_reason and not any(m.when.matches(moment(info.fact)) for info in ranked):
            return Binding(None, none_reason, best, role=role)
        if self._outside(m):
            # "the 2023 lows" in data that starts in 2025: a time the data does not cover, not a wrong date.
            return Binding(None, f"{m.text.strip()} is outside the time the data covers", best)
        return Binding(tied[0].fact, f"bound to {tied[0].fact.label}", best, role=role)

    def _outside(self, m: Mention) -> bool:
        """The date lies before every date of the data (its history's start included) or after its time."""
        when = m.when
        moments = [moment(f) for f in self.index.facts if f.unit in ("date", "datetime")]
        if when is None or when.year is None or not moments:
            return False
        first, last = min(moments), max(moments)
        key = (when.year, when.month or 0)
        return key < (first.year, first.month if when.month else 0) or key > (last.year, last.month if when.month else 0)

    def _paired_date(self, i: int) -> tuple[Fact | None, str] | None:
        """A date that says when the level next to it was set: that level's date fact (None if it has none)."""
        m = self.mentions[i]
        si = self.layout.sentence_index(m.start)
        masked = self.layout.masked
        if i > 0 and (prev := self.mentions[i - 1]).kind == "time" and self.layout.sentence_index(prev.start) == si \
                and (b := self.bound[i - 1]) is not None and b.fact is not None and b.fact.unit == "datetime" \
                and TIME_DATE_PAIR.match(masked[prev.end:m.start]):
            return b.fact, ""  # "at 08:00 UTC on February 16": the day of the moment the time was bound to
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = self.mentions[j]
            b = self.bound[j]
            if prev.kind not in ("money", "number") or b is None or b.fact is None:
                continue
            if self.layout.sentence_index(prev.start) != si:
                break
            sent = self.layout.sentences[si]
            # In a table row the date's own cell says it ("| $7,846 | Swing level from November 8, 2017 |").
            cell = sent.cell_of(m.start) if sent.cells else None
            joined = DATE_PAIR.match(masked, prev.end, m.start) if cell is None or sent.cell_of(prev.start) == cell \
                else DATE_PAIR.match(masked, sent.cells[cell][0], m.start)
            if joined:
                key = b.fact.meaning.date
                return (self.index.facts.get(key), "") if key and key in self.index.facts else None
            break
        if i + 1 < len(self.mentions) and DATED_NOUN.match(masked, m.end, self.mentions[i + 1].start):
            b = self.bound[i + 1]
            if b is not None and b.fact is not None and (key := b.fact.meaning.date) is not None:
                if key in self.index.facts:
                    return self.index.facts[key], ""
            return None, f"the data has no date for the level it names ({b.fact.label if b and b.fact else 'none'})"
        return None

    def cue_span(self, i: int, slot: str, value: str) -> tuple[int, int] | None:
        """The words in mention ``i``'s sentence that say ``slot`` is ``value`` for it, the strongest if several."""
        m = self.mentions[i]
        sent = self.layout.sentence_at(m.start)
        cell = sent.cell_of(m.start) if sent.cells else None
        best, span = 0.0, None
        for cue in self._cues_in(sent.start, sent.end):
            tags = cue.tags if cue.start >= m.end else cue.after
            if value not in tags.get(slot, ()) or (cue.start < m.end and m.start < cue.end):
                continue
            if cell is not None and sent.cell_of(cue.start) != cell:
                w = 0.9 if sent.cell_of(cue.start) == 0 else 0.25
            else:
                w = self.reach(i, cue.start, cue.end)
            if w * cue.weight > best:
                best, span = w * cue.weight, (cue.start, cue.end)
        if span is not None and cell is not None and sent.cell_of(span[0]) == 0 != cell:
            return sent.cells[0]  # a row's label is one name ("Nearest resistance"): the error is the label's
        return span

    def _foreign(self, evidence: list[tuple[Tags, float]]) -> float:
        """Weight of the cues that point away from every fact: metrics no fact has, other assets."""
        known = self.index.metrics
        mass = 0.0
        for tags, w in evidence:
            metric = tags.get("metric")
            if metric is not None and known.isdisjoint(metric):
                mass += w * _METRIC_WEIGHT
            if tags.get("asset") == ("other",):
                mass += w * _ASSET_WEIGHT
        return mass

    @staticmethod
    def _unsupported_reason(evidence: list[tuple[Tags, float]]) -> str:
        metrics: dict[str, float] = {}
        for tags, w in evidence:
            for v in tags.get("metric", ()):
                metrics[v] = metrics.get(v, 0.0) + w
        other = next((w for tags, w in evidence if tags.get("asset") == ("other",)), 0.0)
        if other > 0.3:
            return "about another asset or market, not this snapshot's"
        if metrics:
            top = max(metrics, key=metrics.__getitem__)
            return f"no fact in the data backs this figure (it reads as {top.replace('_', ' ')})"
        return "no fact in the data backs this figure"


def _naming(info: FactInfo, summary: Summary) -> float:
    """How strongly the words name this fact by what sets it apart (which level, move, window), not by its metric."""
    total = 0.0
    for slot, have, sw in info.items:
        if slot in ("metric", "asset"):
            continue
        said = summary.get(slot)
        if said is not None:
            total += max(said[1].get(v, 0.0) for v in have) * sw
    return total


def _worded(cands: list[FactInfo], summary: Summary) -> list[FactInfo]:
    """The candidates without a reading that needs words the text does not have (cues.NEEDS_WORDS)."""
    said = summary.get("aspect")
    by_value = said[1] if said is not None else {}
    kept = [info for info in cands if info.needs is None
            or any(by_value.get(v, 0.0) >= NEEDS_SUPPORT for v in info.needs)]
    return kept or cands


def contradicted(info: FactInfo, summary: Summary) -> str | None:
    """The window, side or timeframe the words name for which this fact has no value, when they name it clearly."""
    for slot in _IDENTITY:
        said, have = summary.get(slot), info.tags.get(slot)
        if said is None or not have:
            continue
        other, weight = None, 0.0
        for v, w in said[1].items():
            if w > weight and v not in have:
                other, weight = v, w
        if other is not None and weight >= CONTRADICTED and max(said[1].get(v, 0.0) for v in have) < 0.25 * weight:
            return f"{slot} of {other}"
    return None


def _distance(m: Mention, fact: Fact) -> float:
    if m.value is None or not isinstance(fact.value, int | float):
        return 0.0
    ref = abs(float(fact.value)) or 1.0
    if m.kind == "percent" and m.sign is None:  # "fell 0.01%": the words carry the sign, the value is a size
        return abs(abs(m.value) - abs(float(fact.value))) / ref
    # A written sign is part of the value: "-0.01%" is nearer a change of -0.006% than one of +0.010%.
    value = m.sign * abs(m.value) if m.kind == "percent" and m.sign is not None else m.value
    return abs(value - float(fact.value)) / ref


def isclose(a: float, b: float, tol: float) -> bool:
    # Slack for float error only, relative: a coin at $0.0000009411 is no $0.0000009415.
    return abs(a - b) <= tol + 1e-9 * max(abs(a), abs(b), tol)


__all__ = ["Binder", "Binding", "isclose"]
