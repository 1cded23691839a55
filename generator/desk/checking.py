"""The desk's view of the fact-check: run it on a revision and read its report.

The report is stored as JSON exactly as ``generator.factcheck`` produced it
(``summary`` and ``mentions`` with offsets into the Markdown body), so the
review page can show an old revision's verdicts without re-running anything.
"""

from __future__ import annotations

from typing import Any

from generator.facts import FactSet

FAILING_VERDICTS = ("mismatch", "direction", "unsupported", "quote")


def report_dict(report: Any) -> dict[str, Any]:
    """A CheckReport (pydantic model) or an already-serialised report as plain JSON data."""
    if hasattr(report, "model_dump"):
        return report.model_dump(mode="json")
    return dict(report)


def check_body(body: str, facts: FactSet) -> dict[str, Any]:
    """Fact-check an article body against the facts it was written from."""
    from generator.factcheck import check_article

    return report_dict(check_article(body, facts))


def passes(report: dict[str, Any]) -> bool:
    """True when every numeric mention (and quote) was verified."""
    summary = report.get("summary") or {}
    if "failed" not in summary:
        return False  # a report without a verdict count was never checked: never passes
    return summary["failed"] == 0 and all(m.get("verdict") == "verified" for m in report.get("mentions", []))


def failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The mentions that keep a revision from passing, in text order."""
    return [m for m in report.get("mentions", []) if m.get("verdict") != "verified"]


def summarise(report: dict[str, Any]) -> dict[str, Any]:
    """What the queue shows: counts of mentions, verified, failed and failures per verdict."""
    summary = report.get("summary") or {}
    if "mentions" not in summary:
        return {}
    verdicts: dict[str, int] = {}
    for m in failures(report):
        verdicts[m.get("verdict", "?")] = verdicts.get(m.get("verdict", "?"), 0) + 1
    return {"mentions": summary["mentions"], "verified": summary.get("verified", 0),
            "failed": summary.get("failed", 0), "verdicts": verdicts, "passed": passes(report)}


def describe(summary: dict[str, Any]) -> str:
    """'38 mentions, all verified' or '38 mentions, 2 failed (1 mismatch, 1 unsupported)' from summarise()."""
    if "mentions" not in summary:
        return "not checked"
    total, failed = summary["mentions"], summary["failed"]
    noun = "mention" if total == 1 else "mentions"
    if not failed:
        return f"{total} {noun}, all verified"
    detail = ", ".join(f"{n} {v}" for v, n in summary.get("verdicts", {}).items())
    return f"{total} {noun}, {failed} failed ({detail})" if detail else f"{total} {noun}, {failed} failed"
