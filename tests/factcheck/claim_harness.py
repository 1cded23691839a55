"""The claim perturbation harness: false claims made in words, and numbers, broken in generated articles.

Three suites over the same random markets (tests/random_markets.py), at the close and intraday, daily and
alert articles:

* **flips** — the template's own claim words, flipped one at a time (claim_cases/template_flips.yaml);
* **paraphrases** — sentences a language model would plausibly write, every alternative of their claim word
  (claim_cases/paraphrases.yaml), each checked alone;
* **numbers** — the number perturbations of tests/factcheck/perturb.py (change_digit, shift_decimal,
  swap_scale, swap_metrics), a few per article.

Whether a variant is false is decided by the oracle (claim_oracle.py) from the facts; the fact-check under test
is only asked to flag it. A variant counts as caught when a failure overlaps the changed claim (or the figure
next to it, or a figure the case names with `also:`). Flips and numbers are checked on the paragraph that holds
them (the whole article when that paragraph alone checks differently from the whole article: a cue it needs lies
outside it), paraphrases alone.

Used by tests/factcheck/test_claim_perturbations.py (the acceptance test) and bench/claims_perturbation.py.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import yaml

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.factcheck import CheckReport, check_article
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from tests.factcheck import perturb
from tests.factcheck.claim_oracle import Context, Verdict, evaluate, parse, predicates_used
from tests.random_markets import market

CASES = Path(__file__).parent / "claim_cases"

# --- the markets ---------------------------------------------------------------------------------------------


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
        return f"market({self.seed}, {self.timeframe!r}, intraday={self.intraday}) {self.kind}"


# (timeframe, kind, how many) for each of at-close and intraday; every group has seeds of its own, so no two
# markets share candles (a seed's candles are the same in every timeframe and with or without intraday).
PLAN = (("1d", "daily", 120), ("1d", "alert", 60), ("4h", "daily", 50), ("4h", "alert", 25), ("1w", "daily", 30),
        ("1w", "alert", 15))


def markets(scale: float = 1.0) -> list[MarketSpec]:
    out = []
    for g, intraday in enumerate((False, True)):
        for i, (tf, kind, n) in enumerate(PLAN):
            base = 20_000 + 1_000 * (len(PLAN) * g + i)
            out += [MarketSpec(base + k, tf, intraday, kind) for k in range(max(1, round(n * scale)))]
    return out


# --- the case files ------------------------------------------------------------------------------------------

MONEY = r"\$\d+(?:,\d{3})*(?:\.\d+)?(?: (?:million|billion|trillion))?"
MACROS = {
    "usd": MONEY,
    "pct": r"-?\d+(?:,\d{3})*(?:\.\d+)?%",
    "idx": r"\d+/100",
    "asset": r"[A-Z][A-Za-z0-9]*",
    "tf": r"(?:daily|4-hour|weekly|hourly)",
    "name": r"(?:[^.$]|\.(?=\d))+?",
}
_FIGURE = r"(?:-?\$?-?\d[\d,]*(?:\.\d+)?(?:%|/100)?(?: (?:million|billion|trillion))?)"
_FIGURE_AFTER = re.compile(r"[ \t]*" + _FIGURE)
_FIGURE_BEFORE = re.compile(_FIGURE + r"[ \t]*$")


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # surface forms (empty for a form)
    form: str | None
    states: str
    tree: tuple = field(compare=False)

    def render(self, index: int, groups: dict[str, str]) -> str:
        if self.form is not None:
            return self.form.format(**groups)
        return self.words[index] if index < len(self.words) else self.words[0]


@dataclass(frozen=True)
class FlipCase:
    id: str
    cls: str
    regex: re.Pattern[str]
    alternatives: tuple[Alternative, ...]
    also: tuple[str, ...]
    dormant: str | None = None  # why the templates no longer write this sentence (it may still, on some market)

    def identify(self, m: re.Match[str]) -> tuple[int, int] | None:
        """(alternative, form index) the article wrote in this match."""
        text, groups = m.group("claim"), {k: v or "" for k, v in m.groupdict().items()}
        for ai, alt in enumerate(self.alternatives):
            if alt.form is not None and alt.form.format(**groups) == text:
                return ai, 0
            if text in alt.words:
                return ai, alt.words.index(text)
        return None


def _alternative(raw: dict[str, Any]) -> Alternative:
    return Alternative(tuple(raw.get("words", ())), raw.get("form"), raw["states"], parse(raw["states"]))


def _expand(pattern: str, words: Iterable[str]) -> str:
    union = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    out = pattern.replace("{claim}", f"(?P<claim>{union})")
    for name, rx in MACROS.items():
        out = out.replace("{" + name + "}", rx)
    return out


@lru_cache(maxsize=1)
def flip_cases() -> tuple[FlipCase, ...]:
    raw = yaml.safe_load((CASES / "template_flips.yaml").read_text(encoding="utf-8"))
    out = []
    for c in raw:
        alts = tuple(_alternative(a) for a in c["alternatives"])
        words = [w for a in alts for w in a.words]
        out.append(FlipCase(c["id"], c["class"], re.compile(_expand(c["find"], words), re.M), alts,
                            tuple(c.get("also", ())), c.get("dormant")))
    return tuple(out)


@dataclass(frozen=True)
class Shape:
    id: str
    cls: str
    text: str
    alternatives: tuple[Alternative, ...]  # form = the alternative's text (with slots)
    needs: tuple[str, ...]


@lru_cache(maxsize=1)
def paraphrase_shapes() -> tuple[Shape, ...]:
    raw = yaml.safe_load((CASES / "paraphrases.yaml").read_text(encoding="utf-8"))
    return tuple(Shape(s["id"], s["class"], s["text"],
                       tuple(Alternative((), a["text"], a["states"], parse(a["states"])) for a in s["claim"]),
                       tuple(s.get("needs", ()))) for s in raw)


_SLOT = re.compile(r"\{([\w.]+)(\|abs)?\}")
_TF_WORD = {24.0: "daily", 4.0: "4-hour", 168.0: "weekly", 1.0: "hourly"}
_TF_KEY = {24.0: "1d", 4.0: "4h", 168.0: "1w", 1.0: "1h"}


def _main_rsi(facts: FactSet) -> tuple[str, str] | None:
    readings = [f for f in facts if f.key.startswith("technicals.rsi_") and f.key != "technicals.rsi_period"]
    tf = facts.get("analysis.timeframe")
    own = [f for f in readings if tf is not None and f.key == f"technicals.rsi_{_TF_KEY.get(float(tf.value))}"]
    pick = (own or readings or [None])[0]
    if pick is None:
        return None
    word = {"1d": "daily", "4h": "4-hour", "1w": "weekly", "1h": "hourly"}.get(pick.key.rsplit("_", 1)[1], "")
    return pick.display, word


def fill(text: str, facts: FactSet) -> str | None:
    """``text`` with its slots filled from ``facts``; None when a slot's fact is missing."""
    special: dict[str, str | None] = {}
    a = facts.get("article.asset")
    special["asset"] = None if a is None else a.display
    rsi = _main_rsi(facts)
    special["rsi"], special["rsi_tf"] = (rsi if rsi else (None, None))
    tf = facts.get("analysis.timeframe")
    special["timeframe"] = None if tf is None else _TF_WORD.get(float(tf.value))
    missing = False

    def one(m: re.Match[str]) -> str:
        nonlocal missing
        key, absolute = m.group(1), m.group(2)
        if key in special:
            value = special[key]
        else:
            f = facts.get(key)
            value = None if f is None else (f.display_abs if absolute else f.display)
        if value is None:
            missing = True
            return ""
        return value

    out = _SLOT.sub(one, text)
    return None if missing else out


