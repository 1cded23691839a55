"""Quoted speech and attributions: an article of ours quotes nobody.

Flags text in quotation marks that reads as speech (a speaker right before or
after it, however short: '"Capitulation," the analyst wrote.'; or four words or
more with an attribution nearby, a full sentence inside the marks, a whole quoted
paragraph), and attributions to people without quotation marks, named or not
("one analyst said", "traders believe", "according to an expert"). Scare quotes
('"max pain"'), labels ('"Extreme Fear"'), headlines nobody is said to have
spoken and data sources ("according to CoinGlass data") are not quotes. A
quotation and its attribution are one finding.
"""

from __future__ import annotations

import re

from generator.factcheck.lexicon import SPEECH_TRIGGER as _SPEECH_TRIGGER
from generator.factcheck.markdown import Layout
from generator.factcheck.rulebook import RULES

_QUOTED = re.compile(r"“([^”]{3,}?)”|\"([^\"\n]{3,}?)\"|‘([^’]{12,}?)’(?!\w)|«([^»]{3,}?)»", re.S)
# The words are the rule book's (rules/words.yaml: said_verb, verdict_verb, people, person, role; the patterns in
# rules/patterns.yaml).
_ATTRIBUTION_NEAR = RULES.regex("attribution_near")
_SPEECH_AFTER = RULES.regex("speech_after")  # (names stay case-sensitive inside)
_SPEECH_BEFORE = RULES.regex("speech_before")
_ATTRIBUTED = RULES.regex("attributed", re.I | re.M)


def find_quotes(layout: Layout) -> list[tuple[int, int, str]]:
    """(start, end, reason) of every quotation or attribution to a person."""
    masked = layout.masked
    out: list[tuple[int, int, str]] = []
    for m in _QUOTED.finditer(masked):
        inner = next(g for g in m.groups() if g is not None)
        words = len(inner.split())
        sent_a = layout.sentence_at(m.start())
        sent_b = layout.sentence_at(max(m.start(), m.end() - 1))
        if _SPEECH_AFTER.match(masked, m.end()) or _SPEECH_BEFORE.search(masked[sent_a.start : m.start()]):
            # Attributed speech, however short: a label in quotation marks ("Extreme Fear") has no speaker.
            out.append((m.start(), m.end(), "quoted speech: the data cannot back a quote"))
            continue
        if words < 4:
            continue
        around = masked[sent_a.start : m.start()] + " " + masked[m.end() : sent_b.end]
        full_sentence = words >= 6 and re.search(r"[.!?]\s*$", inner.strip()) is not None
        first_person = re.search(r"\b(?:I|we|we're|I'm|I'd|our|my|us)\b", inner) is not None
        alone = not masked[sent_a.start : m.start()].strip(" *_>") and not masked[m.end() : sent_b.end].strip(" *_.")
        if _ATTRIBUTION_NEAR.search(around) or full_sentence or first_person or (alone and words >= 6):
            out.append((m.start(), m.end(), "quoted speech: the data cannot back a quote"))
    sentences = layout.sentences_with(_SPEECH_TRIGGER)
    if not sentences:
        return sorted(out)
    quoted = {layout.sentence_index(a) for a, _, _ in out} | {layout.sentence_index(b - 1) for _, b, _ in out}
    for m in (m for s in sentences for m in _ATTRIBUTED.finditer(masked, s.start, s.end)):
        if any(a <= m.start() < b for a, b, _ in out) or layout.sentence_index(m.start()) in quoted:
            continue  # the quotation itself is reported; its attribution is the same finding
        out.append((m.start(), m.end(), "attributed to a person: the data cannot back what someone said or thinks"))
    out.sort()
    return out
