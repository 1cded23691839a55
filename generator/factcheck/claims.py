"""Claims made in words: found by the rule book's claim rules, bound to facts, judged by predicates.

A claim rule (rules/claims.yaml) finds the words ("most of them longs", "sits above the price", "a bearish
fair value gap") and says which predicate judges them (predicates.py) and which facts they may be about. The
claim is then bound like a number: by the figure its words are attached to, or by the cues around it (the
same evidence the binder weighs for numbers: windows, sides, levels, and the windows of the numbers near it).
A claim in a clause that hedges, supposes or denies states nothing and is left alone (scope.py). Each claim
is reported like a mention, with kind ``claim``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from generator.factcheck.bind import TIE, Binder, contradicted, score, summarize
from generator.factcheck.cues import as_tuples
from generator.factcheck.extract import Mention
from generator.factcheck.index import DEFAULT_WEIGHT, FactIndex, FactInfo
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.factcheck.predicates import PREDICATES, Claim
from generator.factcheck.rulebook import RULES, RuleBookError
from generator.factcheck.scan import Gate, lowered
from generator.factcheck.scope import clause, hedged, stated, supposed
from generator.facts import Fact

Found = tuple[int, int, Judgement]
_NUMBERS = ("money", "number")
_HEARD = ("window", "level", "tf")  # what a number near a claim tells about it: which window, which level


@dataclass(frozen=True)
class ClaimRule:
    """One entry of rules/claims.yaml, ready to run."""

    name: str
    predicate: str
    source: str
    subject: dict[str, tuple[str, ...]]
    unit: str | None = None
    by: str = "cues"
    fallback: str | None = None  # "cues": bind by the words around it when no figure is attached
    fallback_subject: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ... to facts with these tags
    near: str = "either"
    count: int = 1
    args: dict[str, str] = field(default_factory=dict)
    span: str | None = None
    scope: str = "fact"
    triggers: frozenset[str] | None = None
    values: dict[str, str] = field(default_factory=dict)
    unless_after: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    unless_clause: re.Pattern[str] | None = None
    # Why the words are unsupported when the data has no fact the rule may be about (else they are no claim).
    absent: str | None = None

    @classmethod
    def of(cls, entry: Mapping[str, Any]) -> ClaimRule:
        name = str(entry["name"])
        if entry.get("predicate") not in PREDICATES:
            raise RuleBookError(f"claim rule {name!r}: unknown predicate {entry.get('predicate')!r}")
        subject = dict(entry.get("subject") or {})
        unit = subject.pop("unit", None)
        extra = {"unless_after", "unless", "unless_clause"}
        return cls(
            name=name, predicate=str(entry["predicate"]), source=str(entry["match"]),
            subject=as_tuples({str(k): tuple(v) if isinstance(v, list) else str(v) for k, v in subject.items()}),
            unit=str(unit) if unit else None, by=str(entry.get("by", "cues")), fallback=entry.get("fallback"),
            fallback_subject=as_tuples({str(k): tuple(v) if isinstance(v, list) else str(v)
                                        for k, v in (entry.get("fallback_subject") or {}).items()}),
            near=str(entry.get("near", "either")),
            count=int(entry.get("count", 1)), args={str(k): str(v) for k, v in (entry.get("args") or {}).items()},
            span=entry.get("span"), scope=str(entry.get("scope", "fact")),
            triggers=_triggers(entry.get("triggers")),
            values={str(k): str(v) for k, v in (entry.get("values") or {}).items()},
            absent=str(entry["absent"]) if entry.get("absent") else None,
            **{k: RULES.compile(str(entry[k]), f"claims {name}.{k}") for k in extra if k in entry},
        )

    def accepts(self, fact: Fact) -> bool:
        """Whether the claim may be about this fact (its meaning has the subject's tags); kept per fact key."""
        key = (self.name, fact.key, fact.unit)
        found = _ACCEPTS.get(key)
        if found is None:
            tags = fact.meaning.tags
            found = _ACCEPTS[key] = (self.unit is None or fact.unit == self.unit) and \
                all(not set(tags.get(slot, ())).isdisjoint(values) for slot, values in self.subject.items())
        return found


_ACCEPTS: dict[tuple[str, str, str], bool] = {}
_PICKED: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[int, ...]] = {}


