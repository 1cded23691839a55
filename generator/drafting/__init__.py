"""Drafting: the template stage (always) and, optionally, the LLM stage rewriting prose sections."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from generator.analysis import Analysis
from generator.drafting.llm.config import resolve_llm
from generator.drafting.llm.report import LLMReport
from generator.drafting.template import (
    LAYOUTS,
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
    llm: LLMReport | None = None  # what the LLM stage did, when it ran


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
    """Render the template article, then let the LLM rewrite its prose if one is configured.

    ``checked`` says whether the fact-check will gate the article.
    """
    env = make_environment(settings.templates_dir)
    ctx: TemplateContext = build_context(snapshot, analysis, facts, settings.dateline, settings.publication)
    ctx.checked = checked
    seed = article_seed(snapshot, kind)
    layout = LAYOUTS[kind]
    sections = render_sections(env, ctx, seed, layout=layout)
    report = None
    config = resolve_llm(settings) if layout.llm else None
    if config is not None:
        # Imported here: a template-only run must not load the openai SDK.
        from generator.drafting.llm.stage import run_llm_stage

        sections, llm_report = run_llm_stage(env, ctx, seed, sections, facts, config, settings.prompts_dir)
        report = llm_report
    title = next(s.markdown for s in sections if s.name == "headline")
    return Draft(title=title, sections=sections, body=assemble(env, sections, layout), llm=report)
