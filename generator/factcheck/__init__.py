"""The fact-check: find every number in an article and prove it against the facts.

``check_article(text, facts)`` reads Markdown or plain text (a whole article
with front matter, or one section), extracts every numeric mention
(extract.py), weighs what the words around it say (evidence.py, with the cue
rules of cues.py) and binds it to the fact its clause talks about (bind.py),
judges it (judge.py), checks the qualitative words that state data without a
number (claims.py) and flags quotations (quotes.py). Pure: no I/O, same input,
same report.
"""

from __future__ import annotations

from functools import partial

from generator.errors import InputError
from generator.factcheck.bind import Binder
from generator.factcheck.claims import find_claims
from generator.factcheck.extract import Mention, extract_mentions
from generator.factcheck.index import find_cues, index_facts
from generator.factcheck.judge import Judgement, judge_number, judge_ratio
from generator.factcheck.judge_time import judge_date, judge_duration
from generator.factcheck.lexicon import HISTORICAL_LOWER
from generator.factcheck.markdown import Layout, read_layout
from generator.factcheck.quotes import find_quotes
from generator.factcheck.report import CheckReport, MentionResult
from generator.factcheck.rulebook import RULES
from generator.facts import FactSet

__all__ = ["MAX_ARTICLE_CHARS", "CheckReport", "MentionResult", "check_article", "extract_mentions", "read_layout"]

# The longest text the check reads. Its cost is linear in the text, about 4-5 ms a KB here (bench/check_size.py):
# a generated article is ~6 KB; 256 K characters answer in about a second; a 5 MB paste is refused at once.
MAX_ARTICLE_CHARS = 262_144

_FIB_NEAR = RULES.regex("fib_near")
_FIB_AFTER_PERCENT = RULES.regex("fib_after_percent")
_RSI_NEAR = RULES.regex("rsi_named")  # the sentence names the RSI: "14-day" may be its period
_SIDE_AFTER = RULES.regex("side_after")
_FIB_PERCENTS = {23.6, 38.2, 50.0, 61.8, 78.6}
_FIB_RATIOS = {0.236, 0.382, 0.5, 0.618, 0.786}
_NUMERIC = ("money", "percent", "index", "number", "count", "coins", "leverage", "multiple")
_DATES = ("date", "time", "year")


def _is_ratio(m: Mention, layout: Layout) -> bool:
    if m.kind == "number" and m.value is not None and 0 < m.value < 2 and m.precision < 1:
        near = layout.masked[max(0, m.start - 40) : m.end + 40]
        if _FIB_NEAR.search(near):
            return True
        # "the 0.236 at $8,026", "The 0.236 level ... is the deepest retracement": one of the ratios, in a sentence
        # about retracements.
        sent = layout.sentence_at(m.start)
        return round(m.value, 3) in _FIB_RATIOS and bool(_FIB_NEAR.search(layout.masked, sent.start, sent.end))
    if m.kind == "percent" and m.value in _FIB_PERCENTS:
        near = layout.masked[m.end : m.end + 30]
        return bool(_FIB_NEAR.match(near.strip())) or bool(_FIB_AFTER_PERCENT.match(near))
    return False


