"""The LLM stage: a model rewrites the prose sections; each is proven, repaired once, or replaced.

With ``llm_calls = article`` one call asks for every prose section at once; a
second call, only when needed, sends the failed sections back with their
findings. With ``section`` (small local models) each section is one short call
with only its own facts, and a failed section is not sent back. A section that
still fails, and every section when the model cannot be used at all (server
down, refusal, token cap), keeps the template's text. Nothing the model
writes reaches the article without passing the fact-check.
"""

from __future__ import annotations

import logging
import re
import time
from functools import partial
from pathlib import Path

from jinja2 import Environment
from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.cache import LLMCache
from generator.drafting.llm.calls import SECTION_CONTEXT, CallSize, choose_calls, probe_context, split_draft
from generator.drafting.llm.client import ChatReply, ChatRequest, LLMClient, response_format
from generator.drafting.llm.config import Calls, LLMConfig, Mode
from generator.drafting.llm.costs import Budget, CallRecord, Usage, estimate_tokens
from generator.drafting.llm.merge import merge
from generator.drafting.llm.prompts import (
    DEFAULT_KIND,
    SECTION_KINDS,
    Brief,
    FactLine,
    Failure,
    SectionBrief,
    make_prompt_environment,
    one_section_messages,
    repair_messages,
    section_messages,
)
from generator.drafting.llm.proof import Attempt, Check, SectionShape, prove, shape_of
from generator.drafting.llm.reply import (
    Allowed,
    ReplyError,
    SectionDraft,
    draft_as_reply,
    parse_reply,
    reply_schema,
)
from generator.drafting.llm.report import FROM_MODEL, LLMReport, SectionRecord
from generator.drafting.mentions import Mentions
from generator.drafting.placeholders import (
    PLACEHOLDER,
    fill,
    number_terms,
    placeholder_facts,
    placeholder_keys,
    without_placeholders,
)
from generator.drafting.template import PROSE_SECTIONS, Section, TemplateContext, assemble, render_section
from generator.errors import LLMBadReply, LLMError, LLMModeUnsupported
from generator.facts import FactSet

log = logging.getLogger("marketnews.llm")

# A per-section call's completion allowance: room for twice the draft's own length, plus the JSON around it, so
# a small model cannot run on for thousands of tokens.
SECTION_REPLY_FACTOR = 2
SECTION_REPLY_OVERHEAD = 128

class Plan(BaseModel):
    """The sections to rewrite and what the model may use."""

    model_config = ConfigDict(frozen=True)

    brief: Brief
    shapes: dict[str, SectionShape]
    offered: set[str]
    terms: set[str]


def plan(env: Environment, ctx: TemplateContext, seed: str, sections: list[Section], facts: FactSet) -> Plan:
    """Render each prose section's placeholder view; collect the facts and fixed terms it uses."""
    view_ctx = ctx.model_copy(update={"F": placeholder_facts(facts)})
    views: dict[str, str] = {}
    # What the template article said before each section: a view leaves out the figures its section did.
    mentions = Mentions(facts)
    for s in sections:
        if s.name in PROSE_SECTIONS and s.markdown.strip():
            view = render_section(env, s.name, view_ctx, seed, mentions=mentions.copy())
            # A template that builds numbers some other way cannot be shown as placeholders; keep it as is.
            if fill(view, facts) != s.markdown:
                log.warning("LLM: section %s cannot be shown with placeholders; keeping the template text", s.name)
            else:
                views[s.name] = view
        mentions.end(s.name, s.markdown)
    metrics_view = render_section(env, "metrics", view_ctx, seed)
    used = placeholder_keys("\n".join([*views.values(), metrics_view]))
    offered = [k for k in facts.facts if k in used and not k.startswith("sources.")]
    lines = [FactLine(key=k, label=facts[k].label, display=facts[k].display, context=facts[k].context) for k in offered]
    terms = number_terms("\n".join([*views.values(), metrics_view, *(facts[k].label for k in offered)]))

    shapes: dict[str, SectionShape] = {}
    briefs: list[SectionBrief] = []
    for name, view in views.items():
        prefix = f"{ctx.dateline}{{article.date}} — "
        shape = shape_of(name, view, prefix if name == "lead" and view.startswith(prefix) else "", ctx.S.direction)
        if not shape.words:
            continue  # a heading with nothing under it: nothing to rewrite
        text = view.removeprefix(shape.prefix)
        shapes[name] = shape
        briefs.append(SectionBrief(name=name, kind=SECTION_KINDS.get(name, DEFAULT_KIND), text=text))
    brief = Brief(asset_name=ctx.S.asset_name, facts=lines, terms=sorted(terms), sections=briefs)
    return Plan(brief=brief, shapes=shapes, offered=set(offered) | {"article.date"}, terms=terms)