def _keys_named(tree: tuple) -> set[str]:
    if tree[0] == "call":
        return {a for a in tree[2] if "." in a and not a.startswith("@")}
    return set().union(*(_keys_named(t) for t in tree[1:] if isinstance(t, tuple)))


# --- outcomes ------------------------------------------------------------------------------------------------

# status of one variant (flips, paraphrases, numbers):
#   caught / missed          a false variant (must-catch), flagged or not
#   passed / false_alarm     a true paraphrase, clean or flagged
#   true_flip                a flip that states something true (the alternatives overlap); not must-catch
#   clean_wrong              a flip that states something true because the clean article was wrong
#   borderline               the oracle cannot judge the values (skipped, by the predicate)
#   unattributable           the clean text is already flagged where the variant changes it
# status of a clean article's own claims and failures:
#   clean_false_flagged / clean_false_missed   a template claim the oracle finds false, flagged or not
#   clean_false_alarm        a failure in the clean article on nothing the oracle finds false
MUST = ("caught", "missed")
SUITES = ("flip", "paraphrase", "number")
GROUPS = ("at close", "intraday")


@dataclass(frozen=True)
class Outcome:
    suite: str  # flip, paraphrase, number, clean
    group: str  # at close, intraday
    cls: str
    shape: str  # the case or shape id (numbers: the perturbation)
    status: str
    market: str
    sentence: str = ""
    note: str = ""


