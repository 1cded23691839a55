"""The facts prepared for binding, and the cues found in a text.

Each fact gets the tags its meaning declares (generator/fact_catalogue.py) plus what depends on the data:
whether a level is support or resistance depends on where the price is. Cues are the
phrases of cues.CUES, the names of the article's asset and of other assets, and
the tags some mentions carry themselves (a Fibonacci ratio names its level).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

from generator.fact_catalogue import known_metrics
from generator.factcheck.cues import CUES, DEFAULTS, NEEDS_WORDS, SLOT_WEIGHT, Tags, as_tuples, cue_tags
from generator.factcheck.extract import Mention
from generator.factcheck.lexicon import ASSET_ALIASES, OTHER_MARKETS
from generator.factcheck.markdown import Layout
from generator.factcheck.scan import Scanner
from generator.facts import Fact, FactSet

CUE_TAGS = cue_tags()
CUE_SCANNER = Scanner([rule[0] for rule in CUES])
DEFAULT_WEIGHT = 0.35  # how much an unstated slot's default reading counts


@dataclass(slots=True)
class Cue:
    start: int
    end: int
    tags: Tags  # for numbers before the cue (and the mention a cue of its own belongs to)
    weight: float
    after: Tags  # for numbers after it
    # The self-contained mention the cue lies inside ("period" in "14-period"), -1 for none; -2 until the binder
    # has looked (evidence.Evidence._owner), so the test is made once per cue, not once per cue and mention.
    owner: int = -2


@dataclass(frozen=True, slots=True)
class Profile:
    """What scoring needs of a fact's tags; the same for every fact set with that key, unit and role."""

    tags: dict[str, tuple[str, ...]]
    items: tuple[tuple[str, tuple[str, ...], float], ...]  # (slot, values, slot weight)
    metrics: tuple[str, ...]
    metric: str  # the first metric
    # Per metric, the (slot, default, weight) of each default reading this fact does not meet.
    defaults: dict[str, tuple[tuple[str, str, float], ...]]
    needs: tuple[str, ...] | None  # aspects some words must name for this fact to compete (cues.NEEDS_WORDS)
    scoring: Scoring  # ``items`` as bind.score walks them


# (slot, first value, the other values, slot weight, 1 for the metric slot, 2 for the asset's, else 0): the shape
# bind.score reads ~650 times an article, with nothing left to slice or compare per slot.
Scoring = tuple[tuple[str, str, tuple[str, ...], float, int], ...]
_SLOT_KIND = {"metric": 1, "asset": 2}

_PROFILES: dict[tuple[str, str, tuple[str, ...] | None], Profile] = {}


def _profile(fact: Fact, role: tuple[str, ...] | None) -> Profile:
    """The scoring profile of a fact's meaning; the same for every fact set (kept by key, unit and role)."""
    held = _PROFILES.get((fact.key, fact.unit, role))
    if held is None:
        held = _PROFILES[fact.key, fact.unit, role] = _make_profile(fact.meaning.tags, fact.unit, role)
    return held


def _make_profile(meaning_tags: dict[str, tuple[str, ...]], unit: str, role: tuple[str, ...] | None) -> Profile:
    tags = dict(meaning_tags)
    if unit in ("usd", "percent", "index", "count", "ratio") and "asset" not in tags:  # (a peer's names its asset)
        tags["asset"] = ("ours",)
    if role is not None:
        tags["role"] = role
    metrics = tags.get("metric", ())
    defaults = {
        m: tuple((slot, d, SLOT_WEIGHT.get(slot, 1.0)) for slot, d in DEFAULTS.get(m, {}).items()
                 if slot in tags and d not in tags[slot])
        for m in metrics or ("",)
    }
    items = tuple((slot, values, SLOT_WEIGHT.get(slot, 1.0)) for slot, values in tags.items())
    aspects = tags.get("aspect", ())
    needs = aspects if aspects and NEEDS_WORDS.issuperset(aspects) else None
    scoring = tuple((slot, values[0], values[1:], sw, _SLOT_KIND.get(slot, 0)) for slot, values, sw in items)
    return Profile(tags, items, metrics, metrics[0] if metrics else "", defaults, needs, scoring)


@dataclass(slots=True)
class FactInfo:
    """A fact with its tags, ready for scoring."""

    fact: Fact
    tags: dict[str, tuple[str, ...]]
    items: tuple[tuple[str, tuple[str, ...], float], ...]
    metric: str
    metrics: tuple[str, ...]
    defaults: dict[str, tuple[tuple[str, str, float], ...]]
    number: float  # the value as a float (0 for dates and text)
    needs: tuple[str, ...] | None  # aspects the words must name (cues.NEEDS_WORDS), None for most facts
    scoring: Scoring = ()

    @classmethod
    def of(cls, fact: Fact, role: tuple[str, ...] | None) -> FactInfo:
        p = _profile(fact, role)
        number = float(fact.value) if isinstance(fact.value, int | float) else 0.0
        return cls(fact, p.tags, p.items, p.metric, p.metrics, p.defaults, number, p.needs, p.scoring)

    @property
    def key(self) -> str:
        return self.fact.key


