"""Writing discipline: a figure appears at most twice in the prose, and the venue list once per section.

These read the article, not the drafting state: every dollar figure, percentage and index reading of the prose
(the headline, the metrics table and the closing boilerplate aside) is counted as a reader would see it, over
random markets (daily and alert, at the close and during the day) and the golden articles.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from generator.analysis import analyze
from generator.drafting import draft_article
from generator.drafting.mentions import Mentions, figure_pattern
from generator.factcheck import check_article
from generator.facts import build_facts
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from tests.random_markets import drafted

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
# A figure as printed: "$6,960", "$0.62 million", "-0.0375%", "8/100".
FIGURE = re.compile(r"-?\$[\d,]+(?:\.\d+)?(?: (?:million|billion|trillion))?|-?\b\d[\d,]*(?:\.\d+)?%|\b\d{1,3}/100\b")


def sections(body: str) -> dict[str, str]:
    """The article's sections by heading (the headline is "#", the lead "lead"); everything after the rule is "end"."""
    out: dict[str, list[str]] = {}
    name = "lead"
    for line in body.splitlines():
        if line.startswith("# "):
            out.setdefault("#", []).append(line)
            continue
        if line.startswith("## "):
            name = line[3:]
            continue
        if line.startswith("---"):
            name = "end"
        out.setdefault(name, []).append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def prose_figures(body: str) -> Counter[str]:
    """How often each figure appears in the prose: no headline, table rows, or disclaimer and sources."""
    lines = [line for name, text in sections(body).items() if name not in ("#", "end")
             for line in text.splitlines() if not line.startswith("|")]
    return Counter(FIGURE.findall("\n".join(lines)))


def venue_list(snapshot: MarketSnapshot) -> str | None:
    liq = snapshot.liquidations
    if liq is None or (liq.scope.aggregated and len(liq.scope.venues) > 3):
        return None  # "across major exchanges": no list
    names = liq.scope.venues
    return "on " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])


CASES = [("daily", "1d", range(0, 150), False), ("daily", "1d", range(0, 150), True),
         ("alert", "1d", range(240, 340), False), ("alert", "1d", range(240, 340), True),
         ("daily", "4h", range(0, 60), True), ("daily", "1w", range(150, 200), False)]


@pytest.mark.parametrize(("kind", "timeframe", "seeds", "intraday"), CASES)
def test_no_figure_three_times_and_no_venue_list_twice_in_a_section(kind: str, timeframe: str, seeds: range,
                                                                     intraday: bool) -> None:
    faults = []
    for seed in seeds:
        snapshot, facts, body = drafted(seed, timeframe, kind, intraday)
        # Two values that print alike ("$1.69" the price and a resistance at $1.692) are two figures, twice each;
        # one value under two keys (the price and the close it equals) is one figure.
        sharing = Counter(display for display, _ in {(f.display, f.value) for f in facts})
        faults += [f"seed {seed}: {fig} {n} times" for fig, n in prose_figures(body).items()
                   if n > 2 * max(1, sharing[fig])]
        if (venues := venue_list(snapshot)) is not None:
            faults += [f"seed {seed}: {venues!r} twice in {name}" for name, text in sections(body).items()
                       if len(re.findall(re.escape(venues) + r"\b", text)) > 1]
    assert not faults, faults[:10]


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/article.md")), ids=lambda p: p.parent.name)
def test_golden_articles_say_no_figure_three_times(path: Path) -> None:
    body = path.read_text().split("\n---\n", 2)[-1]  # (after the front matter)
    assert not {fig: n for fig, n in prose_figures(body).items() if n > 2}
    assert all(len(re.findall(r"on BitMEX, OKEx and Bitfinex", text)) <= 1 for text in sections(body).values())


def test_the_issue_article_names_figures_back_instead_of_a_fourth_time(example_snapshot: MarketSnapshot) -> None:
    """$412 million was printed four times in one article (issue 12): twice in the prose now, and the table."""
    analysis = analyze(example_snapshot)
    body = draft_article(example_snapshot, analysis, build_facts(example_snapshot, analysis), Settings()).body
    assert prose_figures(body)["$412 million"] == 2
    assert "Liquidating that much takes that leverage out" in body  # no "flush": a 24h total has no baseline
    assert body.count("on BitMEX, OKEx and Bitfinex") == 3  # lead, price action, the table's first row
    assert "| 24-hour liquidations | $412 million | 82% longs, on those exchanges |" in body


def test_figure_pattern_counts_whole_figures_only() -> None:
    pattern = figure_pattern("$6,960")
    assert len(pattern.findall("$6,960, $16,960, $6,960.5 and $6,960.")) == 2
    assert not figure_pattern("$0.62").findall("$0.62 million")
    assert figure_pattern("$0.62 million").findall("$0.62 million of shorts")


def test_mentions_count_prose_only(example_snapshot: MarketSnapshot) -> None:
    analysis = analyze(example_snapshot)
    facts = build_facts(example_snapshot, analysis)
    said = Mentions(facts)
    key = "liquidations.total_24h_usd"
    said.begin("metrics")
    said.end("metrics", "| 24-hour liquidations | $412 million |")  # the table is no prose
    said.begin("headline")
    said.end("headline", "Bitcoin tumbles as liquidations reach $412 million")
    said.begin("lead")
    assert said.fresh(key)
    said.end("lead", "$412 million of leveraged positions; $412 million again")
    said.begin("why_it_matters")
    assert not said.fresh(key) and said.said("$412 million") == 2


@pytest.mark.parametrize(("text", "wrong"), [
    ("Liquidations totalled $412 million on BitMEX, OKEx and Bitfinex over 24 hours. In the latest hour, "
     "$48.2 million was liquidated on those exchanges.", set()),
    # "on those exchanges" stands in no window's way: the figure before it is still the one the window speaks of
    ("Liquidations totalled $412 million on BitMEX, OKEx and Bitfinex over 24 hours. Another $48.2 million was "
     "liquidated on those exchanges over 24 hours.", {"24 hours"}),
    ("$412 million was liquidated on those exchanges in the latest hour.", {"latest hour"}),
    ("A flush of that size resets much of that leverage; the broken support now stands overhead.", set()),
])
def test_back_references_keep_the_scope_of_the_figures(example_snapshot: MarketSnapshot, text: str,
                                                       wrong: set[str]) -> None:
    facts = build_facts(example_snapshot, analyze(example_snapshot))
    report = check_article(text, facts)
    assert {m.text for m in report.failures} == wrong, report.to_text()
