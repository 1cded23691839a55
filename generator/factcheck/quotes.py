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

_QUOTED = re.compile(r"“([^”]{3,}?)”|\"([^\"\n]{3,}?)\"|‘([^’]{12,}?)’(?!\w)|«([^»]{3,}?)»", re.S)
_SPEECH_VERB = (r"said|says|say|told|tells|noted|notes|added|adds|explained|explains|wrote|writes|commented|comments|"
                r"argued|argues|warned|warns|stated|states|remarked|observed|predicted|predicts|cautioned|cautions|"
                r"tweeted|posted|believes?|believed|thinks?|expects?|expected|suggests?|suggested|claims?|claimed|"
                r"insists?|insisted|contends?|emphasi[sz]ed|stressed|pointed out|put it|quipped|according to")
_ATTRIBUTION_NEAR = re.compile(rf"\b(?:{_SPEECH_VERB})\b", re.I)

_PEOPLE = (r"analysts?|traders?|experts?|strategists?|economists?|investors?|observers|commentators|pundits|"
           r"market (?:participants|watchers|observers|makers)|researchers?|sources?|insiders?|executives?|"
           r"the CEO|a CEO|the founder|a spokesperson|spokes(?:man|woman)|one (?:analyst|trader|expert|investor)|"
           r"some (?:analysts|traders|experts|investors)|many (?:analysts|traders|experts|investors)|"
           r"(?:an?|the|one|another) (?:[\w-]+ ){0,2}?(?:analyst|trader|expert|strategist|economist|investor|researcher|"
           r"executive|observer|commentator|head|chief|director|partner|manager|officer|founder|dealer|"
           r"spokes(?:man|woman|person))")
_NAME = r"(?:[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zA-Z'’-]+)"
_ROLE = r"(?:analyst|trader|CEO|founder|co-founder|head|chief|strategist|economist|researcher|partner|director|" \
        r"manager|officer|president|investor|professor|lead|VP)"
_SAID = r"said|says|told|tells|noted|added|wrote|writes|tweeted|posted|warned|explained|argued|quipped|remarked|asked"
_PERSON = (r"(?:one|an?|the|another)\s+(?:[\w-]+\s+){0,2}?(?:analyst|trader|expert|strategist|economist|investor|"
           r"researcher|executive|observer|commentator|dealer|manager|founder|CEO|spokesperson|source|insider)s?|"
           r"(?:analysts|traders|experts|strategists|economists|investors|observers|dealers|sources)")
# Right after a quotation: '"This is capitulation," said one trader.', '..." a derivatives trader told reporters.'
_SPEECH_AFTER = re.compile(
    rf"^[\s,.!?]*(?:(?i:{_SAID})\b|(?i:{_PERSON})\s+(?i:{_SAID})\b|{_NAME}\s+(?i:{_SAID})\b|(?:he|she|they)\s+(?i:{_SAID})\b)")
# Right before one: 'One trader said: "Sell."'
_SPEECH_BEFORE = re.compile(rf"\b(?i:{_SAID}|according to [\w\s]+)\s*[:,]?\s*$")
_ATTRIBUTED = re.compile(
    rf"\b(?i:{_PEOPLE})\s+(?:have\s+|has\s+|had\s+)?(?i:{_SPEECH_VERB})\b"
    rf"|\b(?i:{_SAID})\s+(?i:{_PERSON})\b"
    rf"|\b(?i:according to)\s+(?:(?i:{_PEOPLE})|{_NAME}(?=,?\s+(?:an?\s+|the\s+)?(?:\w+\s+)?{_ROLE}))"
    rf"|\b{_NAME},\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){{0,3}}{_ROLE}\b[^.]{{0,80}}?\b(?:said|says|told|noted|wrote|added|explained)\b"
    rf"|\b(?:said|says|told|noted|wrote|added|explained)\s+{_NAME}\b",
    re.M,
)


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