def check_article(text: str, facts: FactSet) -> CheckReport:
    """Check every number, qualitative claim and quote in ``text`` against ``facts``.

    Raises InputError for a text longer than MAX_ARTICLE_CHARS."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(f"the article is {len(text):,} characters; the fact-check reads at most "
                         f"{MAX_ARTICLE_CHARS:,} (about 256 KB), so check it in parts")
    layout = read_layout(text)
    mentions = extract_mentions(layout)
    index = index_facts(facts)
    for m in mentions:
        if _is_ratio(m, layout):
            m.kind = "ratio"
            ratio = round((m.value or 0) / (100 if m.text.rstrip().endswith("%") else 1), 3)
            m.value = ratio
            m.tags = {"ratio": f"{ratio:g}", "level": "fib", "metric": "level"}
        elif m.kind in ("money", "number") and _SIDE_AFTER.match(layout.masked, m.end):
            m.tags = {"metric": "level"}  # "$6,189 below and $7,846 above": levels placed against the price
    cues = find_cues(layout, index, mentions)
    binder = Binder(layout, index, mentions, cues)
    judgements: list[Judgement | None] = [None] * len(mentions)
    # Numbers first, in order (an amount may refer back to the one before it); then dates, which may name
    # the level after them ("the November 12 low of $5,429").
    order = [i for i, m in enumerate(mentions) if m.kind not in _DATES] + \
        [i for i, m in enumerate(mentions) if m.kind in _DATES]
    for i in order:
        m = mentions[i]
        if m.kind == "ratio":
            j = judge_ratio(m, index)
        elif m.kind in ("duration", "timeframe"):
            sent = layout.sentence_at(m.start)
            j = judge_duration(m, binder.evidence(i), index, bool(_RSI_NEAR.search(layout.masked, sent.start, sent.end)))
        elif m.kind == "leverage":
            j = Judgement("unsupported", None, None, "the data has no leverage figures")
        elif m.kind in _DATES:
            j = judge_date(m, binder.bind(i))
        else:
            j = judge_number(m, binder.bind(i), layout, index, partial(binder.reach, i), partial(binder.cue_span, i))
        judgements[i] = j
    done = [j for j in judgements if j is not None]
    _history(layout, binder, mentions, done)
    results = [_result(layout, m.start, m.end, m.kind, _value(m), j, None if m.when else m.precision)
               for m, j in zip(mentions, done)]

    facts_of = [j.fact for j in done]
    quotes = find_quotes(layout)
    # What a quotation says is the speaker's, and the quotation is reported: its words are no claim of ours.
    claims = [c for c in find_claims(layout, index, binder, mentions, facts_of)
              if not any(a <= c[0] < b for a, b, _ in quotes)]
    # Where a figure's words place the price against it ("trades below ... $8,515"), that is a claim too, unless a
    # claim rule read the same words (a break: "broke below support at $7,846" is about the close that broke it).
    relations = [j.relation for j in done if j.relation is not None]
    # Words that misname a right level ("| Broken resistance | $6,683 |" when $6,683 is a retracement) are wrong
    # whatever a claim rule verified of the same words (that the close broke a level is true of another one).
    # One error in overlapping words is reported once.
    claims += [(a, b, rj) for a, b, rj in relations
               if not any(x < b and a < y for x, y, _ in claims)
               or (rj.verdict == "mismatch" and rj.fact is not None and rj.fact.meaning.is_level
                   and all(cj.verdict == "verified" for x, y, cj in claims if x < b and a < y))]
    results += [_result(layout, a, b, "claim", None, j) for a, b, j in claims]
    results += [_result(layout, a, b, "quote", None, Judgement("quote", None, None, why)) for a, b, why in quotes]
    # Two figures whose error lies in the same naming words ("$6,653 to $8,375 ... over the past week") report it once.
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for r in results:
        key = (r.start, r.end, r.verdict)
        if r.verdict == "verified" or key not in seen:
            kept.append(r)
            seen.add(key)
    results = kept
    results.sort(key=lambda r: (r.start, r.end))
    return CheckReport.from_results(results)


_WHEN = RULES.regex("when_after")
HISTORY_REACH = 0.2  # how close a phrase about another time must be to a number to make it unbacked


def _history(layout: Layout, binder: Binder, mentions: list[Mention], judgements: list[Judgement]) -> None:
    """Numbers near words about a time the data does not cover ("historically", an unbacked date) are unbacked.

    A date that names a level ("the December 7 peak") or a since-claim ("lowest since September") is checked
    itself; it does not put the clause in another period.
    """
    by_sentence: dict[int, list[int]] = {}
    for i, m in enumerate(mentions):
        by_sentence.setdefault(layout.sentence_index(m.start), []).append(i)
    for si, members in by_sentence.items():
        sent = layout.sentences[si]
        anchors: list[tuple[int, int, str]] = [
            (h.start(), h.end(), "refers to another period than the snapshot's")
            for h in HISTORICAL_LOWER.finditer(layout.lower, sent.start, sent.end)]
        after: list[tuple[int, str]] = []  # "... in March 2020, when liquidations topped $1.2 billion"
        for k in members:
            b, d = binder.bound[k], mentions[k]
            if d.kind not in ("date", "year"):
                continue
            why = f"refers to {d.text}, which the data does not cover"
            if b is None or b.role not in ("level", "since"):
                if judgements[k].verdict != "verified":
                    anchors.append((d.start, d.end, why))
            elif w := _WHEN.match(layout.masked, d.end):
                after.append((w.end(), f"refers to the time of {d.text}, which the data does not cover"))
        if not anchors and not after:
            continue
        for i in members:
            if mentions[i].kind not in _NUMERIC or judgements[i].verdict == "unsupported":
                continue
            reach, why = max(((binder.reach(i, a, b), why) for a, b, why in anchors), key=lambda t: t[0],
                             default=(0.0, ""))
            for start, because in after:
                if mentions[i].start >= start and binder.reach(i, start, start) >= reach:
                    reach, why = binder.reach(i, start, start), because
            if reach >= HISTORY_REACH:
                judgements[i] = Judgement("unsupported", None, None, why)


def _value(m: Mention) -> float | str | None:
    if m.when is not None:
        return m.text
    return m.value


def _result(layout: Layout, start: int, end: int, kind: str, value: float | str | None, j: Judgement,
            precision: float | None = None) -> MentionResult:
    # Every field is built here from checked values; validation would only cost time.
    return MentionResult.trusted({
        "text": layout.text[start:end], "start": start, "end": end, "kind": kind, "value": value,
        "precision": precision, "verdict": j.verdict, "fact": j.fact.key if j.fact else None,
        "expected": j.expected, "reason": j.reason, "sentence": layout.sentence_text(start),
    })
