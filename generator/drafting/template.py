"""The template stage: renders every section of the article from templates/ with jinja2.

Templates receive facts (F), the story (S) and words; a template that tries to
print a raw number fails, so every number in an article is a fact's display text.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from pydantic import BaseModel, ConfigDict

from generator.analysis import Analysis
from generator.drafting.mentions import ACTIVE, Mentions
from generator.drafting.phrasing import Phrasing
from generator.drafting.story import LEVEL_NAMES, TIMEFRAME_WORDS, Story, read_story
from generator.errors import ConfigError
from generator.facts import Fact, FactSet, source_fact_key
from generator.paths import bundled_dir
from generator.snapshot import MarketSnapshot

SECTIONS = (
    "headline", "lead", "price_action", "market_structure", "metrics",
    "why_it_matters", "scenarios", "outlook", "disclaimer", "automation", "sources",
)
# The breaking-news shape: the last hour first, then context and a short table.
ALERT_SECTIONS = ("headline", "lead", "context", "metrics", "disclaimer", "automation", "sources")


class Layout(BaseModel):
    """How one article kind is laid out: its sections, its page template and where its own sections live."""

    model_config = ConfigDict(frozen=True)

    sections: tuple[str, ...]
    page: str  # the template that assembles the sections
    folder: str | None = None  # "<folder>/sections/<name>.md.j2" is tried before the shared "sections/<name>.md.j2"
    llm: bool = True  # whether the LLM stage (when configured) may rewrite its prose sections

    def section_templates(self, name: str) -> list[str]:
        shared = f"sections/{name}.md.j2"
        return [f"{self.folder}/{shared}", shared] if self.folder else [shared]


LAYOUTS: dict[str, Layout] = {
    "daily": Layout(sections=SECTIONS, page="article.md.j2"),
    # Alerts stay template-only: they go out within seconds of a poll, and the LLM stage's prompts and
    # placeholder views are written for the daily sections.
    "alert": Layout(sections=ALERT_SECTIONS, page="alert/article.md.j2", folder="alert", llm=False),
}
# Sections a language model may rewrite; the rest are data or legal text and stay template-only.
PROSE_SECTIONS = ("headline", "lead", "price_action", "market_structure", "why_it_matters", "scenarios", "outlook")


# How provider ids are named in an article's source list.
PROVIDER_NAMES = {
    "binance": "Binance", "binance_futures": "Binance USD-M Futures", "bittrex": "Bittrex", "bybit": "Bybit",
    "coinbase": "Coinbase Exchange", "coingecko": "CoinGecko", "coinglass": "CoinGlass", "kraken": "Kraken",
    "okx": "OKX", "alternative_me": "Alternative.me", "deribit": "Deribit",
}


def is_loopback_url(url: str | None) -> bool:
    """True for a URL on this machine (localhost, 127.0.0.0/8, ::1)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _source_label(what: str) -> str:
    tf, _, rest = what.partition(" ")
    if rest == "candles" and tf in TIMEFRAME_WORDS:
        return f"{TIMEFRAME_WORDS[tf].capitalize()} candles"
    return what[0].upper() + what[1:]


class Section(BaseModel):
    """One rendered section and where its text came from."""

    model_config = ConfigDict(frozen=True)

    name: str
    markdown: str
    origin: str = "template"  # template | llm | repaired | fallback
    note: str | None = None


def _finalize(value: Any) -> Any:
    if isinstance(value, Fact):
        if (mentions := ACTIVE.get()) is not None:
            mentions.printed(value.key)
        return value.display
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        raise TemplateError(f"template printed the raw number {value!r}; print a fact instead")
    return value


@functools.lru_cache(maxsize=16)
def make_environment(templates_dir: Path | None) -> Environment:
    """The jinja2 environment for a templates folder, made once per process: it caches compiled templates
    (compiling them is most of a template-only draft's time) and reloads a template whose file changed."""
    if templates_dir is not None and not Path(templates_dir).is_dir():
        # A mistyped folder would otherwise be skipped in silence and the bundled templates used instead.
        raise ConfigError(f"templates_dir {templates_dir} is not a folder (setting templates_dir)")
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(FileSystemLoader(str(bundled_dir("templates"))))
    return Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown output; HTML is sanitised after conversion
    )


