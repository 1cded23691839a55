"""The held-out claim harness (a second, independent one): false claims made in words, over hundreds of random markets.

Three measures over the same markets (tests/random_markets.py, at the close and during the day, daily and
alert articles, 1d/4h/1w candles):

1. The template's own wording, flipped (flips.yaml): every claim word the article states is replaced by
   each other word of its class. The oracle (oracle.py) decides from the facts whether the flipped text is
   false; a false variant must get a failure that overlaps the replacement and was not there before the change.
   A flip that is true is not a must-catch: it is counted as "clean article wrong" when the clean text was false
   (the template said the wrong thing), else as "also true".
2. LLM-style paraphrases (paraphrases.yaml): every applicable shape, rendered with every alternative of its
   claim slots and checked alone. A false rendering must get a failure overlapping a claim slot; a true one
   must get no failure at all (else it is a false alarm).
3. The existing number perturbations (perturb.py: change_digit, shift_decimal, swap_scale, swap_metrics).

The clean article of each market is checked whole; a failure there is a false alarm unless it overlaps a claim
the oracle finds false. A variant is checked on the paragraph (or table block) that holds the change, unless the
clean paragraph checked alone does not give the same failures as in the whole article: then on the whole
article. The runner knows nothing of the checker's rules; it uses only check_article and its failures' spans.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import yaml

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import CheckReport, MentionResult, check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from tests.factcheck.heldout.oracle import Oracle
from tests.factcheck.perturb import change_digit, shift_decimal, swap_metrics, swap_scale
from tests.random_markets import market

HERE = Path(__file__).resolve().parent
CASES_FILE = HERE / "flips.yaml"
SHAPES_FILE = HERE / "paraphrases.yaml"

# Placeholders of a case's `find`.
PLACEHOLDERS = {
    "money": r"\$[\d,]*\.?\d+(?: (?:thousand|million|billion|trillion))?",
    "pct": r"-?\d[\d,]*(?:\.\d+)?%",
    "int": r"\d+",
    "date": r"[A-Z][a-z]+ \d{1,2}, \d{4}",
    "tf": r"(?:hourly|4-hour|daily|weekly|\d+-minute)",
    "name": r"[A-Z][A-Za-z0-9]*",
    "level": r"the [A-Za-z0-9. ]+?",
    "scope": r"(?:across major exchanges|on [A-Z][A-Za-z]*(?:(?:, | and )[A-Z][A-Za-z]*)*)",
}
_TF_WORD = {"1h": "hourly", "4h": "4-hour", "1d": "daily", "1w": "weekly"}
_HOURS_TF = {1.0: "1h", 4.0: "4h", 24.0: "1d", 168.0: "1w"}

# Number perturbations and how many of each are checked per article (a random sample, seeded by the market).
NUMBER_PERTURBATIONS = ((change_digit, 5), (shift_decimal, 3), (swap_scale, 2), (swap_metrics, 2))


# --- the markets ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MarketSpec:
    seed: int
    timeframe: str
    intraday: bool
    kind: str

    @property
    def group(self) -> str:
        return "intraday" if self.intraday else "at close"

    @property
    def label(self) -> str:
        return f"{self.kind} {self.timeframe} seed {self.seed}{' intraday' if self.intraday else ''}"


def _specs(kind: str, timeframe: str, intraday: bool, start: int, n: int) -> list[MarketSpec]:
    return [MarketSpec(seed, timeframe, intraday, kind) for seed in range(start, start + n)]


# 600 markets: 360 at the close, 240 taken during the day; 460 daily articles, 140 alerts.
MARKETS: tuple[MarketSpec, ...] = tuple(
    _specs("daily", "1d", False, 0, 150) + _specs("daily", "4h", False, 1000, 60)
    + _specs("daily", "1w", False, 2000, 60) + _specs("alert", "1d", False, 3000, 50)
    + _specs("alert", "4h", False, 4000, 30) + _specs("alert", "1w", False, 4500, 10)
    + _specs("daily", "1d", True, 5000, 90) + _specs("daily", "4h", True, 6000, 50)
    + _specs("daily", "1w", True, 7000, 50) + _specs("alert", "1d", True, 8000, 30)
    + _specs("alert", "4h", True, 9000, 15) + _specs("alert", "1w", True, 9500, 5)
)


# --- the data files -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flip:
    to: str  # the replacement, {group} quoting a group of the match
    truth: str


@dataclass(frozen=True)
class Sense:
    words: tuple[str, ...]
    truth: str


@dataclass(frozen=True)
class Case:
    id: str
    cls: str
    regex: re.Pattern[str]
    senses: tuple[Sense, ...] = ()
    rewrites: tuple[Flip, ...] = ()
    clean: str | None = None
    flag: tuple[str, ...] = ()

    def variants(self, m: re.Match[str]) -> Iterator[tuple[str | None, Flip]]:
        """(the truth the text as found states, a flip) for each variant of one match."""
        if self.rewrites:
            for flip in self.rewrites:
                yield self.clean, flip
            return
        found = m.group("claim")
        for sense in self.senses:
            if found in sense.words:
                i = sense.words.index(found)
                for other in self.senses:
                    if other is not sense:
                        word = other.words[i] if i < len(other.words) else other.words[0]
                        yield sense.truth, Flip(word, other.truth)
                return


def _compile(case: dict[str, Any]) -> Case:
    senses = tuple(Sense(tuple(s["words"]), s["truth"]) for s in case.get("senses", ()))
    words = sorted({w for s in senses for w in s.words}, key=len, reverse=True)

    def expand(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "claim":
            return "(?P<claim>" + "|".join(re.escape(w) for w in words) + ")"
        return PLACEHOLDERS[name]

    pattern = re.sub(r"\{(claim|" + "|".join(PLACEHOLDERS) + r")\}", expand, case["find"])
    rewrites = tuple(Flip(r["to"], r["truth"]) for r in case.get("rewrites", ()))
    if bool(senses) == bool(rewrites):
        raise ValueError(f"case {case['id']}: give senses or rewrites, not both or neither")
    if rewrites and "clean" not in case:
        raise ValueError(f"case {case['id']}: rewrites need the clean text's truth")
    regex = re.compile(pattern, re.M)
    texts = [s.truth for s in senses] + [t for r in rewrites for t in (r.to, r.truth)] + [case.get("clean") or ""]
    if unknown := {g for t in texts for g in re.findall(r"\{(\w+)\}", t)} - set(regex.groupindex):
        raise ValueError(f"case {case['id']}: {sorted(unknown)} name no group of find")
    flag = tuple(case.get("flag", ()))
    if unknown := [g for g in flag if g not in regex.groupindex]:
        raise ValueError(f"case {case['id']}: flag names no group of find: {unknown}")
    return Case(case["id"], case["class"], regex, senses, rewrites, case.get("clean"), flag)


@lru_cache(maxsize=1)
def load_cases() -> tuple[Case, ...]:
    return tuple(_compile(c) for c in yaml.safe_load(CASES_FILE.read_text())["cases"])


@dataclass(frozen=True)
class Shape:
    id: str
    cls: str
    text: str
    claims: dict[str, dict[str, Any]]
    truth: str
    flag: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_shapes() -> tuple[Shape, ...]:
    return tuple(Shape(s["id"], s["class"], s["text"], s["claims"], s["truth"], tuple(s.get("flag", ())),
                       tuple(s.get("needs", ())))
                 for s in yaml.safe_load(SHAPES_FILE.read_text())["shapes"])


def _quote_groups(expr: str, m: re.Match[str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda g: m.group(g.group(1)) or "", expr)


# --- results --------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One variant or rendering: its status ('must_catch', 'clean_wrong', 'also_true', 'borderline', 'true') and
    whether the check flagged it (for the right span)."""

    source: str  # template, paraphrase, number
    cls: str
    case: str
    group: str
    status: str
    flagged: bool
    sentence: str
    note: str
    market: str


