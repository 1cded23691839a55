"""Desk fixtures: a store in a temporary folder and drafts registered from the example snapshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from generator.desk.actions import register_draft
from generator.desk.checking import check_body
from generator.desk.models import Article
from generator.desk.store import Store
from generator.drafting import draft_article
from generator.factcheck.report import CheckReport
from generator.facts import FactSet, build_facts
from generator.pipeline import run_analysis
from generator.settings import Settings
from generator.snapshot import MarketSnapshot, load_snapshot
from tests.conftest import EXAMPLE

# The lead sentence of the example article states the price; tests break and fix it.
RIGHT, WRONG = "to $6,960,", "to $6,990,"


@pytest.fixture
def check() -> Callable[[str, FactSet], CheckReport]:
    """The real fact-check, as the desk runs it on every revision."""
    return check_body


class Example:
    """A snapshot's facts and drafted body (by default the bundled example's), for registering drafts."""

    def __init__(self, snapshot: MarketSnapshot | None = None) -> None:
        snapshot = snapshot or load_snapshot(EXAMPLE)
        settings = Settings()
        analysis = run_analysis(snapshot, settings)
        self.snapshot = snapshot
        self.facts = build_facts(snapshot, analysis)
        self.draft = draft_article(snapshot, analysis, self.facts, settings, "daily")
        self.body = self.draft.body
        self.date = f"{snapshot.as_of:%Y-%m-%d}"


_EXAMPLE: Example | None = None


@pytest.fixture
def example() -> Example:
    global _EXAMPLE
    if _EXAMPLE is None:
        _EXAMPLE = Example()
        assert RIGHT in _EXAMPLE.body
    return _EXAMPLE


@pytest.fixture
def store(desk_db: Path | str) -> Store:
    """An empty desk, once on SQLite and once on PostgreSQL (tests/conftest.py: desk_db)."""
    return Store(desk_db)


@pytest.fixture
def register(store: Store, example: Example, check: Callable[..., CheckReport], tmp_path: Path
             ) -> Callable[..., Article]:
    """Register a draft like generate does: body (default: the example's), date, kind and sections."""

    def make(body: str | None = None, *, date: str = "2018-02-06", kind: str = "daily", asset: str = "BTC",
             sections: dict[str, str] | None = None, files: list[str] | None = None,
             source: Example | None = None, auto_apply: bool = False) -> Article:
        src = source or example
        text = src.body if body is None else body
        folder = tmp_path / date.replace(" ", "-") / f"{asset.lower()}-{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        return register_draft(
            store, path=folder, asset=asset, kind=kind, date=date, title=src.draft.title,
            files=files or ["article.md", "article.html", "snapshot.json", "factcheck.json"], body=text,
            facts=src.facts, sections=sections or {s.name: s.origin for s in src.draft.sections},
            report=check(text, src.facts), auto_apply=auto_apply,
        )

    return make
