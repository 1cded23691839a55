"""Broken variants of correct articles, for the perturbation suite.

Each perturbation returns variants (name, text, span): the changed text and the span (in the new
text) a fact-check failure must overlap for the variant to count as caught for the right reason.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from generator.factcheck import CheckReport, MentionResult


@dataclass(frozen=True)
class Variant:
    kind: str
    text: str
    span: tuple[int, int]
    note: str


Perturbation = Callable[[str, CheckReport, random.Random], Iterator[Variant]]
NUMERIC = ("money", "percent", "index", "number", "count", "duration", "date")


def _replace(text: str, start: int, end: int, new: str) -> tuple[str, tuple[int, int]]:
    return text[:start] + new + text[end:], (start, start + len(new))


def _numeric(report: CheckReport, kinds: tuple[str, ...] = NUMERIC) -> list[MentionResult]:
    return [m for m in report.mentions if m.kind in kinds and m.verdict == "verified" and re.search(r"\d", m.text)]


def change_digit(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """Change one digit of a number by at least 2 (a change of 1 in the last place can still round the same)."""
    for m in _numeric(report):
        digits = [i for i, ch in enumerate(m.text) if ch.isdigit()]
        i = rng.choice(digits)
        old = int(m.text[i])
        choices = [d for d in range(10) if abs(d - old) >= 2 and not (d == 0 and i == digits[0])]
        new = m.text[:i] + str(rng.choice(choices)) + m.text[i + 1 :]
        t, span = _replace(text, m.start, m.end, new)
        yield Variant("change_digit", t, span, f"{m.text} -> {new}")


def shift_decimal(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """Move the decimal point one place (or add a zero to an integer)."""
    for m in _numeric(report, ("money", "percent", "number")):
        num = re.search(r"\d[\d,]*(?:\.\d+)?", m.text)
        if num is None:
            continue
        raw = num.group().replace(",", "")
        if "." in raw:
            a, b = raw.split(".")
            shifted = f"{a}{b[0]}.{b[1:]}" if len(b) > 1 else f"{a}{b}"
        else:
            shifted = f"{raw[:-1]}.{raw[-1]}" if len(raw) > 1 and rng.random() < 0.5 else raw + "0"
        new = m.text[: num.start()] + shifted + m.text[num.end() :]
        t, span = _replace(text, m.start, m.end, new)
        yield Variant("shift_decimal", t, span, f"{m.text} -> {new}")


def swap_scale(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    for m in _numeric(report, ("money",)):
        for a, b in (("million", "billion"), ("billion", "million")):
            if a in m.text:
                new = m.text.replace(a, b)
                t, span = _replace(text, m.start, m.end, new)
                yield Variant("swap_scale", t, span, f"{m.text} -> {new}")


def swap_metrics(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """Swap the texts of two mentions of the same kind that state different facts with different values."""
    ms = [m for m in _numeric(report, ("money", "percent", "index", "number")) if m.fact]
    # The two ends of one range are left alone: "between $9,680 and $9,505" still says the same range.
    pairs = [(a, b) for i, a in enumerate(ms) for b in ms[i + 1 :]
             if a.kind == b.kind and a.fact != b.fact and a.expected != b.expected and a.text != b.text
             and b.start >= a.end and not re.fullmatch(r"\s*(?:[-–]|and|to)\s*", text[a.end : b.start])]
    rng.shuffle(pairs)
    for a, b in pairs[:12]:
        t = text[: a.start] + b.text + text[a.end : b.start] + a.text + text[b.end :]
        shift = len(b.text) - len(a.text)
        yield Variant("swap_metrics", t, (a.start, b.end + shift), f"{a.text} ({a.fact}) <-> {b.text} ({b.fact})")


_FLIPS = {
    "tumbled": "surged", "plunged": "jumped", "slumped": "rallied", "fell": "rose", "dropped": "climbed",
    "declined": "advanced", "surged": "tumbled", "jumped": "plunged", "rallied": "slumped", "rose": "fell",
    "climbed": "dropped", "advanced": "declined", "tumbles": "surges", "plunges": "jumps", "sinks": "soars",
    "falls": "rises", "slips": "climbs", "drops": "gains", "surges": "tumbles", "jumps": "plunges", "soars": "sinks",
    "rises": "falls", "climbs": "slips", "gains": "drops", "Down": "Up", "Up": "Down",
}


def flip_direction(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """Flip the direction word attached to the 24-hour change."""
    for m in report.mentions:
        if m.fact != "price.change_24h_pct" or m.verdict != "verified":
            continue
        before = text[max(0, m.start - 30) : m.start]
        words = list(re.finditer(r"\b(" + "|".join(_FLIPS) + r")\b", before))
        if not words:
            continue
        w = words[-1]
        start = m.start - len(before) + w.start()
        t, span = _replace(text, start, start + len(w.group()), _FLIPS[w.group()])
        yield Variant("flip_direction", t, (span[0], span[1] + (m.end - m.start) + (m.start - start - len(w.group()))),
                      f"{w.group()} -> {_FLIPS[w.group()]}")


HISTORY = (
    "In June 2022, the Celsius collapse saw over $1 billion in hourly liquidations.",
    "Back in March 2020, Bitcoin lost 39% in a single day.",
    "The 2021 peak of $69,000 remains the level bulls want back.",
    "Analysts note that the 200-day moving average sits at $41,250.",
    "Bitcoin's dominance rose to 52.3% during the week.",
)


def _paragraph_end(text: str, rng: random.Random) -> int:
    ends = [m.start() for m in re.finditer(r"[.!?](?=\n\n)", text)]
    ends = [e for e in ends if not text[:e].rstrip().endswith("|")]
    return rng.choice(ends[1:4] or ends) + 1


def invent_history(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    for sentence in HISTORY:
        at = _paragraph_end(text, rng)
        t, span = _replace(text, at, at, " " + sentence)
        yield Variant("invent_history", t, span, sentence)


QUOTES = (
    '"This looks like a textbook capitulation and the bottom may be close," said one analyst.',
    "According to a market strategist, the selling is almost over.",
    '"We are buying this dip," Jane Doe, head of research at Example Capital, told reporters.',
    "Traders say the market is oversold and due a bounce.",
)


def add_quote(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    for quote in QUOTES:
        at = _paragraph_end(text, rng)
        t, span = _replace(text, at, at, " " + quote)
        yield Variant("add_quote", t, span, quote)


def _swap_words(text: str, report: CheckReport, kind: str, table: dict[str, str], facts: tuple[str, ...]) \
        -> Iterator[Variant]:
    for m in report.mentions:
        if m.kind != "claim" or m.fact not in facts or m.verdict != "verified":
            continue
        word = text[m.start : m.end]
        for old, new in table.items():
            if re.search(rf"\b{old}\b", word):
                changed = re.sub(rf"\b{old}\b", new, word, count=1)
                t, span = _replace(text, m.start, m.end, changed)
                yield Variant(kind, t, span, f"{word} -> {changed}")
                break


def rsi_band(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """oversold <-> overbought; "above the overbought threshold" -> "below ..." (swapping only the band
    word there would still be true: an RSI of 76 is above the oversold threshold)."""
    table = {"above the": "below the", "below the": "above the", "oversold": "overbought", "overbought": "oversold",
             "Oversold": "Overbought", "Overbought": "Oversold"}
    facts = tuple(m.fact for m in report.mentions if m.fact and m.fact.startswith("technicals.rsi_"))
    yield from _swap_words(text, report, "rsi_band", table, facts)
    # A neutral reading called oversold (or overbought when it is below 30 anyway).
    for m in re.finditer(r"RSI stands at (\d+), (in neutral territory|showing no momentum extreme)", text):
        word = "overbought" if int(m.group(1)) < 30 else "oversold"
        t, span = _replace(text, m.start(2), m.end(2), f"in {word} territory")
        yield Variant("rsi_band", t, span, f"{m.group(2)} -> in {word} territory")
    for m in re.finditer(r"\| RSI \([^|]*\| (\d+) \| (Neutral) \|", text):
        word = "Overbought" if int(m.group(1)) < 30 else "Oversold"
        t, span = _replace(text, m.start(2), m.end(2), word)
        yield Variant("rsi_band", t, span, f"Neutral -> {word} (table)")


def fear_greed_band(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    table = {"Extreme Fear": "Greed", "Extreme Greed": "Fear", "Fear": "Greed", "Greed": "Fear", "Neutral": "Extreme Greed"}
    yield from _swap_words(text, report, "fear_greed_band", table, ("sentiment.fear_greed",))


def level_side(text: str, report: CheckReport, rng: random.Random) -> Iterator[Variant]:
    """Put a level on the wrong side of the price: 'X below' -> 'X above', 'sits above the price' -> 'below'."""
    for m in report.mentions:
        if m.verdict != "verified" or not (m.fact or "").startswith("levels."):
            continue
        if m.kind == "money":
            after = re.match(r"\s+(above|below)\b", text[m.end : m.end + 8])
            if after:
                a = m.end + after.start(1)
                new = "below" if after.group(1) == "above" else "above"
                t, _ = _replace(text, a, a + len(after.group(1)), new)
                yield Variant("level_side", t, (m.start, a + len(new)), f"{m.text} {after.group(1)} -> {new}")
        elif m.kind == "claim" and re.search(r"\b(above|below|overhead)\b", m.text):
            word = re.search(r"\b(above|below|overhead)\b", m.text)
            assert word is not None
            new = {"above": "below", "below": "above", "overhead": "below the price"}[word.group(1)]
            a = m.start + word.start(1)
            t, _ = _replace(text, a, a + len(word.group(1)), new)
            yield Variant("level_side", t, (m.start, m.end + len(new) - len(word.group(1))), f"{m.text}: -> {new}")


PERTURBATIONS: tuple[Perturbation, ...] = (
    change_digit, shift_decimal, swap_scale, swap_metrics, flip_direction, invent_history, add_quote, rsi_band,
    fear_greed_band, level_side,
)


NAMING_GAP = 3  # "| Broken resistance | $6,683 |": the row's label names the figure across " | "


def caught(report: CheckReport, span: tuple[int, int]) -> bool:
    """True when some failure overlaps the changed span, or lies on the words right before or after it that name the
    changed figure (an error is reported on the words that are wrong: docs/factcheck.md)."""
    a, b = span
    return any(r.start < b + NAMING_GAP and a - NAMING_GAP < r.end for r in report.failures)
