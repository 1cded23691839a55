"""The fact-check report: a summary and one entry per mention, as JSON and as text for a terminal."""

from __future__ import annotations

import textwrap
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

VERDICTS = ("verified", "mismatch", "direction", "unsupported", "quote")
Verdict = Literal["verified", "mismatch", "direction", "unsupported", "quote"]


class MentionResult(BaseModel):
    """One numeric mention, claim or quote and its verdict. Spans are offsets into the checked text."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    kind: str
    value: float | str | None
    precision: float | None = Field(default=None, description="One unit in the last place written, in base units.")
    verdict: Verdict
    fact: str | None
    expected: str | None
    reason: str
    sentence: str = Field(description="The sentence (or table row) the mention sits in.")

    @classmethod
    def trusted(cls, values: dict[str, Any]) -> MentionResult:
        """A result from values the checker built itself, every field given: what model_construct does for them,
        without its per-field loop (a report holds ~100 of these; tests/factcheck compares the two)."""
        m = cls.__new__(cls)
        _set(m, "__dict__", values)
        _set(m, "__pydantic_fields_set__", set(_FIELDS))  # a set of its own: model_copy(update=...) adds to it
        _set(m, "__pydantic_extra__", None)
        _set(m, "__pydantic_private__", None)
        return m


_FIELDS = frozenset(MentionResult.model_fields)
_set = object.__setattr__


class Summary(BaseModel):
    model_config = ConfigDict(frozen=True)

    mentions: int
    verified: int
    failed: int
    mismatch: int
    direction: int
    unsupported: int
    quote: int


class CheckReport(BaseModel):
    """What the fact-check found in one text."""

    model_config = ConfigDict(frozen=True)

    status: Literal["passed", "failed"]
    summary: Summary
    mentions: list[MentionResult]

    @classmethod
    def from_results(cls, results: list[MentionResult]) -> CheckReport:
        counts = {v: sum(1 for r in results if r.verdict == v) for v in VERDICTS}
        failed = len(results) - counts["verified"]
        summary = Summary(mentions=len(results), failed=failed, **counts)
        return cls(status="failed" if failed else "passed", summary=summary, mentions=results)

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def failures(self) -> list[MentionResult]:
        return [r for r in self.mentions if r.verdict != "verified"]

    def shifted(self, offset: int) -> CheckReport:
        """The same report with spans moved by ``offset`` (e.g. past front matter added after the check)."""
        moved = [r.model_copy(update={"start": r.start + offset, "end": r.end + offset}) for r in self.mentions]
        return self.model_copy(update={"mentions": moved})

    def to_text(self, width: int = 100) -> str:
        """A readable report: each failure with its sentence, then the summary."""
        s = self.summary
        lines = []
        for r in self.failures:
            where = f"[{r.start}:{r.end}]"
            head = f"{r.verdict.upper():<11} {r.text!r} {where}"
            if r.fact:
                head += f" -> {r.fact}"
            lines.append(head)
            lines.append(textwrap.indent(textwrap.fill(r.reason, width - 4), "    "))
            if r.expected and r.verdict in ("mismatch", "direction"):
                lines.append(f"    expected: {r.expected}")
            lines.append(textwrap.indent(textwrap.fill(f"in: {r.sentence}", width - 4), "    "))
            lines.append("")
        counts = ", ".join(f"{getattr(s, v)} {v}" for v in VERDICTS[1:] if getattr(s, v))
        verdict = "PASSED" if self.passed else "FAILED"
        lines.append(f"{verdict}: {s.verified} of {s.mentions} mentions verified" + (f"; {counts}" if counts else ""))
        return "\n".join(lines)