@dataclass
class MarketResult:
    spec: MarketSpec
    outcomes: list[Outcome] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)  # failures on the clean article no false claim explains
    clean_wrong: list[tuple[str, str, bool, str]] = field(default_factory=list)  # (class, case, flagged, sentence)
    whole_article_scopes: int = 0  # paragraphs whose clean check alone differs from the whole article's
    scopes: int = 0
    seconds: float = 0.0
    timing: dict[str, float] = field(default_factory=dict)  # seconds per step


# --- checking a change ----------------------------------------------------------------------------------------


def _overlaps(r: MentionResult, span: tuple[int, int]) -> bool:
    return r.start < span[1] and span[0] < r.end


def _sentence(text: str, span: tuple[int, int]) -> str:
    stop = text.rfind(". ", 0, span[0])
    a = max(text.rfind("\n", 0, span[0]) + 1, stop + 2 if stop >= 0 else 0)
    ends = [i for i in (text.find("\n", span[1]), text.find(". ", span[1])) if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    return text[a:b].strip()


class Article:
    """One market's clean article, its whole-article check and the paragraphs a change is checked in."""

    def __init__(self, body: str, facts: FactSet) -> None:
        self.body, self.facts = body, facts
        self.report = check_article(body, facts)
        self._scopes: dict[tuple[str, int, int], CheckReport | None] = {}

    def scope(self, start: int, end: int) -> tuple[str, int, int]:
        """Where a change of body[start:end] is checked: (prefix, a, b), the text prefix + body[a:b]. A paragraph
        is checked whole; a table row with the table's header row and rule (prefix) before it."""
        body = self.body
        a = body.rfind("\n\n", 0, start)
        a = 0 if a < 0 else a + 2
        b = body.find("\n\n", end)
        b = len(body) if b < 0 else b
        if body.startswith("|", a):
            rule = body.find("\n", body.find("\n", a) + 1)
            row = body.rfind("\n", 0, start) + 1
            if 0 <= rule < row:
                row_end = body.find("\n", end)
                return body[a : rule + 1], row, (b if row_end < 0 or row_end > b else row_end)
        return "", a, b

    def isolated(self, prefix: str, a: int, b: int) -> CheckReport | None:
        """The clean scope checked alone, or None when that does not give the whole article's failures there."""
        key = (prefix, a, b)
        if key not in self._scopes:
            alone = check_article(prefix + self.body[a:b], self.facts)
            shift = len(prefix) - a
            mine = {(r.start - shift, r.end - shift, r.verdict) for r in alone.failures if r.start >= len(prefix)}
            whole = {(r.start, r.end, r.verdict) for r in self.report.failures if a <= r.start and r.end <= b}
            self._scopes[key] = alone if mine == whole else None
        return self._scopes[key]

    def check_change(self, start: int, end: int, new: str, spans: list[tuple[int, int]]) -> tuple[bool, str, bool]:
        """Replace body[start:end] by ``new``; ``spans`` (offsets in the new article, the first the change itself)
        are where a failure counts. Returns (flagged: a failure the clean text did not have overlaps a span, the
        changed sentence, whether the whole article had to be checked)."""
        prefix, a, b = self.scope(start, end)
        clean = self.isolated(prefix, a, b)
        if clean is None:
            prefix, a, b, clean = "", 0, len(self.body), self.report
        shift = len(prefix) - a  # body offset + shift = offset in the checked text
        delta = len(new) - (end - start)
        text = prefix + self.body[a:start] + new + self.body[end:b]
        # Failures of the clean text that are not at the change, where they stand in the new text.
        old = set()
        for r in clean.failures:
            if r.end - shift <= start:
                old.add((r.start, r.end, r.text, r.verdict))
            elif r.start - shift >= end:
                old.add((r.start + delta, r.end + delta, r.text, r.verdict))
        local = [(x + shift, y + shift) for x, y in spans]
        report = check_article(text, self.facts)
        flagged = any(_overlaps(r, sp) and (r.start, r.end, r.text, r.verdict) not in old
                      for r in report.failures for sp in local)
        return flagged, _sentence(text, local[0]), a == 0 and b == len(self.body) and not prefix


# --- one market -----------------------------------------------------------------------------------------------


def _virtual_slots(facts: FactSet) -> dict[str, str]:
    out: dict[str, str] = {}
    if (asset := facts.get("article.asset")) is not None:
        out["asset"] = asset.display
    tf_fact = facts.get("analysis.timeframe")
    tf = _HOURS_TF.get(float(tf_fact.value)) if tf_fact else None
    if tf:
        out["tf"] = _TF_WORD[tf]
    rsis = [f.key for f in facts if f.key.startswith("technicals.rsi_") and f.key != "technicals.rsi_period"]
    key = f"technicals.rsi_{tf}" if f"technicals.rsi_{tf}" in rsis else (rsis[0] if len(rsis) == 1 else None)
    if key is not None and key.removeprefix("technicals.rsi_") in _TF_WORD:
        out.update(rsi=facts[key].display, rsi_tf=_TF_WORD[key.removeprefix("technicals.rsi_")], rsi_key=key)
    return out


def _fill(template: str, facts: FactSet, virtual: dict[str, str], tokens: dict[str, Any]) -> str | None:
    """Fill a paraphrase's slots (or a truth's); None when the market lacks a fact it names."""
    missing = False

    def one(m: re.Match[str]) -> str:
        nonlocal missing
        name = m.group(1)
        head, _, tail = name.partition(".")
        if head in tokens:
            value = tokens[head]
            return str(value[tail] if tail else value)
        if name in virtual:
            return virtual[name]
        key, _, how = name.partition("|")
        fact = facts.get(key)
        if fact is None:
            missing = True
            return ""
        return fact.display_abs if how == "abs" else fact.display

    out = re.sub(r"\{([^{}]+)\}", one, template)
    return None if missing else out


def _paraphrases(facts: FactSet, oracle: Oracle, spec: MarketSpec) -> Iterator[Outcome]:
    virtual = _virtual_slots(facts)
    for shape in load_shapes():
        if any(key not in facts for key in shape.needs):
            continue
        names = list(shape.claims)
        for combo in itertools.product(*(list(shape.claims[n].items()) for n in names)):
            words = {n: w for n, (w, _) in zip(names, combo)}
            tokens = {n: t for n, (_, t) in zip(names, combo)}
            # Render the claim slots first (they may hold slots of their own), keeping their spans.
            pieces, spans, at = [], [], 0
            for part in re.split(r"(\{[^{}]+\})", shape.text):
                slot = part[1:-1] if part.startswith("{") else None
                if slot in words:
                    rendered = _fill(words[slot], facts, virtual, {})
                    if rendered is None:
                        break
                    if at == 0 and rendered:
                        rendered = rendered[0].upper() + rendered[1:]
                    spans.append((at, at + len(rendered)))
                    part = rendered
                elif slot is not None:
                    filled = _fill(part, facts, virtual, {})
                    if filled is None:
                        break
                    if slot in shape.flag:
                        spans.append((at, at + len(filled)))
                    part = filled
                pieces.append(part)
                at += len(part)
            else:
                sentence = "".join(pieces)
                truth_expr = _fill(shape.truth, facts, virtual, tokens)
                if truth_expr is None:
                    continue
                truth = oracle.evaluate(truth_expr)
                note = " / ".join(f"{n}={w}" for n, w in words.items())
                if truth is None:
                    yield Outcome("paraphrase", shape.cls, shape.id, spec.group, "borderline", False, sentence, note,
                                  spec.label)
                    continue
                report = check_article(sentence, facts)
                if truth:
                    flagged = bool(report.failures)
                    detail = "; ".join(f"{r.verdict} {r.text!r} ({r.reason})" for r in report.failures)
                    yield Outcome("paraphrase", shape.cls, shape.id, spec.group, "true", flagged, sentence,
                                  f"{note} | {detail}" if detail else note, spec.label)
                else:
                    flagged = any(_overlaps(r, s) for r in report.failures for s in spans)
                    yield Outcome("paraphrase", shape.cls, shape.id, spec.group, "must_catch", flagged, sentence, note,
                                  spec.label)
                continue
            break  # a slot the market lacks: the shape is not applicable (no other combination can fill it)


def _flips(article: Article, oracle: Oracle, spec: MarketSpec, result: MarketResult) -> Iterator[Outcome]:
    body = article.body
    seen: set[tuple[int, int, str]] = set()
    wrong_spans: list[tuple[int, int]] = []
    blocks = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]+\n?)+", body)]
    for case in load_cases():
        for a, b in blocks:
            block = body[a:b].rstrip("\n")
            for m in case.regex.finditer(block):
                cs, ce = m.span("claim") if "claim" in case.regex.groupindex else m.span()
                start, end = a + cs, a + ce
                for clean_expr, flip in case.variants(m):
                    new = _quote_groups(flip.to, m)
                    if (start, end, new) in seen or new == block[cs:ce]:
                        continue
                    seen.add((start, end, new))
                    clean = oracle.evaluate(_quote_groups(clean_expr, m)) if clean_expr else None
                    if clean is False and (a + m.start(), a + m.end()) not in wrong_spans:
                        wrong_spans.append((a + m.start(), a + m.end()))
                        flagged = any(_overlaps(r, (a + m.start(), a + m.end())) for r in article.report.failures)
                        result.clean_wrong.append((case.cls, case.id, flagged, _sentence(body, (start, end))))
                    truth = oracle.evaluate(_quote_groups(flip.truth, m))
                    note = f"{body[start:end]!r} -> {new!r}"
                    if truth is None:
                        yield Outcome("template", case.cls, case.id, spec.group, "borderline", False, "", note,
                                      spec.label)
                        continue
                    spans = [(start, start + len(new))]
                    delta = len(new) - (end - start)
                    for g in case.flag:
                        gs, ge = m.span(g)
                        if gs < 0:
                            continue
                        if ge <= cs:
                            spans.append((a + gs, a + ge))
                        elif gs >= ce:
                            spans.append((a + gs + delta, a + ge + delta))
                    flagged, sentence, _ = article.check_change(start, end, new, spans)
                    status = "must_catch" if truth is False else "clean_wrong" if clean is False else "also_true"
                    yield Outcome("template", case.cls, case.id, spec.group, status, flagged, sentence, note,
                                  spec.label)
    # The clean article: a failure is a false alarm unless it sits on a claim the oracle finds false.
    for r in article.report.failures:
        if not any(_overlaps(r, s) for s in wrong_spans):
            result.false_alarms.append(f"{spec.label}: {r.verdict} {r.text!r} ({r.reason}) in: {r.sentence}")


