"""The messages sent to the model, rendered from prompts/*.md.j2 (user-overridable via prompts_dir)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.reply import SectionDraft, reply_example
from generator.errors import ConfigError
from generator.paths import bundled_dir

# How each section is to be written, as the prompt tells the model.
SECTION_KINDS = {
    "headline": "one-line headline, no full stop",
    "lead": "paragraphs, no heading; the dateline is added for you",
    "scenarios": "heading, then one paragraph per scenario",
}
DEFAULT_KIND = "heading, then paragraphs"


class FactLine(BaseModel):
    """One fact as the model sees it."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str
    display: str
    context: str | None = None


class SectionBrief(BaseModel):
    """One section to rewrite: its name, how it is written and the template's text with placeholders."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    text: str


class Failure(BaseModel):
    """A section sent back for repair."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: str
    text: str
    previous: str | None
    problems: list[str]


class Brief(BaseModel):
    """What the model is given: the facts it may use, the fixed terms, the sections."""

    model_config = ConfigDict(frozen=True)

    asset_name: str
    facts: list[FactLine]
    terms: list[str]
    sections: list[SectionBrief]


def make_prompt_environment(prompts_dir: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(prompts_dir))] if prompts_dir else []
    loaders.append(FileSystemLoader(str(bundled_dir("prompts"))))
    return Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, autoescape=False)


def _render(env: Environment, name: str, **context: object) -> str:
    try:
        text = env.get_template(name).render(**context)
    except TemplateError as err:
        raise ConfigError(f"prompt {name} failed: {err}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _messages(env: Environment, brief: Brief, user: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": _render(env, "system.md.j2", terms=brief.terms)},
            {"role": "user", "content": user}]


def section_messages(env: Environment, brief: Brief) -> list[dict[str, str]]:
    """The first call: every prose section at once."""
    names = [s.name for s in brief.sections]
    user = _render(env, "sections.md.j2", asset_name=brief.asset_name, facts=brief.facts,
                   sections=brief.sections, example=reply_example(names))
    return _messages(env, brief, user)


def one_section_messages(env: Environment, brief: Brief, part: SectionDraft) -> list[dict[str, str]]:
    """A per-section call: the one section in ``brief`` with its own facts, its draft (or the ``part`` of it this
    call rewrites) shown as the reply's own JSON rather than as slots."""
    (section,) = brief.sections
    example = json.dumps({section.name: part.model_dump()}, ensure_ascii=False)
    user = _render(env, "section.md.j2", asset_name=brief.asset_name, facts=brief.facts, section=section,
                   example=example)
    return _messages(env, brief, user)


def repair_messages(env: Environment, brief: Brief, failures: list[Failure]) -> list[dict[str, str]]:
    """The repair call: only the failed sections, each with what was wrong."""
    user = _render(env, "repair.md.j2", asset_name=brief.asset_name, facts=brief.facts, failures=failures,
                   example=reply_example([f.name for f in failures]))
    return _messages(env, brief, user)
