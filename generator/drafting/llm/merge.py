"""Paragraph by paragraph, then sentence by sentence: keep what of the model's proves, the template's elsewhere.

A per-section reply is proven a paragraph at a time, in order: the model's paragraph takes the place of the
draft's when the whole section still passes every rule and the fact-check with it, so one invented cause or a
misused placeholder costs that paragraph, not the section. A paragraph that fails as a whole is tried a sentence
at a time when it has as many sentences as the draft's (then they pair one to one): each model sentence that
proves in place of its draft sentence is kept, so the invented cause costs one sentence. Where the model returned
a part with a different number of paragraphs (or a paragraph with a different number of sentences) than the
draft's, that part is one unit: its pieces cannot be paired with the draft's. Section headings are fixed: the
draft's, except the headline, whose heading is its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.proof import Attempt
from generator.drafting.llm.reply import SectionDraft
from generator.drafting.placeholders import placeholder_keys, without_placeholders


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
    sentences: int = 0  # sentences of the section as kept
    model_sentences: int = 0  # ... of them the model's


# A sentence ends at ".", "!" or "?" before a space and a capital, a placeholder or emphasis. Placeholders hold
# dots but no spaces ("{price.current}"), and a draft has no figures of its own to split ("$7.9").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z{*(])")


def sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, in order."""
    return [s for s in _SENTENCE_END.split(paragraph.strip()) if s]


# A model sentence without a fact must say what a draft sentence says: at least this share of that sentence's
# words of four letters or more ("a swing low is now supported, and it's back to the starting point" says
# nothing the draft says; "Sentiment remains in extreme fear" -> "The mood stays at extreme fear" does).
PARAPHRASE_SHARE = 0.3
_WORD = re.compile(r"[a-z]{4,}")


def _words(sentence: str) -> set[str]:
    return set(_WORD.findall(without_placeholders(sentence).lower()))


def carries(sentence: str, draft: str) -> bool:
    """Whether a model sentence stands for a draft sentence: it states every fact the draft sentence states and,
    where that one states none, says what it says."""
    keys = set(placeholder_keys(draft))
    if keys:
        return keys <= set(placeholder_keys(sentence))
    words = _words(draft)
    return bool(words) and len(_words(sentence) & words) >= PARAPHRASE_SHARE * len(words)


def unbacked(model: list[str], draft: list[str]) -> list[str]:
    """The model's sentences that carry no fact and paraphrase no sentence of the draft's (one problem each)."""
    theirs = [t for q in draft for t in sentences(q)]
    out = []
    for q in model:
        for sentence in sentences(q):
            if placeholder_keys(sentence) or any(carries(sentence, t) for t in theirs if not placeholder_keys(t)):
                continue
            out.append(f"states nothing the data or the draft backs: {sentence!r}")
    return out


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
        title = prove(SectionDraft(heading=reply.heading, paragraphs=[]))
        return Merged(markdown=title.markdown, origin="llm" if title.markdown else None, problems=title.problems)
    pieces = units(parts, replies)
    chosen: list[list[str]] = [u.draft for u in pieces]
    # Per unit: (sentences, of them the model's), counted as kept.
    counts = [(sum(len(sentences(q)) for q in u.draft), 0) for u in pieces]
    markdown: str | None = None
    problems: list[str] = []
    taken = 0

    def proves(trial: list[list[str]]) -> tuple[str | None, list[str]]:
        got = prove(SectionDraft(heading=draft.heading, paragraphs=[q for c in trial for q in c]))
        return got.markdown, got.problems

    for i, unit in enumerate(pieces):
        where = f"paragraph {i + 1}: " if len(pieces) > 1 else ""
        if unit.model is None:
            problems.append(unit.why or "no reply")
            continue
        trial = [*chosen[:i], unit.model, *chosen[i + 1:]]
        got, why = proves(trial) if not (loose := unbacked(unit.model, unit.draft)) else (None, loose)
        if got is not None:
            n = sum(len(sentences(q)) for q in unit.model)
            chosen, markdown, taken, counts[i] = trial, got, taken + 1, (n, n)
            continue
        problems += [where + p for p in why]
        mine, theirs = (sentences(unit.model[0]), sentences(unit.draft[0])) if len(unit.draft) == len(unit.model) == 1 \
            else ([], [])
        if len(mine) != len(theirs) or len(mine) < 2:
            continue  # nothing smaller to pair: the paragraph is the template's
        current = list(theirs)
        for k, sentence in enumerate(mine):
            if not carries(sentence, theirs[k]):
                continue  # (its pair says something else: kept, it would drop what the draft's sentence says)
            attempt = [*current[:k], sentence, *current[k + 1:]]
            got, why = proves([*chosen[:i], [" ".join(attempt)], *chosen[i + 1:]])
            if got is not None:
                current, markdown = attempt, got
                counts[i] = (counts[i][0], counts[i][1] + 1)
        chosen = [*chosen[:i], [" ".join(current)], *chosen[i + 1:]]
    total, own = sum(c[0] for c in counts), sum(c[1] for c in counts)
    if markdown is None or not own:
        return Merged(markdown=None, origin=None, problems=problems, sentences=total)
    return Merged(markdown=markdown, origin="llm" if taken == len(pieces) else "partial", problems=problems,
                  sentences=total, model_sentences=own)