@dataclass(slots=True)
class FactIndex:
    """The facts prepared for binding: tags (with position-dependent roles), and the asset's names."""

    facts: FactSet
    infos: list[FactInfo]
    by_unit: dict[str, list[FactInfo]]
    price: float | None
    asset: str | None
    asset_names: tuple[str, ...]
    metrics: frozenset[str]  # every metric some fact has, and the metrics any fact family of the catalogue has
    by_key: dict[str, FactInfo] = field(default_factory=dict)
    present: frozenset[str] = frozenset()  # the metrics this fact set has figures for
    needy_units: frozenset[str] = frozenset()  # units of the facts that need words to compete (FactInfo.needs)
    dated: list[FactInfo] = field(default_factory=list)  # facts whose meaning names a date partner
    found: dict[tuple[tuple[str, str], ...], list[Fact]] = field(default_factory=dict)  # facts by tags (predicates)
    # The peers the facts have moves of, with their names: their names speak for their facts, not another asset's.
    peers: tuple[tuple[str, tuple[str, ...]], ...] = ()

    _of_units: dict[tuple[str, ...], list[FactInfo]] = field(default_factory=dict)
    signature: tuple[tuple[str, str], ...] = ()  # the facts' keys and units, in order: what a per-key cache needs

    def __post_init__(self) -> None:
        self.by_key = {info.key: info for info in self.infos}
        self.signature = tuple((info.key, info.fact.unit) for info in self.infos)
        self.present = frozenset(v for info in self.infos for v in info.tags.get("metric", ()))
        self.needy_units = frozenset(info.fact.unit for info in self.infos if info.needs is not None)
        self.dated = [info for info in self.infos if info.fact.meaning.date is not None and info.fact.meaning.position]

    def of_units(self, units: tuple[str, ...]) -> list[FactInfo]:
        """The facts of any of ``units``, in unit order (a list made once per fact set; callers do not change it)."""
        found = self._of_units.get(units)
        if found is None:
            found = self._of_units[units] = [info for u in units for info in self.by_unit.get(u, ())]
        return found


_LAST_INDEX: list[tuple[FactSet, FactIndex]] = []


def index_facts(facts: FactSet) -> FactIndex:
    """The prepared index of ``facts``, kept for the last few fact sets (a draft is checked section by section)."""
    for held, index in _LAST_INDEX:
        if held is facts:
            return index
    index = _index_facts(facts)
    # A few are kept (a draft is checked section by section, an editor re-checks): holding the FactSet keeps
    # its identity unique while it is cached.
    _LAST_INDEX[:] = [(facts, index), *_LAST_INDEX[: _KEEP - 1]]
    return index


def _index_facts(facts: FactSet) -> FactIndex:
    price_fact = facts.get("price.current")
    price = float(price_fact.value) if price_fact is not None else None
    asset_fact = facts.get("article.asset")
    asset = str(asset_fact.value) if asset_fact is not None else None
    names = ASSET_ALIASES.get(asset or "", ())
    if asset_fact is not None:
        names = tuple(sorted({*names, asset_fact.display.lower(), str(asset_fact.value).lower()}))
    infos: list[FactInfo] = []
    by_unit: dict[str, list[FactInfo]] = {}
    for fact in facts:
        role: tuple[str, ...] | None = None
        meaning = fact.meaning
        if fact.unit == "usd" and price is not None and meaning.metrics in _LEVEL_METRICS and "role" not in meaning.tags:
            role = ("resistance",) if float(fact.value) > price else ("support",)
        info = FactInfo.of(fact, role)
        infos.append(info)
        by_unit.setdefault(fact.unit, []).append(info)
    tickers = sorted({t for info in infos for t in info.tags.get("asset", ()) if t != "ours"})
    peers = tuple((t, ASSET_ALIASES.get(t.upper(), (t,))) for t in tickers)
    # A change by an amount ("eased 0.03 percentage points to ...") is known only where a fact gives one (dominance's
    # derived change): elsewhere such a figure speaks of a metric the data has none of, and is unsupported.
    metrics = _KNOWN_METRICS if any("change_amount" in info.metrics for info in infos) else _WITHOUT_AMOUNTS
    return FactIndex(facts, infos, by_unit, price, asset, names, metrics, peers=peers)


_LEVEL_METRICS = (("level",), ("price", "level"))
_KEEP = 4  # fact sets whose index is kept