def sentence_at(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:line_start + 1] in ("|", "#", "-"):
        return text[line_start:line_end]
    a = max(text.rfind(". ", line_start, start) + 2, line_start) if text.rfind(". ", line_start, start) >= 0 \
        else line_start
    b = text.find(". ", end, line_end)
    return text[a:(line_end if b < 0 else b + 1)].strip()


def _overlaps(report: CheckReport, spans: Iterable[tuple[int, int]]) -> bool:
    return any(r.start < b and a < r.end for r in report.failures for a, b in spans)


def _grow(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen a claim's span over a figure right next to it ("Down 14.72%", "$6,189 above")."""
    after = _FIGURE_AFTER.match(text, b)
    if after:
        b = after.end()
    before = _FIGURE_BEFORE.search(text[max(0, a - 40):a])
    if before:
        a = a - (len(text[max(0, a - 40):a]) - before.start())
    return a, b


_BREAK = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """The article's blocks (the headline, each paragraph, heading and table), as (start, end); a block ends
    at a blank line and owns it."""
    cuts = [0, *(m.end() for m in _BREAK.finditer(text)), len(text)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]


class Article:
    """One market's article, its facts, its whole-article report and its paragraphs' own reports (lazily)."""

    def __init__(self, spec: MarketSpec) -> None:
        self.spec = spec
        snapshot = market(spec.seed, spec.timeframe, spec.intraday)
        analysis = analyze(snapshot)
        self.facts = build_facts(snapshot, analysis)
        self.text = draft_article(snapshot, analysis, self.facts, Settings(), kind=spec.kind).body
        self.report = check_article(self.text, self.facts)
        self.blocks = paragraphs(self.text)
        self._own: dict[tuple[int, int], tuple[CheckReport, bool]] = {}

    def block_of(self, a: int, b: int) -> tuple[int, int]:
        """The paragraph (or run of paragraphs) that holds text[a:b]."""
        first = next(s for s in self.blocks if s[0] <= a < s[1] or (a == s[1] == len(self.text)))
        last = next(s for s in self.blocks if s[0] < b <= s[1]) if b > a else first
        return first[0], max(first[1], last[1])

    def alone(self, block: tuple[int, int]) -> tuple[CheckReport, bool]:
        """The paragraph checked alone, and whether that says the same as the whole article there."""
        if block not in self._own:
            s, e = block
            own = check_article(self.text[s:e], self.facts)
            mine = {(r.start + s, r.end + s, r.verdict) for r in own.failures}
            whole = {(r.start, r.end, r.verdict) for r in self.report.failures if s <= r.start < e}
            self._own[block] = (own, mine == whole)
        return self._own[block]

    def check_variant(self, a: int, b: int, new: str, clean_spans: list[tuple[int, int]],
                      new_spans: list[tuple[int, int]]) -> tuple[bool, bool, str]:
        """Replace text[a:b] with ``new``; check the paragraph that holds it (or the whole article when the
        paragraph alone reads differently from the whole). ``clean_spans``: where a failure would catch the claim, in the
        clean text; ``new_spans``: the same in the changed text. Returns (caught, the clean text is already
        flagged there, the changed sentence)."""
        s, e = self.block_of(a, b)
        own, same = self.alone((s, e))
        if not same:
            s, e, own = 0, len(self.text), self.report
        flagged_before = _overlaps(own, [(x - s, y - s) for x, y in clean_spans])
        variant = self.text[s:a] + new + self.text[b:e]
        report = check_article(variant, self.facts)
        caught = _overlaps(report, [(x - s, y - s) for x, y in new_spans])
        return caught, flagged_before, sentence_at(variant, a - s, a - s + len(new))


# --- the suites ----------------------------------------------------------------------------------------------


def run_flips(art: Article) -> Iterator[Outcome]:
    spec = art.spec
    clean_claims: list[tuple[list[tuple[int, int]], Verdict, FlipCase, str]] = []
    for case in flip_cases():
        for m in case.regex.finditer(art.text):
            groups = {k: v or "" for k, v in m.groupdict().items()}
            found = case.identify(m)
            if found is None:
                raise AssertionError(f"{case.id}: the article wrote {m.group('claim')!r}, which no alternative has")
            ai, wi = found
            ctx = Context(art.facts, groups)
            a, b = m.span("claim")
            original = evaluate(case.alternatives[ai].tree, ctx)
            spans = [_grow(art.text, a, b)] + [m.span(g) for g in case.also if m.group(g)]
            # The clean claim is the whole match: the fact-check may report it on its subject ("Solana trades
            # between ...") rather than on the words a flip changes.
            clean_claims.append(([*spans, m.span()], original, case, sentence_at(art.text, a, b)))
            for aj, alt in enumerate(case.alternatives):
                if aj == ai:
                    continue
                new = alt.render(wi, groups)
                if new == m.group("claim"):
                    continue
                truth = evaluate(alt.tree, ctx)
                if truth.value is None:
                    yield Outcome("flip", spec.group, case.cls, case.id, "borderline", spec.label, note=truth.why)
                    continue
                shift = len(new) - (b - a)
                new_spans = [_grow(art.text[:a] + new + art.text[b:], a, a + len(new))]
                new_spans += [(x + shift, y + shift) if x >= b else (x, y) for x, y in spans[1:]]
                caught, flagged_before, sentence = art.check_variant(a, b, new, spans, new_spans)
                if truth.value:
                    status = "clean_wrong" if original.value is False else "true_flip"
                elif flagged_before:
                    status = "unattributable"
                else:
                    status = "caught" if caught else "missed"
                yield Outcome("flip", spec.group, case.cls, case.id, status, spec.label, sentence,
                              f"{m.group('claim')} -> {new}: {truth.why}")
    # The clean article: its own false claims, and every failure it has.
    explained = []
    for spans, original, case, sentence in clean_claims:
        if original.value is False:
            flagged = _overlaps(art.report, spans)
            explained += spans
            yield Outcome("clean", spec.group, case.cls, case.id,
                          "clean_false_flagged" if flagged else "clean_false_missed", spec.label, sentence,
                          original.why)
        elif original.value is None:
            explained += spans
    for r in art.report.failures:
        if not any(r.start < b and a < r.end for a, b in explained):
            yield Outcome("clean", spec.group, r.kind, "clean article", "clean_false_alarm", spec.label, r.sentence,
                          f"{r.verdict} {r.text!r}: {r.reason}")


def run_paraphrases(art: Article) -> Iterator[Outcome]:
    spec = art.spec
    for shape in paraphrase_shapes():
        if any(k not in art.facts for k in shape.needs):
            continue
        if any(k not in art.facts for alt in shape.alternatives for k in _keys_named(alt.tree)):
            continue
        head, _, tail = shape.text.partition("[claim]")
        for alt in shape.alternatives:
            pieces = [fill(p, art.facts) for p in (head, alt.form or "", tail)]
            if any(p is None for p in pieces):
                break  # a slot's fact is missing: the shape does not apply to this market
            h, c, t = pieces
            sentence = h + c + t  # type: ignore[operator]
            truth = evaluate(alt.tree, Context(art.facts))
            if truth.value is None:
                yield Outcome("paraphrase", spec.group, shape.cls, shape.id, "borderline", spec.label, sentence,
                              truth.why)
                continue
            report = check_article(sentence, art.facts)
            if truth.value:
                status = "passed" if report.passed else "false_alarm"
                why = "; ".join(f"{r.verdict} {r.text!r}: {r.reason}" for r in report.failures)
            else:
                span = _grow(sentence, len(h), len(h) + len(c))  # type: ignore[arg-type]
                status = "caught" if _overlaps(report, [span]) else "missed"
                why = truth.why
            yield Outcome("paraphrase", spec.group, shape.cls, shape.id, status, spec.label, sentence, why)


NUMBER_PERTURBATIONS = (perturb.change_digit, perturb.shift_decimal, perturb.swap_scale, perturb.swap_metrics)
NUMBER_CAPS = {"change_digit": 3, "shift_decimal": 2, "swap_scale": 1, "swap_metrics": 2}


_SWAPPED = re.compile(r"^(.*?) \([\w.]+\) <-> (.*?) \([\w.]+\)$")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\d+")


def _unchanged(note: str) -> bool:
    """A change that writes the same value ("$0 -> $00"): not a false number."""
    old, sep, new = note.partition(" -> ")
    if not sep:
        return False
    a, b = _NUMBER.findall(old), _NUMBER.findall(new)
    words = lambda t: re.sub(r"[\d,.]+", "#", t)  # noqa: E731
    return len(a) == len(b) and words(old) == words(new) and \
        all(float(x.replace(",", "")) == float(y.replace(",", "")) for x, y in zip(a, b))


def _named(report: CheckReport, note: str, changed: str) -> bool:
    """A failure that names the changed figure in its reason ("$26,795 is the 24-hour short liquidations: the words
    name a side of long", reported on "Long"): the report points at the figure and blocks the draft."""
    pair = _SWAPPED.match(note)
    figures = [pair.group(1), pair.group(2)] if pair else [changed.strip()]
    return any(f and f in r.reason for r in report.failures for f in figures)


def run_numbers(art: Article) -> Iterator[Outcome]:
    spec = art.spec
    for p in NUMBER_PERTURBATIONS:
        rng = random.Random(f"{spec.label}|{p.__name__}")
        variants = list(p(art.text, art.report, rng))
        rng.shuffle(variants)
        for v in variants[: NUMBER_CAPS[p.__name__]]:
            a, b = v.span
            shift = len(v.text) - len(art.text)
            # The clean text's span: the change starts at a; it ends ``shift`` earlier there.
            ca, cb = a, max(a + 1, b - shift)
            spans = [(ca, cb)]
            if p is perturb.swap_metrics and (pair := _SWAPPED.match(v.note)):
                spans = [(ca, ca + len(pair.group(1))), (cb - len(pair.group(2)), cb)]  # the two mentions swapped
            s, e = art.block_of(ca, cb)
            own, same = art.alone((s, e))
            if not same:
                s, e, own = 0, len(art.text), art.report
            if _unchanged(v.note):
                status = "borderline"  # "$0 -> $00": the same value written another way
            elif _overlaps(own, [(x - s, y - s) for x, y in spans]):
                status = "unattributable"
            else:
                report = check_article(v.text[s:e + shift], art.facts)
                status = "caught" if perturb.caught(report, (a - s, b - s)) or _named(report, v.note, v.text[a:b]) \
                    else "missed"
            yield Outcome("number", spec.group, p.__name__, p.__name__, status, spec.label,
                          sentence_at(v.text, a, a + 1), v.note)


def run_market(spec: MarketSpec) -> list[Outcome]:
    art = Article(spec)
    return [*run_flips(art), *run_paraphrases(art), *run_numbers(art)]


def _chunk(specs: list[MarketSpec]) -> list[Outcome]:
    return [o for s in specs for o in run_market(s)]


def run(specs: list[MarketSpec], processes: int | None = None) -> tuple[list[Outcome], float]:
    """Every outcome over ``specs``, and the wall time; in ``processes`` processes (default: the CPUs)."""
    start = time.perf_counter()
    processes = processes or min(os.cpu_count() or 1, 8)
    if processes <= 1:
        return _chunk(specs), time.perf_counter() - start
    chunks = [specs[i::processes * 4] for i in range(processes * 4)]
    with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
        outcomes = [o for part in pool.map(_chunk, chunks) for o in part]
    return outcomes, time.perf_counter() - start


# --- figures -------------------------------------------------------------------------------------------------


@dataclass
class Figures:
    outcomes: list[Outcome]
    seconds: float = 0.0

    def __post_init__(self) -> None:
        self._index = Counter((o.suite, o.cls, o.group, o.status) for o in self.outcomes)

    def count(self, suite: str | None = None, cls: str | None = None, group: str | None = None) -> Counter[str]:
        """Outcomes by status, of one suite, class and group (None: any)."""
        out: Counter[str] = Counter()
        for (su, cl, gr, status), n in self._index.items():
            if suite in (None, su) and cls in (None, cl) and group in (None, gr):
                out[status] += n
        return out

    @staticmethod
    def rate(c: Counter[str]) -> tuple[int, int, float]:
        must = c["caught"] + c["missed"]
        return c["caught"], must, (c["caught"] / must if must else 1.0)

    def word_claims(self, group: str | None = None) -> tuple[int, int, float]:
        """Caught / must-catch over the false word claims: flips and paraphrases."""
        return self.rate(self.count("flip", group=group) + self.count("paraphrase", group=group))

    def numbers(self, group: str | None = None) -> tuple[int, int, float]:
        return self.rate(self.count("number", group=group))

    def false_alarms(self, suite: str, group: str | None = None) -> list[Outcome]:
        status = "clean_false_alarm" if suite == "clean" else "false_alarm"
        return [o for o in self.outcomes if o.suite == suite and o.status == status and (group is None or o.group == group)]

    def missed(self, suite: str | None = None) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "missed" and (suite is None or o.suite == suite)]

    def markets(self, group: str | None = None) -> int:
        return len({o.market for o in self.outcomes if group is None or o.group == group})

    def rows(self) -> list[tuple[str, str, int, list[tuple[int, int, float]], tuple[int, int, float], str]]:
        """Per suite and class: (suite, class, variants, [per group caught/must/rate], all, other counts)."""
        out = []
        keys = sorted({(o.suite, o.cls) for o in self.outcomes if o.suite in SUITES},
                      key=lambda r: (SUITES.index(r[0]), r[1]))
        for suite, cls in keys:
            c = self.count(suite=suite, cls=cls)
            other = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k not in MUST)
            out.append((suite, cls, sum(c.values()), [self.rate(self.count(suite=suite, cls=cls, group=g))
                                                      for g in GROUPS], self.rate(c), other))
        return out

    def summary(self) -> list[str]:
        lines = []
        flips = lambda g: self.rate(self.count("flip", group=g))  # noqa: E731
        paraphrases = lambda g: self.rate(self.count("paraphrase", group=g))  # noqa: E731
        for label, fn in (("false word claims (flips + paraphrases)", self.word_claims), ("  of them template flips", flips),
                          ("  of them paraphrases", paraphrases), ("numbers", self.numbers)):
            parts = []
            for g in (*GROUPS, None):
                caught, must, rate = fn(g)
                parts.append(f"{g or 'all'} {caught}/{must} = {rate:.2%}")
            lines.append(f"{label}: " + "; ".join(parts))
        for suite, what in (("clean", "clean articles"), ("paraphrase", "true paraphrases")):
            counts = [len(self.false_alarms(suite, g)) for g in GROUPS]
            lines.append(f"false alarms on {what}: at close {counts[0]}, intraday {counts[1]}")
        clean = self.count(suite="clean")
        lines.append(f"clean articles' own false claims (the template was wrong; not in the figures above): "
                     f"{clean['clean_false_flagged']} flagged, {clean['clean_false_missed']} not flagged")
        lines.append(f"markets: at close {self.markets('at close')}, intraday {self.markets('intraday')}; "
                     f"variants: flips {sum(self.count(suite='flip').values())}, paraphrase renderings "
                     f"{sum(self.count(suite='paraphrase').values())}, numbers {sum(self.count(suite='number').values())}"
                     + (f"; {self.seconds:.1f} s" if self.seconds else ""))
        return lines

    def table(self) -> str:
        """Per suite and class, at close and intraday: caught/must-catch, and the other counts."""
        head = f"{'suite':<11} {'class':<11} {'variants':>8}" + "".join(f" {g + ' caught/must':>24}" for g in GROUPS) + \
            f" {'all':>20}   other (both groups)"
        lines = [head, "-" * len(head)]
        for suite, cls, n, groups, total, other in self.rows():
            cells = "".join(f" {f'{c}/{m}':>15} {r:>7.1%}" if m else f" {'-':>24}" for c, m, r in groups)
            lines.append(f"{suite:<11} {cls:<11} {n:>8}{cells} {f'{total[0]}/{total[1]}':>12} {total[2]:>7.1%}   {other}")
        return "\n".join([*lines, "", *self.summary()])

    def markdown(self) -> str:
        """The table in Markdown, for the docs."""
        lines = ["| Suite | Class | Variants | At close caught / must-catch | Intraday caught / must-catch | All | Not counted |",
                 "|---|---|---:|---:|---:|---:|---|"]
        for suite, cls, n, groups, total, other in self.rows():
            cells = " | ".join(f"{c}/{m} ({r:.1%})" if m else "–" for c, m, r in groups)
            lines.append(f"| {suite} | {cls} | {n} | {cells} | {total[0]}/{total[1]} ({total[2]:.1%}) | {other or '–'} |")
        return "\n".join([*lines, "", *(f"- {line}" for line in self.summary())])

    def misses_by_shape(self, limit: int = 10) -> list[tuple[str, int, Outcome]]:
        by: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            if o.status == "missed" and o.suite != "number":
                by[f"{o.suite} {o.shape}"].append(o)
        ranked = sorted(by.items(), key=lambda kv: -len(kv[1]))[:limit]
        return [(k, len(v), v[0]) for k, v in ranked]

    def report(self, examples: int = 3, suites: tuple[str, ...] = ("flip", "paraphrase", "number", "clean"),
               statuses: tuple[str, ...] = ("missed", "false_alarm", "clean_false_alarm")) -> str:
        """The table, then per class the first few variants of ``statuses`` with their sentences."""
        out = [self.table(), ""]
        by: dict[tuple[str, str, str], list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            if o.status in statuses and o.suite in suites:
                by[(o.suite, o.cls, o.status)].append(o)
        for (suite, cls, status), items in sorted(by.items()):
            out.append(f"{suite} / {cls}: {len(items)} {status}")
            for o in items[:examples]:
                out.append(f"    [{o.shape}] {o.sentence}")
                out.append(f"        {o.note}  ({o.market})")
        out.append("")
        out.append("most common missed shapes (flips and paraphrases):")
        for shape, n, o in self.misses_by_shape():
            out.append(f"  {n:>5}  {shape}: {o.sentence}")
        return "\n".join(out)


def check_case_files() -> list[str]:
    """Problems in the case files themselves: an expression naming no predicate fails to parse at load; here,
    a flip case whose alternatives cannot all be told apart, or a paraphrase without its [claim] slot."""
    problems = []
    for case in flip_cases():
        if "claim" not in case.regex.groupindex:
            problems.append(f"{case.id}: no claim group")
        for alt in case.alternatives:
            if not predicates_used(alt.tree):
                problems.append(f"{case.id}: an alternative states nothing")
    for shape in paraphrase_shapes():
        if shape.text.count("[claim]") != 1:
            problems.append(f"{shape.id}: needs exactly one [claim]")
        if len(shape.alternatives) < 2:
            problems.append(f"{shape.id}: needs two alternatives or more")
    return problems
