"""Drafting: the template stage (always) and, optionally, the LLM stage rewriting prose sections."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from generator.analysis import Analysis
from generator.drafting.template import (
    PROSE_SECTIONS,
    SECTIONS,
    Section,
    TemplateContext,
    assemble,
    build_context,
    make_environment,
    render_sections,
)
from generator.facts import FactSet
from generator.settings import Settings
from generator.snapshot import MarketSnapshot

__all__ = ["Draft", "PROSE_SECTIONS", "SECTIONS", "Section", "draft_article"]


class Draft(BaseModel):
    """A drafted article: its sections and the assembled Markdown body."""

    model_config = ConfigDict(frozen=True)

    title: str
    sections: list[Section]
    body: str


def article_seed(snapshot: MarketSnapshot, kind: str) -> str:
    """Identity of an article for deterministic phrasing: same data, same article."""
    return f"{snapshot.asset}|{snapshot.as_of.isoformat()}|{kind}|{snapshot.price.current!r}"


def draft_article(
    snapshot: MarketSnapshot,
    analysis: Analysis,
    facts: FactSet,
    settings: Settings,
    kind: str = "daily",
    checked: bool = False,
) -> Draft:
    """Render the template article; ``checked`` says whether the fact-check will gate it."""
    env = make_environment(settings.templates_dir)
    ctx: TemplateContext = build_context(snapshot, analysis, facts, settings.dateline, settings.publication)
    ctx.checked = checked
    sections = render_sections(env, ctx, article_seed(snapshot, kind))
    title = next(s.markdown for s in sections if s.name == "headline")
    return Draft(title=title, sections=sections, body=assemble(env, sections))
