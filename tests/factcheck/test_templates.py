"""The template stage's own articles always pass the fact-check, over many real days and with groups missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.pipeline import facts_for
from generator.settings import Settings
from tests.conftest import make_snapshot

# Every 11th day of the real Bittrex candles (2017-02..2018-06): rallies, crashes, flat days, breaks.
DAYS = [date(2017, 2, 1) + timedelta(days=11 * i) for i in range(45)]


@pytest.mark.parametrize("derivatives", [True, False], ids=["derivatives", "candles-only"])
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_template_article_passes(day: date, derivatives: bool) -> None:
    settings = Settings()
    snapshot = make_snapshot(day.isoformat(), with_derivatives=derivatives)
    analysis, facts = facts_for(snapshot, settings)
    for kind in ("daily", "alert"):
        body = draft_article(snapshot, analysis, facts, settings, kind, checked=True).body
        report = check_article(body, facts)
        assert report.passed, report.to_text()
        assert report.summary.mentions >= 25


def test_missing_groups_one_at_a_time(example_snapshot) -> None:  # noqa: ANN001
    settings = Settings()
    for group in ("liquidations", "funding", "open_interest", "fear_greed"):
        snapshot = example_snapshot.model_copy(update={group: None})
        analysis, facts = facts_for(snapshot, settings)
        body = draft_article(snapshot, analysis, facts, settings, checked=True).body
        assert check_article(body, facts).passed, group