def _numbers(article: Article, spec: MarketSpec) -> Iterator[Outcome]:
    body, report = article.body, article.report
    rng = random.Random(f"numbers|{spec.label}")
    for perturbation, cap in NUMBER_PERTURBATIONS:
        variants = list(perturbation(body, report, rng))
        rng.shuffle(variants)
        for v in variants[:cap]:
            # The change as one replaced stretch: the common prefix and suffix of the two texts stay.
            limit = min(len(body), len(v.text))
            p = 0
            while p < limit and body[p] == v.text[p]:
                p += 1
            s = 0
            while s < limit - p and body[-1 - s] == v.text[-1 - s]:
                s += 1
            if v.text == body:
                continue
            start, end, new = p, len(body) - s, v.text[p : len(v.text) - s]
            old_num, _, new_num = v.note.partition(" -> ")
            if _same_number(old_num, new_num):
                yield Outcome("number", v.kind, v.kind, spec.group, "borderline", False, "", v.note, spec.label)
                continue
            flagged, sentence, _ = article.check_change(start, end, new, [v.span])
            yield Outcome("number", v.kind, v.kind, spec.group, "must_catch", flagged, sentence, v.note, spec.label)


def _same_number(a: str, b: str) -> bool:
    """'0.0000%' -> '00.000%' changes the text, not the value: no false number to catch."""
    x, y = (re.sub(r"[^\d.]", "", t) for t in (a, b))
    try:
        return bool(x and y) and float(x) == float(y) and re.sub(r"[\d.,]", "", a) == re.sub(r"[\d.,]", "", b)
    except ValueError:
        return False


