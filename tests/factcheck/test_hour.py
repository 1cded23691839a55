"""The hour's move in an alert: its percent, its window and its direction are checked like the day's."""

from __future__ import annotations

import pytest

from generator.factcheck import check_article
from generator.pipeline import facts_for
from generator.settings import Settings
from tests.conftest import make_snapshot
from tests.intraday import with_intraday

# The Bittrex day of February 5, 2018 fell 14.72%; its illustrative last hour falls 4.00% to the close.
SNAPSHOT = with_intraday(make_snapshot("2018-02-05"), "5m", -4.0)
FACTS = facts_for(SNAPSHOT, Settings())[1]


def verdicts(text: str) -> list[tuple[str, str, str | None]]:
    return [(m.text, m.verdict, m.fact) for m in check_article(text, FACTS).mentions]


def test_the_facts() -> None:
    assert FACTS["price.change_1h_pct"].display == "-4.00%"
    assert FACTS["price.change_1h_end"].display == "00:00 UTC" and FACTS["windows.change_1h"].display == "1 hour"


@pytest.mark.parametrize(("text", "expected"), [
    ("Bitcoin fell 4.00% in the past hour.", [("4.00%", "verified", "price.change_1h_pct")]),
    ("Bitcoin fell 4% in the hour to 00:00 UTC.", [("4%", "verified", "price.change_1h_pct"),
                                                   ("00:00 UTC", "verified", "article.as_of")]),
    ("Bitcoin rose 4.00% in the past hour.", [("4.00%", "direction", "price.change_1h_pct")]),
    ("Bitcoin fell 5.00% in the past hour.", [("5.00%", "mismatch", "price.change_1h_pct")]),
    ("Bitcoin fell 14.72% over the past 24 hours.", [("14.72%", "verified", "price.change_24h_pct"),
                                                     ("24 hours", "verified", "windows.change")]),
    ("| 1-hour change | Down 4.00% | Hour to 00:00 UTC |", [("1-hour", "verified", "windows.change_1h"),
                                                           ("4.00%", "verified", "price.change_1h_pct"),
                                                           ("00:00 UTC", "verified", "article.as_of")]),
    ("| 1-hour change | Up 4.00% | Hour to 00:00 UTC |", [("1-hour", "verified", "windows.change_1h"),
                                                         ("4.00%", "direction", "price.change_1h_pct"),
                                                         ("00:00 UTC", "verified", "article.as_of")]),
])
def test_the_hours_move(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert verdicts(text) == expected


def test_a_direction_word_without_a_number_is_checked_against_the_window_it_names() -> None:
    report = check_article("Bitcoin rose in the past hour. Bitcoin fell over the past day.", FACTS)
    claims = [(c.text, c.verdict) for c in report.mentions if c.kind == "claim"]
    assert claims == [("Bitcoin rose in the past hour", "direction"), ("Bitcoin fell over the past day", "verified")]
    assert check_article("Bitcoin fell in the past hour.", FACTS).passed
