"""History claims ("since", "largest", "first", "streak", trailing changes): true sentences pass, false ones are flagged.

The cases are data (history_cases/cases.yaml): sentences in the template's wording and in LLM-style paraphrases,
true and false (a wrong date, a wrong streak length, "largest" or "longest" where it is not, "first ... since" where
a closer crossing exists, a wrong sign, a wrong trailing change), against three real Bittrex days.

First run, before the checker was changed for these sentences (with the history facts already built, commit
after 8b480f2): 26 of the 34 true sentences falsely flagged (8 passed), 38 of the 38 false sentences flagged, most
of them only because the checker then called every streak, "largest ... since" and "first ... since" unsupported
and knew no 7- or 30-day change.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from generator.analysis import analyze
from generator.factcheck import check_article
from generator.facts import FactSet, build_facts
from tests.conftest import make_snapshot

CASES = yaml.safe_load((Path(__file__).parent / "history_cases" / "cases.yaml").read_text())["days"]


@cache
def facts_of(until: str) -> FactSet:
    snapshot = make_snapshot(until)
    return build_facts(snapshot, analyze(snapshot))


def _cases(truth: str) -> list[tuple[str, str, str, str]]:
    return [(day["until"], kind, text, name) for name, day in CASES.items() for kind, text in day[truth]]


def _id(case: tuple[str, str, str, str]) -> str:
    return f"{case[3]}:{case[2][:50]}"


@pytest.mark.parametrize("case", _cases("pass"), ids=_id)
def test_true_history_sentence_passes(case: tuple[str, str, str, str]) -> None:
    until, _, text, _ = case
    report = check_article(text, facts_of(until))
    assert report.passed, report.to_text()


@pytest.mark.parametrize("case", _cases("flag"), ids=_id)
def test_false_history_sentence_is_flagged(case: tuple[str, str, str, str]) -> None:
    until, what, text, _ = case
    report = check_article(text, facts_of(until))
    assert not report.passed, f"{what}: {text!r} passed\n{report.to_text()}"
