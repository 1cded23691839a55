"""What the templates say about funding across venues: which venues, each one's sign as printed, the sign all
share, and the order words the analysis backs (analysis/funding.py). None with fewer than two venues."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from generator.facts import FactSet
from generator.funding_facts import venue_slug

SignWord = Literal["positive", "negative", "zero"]


class VenueLine(BaseModel):
    key: str  # the rate's fact key
    name: str
    sign: SignWord
    interval_key: str


class FundingVenuesStory(BaseModel):
    venues: list[VenueLine]
    all_sign: SignWord | None  # the sign every venue shares, as printed; None when they differ
    same_interval: bool  # every venue settles on the same interval (said once)
    groups: list[tuple[SignWord, list[VenueLine]]]  # venues by sign, in the order of the first of each
    outlier: str | None
    highest: str | None
    average: bool  # the open-interest-weighted average is a fact
    table: list[VenueLine]  # rows for the metrics table: every venue but the chain's (its own row is there)


def read_funding_venues(facts: FactSet, venue_names: list[str], chain_venue: str | None) -> FundingVenuesStory | None:
    lines = []
    for name in venue_names:
        slug = venue_slug(name)
        fact = facts.get(f"funding.venue_{slug}_rate_pct")
        if fact is None:
            return None
        digits = fact.display.strip("-−%").replace(".", "").strip("0")
        sign: SignWord = "zero" if not digits else "negative" if fact.display.startswith(("-", "−")) else "positive"
        lines.append(VenueLine(key=fact.key, name=name, sign=sign, interval_key=f"funding.venue_{slug}_interval_hours"))
    if len(lines) < 2:
        return None
    signs = {v.sign for v in lines}
    groups: list[tuple[SignWord, list[VenueLine]]] = []
    for v in lines:
        for s, members in groups:
            if s == v.sign:
                members.append(v)
                break
        else:
            groups.append((v.sign, [v]))
    intervals = {facts[v.interval_key].display for v in lines}
    highest, outlier = facts.get("funding.highest_venue"), facts.get("funding.outlier_venue")
    if signs == {"zero"}:  # every rate prints 0.0000%: "highest" would rest on digits the article does not show
        highest = outlier = None
    return FundingVenuesStory(
        venues=lines, all_sign=next(iter(signs)) if len(signs) == 1 else None,
        same_interval=len(intervals) == 1,
        groups=groups, outlier=str(outlier.value) if outlier else None, highest=str(highest.value) if highest else None,
        average="funding.average_pct" in facts, table=[v for v in lines if v.name != chain_venue],
    )
