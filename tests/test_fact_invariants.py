"""Level facts at any hour, and the invariants build_facts asserts before any sentence can be drafted from them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator.analysis.models import Swing
from generator.fact_catalogue import meaning_of
from generator.fact_invariants import BrokenInvariant
from generator.facts import build_facts
from generator.pipeline import facts_for
from generator.settings import Settings
from tests.intraday import during_the_next_day


def test_a_price_below_yesterdays_support_gives_a_crossed_level_and_the_next_support() -> None:
    # February 6, 2018, 06:00 UTC: the path of the real day puts the price at its low, $6,001, below the 21 October
    # swing that was the nearest support at the February 5 close ($6,960).
    facts = facts_for(during_the_next_day("2018-02-05", hours=6), Settings())[1]
    assert facts["price.current"].display == "$6,001" and facts["price.last_close"].display == "$6,960"
    assert facts["levels.crossed"].display == "$6,189" and facts["levels.crossed_date"].display == "October 21, 2017"
    assert facts["levels.crossed_direction"].value == "down"
    assert facts["levels.support"].display == "$5,885" and facts["levels.resistance"].display == "$7,846"
    assert facts["levels.broken"].display == "$7,846" and facts["levels.broken"].context == "support"  # the close's


def test_a_close_with_nothing_crossed_since_has_no_crossed_level(example_snapshot) -> None:  # noqa: ANN001
    facts = facts_for(example_snapshot, Settings())[1]
    assert not any(key.startswith("levels.crossed") for key in facts.facts)


def test_the_crossed_level_is_declared_like_the_other_levels() -> None:
    meaning = meaning_of("levels.crossed")
    assert meaning.position and not meaning.price and meaning.date == "levels.crossed_date"
    assert meaning.tags["level"] == ("swing",) and meaning.tags["state"] == ("crossed",)
    assert meaning.names == ("the newly crossed swing level",)
    assert not meaning_of("levels.crossed_direction").position


def _tampered(**levels: object):  # noqa: ANN202
    snapshot = during_the_next_day("2018-02-05", hours=6)
    analysis = facts_for(snapshot, Settings())[0]
    assert analysis.levels is not None
    return snapshot, analysis.model_copy(update={"levels": analysis.levels.model_copy(update=levels)})


def test_a_support_above_the_price_is_an_internal_error_not_a_sentence() -> None:
    # What the analysis did before it knew the price: the nearest support below the close, $6,189, is above $6,001.
    snapshot, analysis = _tampered(supports=[Swing(kind="high", price=6189.0,
                                                   time=datetime(2017, 10, 21, tzinfo=timezone.utc))])
    with pytest.raises(BrokenInvariant, match=r"levels.support \$6,189 is not below the price \$6,001"):
        build_facts(snapshot, analysis)


def test_a_crossed_level_outside_the_close_and_the_price_is_an_internal_error() -> None:
    snapshot, analysis = _tampered(crossed=[Swing(kind="low", price=5885.0,
                                                  time=datetime(2017, 10, 15, tzinfo=timezone.utc))])
    with pytest.raises(BrokenInvariant, match=r"levels.crossed \$5,885 \(down\) is not between the close"):
        build_facts(snapshot, analysis)


def test_retracements_out_of_order_are_an_internal_error() -> None:
    snapshot = during_the_next_day("2018-02-05", hours=6)
    analysis = facts_for(snapshot, Settings())[0]
    assert analysis.fib is not None
    levels = [lv.model_copy(update={"price": 8515.0}) if lv.ratio == 0.236 else lv for lv in analysis.fib.levels]
    broken = analysis.model_copy(update={"fib": analysis.fib.model_copy(update={"levels": levels})})
    with pytest.raises(BrokenInvariant, match="levels.fib_0_382 does not lie deeper into the rally"):
        build_facts(snapshot, broken)
