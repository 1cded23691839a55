"""Turning one section the model wrote into Markdown, and proving it.

A section passes only if its own words break no rule (guard.py), every
placeholder is a fact it was offered, and the fact-check verifies every number
in the filled-in text. Anything else yields the problems, worded for the
repair prompt and the article's record.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.guard import direction_problems, prose_problems, sign_problems
from generator.drafting.llm.reply import SectionDraft
from generator.drafting.placeholders import PlaceholderError, fill, placeholder_keys
from generator.facts import FactSet

if TYPE_CHECKING:
    from generator.factcheck import CheckReport

# generator.factcheck.check_article; a parameter so tests can put a context-dependent finding in its place.
Check = Callable[[str, FactSet], "CheckReport"]

MAX_HEADLINE_CHARS = 140
# A rewrite must keep the substance of the draft: at least this share of its facts and of its length.
MIN_FACT_SHARE = 0.5
MIN_WORD_SHARE = 0.4
MIN_PARAGRAPH_WORDS = 5


class SectionShape(BaseModel):
    """How a section is laid out, read off the template's own text."""

    model_config = ConfigDict(frozen=True)

    name: str
    heading: str | None  # the template's "## ..." heading, or None (headline, lead)
    title: bool  # the headline: one line, no paragraphs
    bullets: bool  # paragraphs are list items ("- ...")
    prefix: str = ""  # text put before the first paragraph (the lead's dateline), placeholders allowed
    keys: list[str] = []  # the facts the template's text uses
    words: int = 0  # the template text's length in words, heading and prefix excluded
    direction: str | None = None  # the price's 24-hour direction, which the headline must not contradict


class Attempt(BaseModel):
    """One try at a section: the Markdown when it passed, else the problems."""

    model_config = ConfigDict(frozen=True)

    text: str  # the model's text, placeholders in (shown back to it for repair)
    markdown: str | None
    problems: list[str]


def shape_of(name: str, view: str, prefix: str = "", direction: str | None = None) -> SectionShape:
    """The layout of a section, from its placeholder view."""
    first = view.strip().splitlines()[0] if view.strip() else ""
    heading = first[3:].strip() if first.startswith("## ") else None
    body = view.strip().removeprefix(first).strip() if heading is not None else view.removeprefix(prefix)
    bullets = any(line.startswith("- ") for line in view.splitlines())
    return SectionShape(name=name, heading=heading, title=name == "headline", bullets=bullets, prefix=prefix,
                        keys=placeholder_keys(body), words=len(body.split()),
                        direction=direction if name == "headline" else None)


def substance_problems(shape: SectionShape, text: str, paragraphs: list[str]) -> list[str]:
    """What the rewrite dropped: most of the draft's facts, most of its length, or whole sentences."""
    problems = []
    used = set(placeholder_keys(text))
    kept = [k for k in shape.keys if k in used]
    if shape.keys and len(kept) < MIN_FACT_SHARE * len(shape.keys):
        missing = ", ".join("{" + k + "}" for k in shape.keys if k not in used)
        problems.append(f"drops most of the draft's facts (uses {len(kept)} of {len(shape.keys)}; missing {missing})")
    if shape.title:
        return problems
    words = sum(len(p.split()) for p in paragraphs)
    if words < MIN_WORD_SHARE * shape.words:
        problems.append(f"is too short ({words} words where the draft has {shape.words})")
    # A draft that is itself one short sentence ("Bitcoin traded at {price.current}.") sets the bar lower.
    shortest = min(MIN_PARAGRAPH_WORDS, shape.words)
    if any(len(p.split()) < shortest or not p.rstrip("*").endswith((".", "!", "?")) for p in paragraphs):
        problems.append("has a paragraph that is not a full sentence")
    return problems


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def compose(shape: SectionShape, draft: SectionDraft) -> tuple[str, list[str], list[str]]:
    """The section's Markdown with placeholders still in, its paragraphs, and problems with its layout."""
    paragraphs = [_clean(p) for p in draft.paragraphs if _clean(p)]
    heading = _clean(draft.heading).lstrip("#").strip()
    # Models often repeat the heading as a Markdown line inside the paragraphs.
    while paragraphs and paragraphs[0].startswith("#") and not shape.title:
        heading = heading or paragraphs[0].lstrip("#").strip()
        paragraphs.pop(0)
    if shape.title:
        title = (heading or (paragraphs[0] if len(paragraphs) == 1 else "")).rstrip(".")
        if not title:
            return "", [], ["the headline is empty"]
        if len(title) > MAX_HEADLINE_CHARS:
            return title, [], [f"the headline is longer than {MAX_HEADLINE_CHARS} characters"]
        return title, [], []
    if not paragraphs:
        return "", [], ["the section has no paragraphs"]
    if shape.bullets:
        body = "\n".join("- " + re.sub(r"^[-*•]\s+", "", p) for p in paragraphs)
    else:
        body = "\n\n".join(paragraphs)
    body = shape.prefix + body
    if shape.heading is None:
        return body, paragraphs, []
    return f"## {heading or shape.heading}\n\n{body}", paragraphs, []


def mention_problems(report: CheckReport) -> list[str]:
    """The fact-check's findings that are not 'verified', one line each."""
    out = []
    for m in report.mentions:
        if m.verdict == "verified":
            continue
        detail = f" ({m.reason})" if m.reason else ""
        out.append(f"fact-check {m.verdict}: {m.text!r}{detail}")
    return out


def prove(
    shape: SectionShape, draft: SectionDraft, facts: FactSet, offered: set[str], terms: set[str], check: Check
) -> Attempt:
    """Compose, guard, fill and fact-check one section."""
    text, paragraphs, problems = compose(shape, draft)
    # The model's own words: no Markdown structure, no dateline (ours, not its).
    own_words = re.sub(r"^(## |- )", "", text.replace(shape.prefix, "", 1) if shape.prefix else text, flags=re.M)
    problems += prose_problems(own_words, terms)
    problems += substance_problems(shape, own_words, paragraphs)
    negative = {f.key for f in facts if isinstance(f.value, float | int) and f.value < 0}
    problems += sign_problems(own_words, negative)
    if shape.title:
        problems += direction_problems(text, shape.direction)
    try:
        markdown = fill(text, facts, offered)
    except PlaceholderError as err:
        problems.append(str(err))
        markdown = None
    if problems or markdown is None:
        return Attempt(text=text, markdown=None, problems=problems)
    problems = mention_problems(check(markdown, facts))
    return Attempt(text=text, markdown=None if problems else markdown, problems=problems)