# The structured-output modes from most to least constrained: where a server refuses one, the next is tried.
NEXT_MODE: dict[Mode, Mode] = {"json_schema": "json_object", "json_object": "text"}


class LLMStage:
    """Runs the stage for one article; holds the client, cache, budget and usage."""

    def __init__(self, config: LLMConfig, prompts_env: Environment, check: Check, client: LLMClient | None = None):
        self.config = config
        self.prompts = prompts_env
        self.check = check
        self.client = client or LLMClient(config)
        self.cache = LLMCache(config.cache_dir) if config.cache_dir else None
        self.budget = Budget(config.article_token_cap, config.daily_token_cap, config.ledger_dir)
        self.usage = Usage()
        self.mode = config.mode  # the next mode down when the server refuses this one (once per article)
        self.fallback_note: str | None = None

    def _request(self, purpose: str, messages: list[dict[str, str]], names: list[str],
                 max_tokens: int | None = None, allowed: Allowed | None = None) -> ChatRequest:
        return ChatRequest(
            purpose=purpose, model=self.config.model, messages=messages, temperature=self.config.temperature,
            max_tokens=max_tokens or self.config.max_tokens,
            response_format=response_format(self.mode, reply_schema(names, allowed), self.config.json_object_schema),
        )

    def ask(self, request: ChatRequest) -> ChatReply:
        """One reply, from the cache when the identical request was answered before."""
        key = request.cache_key()
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            log.info("LLM: %s answered from the cache", request.purpose)
            self.usage.calls.append(CallRecord(purpose=request.purpose, prompt_tokens=hit.prompt_tokens,
                                               completion_tokens=hit.completion_tokens, cached=True, seconds=0.0))
            return hit
        held = self.budget.reserve(estimate_tokens(request.prompt_chars(), request.max_tokens))
        start = time.monotonic()
        try:
            reply = self.client.complete(request)
        except BaseException:
            self.budget.settle(held, 0)  # a failed call is counted as spending nothing, as before
            raise
        finally:
            self.usage.http_attempts = self.client.attempts
        if not (reply.prompt_tokens or reply.completion_tokens):  # a server that reports no usage
            reply = reply.model_copy(update={"prompt_tokens": estimate_tokens(request.prompt_chars(), 0),
                                             "completion_tokens": estimate_tokens(len(reply.content), 0)})
        self.budget.settle(held, reply.prompt_tokens + reply.completion_tokens)
        self.usage.calls.append(CallRecord(purpose=request.purpose, prompt_tokens=reply.prompt_tokens,
                                           completion_tokens=reply.completion_tokens, cached=False,
                                           seconds=round(time.monotonic() - start, 3)))
        if self.cache is not None:
            self.cache.put(key, reply)
        return reply

    def drafts(self, purpose: str, messages: list[dict[str, str]], names: list[str],
               max_tokens: int | None = None, allowed: Allowed | None = None) -> dict[str, SectionDraft | str]:
        """Ask and read the reply: each section's draft, or why there is none (for all, if it cannot be read)."""
        reply: ChatReply | None = None
        try:
            try:
                reply = self.ask(self._request(purpose, messages, names, max_tokens, allowed))
            except LLMModeUnsupported as err:
                lower = NEXT_MODE.get(self.mode)
                if lower is None or self.fallback_note is not None:
                    raise
                self.fallback_note = f"{err}; used llm_mode = {lower} instead"
                log.warning("LLM: %s; trying llm_mode = %s for this article (set it to skip this call)", err, lower)
                self.mode = lower
                reply = self.ask(self._request(purpose, messages, names, max_tokens, allowed))
            return parse_reply(reply.content, names)
        except (ReplyError, LLMBadReply) as err:
            cut = ""
            if reply is not None and reply.finish_reason == "length":
                cut = f" (cut off at {max_tokens} tokens)" if max_tokens else \
                    f" (cut off at llm_max_tokens = {self.config.max_tokens})"
            log.warning("LLM: %s reply unusable: %s%s", purpose, err, cut)
            return {n: f"{err}{cut}" for n in names}

    def attempt(self, p: Plan, purpose: str, messages: list[dict[str, str]], names: list[str],
                facts: FactSet) -> dict[str, Attempt]:
        """Ask and prove; a reply that cannot be read fails every section it should have held."""
        return {name: self.proven(p, name, d, facts) for name, d in self.drafts(purpose, messages, names).items()}

    def proven(self, p: Plan, name: str, draft: SectionDraft | str, facts: FactSet) -> Attempt:
        """A draft composed, guarded and fact-checked as section ``name`` (a string: why there is none)."""
        if isinstance(draft, str):
            return Attempt(text="", markdown=None, problems=[draft])
        return prove(p.shapes[name], draft, facts, p.offered, p.terms, self.check)

    def calls_for(self, p: Plan) -> tuple[Calls, int | None]:
        """One call or one per section (llm_calls; auto: does the one call fit?), and the context if known."""
        context = None
        if self.config.context_probe is not None and self.config.base_url and self.config.calls != "article":
            context = probe_context(self.config.base_url, self.config.context_probe,
                                    self.config.api_key.get_secret_value())
        context = context or self.config.context_tokens
        if self.config.calls != "auto":
            return self.config.calls, context
        prompt = sum(len(m["content"]) for m in section_messages(self.prompts, p.brief))  # the one call's
        calls = choose_calls("auto", context, estimate_tokens(prompt, 0), self.config.max_tokens,
                             self.config.calls_without_context)
        return calls, context

    def run(self, p: Plan, facts: FactSet) -> tuple[dict[str, str], LLMReport]:
        """Markdown for each section the model wrote acceptably, and the record of every section."""
        names = [s.name for s in p.brief.sections]
        report = LLMReport(model=self.config.model, server=self.config.server, mode=self.config.mode)
        if not names:
            report.usage = self.usage.summary(self.config.price)
            return {}, report
        kept: dict[str, str] = {}
        reasons: dict[str, list[str]] = {n: [] for n in names}
        try:
            report.calls, context = self.calls_for(p)
            if report.calls == "article":
                self._whole(p, facts, kept, reasons, report)
            else:
                self._each(p, facts, kept, reasons, report, context)
        except LLMError as err:  # unavailable, refused, over budget, rejected: no further calls
            report.stopped = str(err)
            log.warning("LLM: %s; keeping the template text", err)
            for n in names:
                if n not in kept:
                    reasons[n] = [*reasons[n], str(err)]
        for n in names:
            if n not in kept:
                report.sections[n] = SectionRecord(origin="fallback", reasons=reasons[n])
                # A section whose only reason is the stop already said ("keeping the template text") is no news.
                quiet = report.stopped is not None and reasons[n] == [report.stopped]
                (log.info if quiet else log.warning)("LLM: section %s fell back to the template: %s", n,
                                                     "; ".join(reasons[n])[:500])
            else:
                log.info("LLM: section %s kept (%s)", n, report.sections[n].origin)
        report.usage = self.usage.summary(self.config.price)
        report.mode, report.mode_fallback = self.mode, self.fallback_note
        return kept, report

    def _whole(self, p: Plan, facts: FactSet, kept: dict[str, str], reasons: dict[str, list[str]],
               report: LLMReport) -> None:
        """One call for every section, then one repair call for those that failed."""
        names = list(reasons)
        first = self.attempt(p, "sections", section_messages(self.prompts, p.brief), names, facts)
        failed = [n for n in names if first[n].markdown is None]
        for n in names:
            if first[n].markdown is not None:
                kept[n] = first[n].markdown  # type: ignore[assignment]
                report.sections[n] = SectionRecord(origin="llm")
            reasons[n] = first[n].problems
        if not failed:
            return
        briefs = {s.name: s for s in p.brief.sections}
        failures = [Failure(name=n, kind=briefs[n].kind, text=briefs[n].text, previous=first[n].text or None,
                            problems=first[n].problems) for n in failed]
        # Only the facts the failed sections use or tried to use: the repair prompt stays short.
        keys = set(placeholder_keys("\n".join(f"{f.text}\n{f.previous or ''}" for f in failures)))
        brief = p.brief.model_copy(update={"facts": [f for f in p.brief.facts if f.key in keys]})
        second = self.attempt(p, "repair", repair_messages(self.prompts, brief, failures), failed, facts)
        for n in failed:
            if second[n].markdown is not None:
                kept[n] = second[n].markdown  # type: ignore[assignment]
                report.sections[n] = SectionRecord(origin="repaired", reasons=reasons[n])
            else:
                reasons[n] = [*reasons[n], *(f"repair: {r}" for r in second[n].problems)]

    def _each(self, p: Plan, facts: FactSet, kept: dict[str, str], reasons: dict[str, list[str]],
              report: LLMReport, context: int | None) -> None:
        """Short calls per section, each carrying only its own facts, a long section split by paragraphs so that
        every call fits the context; no repair round.

        Small models never rescued a section in the repair round (0 of 56 tried), and its prompt is the longest;
        instead each paragraph that proves is kept and the template's stands where one does not (merge.py). A
        stop (server down, budget) ends the loop; the sections done before it keep the model's text.
        """
        for section in p.brief.sections:
            draft = SectionDraft.model_validate(draft_as_reply(section.name, section.text))
            parts = split_draft(draft, partial(self._size, p, section), context or SECTION_CONTEXT)
            replies: list[SectionDraft | str] = []
            for i, part in enumerate(parts):
                purpose = f"section:{section.name}" + (f":{i + 1}" if len(parts) > 1 else "")
                messages, size, allowed = self._call(p, section, part)
                replies.append(self.drafts(purpose, messages, [section.name], size.reply, allowed)[section.name])
            result = merge(section.name, draft, parts, replies, partial(self.proven, p, section.name, facts=facts))
            if result.markdown is not None and result.origin is not None:
                kept[section.name] = result.markdown
                report.sections[section.name] = SectionRecord(origin=result.origin, reasons=result.problems,
                                                              sentences=result.sentences,
                                                              model_sentences=result.model_sentences)
            reasons[section.name] = result.problems

    def _size(self, p: Plan, section: SectionBrief, part: SectionDraft) -> CallSize:
        return self._call(p, section, part)[1]  # (the schema is not in the prompt's text: sent apart)

    def _call(self, p: Plan, section: SectionBrief,
              part: SectionDraft) -> tuple[list[dict[str, str]], CallSize, Allowed]:
        """The messages of one per-section call for ``part`` of the draft, its size in tokens, and what its reply
        may contain (the schema's constraint)."""
        text = "\n".join([part.heading, *part.paragraphs])
        keys = set(placeholder_keys(text))
        lines = [f for f in p.brief.facts if f.key in keys]
        terms = number_terms("\n".join([text, *(f.label for f in lines)]))
        one = section.model_copy(update={"text": text})
        brief = p.brief.model_copy(update={"sections": [one], "facts": lines, "terms": sorted(terms)})
        messages = one_section_messages(self.prompts, brief, part)
        reply = min(self.config.max_tokens, estimate_tokens(len(text) * SECTION_REPLY_FACTOR, SECTION_REPLY_OVERHEAD))
        # The forms the draft writes: "{x|abs}" only where the draft has it beside a direction word.
        forms = sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})
        # ... and its emphasis ("**Bullish:**" in scenarios), which the grammar's own characters exclude.
        marks = set(re.findall(r"\*+", without_placeholders(text)))
        allowed = Allowed(placeholders=forms, terms=sorted(terms | marks),
                          paragraphs=len(part.paragraphs) + 1 if part.paragraphs else 0)
        size = CallSize(prompt=estimate_tokens(sum(len(m["content"]) for m in messages), 0), reply=reply)
        return messages, size, allowed


