"""The perturbation suite: break generated articles in hundreds of ways; every break must be caught.

Articles come from the template stage over real Bittrex days (with and without derivatives
data). Each unbroken article must check clean; each variant must get a failure overlapping the
text that was changed — a failure elsewhere would be a false alarm, not a catch.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest

from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.pipeline import facts_for
from generator.settings import Settings
from tests.conftest import make_snapshot
from tests.factcheck.perturb import PERTURBATIONS, caught
from tests.intraday import with_intraday

DAYS = [date(2017, 3, 9) + timedelta(days=83 * i) for i in range(6)]  # spread over 2017-03 .. 2018-05
CAPS = {"change_digit": 30, "shift_decimal": 16, "swap_metrics": 10}
TOTALS: Counter[str] = Counter()


def article(day: date, derivatives: bool):  # noqa: ANN201
    settings = Settings()
    snapshot = make_snapshot(day.isoformat(), with_derivatives=derivatives)
    analysis, facts = facts_for(snapshot, settings)
    return draft_article(snapshot, analysis, facts, settings, checked=True).body, facts


@pytest.mark.parametrize("derivatives", [True, False], ids=["derivatives", "candles-only"])
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_break_is_caught(day: date, derivatives: bool) -> None:
    body, facts = article(day, derivatives)
    base = check_article(body, facts)
    assert base.passed, base.to_text()
    rng = random.Random(f"{day}|{derivatives}")
    missed = []
    for perturbation in PERTURBATIONS:
        variants = list(perturbation(body, base, rng))
        rng.shuffle(variants)
        for variant in variants[: CAPS.get(perturbation.__name__, len(variants))]:
            TOTALS[variant.kind] += 1
            if not caught(check_article(variant.text, facts), variant.span):
                missed.append(f"{variant.kind}: {variant.note}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("last_hour_pct", [-6.5, 4.2], ids=["sell-off", "rally"])
@pytest.mark.parametrize("day", DAYS[::2], ids=str)
def test_every_break_in_an_alert_is_caught(day: date, last_hour_pct: float) -> None:
    """The alert article (the hour's move from illustrative 5m candles, the example's liquidations)."""
    settings = Settings()
    snapshot = with_intraday(make_snapshot(day.isoformat()), "5m", last_hour_pct)
    analysis, facts = facts_for(snapshot, settings)
    body = draft_article(snapshot, analysis, facts, settings, "alert", checked=True).body
    base = check_article(body, facts)
    assert base.passed, base.to_text()
    rng = random.Random(f"{day}|alert|{last_hour_pct}")
    missed = []
    for perturbation in PERTURBATIONS:
        for variant in list(perturbation(body, base, rng))[: CAPS.get(perturbation.__name__, 10**6)]:
            if not caught(check_article(variant.text, facts), variant.span):
                missed.append(f"{variant.kind}: {variant.note}")
    assert not missed, "\n".join(missed)


def test_the_suite_is_large_and_covers_every_kind() -> None:
    """Runs after the parametrised cases (pytest keeps file order): hundreds of variants, every kind."""
    if not TOTALS:
        pytest.skip("run with the perturbation cases")
    assert sum(TOTALS.values()) >= 500, TOTALS
    assert set(TOTALS) == {p.__name__ for p in PERTURBATIONS}, TOTALS
