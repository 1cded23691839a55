"""What the LLM stage did for one article: per section where its text came from, and the calls it cost.

Light on purpose (no openai import): ``Draft``, ``GenerateResult`` and the CLI carry these models.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.costs import UsageSummary

# partial: some paragraphs are the model's, the rest the template's (per-section calls, merge.py).
Origin = Literal["llm", "partial", "repaired", "fallback"]
FROM_MODEL = ("llm", "partial", "repaired")


class SectionRecord(BaseModel):
    """Where one prose section's text came from, and why."""

    model_config = ConfigDict(frozen=True)

    origin: Origin
    reasons: list[str] = []
    # Per-section calls (merge.py): the section's sentences as kept, and how many of them are the model's.
    sentences: int | None = None
    model_sentences: int | None = None


class LLMReport(BaseModel):
    """What the LLM stage did for one article (factcheck.json's ``llm``)."""

    model: str
    server: str
    mode: str
    calls: Literal["article", "section"] | None = None  # one call for the article or one per section (llm_calls)
    sections: dict[str, SectionRecord] = {}
    usage: UsageSummary = UsageSummary()
    stopped: str | None = None  # why the model could not be used at all, if it could not
    mode_fallback: str | None = None  # the server refused llm_mode: why, and the mode used instead

    @property
    def used(self) -> bool:
        return any(r.origin in FROM_MODEL for r in self.sections.values())


class LLMSummary(BaseModel):
    """The stage in one line of figures: the article's front matter and ``generate``'s result."""

    model_config = ConfigDict(frozen=True)

    model: str
    server: str
    mode: str
    sections_from_model: int
    prose_sections: int
    chat_calls: int
    cached_calls: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float | None
    stopped: str | None = None

    @classmethod
    def of(cls, report: LLMReport) -> LLMSummary:
        u = report.usage
        origins = [r.origin for r in report.sections.values()]
        return cls(model=report.model, server=report.server, mode=report.mode,
                   sections_from_model=sum(o in FROM_MODEL for o in origins), prose_sections=len(origins),
                   chat_calls=u.chat_calls, cached_calls=u.cached_calls, prompt_tokens=u.prompt_tokens,
                   completion_tokens=u.completion_tokens, cost_usd=u.cost_usd, stopped=report.stopped)