def _fits(fact: Fact, tags: Mapping[str, tuple[str, ...]]) -> bool:
    return all(not set(fact.meaning.tags.get(slot, ())).isdisjoint(values) for slot, values in tags.items())  # a fact's meaning is its key's: the answer holds for every fact set


def _triggers(spec: Any) -> frozenset[str] | None:
    """The words a sentence must have for a rule to be tried: listed, or a class's words ("{move_verb}")."""
    if not spec:
        return None
    words: set[str] = set()
    for item in spec if isinstance(spec, list) else [spec]:
        if (m := re.fullmatch(r"\{([a-z_]+)(?::([a-z]+))?\}", str(item))) is not None:
            words |= {w.split()[0] for w in RULES.words(m.group(1), m.group(2))}  # a sentence's words are single
        else:
            words.add(str(item))
    return frozenset(words)


CLAIM_RULES: tuple[ClaimRule, ...] = tuple(ClaimRule.of(entry) for entry in RULES.entries("claims"))


def _check_groups() -> None:
    """Every named group of a claim rule carries a class of words: its value is the predicate's argument."""
    for rule, entry in zip(CLAIM_RULES, RULES.entries("claims")):
        for group in entry["match_re"].groupindex:
            cls = rule.values.get(group, re.sub(r"\d+$", "", group))
            if cls not in RULES.classes:
                raise RuleBookError(f"claim rule {rule.name!r}: group {group!r} names no word class ({cls!r})")


_check_groups()


_SENTINEL = "qqassetqq"


@cache
def _asset_free(source: str) -> re.Pattern[str] | None:
    """The rule's pattern when it does not name the article's asset (compiled once), else None."""
    pattern = RULES.compile(source, "claim", dynamic={"our_asset": _SENTINEL})
    return None if _SENTINEL in pattern.pattern else pattern


@lru_cache(maxsize=512)  # the rules that name the asset, for each asset (a compile is ~1 ms a rule)
def _with_asset(source: str, names: tuple[str, ...]) -> re.Pattern[str]:
    ours = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n) or "(?!x)x"
    return RULES.compile(source, "claim", dynamic={"our_asset": ours})


_GATES: dict[re.Pattern[str], Gate | None] = {}


def _gate(regex: re.Pattern[str]) -> Gate | None:
    """The rule's pattern matched only at the word starts it can begin at (kept per compiled pattern)."""
    if regex not in _GATES:
        _GATES[regex] = Gate.of(regex)
    return _GATES[regex]


def _regex(source: str, names: tuple[str, ...]) -> re.Pattern[str]:
    return _asset_free(source) or _with_asset(source, names)


@lru_cache(maxsize=4096)  # (hashing a compiled pattern hashes its code: keyed by the source and names instead)
def _compiled(source: str, names: tuple[str, ...]) -> tuple[re.Pattern[str], Gate | None, bool]:
    """The rule's pattern, its gate, and whether the pattern is for the lower-cased text: without a gate it is
    lowered too (as a gate matches: the words a predicate reads are lower-cased either way), unless a part of it is
    case-sensitive."""
    regex = _regex(source, names)
    gate = _gate(regex)
    if gate is None and "(?-i" not in regex.pattern:
        return lowered(regex), None, True
    return regex, gate, gate is not None


@cache
def _group_key(group: str) -> str:
    """The argument a named group fills: its name without a trailing number ("side2" -> "side"); kept per name
    (a claim's groups are read for every match)."""
    return re.sub(r"\d+$", "", group)


def _values(rule: ClaimRule, m: re.Match[str]) -> dict[str, str]:
    """The predicate's arguments from the named groups: a class's value ("shorts" -> "short") or the words."""
    out = dict(rule.args)
    for group, text in m.groupdict().items():
        if text is None:
            continue
        key = _group_key(group)
        cls = rule.values.get(group, key)
        wc = RULES.classes.get(cls)
        value = RULES.value(cls, text) if wc is not None and wc.values else None
        out[key] = value if value is not None else " ".join(text.lower().split())
    return out