def run_market(spec: MarketSpec) -> MarketResult:
    t0 = time.perf_counter()
    snapshot = market(spec.seed, spec.timeframe, intraday=spec.intraday)
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    body = draft_article(snapshot, analysis, facts, Settings(), kind=spec.kind).body
    result = MarketResult(spec)
    t1 = time.perf_counter()
    article = Article(body, facts)
    oracle = Oracle(facts)
    result.timing["market and clean check"] = t1 - t0 + time.perf_counter() - t1
    for name, step in (("template", lambda: _flips(article, oracle, spec, result)),
                       ("paraphrase", lambda: _paraphrases(facts, oracle, spec)),
                       ("number", lambda: _numbers(article, spec))):
        t = time.perf_counter()
        result.outcomes += list(step())
        result.timing[name] = time.perf_counter() - t
    result.scopes = len(article._scopes)
    result.whole_article_scopes = sum(1 for v in article._scopes.values() if v is None)
    result.seconds = time.perf_counter() - t0
    return result


# --- the whole run --------------------------------------------------------------------------------------------


@dataclass(repr=False)
class Run:
    results: list[MarketResult]
    seconds: float
    workers: int

    def __repr__(self) -> str:
        return f"Run({len(self.results)} markets, {self.seconds:.1f} s, {self.workers} workers)"

    def outcomes(self, source: str | None = None, group: str | None = None) -> list[Outcome]:
        return [o for r in self.results for o in r.outcomes
                if (source is None or o.source == source) and (group is None or o.group == group)]

    def figures(self, source: str, group: str | None = None) -> dict[str, Counter[str]]:
        """Per class: must_catch, caught, true (paraphrases: true renderings), true_flagged, clean_wrong, also_true,
        borderline."""
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for o in self.outcomes(source, group):
            c = out[o.cls]
            c[o.status] += 1
            if o.status == "must_catch" and o.flagged:
                c["caught"] += 1
            if o.status in ("true", "clean_wrong", "also_true") and o.flagged:
                c[f"{o.status}_flagged"] += 1
        return dict(sorted(out.items()))

    def rate(self, source: str, group: str | None = None) -> tuple[int, int]:
        cs = self.figures(source, group).values()
        return sum(c["caught"] for c in cs), sum(c["must_catch"] for c in cs)

    def false_alarms(self, group: str | None = None) -> list[str]:
        return [a for r in self.results if group in (None, r.spec.group) for a in r.false_alarms]

    def true_paraphrase_alarms(self, group: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes("paraphrase", group) if o.status == "true" and o.flagged]

    def missed(self, source: str, group: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes(source, group) if o.status == "must_catch" and not o.flagged]

    def markets(self, group: str | None = None) -> int:
        return sum(1 for r in self.results if group in (None, r.spec.group))

    def clean_wrong(self, group: str | None = None) -> list[tuple[str, str, bool, str]]:
        return [w for r in self.results if group in (None, r.spec.group) for w in r.clean_wrong]

    # --- text ---------------------------------------------------------------------------------------------

    def table(self) -> str:
        """The figures per class, for the docs and for a failing test's message."""
        lines = []
        groups: list[str | None] = [None, "at close", "intraday"]
        for source, title in (("template", "Template claim words, flipped"), ("paraphrase", "LLM-style paraphrases")):
            lines += [f"{title} (caught / must-catch; all | at close | intraday)", ""]
            if source == "template":
                lines += ["| Class | All | At close | Intraday | True flips: clean article wrong / also true (flagged) "
                          "| Borderline skipped |",
                          "|---|---|---|---|---|---|"]
            else:
                lines += ["| Class | All | At close | Intraday | True renderings (flagged) | Borderline skipped |",
                          "|---|---|---|---|---|---|"]
            per = [self.figures(source, g) for g in groups]
            total = [Counter() for _ in groups]
            for cls in per[0]:
                cells = []
                for i, _g in enumerate(groups):
                    c = per[i].get(cls, Counter())
                    total[i].update(c)
                    cells.append(_frac(c["caught"], c["must_catch"]))
                c = per[0][cls]
                extra = (f"{c['clean_wrong']} / {c['also_true']} ({c['clean_wrong_flagged'] + c['also_true_flagged']})"
                         if source == "template" else f"{c['true']} ({c['true_flagged']})")
                lines.append(f"| {cls} | " + " | ".join(cells) + f" | {extra} | {c['borderline']} |")
            c = total[0]
            extra = (f"{c['clean_wrong']} / {c['also_true']} ({c['clean_wrong_flagged'] + c['also_true_flagged']})"
                     if source == "template" else f"{c['true']} ({c['true_flagged']})")
            lines.append("| **all** | " + " | ".join(_frac(t["caught"], t["must_catch"]) for t in total)
                         + f" | {extra} | {c['borderline']} |")
            lines.append("")
        lines += ["Numbers (perturb.py), caught / variants", "", "| Perturbation | All | At close | Intraday |",
                  "|---|---|---|---|"]
        per = [self.figures("number", g) for g in groups]
        for cls in per[0]:
            lines.append(f"| {cls} | " + " | ".join(_frac(p.get(cls, Counter())["caught"],
                                                           p.get(cls, Counter())["must_catch"]) for p in per) + " |")
        lines.append("| **all** | " + " | ".join(_frac(*self.rate("number", g)) for g in groups) + " |")
        lines.append("")
        lines.append("| Clean articles | All | At close | Intraday |")
        lines.append("|---|---|---|---|")
        lines.append("| markets | " + " | ".join(str(self.markets(g)) for g in groups) + " |")
        lines.append("| false alarms (failures no false claim explains) | "
                     + " | ".join(str(len(self.false_alarms(g))) for g in groups) + " |")
        lines.append("| false alarms on true paraphrases | "
                     + " | ".join(str(len(self.true_paraphrase_alarms(g))) for g in groups) + " |")
        lines.append("| clean claims the oracle finds false (flagged) | " + " | ".join(
            f"{len(self.clean_wrong(g))} ({sum(1 for w in self.clean_wrong(g) if w[2])})" for g in groups) + " |")
        used = {o.case for o in self.outcomes()}
        unused = [c.id for c in load_cases() if c.id not in used] + [s.id for s in load_shapes() if s.id not in used]
        lines.append("")
        lines.append(f"{len(load_cases())} cases, {len(load_shapes())} paraphrase shapes; never applicable in this run: "
                     + (", ".join(unused) or "none") + ".")
        scopes = sum(r.scopes for r in self.results)
        whole = sum(r.whole_article_scopes for r in self.results)
        lines.append("")
        lines.append(f"{scopes} paragraphs checked in isolation, {whole} of them on the whole article instead (their "
                     f"clean check alone differed); {self.seconds:.1f} s with {self.workers} worker(s).")
        return "\n".join(lines)

    def examples(self, n: int = 3, sources: tuple[str, ...] = ("template", "paraphrase", "number"),
                 alarms: bool = True) -> str:
        """The first few missed variants per class (of ``sources``), and with ``alarms`` the false alarms on clean
        articles and on true paraphrases, each with its sentence."""
        lines = []
        for source in sources:
            by: dict[str, list[Outcome]] = defaultdict(list)
            for o in self.missed(source):
                by[o.cls].append(o)
            for cls, os_ in sorted(by.items()):
                lines.append(f"missed {source} {cls} ({len(os_)}):")
                lines += [f"  [{o.market}] {o.case}: {o.note}\n      {o.sentence}" for o in os_[:n]]
        clean = self.false_alarms() if alarms else []
        if clean:
            lines.append(f"false alarms on clean articles ({len(clean)}):")
            lines += [f"  {a}" for a in clean[:n * 3]]
        true = self.true_paraphrase_alarms() if alarms else []
        if true:
            lines.append(f"false alarms on true paraphrases ({len(true)}):")
            lines += [f"  [{o.market}] {o.case}: {o.sentence}\n      {o.note}" for o in true[: n * 3]]
        return "\n".join(lines)


def _frac(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "–"


def run(markets: tuple[MarketSpec, ...] = MARKETS, workers: int | None = None) -> Run:
    """Run the harness over ``markets``, one process per core (``workers=1``: in this process)."""
    load_cases(), load_shapes()  # fail early on a broken data file, before forking
    workers = workers or min(os.cpu_count() or 1, 8)
    t0 = time.perf_counter()
    if workers == 1:
        results = [run_market(s) for s in markets]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
            results = list(pool.map(run_market, markets, chunksize=4))
    return Run(results, time.perf_counter() - t0, workers)
