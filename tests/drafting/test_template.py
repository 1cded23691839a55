"""The template article: reads right, agrees with the data, leaves out what is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.errors import ConfigError
from generator.facts import FactSet, build_facts
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.conftest import bittrex_candles, make_snapshot


def draft(snapshot: MarketSnapshot, **settings: object):
    analysis = analyze(snapshot)
    facts = build_facts(snapshot, analysis)
    return draft_article(snapshot, analysis, facts, Settings(**settings)), facts, analysis


def unbacked_numbers(body: str, facts: FactSet) -> list[str]:
    """Digits left after removing every fact's display text, durations and link targets."""
    text = re.sub(r"\]\([^)]*\)", "]", body)
    shown = {t for f in facts for t in (f.display, f.display_abs)}
    # Fibonacci ratios name the level facts that exist ("the 0.618 retracement").
    shown |= {f.label.split(" ")[0] for f in facts if f.key.startswith("levels.fib_0")}
    for text_shown in sorted(shown, key=len, reverse=True):
        text = re.sub(r"(?<![\d.,])" + re.escape(text_shown) + r"(?!\d|[.,]\d)", "", text)
    text = re.sub(r"\b(24|1)(-hour| hours|h\b)", "", text)
    return re.findall(r"\d[\d,.]*", text)


def test_example_has_every_section(example_snapshot: MarketSnapshot) -> None:
    d, facts, _ = draft(example_snapshot)
    body = d.body
    for heading in ("## Price action", "## Market structure", "## Key metrics", "## Why it matters",
                    "## Scenarios", "## Outlook", "## Sources"):
        assert heading in body
    assert "**Disclaimer:**" in body and "produced automatically" in body
    table_rows = [ln for ln in body.splitlines() if ln.startswith("| ") and not ln.startswith("| Metric")]
    assert len(table_rows) >= 6
    assert '"' not in body and "analyst" not in body.lower()
    assert unbacked_numbers(body, facts) == []


def test_every_number_is_a_fact_across_real_days() -> None:
    for until in ("2017-03-18", "2017-06-12", "2017-09-15", "2017-12-17", "2018-02-06", "2018-04-12"):
        d, facts, _ = draft(make_snapshot(until))
        assert unbacked_numbers(d.body, facts) == [], until


@pytest.mark.parametrize("until", [f"2017-{m:02d}-{dd:02d}" for m in range(3, 13) for dd in (5, 20)]
                         + ["2018-01-16", "2018-02-05", "2018-02-06", "2018-03-30"])
def test_words_agree_with_the_data(until: str) -> None:
    snap = make_snapshot(until)
    d, facts, analysis = draft(snap)
    body = d.body.lower()
    change = float(facts["price.change_24h_pct"].value)
    rsi = analysis.rsi["1d"].value
    falling = re.search(r"\b(fell|dropped|declined|plunged|tumbled|slumped|falls|slips|drops|plunges|tumbles|sinks)\b", body)
    rising = re.search(r"\b(rose|climbed|advanced|surged|jumped|rallied|rises|climbs|gains|surges|jumps|soars)\b", body)
    if change <= -0.5:
        assert falling and not rising
    elif change >= 0.5:
        assert rising and not falling
    assert ("oversold" in body) == (rsi < 30)
    assert ("overbought" in body) == (rsi > 70)
    assert "extreme fear" in body  # the illustrative index is 8/100


def test_missing_data_leaves_sentences_out() -> None:
    snap = make_snapshot("2018-02-05", with_derivatives=False)
    d, facts, _ = draft(snap)
    body = d.body.lower()
    for word in ("liquidat", "funding", "open interest", "fear & greed", "illustrative"):
        assert word not in body
    assert unbacked_numbers(d.body, facts) == []


def test_same_data_same_article(example_snapshot: MarketSnapshot) -> None:
    assert draft(example_snapshot)[0].body == draft(example_snapshot)[0].body


def test_phrasing_varies_between_days() -> None:
    leads = {draft(make_snapshot(f"2017-{m:02d}-10"))[0].body.split("\n\n")[1].split(" ")[5] for m in range(3, 12)}
    assert len(leads) > 2


def test_dateline_from_settings(example_snapshot: MarketSnapshot) -> None:
    d, _, _ = draft(example_snapshot, dateline="LONDON")
    assert "LONDON, February 6, 2018 — Bitcoin" in d.body


def test_user_templates_take_precedence(example_snapshot: MarketSnapshot, tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "disclaimer.md.j2").write_text("**Disclaimer:** House text for {{ publication }}.\n")
    d, _, _ = draft(example_snapshot, templates_dir=tmp_path, publication="The Desk")
    assert "**Disclaimer:** House text for The Desk." in d.body
    assert "## Market structure" in d.body  # other sections still come from the bundled templates


def test_a_template_cannot_print_a_raw_number(example_snapshot: MarketSnapshot, tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "outlook.md.j2").write_text("Price: {{ F['price.current'].value }}\n")
    with pytest.raises(ConfigError, match="raw number"):
        draft(example_snapshot, templates_dir=tmp_path)


def test_candles_helper_is_real() -> None:
    assert len(bittrex_candles(until="2018-02-05")) == 401


def test_a_section_without_data_leaves_no_bare_heading() -> None:
    # No derivatives and (on this quiet day) no level break: "Why it matters" has nothing to say.
    for until in ("2017-03-18", "2017-06-12", "2017-09-15", "2018-04-12"):
        d, _, _ = draft(make_snapshot(until, with_derivatives=False))
        blocks = d.body.split("\n\n")
        for heading, following in zip(blocks, blocks[1:]):
            assert not (heading.startswith("## ") and following.startswith(("## ", "---"))), (until, heading)


def test_zero_liquidations_stay_in_the_table_not_in_the_prose(example_snapshot: MarketSnapshot) -> None:
    # An exchange that reports no liquidations is data, shown with its source in the table; a lead
    # saying "$0 of leveraged positions were liquidated" is not news.
    zero = {k: 0.0 for k in ("total_1h_usd", "long_1h_usd", "short_1h_usd",
                             "total_24h_usd", "long_24h_usd", "short_24h_usd")}
    snap = example_snapshot.model_copy(update={
        "liquidations": example_snapshot.liquidations.model_copy(update=zero)})
    d, facts, _ = draft(snap)
    prose = "\n".join(s.markdown for s in d.sections if s.name not in ("metrics", "sources"))
    assert "$0" not in prose and "liquidat" not in prose.lower()
    assert "| 24-hour liquidations | $0 |" in next(s.markdown for s in d.sections if s.name == "metrics")
    assert unbacked_numbers(d.body, facts) == []


def test_a_quiet_hour_keeps_the_day_and_drops_the_hour(example_snapshot: MarketSnapshot) -> None:
    quiet = {"total_1h_usd": 0.0, "long_1h_usd": 0.0, "short_1h_usd": 0.0}
    snap = example_snapshot.model_copy(update={
        "liquidations": example_snapshot.liquidations.model_copy(update=quiet)})
    d, _, _ = draft(snap)
    lead = next(s.markdown for s in d.sections if s.name == "lead")
    assert "were liquidated" in lead and "latest hour" not in lead
    assert "$0" not in "".join(s.markdown for s in d.sections if s.name != "metrics")