class ClaimFinder:
    """Finds, binds and judges the claims of one article (after its numbers are judged)."""

    def __init__(self, layout: Layout, index: FactIndex, binder: Binder, mentions: Sequence[Mention],
                 facts_of: Sequence[Fact | None]) -> None:
        self.layout, self.index, self.binder = layout, index, binder
        self.mentions, self.facts_of = mentions, facts_of
        self._starts = [m.start for m in mentions]
        self._accepted: dict[str, list[FactInfo]] = {}

    def find(self) -> list[Found]:
        out: list[Found] = []
        taken: dict[str, list[tuple[int, int]]] = {}  # the words each predicate has read, by predicate
        layout = self.layout
        for rule in CLAIM_RULES:
            regex, gate, low = _compiled(rule.source, self.index.asset_names)
            sentences = layout.sentences_with(rule.triggers) if rule.triggers else layout.sentences
            spans = [(s.start, s.end) for s in sentences]
            text = layout.lower if low else layout.masked
            found = gate.finditer(layout.word_starts(), spans) if gate is not None else \
                (m for a, b in spans for m in regex.finditer(text, a, b))
            read = taken.setdefault(rule.predicate, [])
            for m in found:
                start, end = m.span(rule.span) if rule.span else m.span()
                if end <= start or any(a < end and start < b for a, b in read):
                    continue
                judged = self._judge(rule, m, start, end)
                if judged is None:
                    continue  # (words no rule could judge leave them to another reading)
                read.append((start, end))
                if judged.verdict != "verified" and any(
                        a < end and start < b and j.verdict != "verified" and (j.fact is judged.fact or (a, b) == (start, end))
                        for a, b, j in out):
                    continue  # one error in overlapping words is reported once (and one per span: "short squeeze")
                out.append((start, end, judged))
        return out

    def _judge(self, rule: ClaimRule, m: re.Match[str], start: int, end: int) -> Judgement | None:
        layout, masked = self.layout, self.layout.masked
        sent = layout.sentence_at(start)
        if rule.unless_after is not None and rule.unless_after.match(masked, m.end()):
            return None
        if rule.unless is not None and rule.unless.search(masked, sent.start, sent.end):
            return None
        a, b = clause(layout, start, end)
        if rule.unless_clause is not None and rule.unless_clause.search(masked, a, b):
            return None
        if rule.scope == "fact" and not stated(layout, start, end):
            return None
        if rule.scope == "asserted" and (hedged(layout, start, end) or supposed(layout, start, end)):
            return None  # a denial ("no longer oversold") is the predicate's to read
        args = _values(rule, m)
        if args.get("skip_with_percent") and any(x.kind == "percent" and a <= x.start < b for x in self.mentions):
            return None  # "fell 14.72%": the number's own sign check speaks for the words
        subject = self._subject(rule, start, end)
        if isinstance(subject, str):
            return Judgement("unsupported", None, None, subject)
        claim = Claim(start, end, rule.name, rule.predicate, args, subject)
        return PREDICATES[rule.predicate](claim, self.index, layout)

    # --- the subject ----------------------------------------------------------------------------------------

    def _subject(self, rule: ClaimRule, start: int, end: int) -> list[Fact] | str:
        """The facts the claim is about; a reason instead when its words name a window or side none of them has."""
        cands = self._accepted.get(rule.name)
        if cands is None:
            # Which facts a rule accepts depends only on their keys: kept per rule and set of keys (articles share them).
            infos = self.index.infos
            keys = (rule.name, self.index.signature)
            picked = _PICKED.get(keys)
            if picked is None:
                picked = _PICKED[keys] = tuple(i for i, info in enumerate(infos) if rule.accepts(info.fact))
            cands = self._accepted[rule.name] = [infos[i] for i in picked]
        if not cands:
            return rule.absent or []
        if rule.by == "number":
            found = self._by_number(rule, start, end)
            if found or rule.fallback != "cues":
                return found
            if rule.fallback_subject:  # without a figure, the words are about these facts
                cands = [info for info in self.index.infos if _fits(info.fact, rule.fallback_subject)]
                if not cands:
                    return []
        return self._by_cues(rule, start, end, cands)

    def _in_sentence(self, start: int) -> list[int]:
        """The figures of the claim's sentence (in a table: of its cell and the two before it)."""
        sent = self.layout.sentence_at(start)
        cell = sent.cell_of(start) if sent.cells else None
        out = []
        for i in range(bisect_left(self._starts, sent.start), bisect_left(self._starts, sent.end)):
            m = self.mentions[i]
            if m.kind in _NUMBERS and (cell is None or sent.cell_of(m.start) in (cell, cell - 1, cell - 2)):
                out.append(i)
        return out

    def _by_number(self, rule: ClaimRule, start: int, end: int) -> list[Fact]:
        """The figure(s) the words are attached to: the nearest accepted one before or after (with a range's other
        end), or the next ``count`` after ("between X and Y")."""
        near = [i for i in self._in_sentence(start) if (f := self.facts_of[i]) is not None and rule.accepts(f)]
        inside = [i for i in near if start <= self.mentions[i].start and self.mentions[i].end <= end]
        before = [i for i in near if self.mentions[i].end <= start]
        after = [i for i in near if self.mentions[i].start >= end]
        if rule.count > 1:
            picked = after[: rule.count]
            return [f for i in picked if (f := self.facts_of[i]) is not None] if len(picked) == rule.count else []
        if inside and rule.count == 1:
            chosen = inside[-1:]  # "a close beneath the $1,900 support": the figure the words hold
        elif rule.near == "before":
            chosen = before[-1:]
        elif rule.near == "after":
            chosen = after[:1]
        elif rule.near == "before_first":  # "the gap ... sits above the price, between $A and $B": after, if none before
            chosen = before[-1:] or after[:1]
        else:
            both = before[-1:] + after[:1]
            chosen = sorted(both, key=lambda i: -self.binder.reach_span(self.mentions[i].start, self.mentions[i].end,
                                                                          start, end))[:1]
        if not chosen:
            return []
        i = chosen[0]
        out = [self.facts_of[i]]
        partner = self.mentions[i].partner
        if partner is not None and (f := self.facts_of[partner]) is not None and rule.accepts(f):
            out.append(f)
        return [f for f in out if f is not None]

    def _by_cues(self, rule: ClaimRule, start: int, end: int, cands: list[FactInfo]) -> list[Fact] | str:
        """The facts the words around the claim speak for, as a number's cues would, and the numbers near it."""
        evidence = self.binder.span_evidence(start, end)
        for i in self._in_sentence(start):
            fact = self.facts_of[i]
            if fact is not None and rule.accepts(fact):
                m = self.mentions[i]
                heard = {k: v for k, v in fact.meaning.tags.items() if k in _HEARD}
                if heard:
                    evidence.append((heard, 0.9 * self.binder.reach_span(m.start, m.end, start, end)))
        summary = summarize(evidence)
        window = rule.args.get("default_window")
        if window and summary.get("window", (0.0, {}))[0] < 0.3:
            summary = summarize([*evidence, ({"window": (window,)}, DEFAULT_WEIGHT * 2)])
        scored = [(score(info, summary)[0], info) for info in cands]
        best = max(s for s, _ in scored)
        top = [info for s, info in scored if s >= best - TIE]
        # "rose over the past hour" with no hourly change: the words name what the data has no figure for.
        if all((why := contradicted(info, summary)) is not None for info in top):
            return f"the words name a {why} the data has no figure for"
        return [info.fact for info in top]


def find_claims(layout: Layout, index: FactIndex, binder: Binder, mentions: Sequence[Mention],
                facts_of: Sequence[Fact | None]) -> list[Found]:
    """Every claim made in words in the layout's text, judged: (start, end, judgement)."""
    return ClaimFinder(layout, index, binder, mentions, facts_of).find()
