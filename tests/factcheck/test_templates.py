"""The template stage's own articles always pass the fact-check, over many real days and with groups missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from generator.drafting import draft_article
from generator.factcheck import check_article
from generator.pipeline import facts_for
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.conftest import make_snapshot
from tests.intraday import with_intraday

# Every 11th day of the real Bittrex candles (2017-02..2018-06): rallies, crashes, flat days, breaks.
DAYS = [date(2017, 2, 1) + timedelta(days=11 * i) for i in range(45)]


@pytest.mark.parametrize("derivatives", [True, False], ids=["derivatives", "candles-only"])
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_template_article_passes(day: date, derivatives: bool) -> None:
    settings = Settings()
    snapshot = make_snapshot(day.isoformat(), with_derivatives=derivatives)
    analysis, facts = facts_for(snapshot, settings)
    body = draft_article(snapshot, analysis, facts, settings, "daily", checked=True).body
    report = check_article(body, facts)
    assert report.passed, report.to_text()
    assert report.summary.mentions >= 25


def _liquidations(snapshot: MarketSnapshot, variant: str) -> MarketSnapshot:
    """The example's liquidations as a spike, without 24h figures (OKX pages short of a day), or a quiet hour."""
    liq = snapshot.liquidations
    if liq is None or variant == "as-is":
        return snapshot
    if variant == "spike":  # the hour is most of the day: a cascade
        liq = liq.model_copy(update={"total_1h_usd": 300e6, "long_1h_usd": 270e6, "short_1h_usd": 30e6})
    elif variant == "no-24h":
        liq = liq.model_copy(update={"total_24h_usd": None, "long_24h_usd": None, "short_24h_usd": None})
    elif variant == "quiet-hour":
        liq = liq.model_copy(update={"total_1h_usd": 0.0, "long_1h_usd": 0.0, "short_1h_usd": 0.0})
    return MarketSnapshot.model_validate({**snapshot.model_dump(), "liquidations": liq.model_dump()})


# (intraday timeframe, percent the last hour moves; None: the day's own path), with the liquidation variant.
ALERT_CASES = [
    (None, None, "as-is"), ("5m", None, "as-is"), ("5m", -6.5, "spike"), ("5m", 4.2, "no-24h"),
    ("5m", -0.1, "quiet-hour"), ("1h", -2.4, "as-is"), ("1h", 7.0, "spike"), ("5m", -3.3, "no-24h"),
]


@pytest.mark.parametrize("case", range(len(ALERT_CASES)), ids=lambda i: "-".join(map(str, ALERT_CASES[i])))
@pytest.mark.parametrize("day", DAYS[::2], ids=str)
def test_alert_article_passes(day: date, case: int) -> None:
    """Alerts lead with the last hour when the data has it and with what exists when it does not."""
    timeframe, last_hour_pct, variant = ALERT_CASES[case]
    settings = Settings()
    snapshot = _liquidations(make_snapshot(day.isoformat(), with_derivatives=variant != "none"), variant)
    if timeframe is not None:
        snapshot = with_intraday(snapshot, timeframe, last_hour_pct)
    analysis, facts = facts_for(snapshot, settings)
    draft = draft_article(snapshot, analysis, facts, settings, "alert", checked=True)
    report = check_article(draft.body, facts)
    assert report.passed, report.to_text()
    assert report.summary.mentions >= 15
    lead = next(s.markdown for s in draft.sections if s.name == "lead")
    if timeframe is not None:
        assert facts["price.change_1h_end"].display in lead and facts["price.change_1h_pct"].display_abs in lead
    else:
        assert "price.change_1h_pct" not in facts and "in the hour to" not in draft.body  # no 1h move is claimed
    assert facts["liquidations.total_1h_usd"].display in lead or variant == "quiet-hour"


def test_alert_without_derivatives_or_intraday_candles_leads_with_the_price() -> None:
    settings = Settings()
    snapshot = make_snapshot("2018-02-05", with_derivatives=False)
    analysis, facts = facts_for(snapshot, settings)
    draft = draft_article(snapshot, analysis, facts, settings, "alert", checked=True)
    assert check_article(draft.body, facts).passed
    assert draft.title == f"Market alert: Bitcoin {draft.title.split()[3]} {facts['price.change_24h_pct'].display_abs} " \
                          f"in 24 hours to {facts['price.current']}"
    assert "liquidat" not in draft.body.lower()


def test_missing_groups_one_at_a_time(example_snapshot) -> None:  # noqa: ANN001
    settings = Settings()
    for group in ("liquidations", "funding", "open_interest", "fear_greed"):
        snapshot = example_snapshot.model_copy(update={group: None})
        analysis, facts = facts_for(snapshot, settings)
        body = draft_article(snapshot, analysis, facts, settings, checked=True).body
        assert check_article(body, facts).passed, group


def test_alerts_stay_template_only_when_an_llm_is_configured(tmp_path) -> None:  # noqa: ANN001
    """An alert goes out within seconds of a poll; the LLM stage (for daily articles) is not asked."""
    settings = Settings(llm="on", llm_server="llamacpp", llm_base_url="http://127.0.0.1:9/v1", llm_cache_dir=tmp_path)
    snapshot = with_intraday(make_snapshot("2018-02-05"), "5m", -4.0)
    analysis, facts = facts_for(snapshot, settings)
    draft = draft_article(snapshot, analysis, facts, settings, "alert", checked=True)
    assert draft.llm is None and {s.origin for s in draft.sections} == {"template"}