def prove_article(
    env: Environment, sections: list[Section], templates: dict[str, Section], facts: FactSet, check: Check,
    report: LLMReport,
) -> list[Section]:
    """Check the assembled article; put the template text back in any model section it faults.

    Each section was proven on its own; this catches what only shows in context.
    """
    for _ in range(len(sections)):
        body = assemble(env, sections)
        bad = [m for m in check(body, facts).mentions if m.verdict != "verified"]
        culprits: dict[str, list[str]] = {}
        for s in sections:
            if s.origin not in FROM_MODEL or (start := body.find(s.markdown)) < 0:
                continue
            hits = [m for m in bad if start <= m.start < start + len(s.markdown)]
            if hits:
                culprits[s.name] = [f"in the whole article, fact-check {m.verdict}: {m.text!r}" for m in hits]
        if not culprits:
            break
        for name, why in culprits.items():
            log.warning("LLM: section %s fell back to the template: %s", name, "; ".join(why))
            report.sections[name] = SectionRecord(origin="fallback", reasons=[*report.sections[name].reasons, *why])
        sections = [templates[s.name].model_copy(update={"origin": "fallback", "note": "; ".join(
            report.sections[s.name].reasons)}) if s.name in culprits else s for s in sections]
    return sections


def run_llm_stage(
    env: Environment,
    ctx: TemplateContext,
    seed: str,
    sections: list[Section],
    facts: FactSet,
    config: LLMConfig,
    prompts_dir: Path | None,
    check: Check | None = None,
    client: LLMClient | None = None,
) -> tuple[list[Section], LLMReport]:
    """The whole stage for one article: rewrite, prove in context, say so in the automation line."""
    if check is None:
        from generator.factcheck import check_article

        check = check_article
    p = plan(env, ctx, seed, sections, facts)
    kept, report = LLMStage(config, make_prompt_environment(prompts_dir), check, client).run(p, facts)
    rewritten = []
    for s in sections:
        rec = report.sections.get(s.name)
        if rec is not None:
            note = "; ".join(rec.reasons) or None
            s = s.model_copy(update={"markdown": kept.get(s.name, s.markdown), "origin": rec.origin, "note": note})
        rewritten.append(s)
    if report.used:
        rewritten = prove_article(env, rewritten, {s.name: s for s in sections}, facts, check, report)
    if report.used:
        llm_ctx = ctx.model_copy(update={"llm_used": True})
        rewritten = [s.model_copy(update={"markdown": render_section(env, "automation", llm_ctx, seed)})
                     if s.name == "automation" else s for s in rewritten]
    return rewritten, report
