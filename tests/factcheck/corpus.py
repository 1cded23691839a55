"""The labelled evaluation corpus (tests/factcheck/corpus/*.yaml): loading, scoring, precision and recall.

A *flag* is any verdict other than ``verified``. Each labelled flag is a positive: caught when the
checker flags that mention (recall), and counted as exact when the verdict is one the label allows.
Every other mention the checker reports is a negative: a flag on it is a false alarm (precision).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from generator.factcheck import CheckReport, MentionResult, check_article
from generator.facts import FactSet

CORPUS = Path(__file__).parent / "corpus"


@dataclass(frozen=True)
class Item:
    """One labelled sentence (or table, or list)."""

    file: str
    index: int
    snapshot: str
    derivatives: bool
    text: str
    flags: tuple[tuple[str, frozenset[str]], ...]  # (mention text or "quote", allowed verdicts)
    style: str | None = None
    note: str | None = None
    facts: tuple[tuple[str, str], ...] = ()  # (mention text, the fact key the report must name for it)
    known: str | None = None  # a known limit of the checker on this sentence (the test expects it to fail, strictly)

    @property
    def id(self) -> str:
        return f"{self.file}:{self.index}"

    @property
    def correct(self) -> bool:
        return all(allowed == {"verified"} for _, allowed in self.flags)


@dataclass
class Outcome:
    """How the checker did on one item."""

    item: Item
    caught: list[tuple[str, str]] = field(default_factory=list)  # (label, verdict): a flag, as labelled
    wrong_kind: list[tuple[str, str]] = field(default_factory=list)  # flagged, but with another verdict
    missed: list[tuple[str, str]] = field(default_factory=list)  # (label, what happened): verified or not found
    wrong_fact: list[tuple[str, str]] = field(default_factory=list)  # (label, the fact key reported instead)
    false_alarms: list[MentionResult] = field(default_factory=list)
    negatives: int = 0  # mentions expected to verify

    @property
    def ok(self) -> bool:
        return not (self.wrong_kind or self.missed or self.false_alarms or self.wrong_fact)


def load_corpus() -> list[Item]:
    items: list[Item] = []
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, entry in enumerate(doc["sentences"]):
            flags = tuple((str(k), frozenset(str(v).split("|"))) for k, v in (entry.get("flags") or {}).items())
            facts = tuple((str(k), str(v)) for k, v in (entry.get("facts") or {}).items())
            items.append(Item(path.stem, i, str(doc["snapshot"]), bool(doc.get("derivatives", True)), entry["text"],
                              flags, entry.get("style"), entry.get("note"), facts, entry.get("known")))
    return items


@cache
def facts_for_snapshot(snapshot: str, derivatives: bool) -> FactSet:
    from generator.pipeline import facts_for
    from generator.settings import Settings
    from generator.snapshot import load_snapshot
    from tests.conftest import EXAMPLE, make_snapshot

    if snapshot == "example_options":  # the example with the illustrative Deribit book (tests/sources/deribit_book.py)
        from tests.sources.deribit_book import with_options

        snap = with_options(load_snapshot(EXAMPLE))
    elif snapshot == "example_peers":  # the example with illustrative peers and /global (tests/factcheck/peer_market.py)
        from tests.factcheck.peer_market import with_peers

        snap = with_peers(load_snapshot(EXAMPLE))
    elif snapshot == "example_funding":  # the example with illustrative funding on three venues (MIXED)
        from tests.sources.funding_venues import with_funding_venues

        snap = with_funding_venues(load_snapshot(EXAMPLE))
    else:
        snap = load_snapshot(EXAMPLE) if snapshot == "example" else make_snapshot(snapshot, with_derivatives=derivatives)
    return facts_for(snap, Settings())[1]


def _matches(label: str, r: MentionResult) -> bool:
    if label == "quote":
        return r.verdict == "quote" or r.kind == "quote"
    if r.text == label:
        return True
    # Claims and number words are reported with their own span ("broke above resistance", "ten to one"):
    # the label names the words, the span may be a little wider or narrower.
    a, b = label.lower(), r.text.lower()
    return r.kind not in ("quote",) and (a in b or b in a) and min(len(a), len(b)) >= 3


def score(item: Item, report: CheckReport) -> Outcome:
    out = Outcome(item)
    results = list(report.mentions)
    used: set[int] = set()
    for label, allowed in item.flags:
        exact = [i for i, r in enumerate(results) if i not in used and (r.text == label or label == "quote"
                                                                           and _matches(label, r))]
        loose = [i for i, r in enumerate(results) if i not in used and _matches(label, r)]
        # Two mentions may share words ("1h" as a timeframe and as a claim about its window): a labelled flag is the
        # one of them with a verdict the label allows.
        pool = exact or loose
        found = ([i for i in pool if results[i].verdict in allowed] or pool)[:1]
        if not found:
            if allowed != {"verified"}:
                out.missed.append((label, "not found"))
            continue
        i = found[0]
        used.add(i)
        got = results[i].verdict
        if allowed == {"verified"}:
            out.negatives += 1
            if got != "verified":
                out.false_alarms.append(results[i])
        elif got == "verified":
            out.missed.append((label, "verified"))
        elif got in allowed:
            out.caught.append((label, got))
        else:
            out.wrong_kind.append((label, got))
    for label, key in item.facts:
        # The fact the editor is shown ("expected ... because ..."): right verdict, right reason.
        named = next((r.fact for r in results if r.text == label), "not found")
        if named != key:
            out.wrong_fact.append((label, str(named)))
    for i, r in enumerate(results):
        if i in used:
            continue
        out.negatives += 1
        if r.verdict != "verified":
            out.false_alarms.append(r)
    return out


def run(items: list[Item]) -> list[Outcome]:
    return [score(item, check_article(item.text, facts_for_snapshot(item.snapshot, item.derivatives)))
            for item in items]


@dataclass(frozen=True)
class Metrics:
    mentions_flagged_right: int  # labelled flags the checker flagged (any verdict)
    mentions_flagged_exact: int  # ... with a verdict the label allows
    labelled_flags: int
    false_alarms: int
    negatives: int
    sentences: int
    correct_sentences: int
    correct_sentences_clean: int  # correct sentences with no flag at all
    wrong_sentences: int
    wrong_sentences_caught: int  # wrong sentences where every labelled flag was flagged

    @property
    def precision(self) -> float:
        flagged = self.mentions_flagged_right + self.false_alarms
        return self.mentions_flagged_right / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.mentions_flagged_right / self.labelled_flags if self.labelled_flags else 1.0


def metrics(outcomes: list[Outcome]) -> Metrics:
    right = sum(len(o.caught) + len(o.wrong_kind) for o in outcomes)
    exact = sum(len(o.caught) for o in outcomes)
    labelled = sum(1 for o in outcomes for _, allowed in o.item.flags if allowed != {"verified"})
    correct = [o for o in outcomes if o.item.correct]
    wrong = [o for o in outcomes if not o.item.correct]
    return Metrics(
        right, exact, labelled, sum(len(o.false_alarms) for o in outcomes), sum(o.negatives for o in outcomes),
        len(outcomes), len(correct), sum(1 for o in correct if not o.false_alarms), len(wrong),
        sum(1 for o in wrong if not o.missed),
    )


def describe(o: Outcome) -> str:
    """One readable paragraph for an item the checker got wrong."""
    lines = [f"{o.item.id} [{o.item.snapshot}] {o.item.text!r}"]
    lines += [f"    MISSED {label!r}: {what}" for label, what in o.missed]
    lines += [f"    WRONG VERDICT {label!r}: {got}" for label, got in o.wrong_kind]
    lines += [f"    WRONG FACT {label!r}: {got}" for label, got in o.wrong_fact]
    lines += [f"    FALSE ALARM {r.text!r} {r.verdict} ({r.fact or '-'}): {r.reason}" for r in o.false_alarms]
    return "\n".join(lines)
