"""The desk's view of the fact-check: run it on a revision and read its report.

A revision keeps the ``CheckReport`` exactly as ``generator.factcheck`` produced it (``summary`` and
``mentions`` with offsets into the Markdown body), so the review page can show an old revision's verdicts
without re-running anything. An article row keeps only the ``CheckSummary`` the queue shows.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from generator.factcheck.report import CheckReport, MentionResult
from generator.facts import FactSet


class CheckSummary(BaseModel):
    """What the queue shows of a revision's check: counts, failures per verdict, and whether it passes."""

    model_config = ConfigDict(frozen=True)

    mentions: int
    verified: int
    failed: int
    verdicts: dict[str, int]
    passed: bool


def check_body(body: str, facts: FactSet) -> CheckReport:
    """Fact-check an article body against the facts it was written from."""
    from generator.factcheck import check_article

    return check_article(body, facts)


def stored_report(data: object) -> CheckReport | None:
    """A revision's stored report; None for one never checked (an empty object in the store)."""
    return CheckReport.model_validate(data) if data else None


def passes(report: CheckReport | None) -> bool:
    """True when every numeric mention, claim (and quote) was verified; a revision never checked never passes."""
    return report is not None and report.summary.failed == 0 and all(m.verdict == "verified" for m in report.mentions)


def failures(report: CheckReport | None) -> list[MentionResult]:
    """The mentions that keep a revision from passing, in text order."""
    return [] if report is None else [m for m in report.mentions if m.verdict != "verified"]


def summarise(report: CheckReport | None) -> CheckSummary | None:
    """The queue's summary of a report; None when the revision was never checked."""
    if report is None:
        return None
    verdicts: dict[str, int] = {}
    for m in failures(report):
        verdicts[m.verdict] = verdicts.get(m.verdict, 0) + 1
    return CheckSummary(mentions=report.summary.mentions, verified=report.summary.verified,
                        failed=report.summary.failed, verdicts=verdicts, passed=passes(report))


def describe(summary: CheckSummary | None) -> str:
    """'38 mentions, all verified' or '38 mentions, 2 failed (1 mismatch, 1 unsupported)' from summarise()."""
    if summary is None:
        return "not checked"
    total, failed = summary.mentions, summary.failed
    noun = "mention" if total == 1 else "mentions"
    if not failed:
        return f"{total} {noun}, all verified"
    detail = ", ".join(f"{n} {v}" for v, n in summary.verdicts.items())
    return f"{total} {noun}, {failed} failed ({detail})" if detail else f"{total} {noun}, {failed} failed"
