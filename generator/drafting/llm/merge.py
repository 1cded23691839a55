"""Paragraph by paragraph: keep each paragraph of the model's that proves, the template's text elsewhere.

A per-section reply is proven a paragraph at a time, in order: the model's paragraph takes the place of the
draft's when the whole section still passes every rule and the fact-check with it, so one invented cause or a
misused placeholder costs that paragraph, not the section. Where the model returned a part with a different
number of paragraphs than the draft's, that part is one unit (its paragraphs cannot be paired with the
draft's). Section headings are fixed: the draft's, except the headline, whose heading is its text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.proof import Attempt
from generator.drafting.llm.reply import SectionDraft


class Unit(BaseModel):
    """Paragraphs of the draft and what the model wrote for them (None: its reply for them was unusable)."""

    model_config = ConfigDict(frozen=True)

    draft: list[str]
    model: list[str] | None
    why: str | None = None  # why the model wrote nothing usable


class Merged(BaseModel):
    """The section as kept: its Markdown (None: all template), where it came from, and what was refused."""

    model_config = ConfigDict(frozen=True)

    markdown: str | None
    origin: Literal["llm", "partial"] | None
    problems: list[str]


def units(parts: list[SectionDraft], replies: list[SectionDraft | str]) -> list[Unit]:
    """Pair the model's paragraphs with the draft's: one by one where a part kept their number, else the part."""
    out: list[Unit] = []
    for part, reply in zip(parts, replies, strict=True):
        if isinstance(reply, str):
            out.append(Unit(draft=part.paragraphs, model=None, why=reply))
        elif len(reply.paragraphs) == len(part.paragraphs):
            out += [Unit(draft=[d], model=[m]) for d, m in zip(part.paragraphs, reply.paragraphs, strict=True)]
        else:
            out.append(Unit(draft=part.paragraphs, model=reply.paragraphs))
    return out


def merge(name: str, draft: SectionDraft, parts: list[SectionDraft], replies: list[SectionDraft | str],
          prove: Callable[[SectionDraft], Attempt]) -> Merged:
    """The section with every model paragraph that proves in place of the draft's, in order."""
    if name == "headline":  # one unit: the headline is its heading
        reply = replies[0]
        if isinstance(reply, str):
            return Merged(markdown=None, origin=None, problems=[reply])
        got = prove(SectionDraft(heading=reply.heading, paragraphs=[]))
        return Merged(markdown=got.markdown, origin="llm" if got.markdown else None, problems=got.problems)
    pieces = units(parts, replies)
    chosen: list[list[str]] = [u.draft for u in pieces]
    markdown: str | None = None
    problems: list[str] = []
    taken = 0
    for i, unit in enumerate(pieces):
        if unit.model is None:
            problems.append(unit.why or "no reply")
            continue
        trial = [*chosen[:i], unit.model, *chosen[i + 1:]]
        got = prove(SectionDraft(heading=draft.heading, paragraphs=[q for c in trial for q in c]))
        if got.markdown is None:
            problems += [f"paragraph {i + 1}: {p}" for p in got.problems] if len(pieces) > 1 else got.problems
            continue
        chosen, markdown, taken = trial, got.markdown, taken + 1
    if markdown is None:
        return Merged(markdown=None, origin=None, problems=problems)
    return Merged(markdown=markdown, origin="llm" if taken == len(pieces) else "partial", problems=problems)
