"""Scope: the clause around a span, and whether that clause hedges, supposes or denies what it says.

A hedge ("often", "historically"), a supposition ("would", "if", "could open the way") or a denial ("failed
to") reaches the clause it stands in, not the whole sentence: in "Bitcoin fell 14.72%, and such drops often
draw buyers", the fall is a claim; in "a daily close below $6,189 would expose $5,429", nothing is. A past
tense is never a supposition: "after a daily close below support" says what happened. The words are the rule
book's (rules/scopes.yaml, rules/patterns.yaml); this module holds only where they reach.
"""

from __future__ import annotations

from generator.factcheck.lexicon import GENERIC_LOWER, HISTORICAL_LOWER, NEGATED_LOWER, lower_regex
from generator.factcheck.markdown import Layout
from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import lowered

BARRIER = RULES.regex("clause_barrier")
_BARRIER_LOWER = lowered(BARRIER)  # (cut on the lower-cased text: three times faster)
_SUPPOSITION = lower_regex("supposition")
_EVENT = lower_regex("indefinite_event")
_RUN_END = lower_regex("clause_run_end")


def clause(layout: Layout, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: up to the nearest comma, semicolon, dash or clause word (cut once per span)."""
    found = layout.clauses.get((start, end))
    if found is None:
        found = layout.clauses[start, end] = _clause(layout, start, end)
    return found


def _clause(layout: Layout, start: int, end: int) -> tuple[int, int]:
    sent = layout.sentence_at(start)
    lo, hi = sent.start, sent.end
    if sent.cells:
        cell = sent.cell_of(start)
        if cell is not None:
            lo, hi = sent.cells[cell]
    low = layout.lower
    left = low[lo:start]
    ends = [b.end() for b in _BARRIER_LOWER.finditer(left)]
    a = lo + ends[-1] if ends else lo
    m = _BARRIER_LOWER.search(low, end, hi)
    b = m.start() if m else hi
    return a, b


def hedged(layout: Layout, start: int, end: int) -> bool:
    """The clause speaks generally or of another time ("such readings often", "historically")."""
    a, b = clause(layout, start, end)
    return bool(GENERIC_LOWER.search(layout.lower, a, b) or HISTORICAL_LOWER.search(layout.lower, a, b))


def supposed(layout: Layout, start: int, end: int) -> bool:
    """The clause says what could happen: a modal, a condition or an aim, or an event beside a modal."""
    a, b = clause(layout, start, end)
    low = layout.lower
    if _SUPPOSITION.search(low, a, b):
        return True
    if _EVENT.search(low, a, b):
        # beside a modal in the same run of clauses (up to a colon, semicolon or dash): "A daily close below
        # $6,189, the swing low, would expose ..."; not "A close above the high changes the structure: buyers
        # need to reclaim it"
        sent = layout.sentence_at(start)
        lo = max([sent.start, *(e.end() for e in _RUN_END.finditer(low, sent.start, a))])
        hi = _RUN_END.search(low, b, sent.end)
        return bool(_SUPPOSITION.search(low, lo, hi.start() if hi else sent.end))
    return False


def denied(layout: Layout, start: int) -> bool:
    """The words just before deny what follows ("failed to break above", "no longer")."""
    sent = layout.sentence_at(start)
    return bool(NEGATED_LOWER.search(layout.lower, max(sent.start, start - 60), start))


def stated(layout: Layout, start: int, end: int) -> bool:
    """A claim about what is: no hedge, supposition or denial in its clause."""
    return not (hedged(layout, start, end) or supposed(layout, start, end) or denied(layout, start))
