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


# --- the cue scanner: word starts and buckets ---------------------------------------------------------------------

_OLD_STARTS = r"(?<![\w])[\w(%$&~]|(?<=\w)[(%$&~]"  # the definition cue_starts replaces (one pattern, slower)


def test_cue_starts_are_the_word_starts_and_signs() -> None:
    import random
    import re

    from generator.factcheck.scan import cue_starts

    rng = random.Random(7)
    texts = [t.lower() for t in _texts()] + [
        "".join(rng.choice("ab_9 é–—$%&~()(,.\n\t'-xİ") for _ in range(rng.randrange(0, 40))) for _ in range(3000)]
    old = re.compile(_OLD_STARTS)
    for text in texts:
        spans = [(0, len(text))] + [(a, min(len(text), a + rng.randrange(0, 50)))
                                    for a in (rng.randrange(0, len(text) + 1) for _ in range(5))]
        for a, b in spans:
            assert cue_starts(text, a, b) == [m.start() for m in old.finditer(text, a, b)], (text, a, b)


def _scan_plain(scanner, text: str) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """What the scanner finds with its buckets compiled as one plain alternation each (no shared letters)."""
    import re

    from generator.factcheck.scan import ascii_lower

    low = ascii_lower(text)
    out, end = [], -1
    for m in re.finditer(_OLD_STARTS, low):
        pos = m.start()
        if pos < end:
            continue
        key = low[pos : pos + 2]
        alts = scanner._pending.get(key) or scanner._pending_fallback.get(key[:1]) or scanner._always_alts
        if not alts:
            continue
        alts = sorted(alts, key=lambda t: t[0])
        hit = re.compile("|".join(f"({a})" for _, a in alts), scanner._flags).match(low, pos)
        if hit is not None and hit.end() > pos:
            end = hit.end()
            out.append((pos, end, [i for i, _ in alts][hit.lastindex - 1]))  # type: ignore[operator]
    return out


@pytest.mark.parametrize("text", _texts()[:4], ids=lambda t: t[:20])
def test_cue_buckets_sharing_letters_find_what_plain_buckets_find(text: str) -> None:
    """A bucket's alternatives share the key's letters and are grouped by the third ("lo(?:w(?:...)|n(?:...))"):
    every cue, its span and which cue it is stay what one plain alternation per bucket finds."""
    from generator.factcheck.index import _scanner

    scanner = _scanner(("bitcoin", "btc"))
    masked = read_layout(text).masked
    words = masked.split()
    shuffled = " ".join(words[i] for i in sorted(range(len(words)), key=lambda i: (i * 7919) % len(words)))
    for sample in (masked, shuffled, masked.upper()):
        assert list(scanner.finditer(sample)) == _scan_plain(scanner, sample)


def test_bucket_keeps_the_first_matching_alternative_across_one_it_cannot_group() -> None:
    from generator.factcheck.scan import Scanner

    # "lo\w+" (no plain third letter) stands between two "low..." alternatives: the later one must not jump it.
    scanner = Scanner([r"\blower\b", r"\blo\w+", r"\blowest\b", r"\blong\b"])
    assert list(scanner.finditer("the lowest and the lower, long")) == [(4, 10, 1), (19, 24, 0), (26, 30, 1)]


def test_number_pattern_finds_what_its_plain_form_finds() -> None:
    """extract._NUM opens with its first character's class for speed; it must match as the plain alternation."""
    import random
    import re

    from generator.factcheck.extract import _NUM

    plain = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)|\.\d+")
    rng = random.Random(11)
    texts = _texts() + ["".join(rng.choice("0123456789.,. a٣—$") for _ in range(rng.randrange(0, 30)))
                        for _ in range(5000)]
    for text in texts:
        assert [m.span() for m in _NUM.finditer(text)] == [m.span() for m in plain.finditer(text)], text
        for a in range(0, len(text), 41):
            assert [m.span() for m in _NUM.finditer(text, a, a + 30)] == [m.span() for m in plain.finditer(text, a, a + 30)]


def test_gate_key_search_finds_the_word_starts_of_its_keys() -> None:
    """One branch per first letter ("s(?<!\\ws)[hl]"): the same positions as \\b(?:sh|sl|...)."""
    import random
    import re

    from generator.factcheck.scan import _key_starts

    rng = random.Random(13)
    for _ in range(300):
        keys = frozenset(rng.choice("abs_9") + rng.choice(["", "a", "h", "l", "9", "_"]) for _ in range(rng.randrange(1, 6)))
        new = re.compile("|".join(_key_starts(keys)))
        old = re.compile(r"\b(?:" + "|".join(sorted(keys, key=lambda k: (-len(k), k))) + ")")
        text = "".join(rng.choice("abhls9_ é-.") for _ in range(60))
        assert [m.start() for m in new.finditer(text)] == [m.start() for m in old.finditer(text)], (keys, text)
