"""The facts of funding across venues (analysis/funding.py): each venue's rate, the open-interest-weighted
average, how many venues are positive and negative, and which venue is highest, lowest and the outlier.

A venue's key is its prose name in lower case (``funding.venue_okx_rate_pct``); its meaning carries the venue,
so "funding on OKX" binds to OKX's rate and no other. Facts exist only with two or more venues; the average (and
so the outlier) only when every venue gave its open interest (analysis/funding.py says why).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from generator.analysis.models import FundingAcross
from generator.facts import FUNDING_DECIMALS, format_number
from generator.snapshot import MarketSnapshot

if TYPE_CHECKING:
    from generator.facts import _Builder


def venue_slug(venue: str) -> str:
    """'OKX' -> 'okx', 'Crypto.com' -> 'crypto_com': the venue's part of a fact key and tag."""
    return re.sub(r"[^a-z0-9]+", "_", venue.lower()).strip("_")


def add_funding_venues(b: _Builder, snapshot: MarketSnapshot, across: FundingAcross | None) -> None:
    """Add the per-venue funding facts; nothing with fewer than two venues."""
    if across is None or not snapshot.funding_venues:
        return
    sources = {v.venue: v.source for v in snapshot.funding_venues}
    first = snapshot.funding_venues[0].source
    for v in across.venues:
        slug, src = venue_slug(v.venue), sources[v.venue]
        hours = format_number(v.interval_hours)
        b.add(f"funding.venue_{slug}_rate_pct", v.rate_pct, "percent", f"Funding rate on {v.venue}", src,
              context=f"per {hours}-hour interval", decimals=FUNDING_DECIMALS)
        b.add(f"funding.venue_{slug}_interval_hours", v.interval_hours, "count",
              f"Funding interval on {v.venue} (hours)", src)
        b.add(f"windows.funding_venue_{slug}_interval", v.interval_hours, "hours", f"Funding interval on {v.venue}", src)
        b.add_text(f"funding.venue_{slug}_name", v.venue, v.venue, "Futures venue with funding", src)
    if len({v.interval_hours for v in across.venues}) == 1:  # "each per 8-hour interval"
        b.add("windows.funding_venues_interval", across.venues[0].interval_hours, "hours",
              "Funding interval of every venue", first)
    b.add("funding.venues_count", len(across.venues), "count", "Futures venues with funding", first)
    b.add("funding.venues_positive", across.positive, "count", "Venues with positive funding", first)
    b.add("funding.venues_negative", across.negative, "count", "Venues with negative funding", first)
    per = format_number(across.per_hours)
    b.add("funding.average_pct", across.average_pct, "percent",
          f"Funding rate, open-interest-weighted average (per {per} hours)", first,
          context=f"per {per} hours", decimals=FUNDING_DECIMALS)
    if across.average_pct is not None:
        b.add("windows.funding_average", across.per_hours, "hours", "Interval of the average funding rate", first)
    for rank in ("highest", "lowest", "outlier"):
        if (name := getattr(across, rank)) is not None:
            b.add_text(f"funding.{rank}_venue", name, name, f"Venue with the {rank} funding"
                       if rank != "outlier" else "Venue whose funding is the outlier", sources[name])
