"""History facts (generator/history_facts.py) on real candles: each with its proof, and none without daily candles."""

from __future__ import annotations

from generator.analysis import analyze
from generator.facts import FactSet, build_facts
from generator.snapshot import MarketSnapshot
from tests.conftest import make_snapshot


def facts_of(snapshot: MarketSnapshot) -> FactSet:
    return build_facts(snapshot, analyze(snapshot))


def shown(facts: FactSet, prefix: str = "history.") -> dict[str, str]:
    return {f.key: f.display for f in facts if f.key.startswith(prefix)}


def test_crash_day_facts_carry_their_candle_dates() -> None:
    assert shown(facts_of(make_snapshot("2018-02-05"))) == {
        "history.close_low_since_date": "November 14, 2017",
        "history.move_drop_since_date": "January 16, 2018",
        "history.cross_below_level": "$7,000",
        "history.cross_below_since_date": "November 14, 2017",
        "history.streak_days": "2",
        "history.streak_direction": "down",
        "history.streak_start_date": "February 4, 2018",
        "history.streak_since_date": "February 2, 2018",
        "history.change_7d_pct": "-38.39%",
        "history.change_30d_pct": "-59.37%",
        "history.series_high": "$19,261",
        "history.series_high_date": "December 16, 2017",
        "history.from_series_high_pct": "-63.86%",
    }


def test_records_in_the_data_are_bounded_by_its_first_candle() -> None:
    facts = facts_of(make_snapshot("2017-09-14"))
    got = shown(facts)
    assert got["history.move_drop_record"] == "yes" and got["history.streak_record"] == "yes"
    assert "history.move_drop_since_date" not in got and "history.streak_since_date" not in got
    assert facts["price.history_start_date"].display == "January 1, 2017"
    rally = shown(facts_of(make_snapshot("2017-12-06")))
    assert rally["history.close_high_record"] == "yes" and rally["history.cross_above_record"] == "yes"
    assert rally["history.from_series_high_pct"] == "0.00%"


def test_no_daily_candles_no_history_facts() -> None:
    snapshot = make_snapshot("2018-02-05")
    weekly = snapshot.model_copy(update={"candles": {"1w": snapshot.candles["1d"].model_copy(update={"timeframe": "1w"})}})
    assert not shown(facts_of(weekly))


def test_a_short_series_has_no_trailing_month() -> None:
    got = shown(facts_of(make_snapshot("2017-01-20")))
    assert "history.change_7d_pct" in got and "history.change_30d_pct" not in got


def test_every_data_fact_names_its_provider_and_time() -> None:
    """Word facts ("a record in the data", a streak's direction, a gap's kind) are proven by the candles like the
    figures: each history and level fact carries the provider and as-of time the article's source list gives."""
    for day in ("2018-02-05", "2017-09-14"):
        facts = facts_of(make_snapshot(day))
        unsourced = sorted(f.key for f in facts if f.key.startswith(("history.", "levels."))
                           and (f.provider is None or f.as_of is None))
        assert unsourced == [], (day, unsourced)
        assert any(f.unit == "text" for f in facts if f.key.startswith("history."))
