"""scan.Gate: a claim rule matched only at the word starts it can begin with finds what re.finditer finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.factcheck.claims import CLAIM_RULES, _gate, _regex
from generator.factcheck.markdown import read_layout
from generator.factcheck.scan import Gate, StartIndex

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
# Upper case, words glued to digits and symbols, a rule's words mid-word: where a gate could miss or invent a match.
EDGES = (
    "SHORTS WERE SQUEEZED as BTC rallied. Longs were squeezed. xBroke below support; 7broke below support.\n"
    "Bitcoin PLUMMETED below Support at $6,189, and the price slipped beneath resistance-turned-support.\n"
    "Most of them longs. The gap sits above the price; the price sits inside the gap between $1 and $2.\n"
)


def _texts() -> list[str]:
    return [EDGES] + [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*/article.md"))]


@pytest.mark.parametrize("text", _texts(), ids=lambda t: t[:20])
def test_gated_rules_match_as_finditer(text: str) -> None:
    layout = read_layout(text)
    spans = [(s.start, s.end) for s in layout.sentences]
    gated = 0
    for rule in CLAIM_RULES:
        regex = _regex(rule.source, ("Bitcoin", "BTC"))
        gate = _gate(regex)
        if gate is None:
            continue
        gated += 1
        want = [(m.span(), m.groupdict()) for a, b in spans for m in regex.finditer(layout.masked, a, b)]
        got = [(m.span(), {k: v and v.lower() for k, v in m.groupdict().items()})
               for m in gate.finditer(layout.word_starts(), spans)]
        assert got == [(s, {k: v and v.lower() for k, v in g.items()}) for s, g in want], rule.name
    assert gated >= len(CLAIM_RULES) // 2  # the gate is in use for most rules


def test_no_gate_where_a_match_may_start_anywhere() -> None:
    import re

    assert Gate.of(re.compile(r"(?:a|\bb)c", re.I)) is None  # an alternative without a word boundary
    assert Gate.of(re.compile(r"\bfell", 0)) is None  # case-sensitive: the lower-cased text would not do
    gate = Gate.of(re.compile(r"\bfell|\brose", re.I))
    assert gate is not None and gate.keys == {"fe", "ro"}
    index = StartIndex("it fell, then rose; unfelled")
    assert [m.group() for m in gate.finditer(index, [(0, 28)])] == ["fell", "rose"]


@pytest.mark.parametrize("name", ["break_before", "cross_number", "move_up_words", "move_down_words", "supposition",
                                  "level_date_before", "historical", "bound_words"])
def test_fast_finder_matches_as_finditer(name: str) -> None:
    """scan.Fast (a gated or lowered rule-book pattern) finds, sentence by sentence and in sentence prefixes,
    what the case-insensitive pattern finds in the masked text."""
    from generator.factcheck.rulebook import RULES
    from generator.factcheck.scan import Fast

    pattern = RULES.regex(name)
    fast = Fast(pattern)
    for text in _texts():
        layout = read_layout(text)
        for s in layout.sentences:
            for a, b in ((s.start, s.end), (s.start, (s.start + s.end) // 2)):
                want = [m.span() for m in pattern.finditer(layout.masked, a, b)]
                assert [m.span() for m in fast.finditer(layout.word_starts(), a, b)] == want, (name, a, b)