# Metrics the data *could* have count as known even when this snapshot lacks them: "funding of 0.01%"
# without funding data is unsupported for lack of data, and reads so, but it is not "another metric".
_KNOWN_METRICS = known_metrics()
_WITHOUT_AMOUNTS = _KNOWN_METRICS - {"change_amount"}


def find_cues(layout: Layout, index: FactIndex, mentions: list[Mention]) -> list[Cue]:
    """The cues in the sentences a mention can hear (its own and, in prose, the one before), in order, plus
    asset names and the tags mentions carry themselves."""
    cues: list[Cue] = []
    for start, stop in _spans_to_scan(layout, mentions):
        cues.extend(scan_cues(layout, index, start, stop))
    for mention in mentions:
        if mention.tags:
            mention.tags = as_tuples(mention.tags)  # type: ignore[assignment]
            cues.append(Cue(mention.start, mention.end, mention.tags, 1.0, mention.tags if mention.tags_ahead else {}))
    cues.sort(key=lambda c: c.start)
    return cues


def scan_cues(layout: Layout, index: FactIndex, start: int, stop: int) -> list[Cue]:
    """The word cues and asset names in [start, stop) of the masked text."""
    masked = layout.masked
    scanner = _scanner(index.asset_names, index.peers) if index.asset is not None else CUE_SCANNER
    n = len(CUE_TAGS)
    cues: list[Cue] = []
    for a, b, i in scanner.finditer(masked, start, stop):
        if i < n:
            cues.append(Cue(a, b, *CUE_TAGS[i]))
        elif a and masked[a - 1] in "/$" or masked[b : b + 1] == "/":
            continue  # "BTC/USD" names a pair, "$SOL" a ticker: not a subject
        elif i > n + 1:  # a peer the facts have a move of: its name speaks for that move
            tags = _peer_tags(index.peers[i - n - 2][0])
            cues.append(Cue(a, b, tags, 1.2, tags))
        else:
            tags = _OURS if i == n else _OTHER
            cues.append(Cue(a, b, tags, 0.5 if i == n else 1.2, tags))
    return cues


def scanned_sentences(layout: Layout, mentions: list[Mention]) -> set[int]:
    """The sentences find_cues scans: each with a mention, and the one before it."""
    wanted: set[int] = set()
    for m in mentions:
        si = layout.sentence_index(m.start)
        wanted.add(si)
        if si:
            wanted.add(si - 1)
    return wanted


def _spans_to_scan(layout: Layout, mentions: list[Mention]) -> list[tuple[int, int]]:
    """Runs of consecutive sentences that hold a mention, each with the sentence before it."""
    wanted = scanned_sentences(layout, mentions)
    spans: list[tuple[int, int]] = []
    for si in sorted(wanted):
        sent = layout.sentences[si]
        if spans and si - 1 in wanted:
            spans[-1] = (spans[-1][0], sent.end)
        else:
            spans.append((sent.start, sent.end))
    return spans


_OURS: Tags = {"asset": ("ours",), "metric": ("price", "change")}
_OTHER: Tags = {"asset": ("other",)}


@lru_cache(maxsize=64)
def _peer_tags(ticker: str) -> Tags:
    return {"asset": (ticker,), "metric": ("price", "change"), "aspect": ("peer",)}


@lru_cache(maxsize=256)  # per asset: a batch of 50 assets must not rebuild it per article
def _scanner(ours: tuple[str, ...], peers: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Scanner:
    """The cues and the names of assets (ours, others, then each peer's) in one scan: one pass over the words."""
    return Scanner([rule[0] for rule in CUES] + _asset_patterns(ours, peers))


def _asset_patterns(ours: tuple[str, ...], peers: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> list[str]:
    named = {n for _, names in peers for n in names} - set(ours)
    others = {a for aliases in ASSET_ALIASES.values() for a in aliases} | set(OTHER_MARKETS)
    others -= set(ours) | named

    def alternation(names: set[str] | tuple[str, ...], exclude: set[str]) -> str:
        out = []
        for n in sorted(names, key=len, reverse=True):
            # "bitcoin" must not match the start of "bitcoin cash": another asset whose name extends ours.
            longer = [re.escape(o[len(n):]) for o in exclude if o.startswith(n + " ")]
            guard = f"(?!{'|'.join(longer)})" if longer else ""
            out.append(re.escape(n) + r"(?![\w/])" + guard)
        return "|".join(out)

    everyone = others | named
    return [alternation(ours, everyone) or r"(?!x)x", alternation(others, named | set(ours)) or r"(?!x)x",
            *(alternation(tuple(n for n in names if n not in ours), everyone - set(names)) or r"(?!x)x"
              for _, names in peers)]


def moment(fact: Fact) -> datetime:
    moment = datetime.fromisoformat(str(fact.value))
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment
