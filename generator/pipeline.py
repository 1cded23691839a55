"""generate: snapshot -> analysis -> facts -> draft -> check -> files. The library call behind the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from generator import __version__
from generator.analysis import Analysis, analyze
from generator.desk.actions import is_proposal, is_registered, register_generated
from generator.drafting import Draft, draft_article
from generator.drafting.llm.report import LLMSummary
from generator.drafting.template import make_environment
from generator.errors import InputError, MarketnewsError
from generator.factcheck import CheckReport, check_article
from generator.factcheck.report import Summary
from generator.facts import FactSet, build_facts
from generator.html import article_page
from generator.kinds import article_name
from generator.output import incoming_dir, promote_dir, proposal_dir, write_article_dir
from generator.settings import Settings
from generator.snapshot import MarketSnapshot, load_snapshot


class GenerateResult(BaseModel):
    """What generate wrote and whether the article may be published."""

    model_config = ConfigDict(frozen=True)

    path: Path
    status: str  # draft | blocked
    title: str
    files: list[str]
    factcheck: Summary | None
    draft_id: int | None = None  # the article's id in the desk store
    proposed_revision: int | None = None  # set when the new text only waits beside an editor's version
    llm: LLMSummary | None = None  # the LLM stage's summary, when it ran


class SectionOrigin(BaseModel):
    """Where one section's text came from (template, llm, repaired, fallback) and why."""

    model_config = ConfigDict(frozen=True)

    origin: str
    reasons: list[str] = []


def run_analysis(snapshot: MarketSnapshot, settings: Settings) -> Analysis:
    return analyze(
        snapshot,
        timeframe=settings.analysis_timeframe,
        rsi_period=settings.rsi_period,
        fib_lookback=settings.fib_lookback,
        level_lookback=settings.level_lookback,
        swing_strength=settings.swing_strength,
        level_tolerance_pct=settings.level_tolerance_pct,
        fvg_min_size_pct=settings.fvg_min_size_pct,
        options_min_expiry_share_pct=settings.options_min_expiry_share_pct,
    )


def article_dir(out: Path, snapshot: MarketSnapshot, kind: str) -> Path:
    """output/<date>/<asset>-<kind>/ (date of as_of, UTC); alerts add the minute: <asset>-alert-<HHMM>/."""
    return out / f"{snapshot.as_of:%Y-%m-%d}" / article_name(snapshot.asset, kind, snapshot.as_of)


def section_record(draft: Draft) -> dict[str, SectionOrigin]:
    """Per section: where its text came from and, for LLM sections, why it was repaired or fell back."""
    llm_sections = draft.llm.sections if draft.llm is not None else {}
    return {s.name: SectionOrigin(origin=s.origin, reasons=rec.reasons if (rec := llm_sections.get(s.name)) else [])
            for s in draft.sections}


def llm_summary(draft: Draft) -> LLMSummary | None:
    """Model, calls, tokens and cost of the LLM stage (None when it did not run)."""
    return LLMSummary.of(draft.llm) if draft.llm is not None else None


def _summary_dict(summary: LLMSummary) -> dict[str, object]:
    # "stopped" is written only when the stage stopped, as before the model existed.
    return summary.model_dump(mode="json", exclude=None if summary.stopped else {"stopped"})


def front_matter(draft: Draft, snapshot: MarketSnapshot, kind: str, status: str, check: CheckReport) -> str:
    reasons = {name: rec.reasons for name, rec in section_record(draft).items() if rec.reasons}
    meta = {
        "title": draft.title,
        "date": snapshot.as_of.isoformat().replace("+00:00", "Z"),
        "asset": snapshot.asset,
        "quote": snapshot.quote,
        "kind": kind,
        "status": status,
        "factcheck": {"status": check.status, **check.summary.model_dump()},
        "sections": {s.name: s.origin for s in draft.sections},
        **({"section_reasons": reasons} if reasons else {}),
        **({"llm": _summary_dict(summary)} if (summary := llm_summary(draft)) is not None else {}),
        "generator": f"marketnews {__version__}",
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n\n"


def facts_for(snapshot: MarketSnapshot, settings: Settings) -> tuple[Analysis, FactSet]:
    """The analysis and facts of a snapshot under the settings' analysis parameters."""
    analysis = run_analysis(snapshot, settings)
    return analysis, build_facts(snapshot, analysis)


def snapshot_with_analysis(snapshot: MarketSnapshot, analysis: Analysis) -> str:
    data = json.loads(snapshot.model_dump_json())
    data["analysis"] = json.loads(analysis.model_dump_json())
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def with_chart(draft: Draft, snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet, settings: Settings,
               files: dict[str, bytes]) -> Draft:
    """Render chart.png into ``files`` and return the draft with the chart embedded after the lead."""
    from generator.chart import CHART_FILE, embed_chart, render_chart  # matplotlib only when asked for

    image = render_chart(snapshot, analysis, facts, settings.chart_candles)
    files[CHART_FILE] = image.png
    return draft.model_copy(update={"body": embed_chart(draft.body, image.alt, CHART_FILE)})


BLOCKED_BANNER = ("> **Blocked by the fact-check: not for publication.** Some statements in this draft are not "
                  "backed by the data it was written from; factcheck.json lists each one with its reason.\n\n")
_CHECKED_CLAIM = " and was checked against it before publication"  # templates/sections/automation.md.j2
_CHECK_FAILED = "; the fact-check could not prove all of it, so this draft is blocked"


def blocked_body(body: str) -> str:
    """A blocked draft's text as written to its files: a banner under the title, and a footer that does not say
    it was checked before publication."""
    body = body.replace(_CHECKED_CLAIM, _CHECK_FAILED)
    head, sep, rest = body.partition("\n\n")
    if head.startswith("# ") and sep:
        return head + sep + BLOCKED_BANNER + rest
    return BLOCKED_BANNER + body


def generate(
    snapshot: MarketSnapshot,
    settings: Settings,
    kind: str = "daily",
    out: Path | None = None,
    extra_files: dict[str, bytes] | None = None,
) -> GenerateResult:
    """Draft the article, fact-check it and write its files atomically; any failed mention blocks the draft."""
    analysis, facts = facts_for(snapshot, settings)
    draft = draft_article(snapshot, analysis, facts, settings, kind, checked=True)
    extra = dict(extra_files or {})
    if settings.chart:
        draft = with_chart(draft, snapshot, analysis, facts, settings, extra)
    report = check_article(draft.body, facts)
    status = "draft" if report.passed else "blocked"
    matter = front_matter(draft, snapshot, kind, status, report)
    body_report = report  # spans into draft.body: what the desk stores as the first revision
    report = report.shifted(len(matter))  # spans point into article.md as written
    written = draft.body
    if not report.passed:
        # The files of a blocked draft say so where a reader starts, and do not claim a check it failed; the
        # report is made again on that text so its spans point into article.md as written. (The desk keeps the
        # draft's own body: an editor's corrections make the footer true again.)
        written = blocked_body(draft.body)
        report = check_article(written, facts).shifted(len(matter))
    record = report.model_dump_json(indent=2)
    if draft.llm is not None:  # the LLM stage's per-section record and calls, beside the mentions
        sections = {name: rec.model_dump(mode="json") for name, rec in section_record(draft).items()}
        record = json.dumps({**json.loads(record), "sections": sections, "llm": draft.llm.model_dump(mode="json")},
                            indent=2,
                            ensure_ascii=False)
    env = make_environment(settings.templates_dir)
    files: dict[str, bytes] = {
        "article.md": (matter + written).encode(),
        "article.html": article_page(env, draft.title, written).encode(),
        "snapshot.json": snapshot_with_analysis(snapshot, analysis).encode(),
        "factcheck.json": (record + "\n").encode(),
        **extra,
    }
    dest = article_dir(out or settings.output_dir, snapshot, kind)
    # On the desk already: the files wait beside the article's folder until the desk says whether the new text
    # replaces the old or is only proposed (an editor worked on it); a proposal must not change the chart or
    # front matter that the current, perhaps published, text is sent with.
    # They go to a folder of their own first: writing them straight into <name>.proposed would overwrite the
    # files of a proposal already waiting when this run turns out to repeat the current text.
    known = is_registered(settings, out, snapshot, kind)
    written_to = write_article_dir(incoming_dir(dest) if known else dest, files)
    try:
        article = register_generated(settings, out, dest, snapshot, kind, draft, facts, body_report, sorted(files),
                                     contents=files)
    except MarketnewsError:
        if known:  # the error says the article's folder was written: so it is
            promote_dir(written_to, dest)
        raise
    proposed = known and is_proposal(settings, out, article, draft.body)
    if known:
        staged, written_to = written_to, proposal_dir(dest) if proposed else dest
        promote_dir(staged, written_to)
    return GenerateResult(path=written_to, status=status, title=draft.title, files=sorted(files),
                          factcheck=report.summary, draft_id=article.id, llm=llm_summary(draft),
                          proposed_revision=article.proposed_revision if proposed else None)


def read_article(path: Path) -> str:
    """An article file's text (raises InputError for a missing, unreadable, non-UTF-8 or too large file)."""
    from generator.factcheck import MAX_ARTICLE_CHARS

    try:
        size = path.stat().st_size
        if size > 4 * MAX_ARTICLE_CHARS:  # (UTF-8: at most 4 bytes a character) refused before it is read
            raise InputError(f"article {path} is {size:,} bytes; the fact-check reads at most "
                             f"{MAX_ARTICLE_CHARS:,} characters (about 256 KB)")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"article file not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"article {path} is a folder, not a file") from None
    except UnicodeDecodeError:
        raise InputError(f"article {path} is not UTF-8 text") from None
    except OSError as err:
        raise InputError(f"cannot read article {path}: {err.strerror or err}") from None


def check_files(article: Path, snapshot_path: Path, settings: Settings) -> CheckReport:
    """Fact-check an article file against a snapshot file (a snapshot.json written by generate works too)."""
    text = read_article(article)
    snapshot = load_snapshot(snapshot_path)
    _, facts = facts_for(snapshot, settings)
    return check_article(text, facts)