def reflow(text: str) -> str:
    """Join a paragraph's template lines into one; keep tables, headings and list items apart."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            starts_new = line.startswith(("|", "#", "- ", "---")) or not lines or lines[-1].startswith(("|", "#"))
            if starts_new:
                lines.append(line)
            else:
                lines[-1] = f"{lines[-1]} {line}"
        if lines:
            # A block tag that trimmed a newline can glue two sentences: "territory.Funding".
            blocks.append("\n".join(re.sub(r"([.;!?])([A-Z])", r"\1 \2", re.sub(r" {2,}", " ", ln)) for ln in lines))
    return "\n\n".join(blocks)


class TemplateContext(BaseModel):
    """What a section template can see."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    F: FactSet
    S: Story
    dateline: str
    publication: str
    venue_funding: str | None
    venue_oi: str | None
    sources: list[dict[str, Any]]
    llm_used: bool = False
    checked: bool = False


def build_context(
    snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet, dateline: str | None, publication: str
) -> TemplateContext:
    sources = [
        {
            "what": _source_label(what),
            "provider": PROVIDER_NAMES.get(prov.provider, prov.provider),
            "illustrative": prov.provider == "illustrative",
            # A provider's API answered from this machine (the bundled replays' local replicas) is no source a
            # reader can follow, and its numbers are not the provider's: said so, without the dead link.
            "replica": is_loopback_url(prov.url),
            "url": None if is_loopback_url(prov.url) else prov.url,
            "fact": source_fact_key(what),
        }
        for what, prov in snapshot.sources()
    ]
    return TemplateContext(
        F=facts,
        S=read_story(snapshot, analysis, facts),
        dateline=f"{dateline.strip()}, " if dateline else "",
        publication=publication,
        venue_funding=snapshot.funding.venue if snapshot.funding else None,
        venue_oi=snapshot.open_interest.venue if snapshot.open_interest else None,
        sources=sources,
    )


def render_section(env: Environment, name: str, ctx: TemplateContext, seed: str,
                   layout: Layout = LAYOUTS["daily"], mentions: Mentions | None = None) -> str:
    """One section's Markdown; ``mentions`` carries what the sections before it said (mentions.py)."""
    phrasing = Phrasing(seed)
    story = ctx.S
    said = mentions or Mentions(ctx.F)

    def fig(key: str, form: str = "{}", back: str = "") -> str:
        """The figure in ``form`` while the prose has said it fewer than twice; then the back-reference."""
        if not said.fresh(key):
            return back
        said.printed(key)
        return form.format(ctx.F[key].display)

    def fig_abs(key: str, form: str = "{}", back: str = "") -> str:
        """As fig, with the figure unsigned (its way in the words: "Ether fell 4.10%")."""
        if not said.fresh(key):
            return back
        said.printed(key)
        return form.format(ctx.F[key].display_abs)

    def scope() -> str | None:
        """The liquidation venues, named once per section; "on those exchanges" after that."""
        if said.venues_named:
            return story.liquidation_scope_again
        said.venues_named = True
        return story.liquidation_scope

    def level_name(key: str) -> str:
        if key == "levels.broken":
            return "the broken support" if story.broke == "support" else "the cleared resistance"
        # A level crossed since the close lies between the price and the swing support (or resistance) on that
        # side: that one is then not the nearest.
        if key == "levels.support" and not story.support_nearest:
            return "the swing support"
        if key == "levels.resistance" and not story.resistance_nearest:
            return "the swing resistance"
        return LEVEL_NAMES[key]

    names = layout.section_templates(name)
    said.begin(name)
    token = ACTIVE.set(said)
    try:
        template = env.select_template(names)
        text = template.render(**dict(ctx), pick=phrasing.pick, level_name=level_name, fig=fig, fig_abs=fig_abs,
                                 scope=scope)
    except TemplateError as err:
        raise ConfigError(f"template {names[0]} failed: {err}") from None
    finally:
        ACTIVE.reset(token)
    text = reflow(text)
    said.end(name, text)
    # A section whose data is all missing renders as a bare heading: leave it out entirely.
    if all(line.startswith("#") for line in text.splitlines()):
        return ""
    return text


def render_sections(
    env: Environment, ctx: TemplateContext, seed: str, names: tuple[str, ...] | None = None,
    layout: Layout = LAYOUTS["daily"],
) -> list[Section]:
    mentions = Mentions(ctx.F)  # one for the article: a figure said twice is not printed a third time
    return [Section(name=n, markdown=render_section(env, n, ctx, seed, layout, mentions))
            for n in names or layout.sections]


def assemble(env: Environment, sections: list[Section], layout: Layout = LAYOUTS["daily"]) -> str:
    """The article body (no front matter) from rendered sections, empty ones dropped."""
    by_name = {s.name: s.markdown for s in sections}
    try:
        text = env.get_template(layout.page).render(sections=by_name)
    except TemplateError as err:
        raise ConfigError(f"template {layout.page} failed: {err}") from None
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
