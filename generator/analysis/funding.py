"""Funding across venues: each venue's rate per one interval, the open-interest-weighted average, the order and
the outlier.

Rates are normalised to ``per_hours`` (8 hours, the interval of the major venues' BTC perpetuals): a venue
settling every 4 hours at 0.01% pays 0.02% per 8 hours. The average weighs each venue's normalised rate by its
open interest in USD, and only when every venue gave its open interest: equal weights would let a small venue
move the figure as much as the largest, so without them the average (and so the outlier) is left out, with the
reason. The outlier is the venue farthest from the average, only when it is more than ``outlier_pp``
percentage points away (the threshold is data: rules/claims.yaml, settings: funding_venues). Signs and order
are read at the precision the article prints (``decimals`` of a percent), so a rate printed as 0.0000% is
neither positive nor negative, and two rates printed alike are a tie, with no "highest".
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.analysis.models import FundingAcross, VenueRate
from generator.snapshot import VenueFunding

PER_HOURS = 8.0
DECIMALS = 4  # exchanges quote funding to four decimals of a percent (facts.FUNDING_DECIMALS)


def _unique(ranked: list[tuple[float, str]]) -> str | None:
    """The first name of a ranking, unless the second ties it."""
    if len(ranked) < 2 or ranked[0][0] == ranked[1][0]:
        return None
    return ranked[0][1]


def funding_across(venues: Sequence[VenueFunding], outlier_pp: float, per_hours: float = PER_HOURS,
                   decimals: int = DECIMALS) -> FundingAcross | None:
    """The venues' funding compared; None with fewer than two venues (nothing to compare)."""
    if len(venues) < 2:
        return None
    rates = [VenueRate(venue=v.venue, rate_pct=v.rate * 100, interval_hours=v.interval_hours,
                       rate_per_common_pct=v.rate * 100 * per_hours / v.interval_hours,
                       open_interest_usd=v.open_interest_usd) for v in venues]
    shown = {r.venue: round(r.rate_per_common_pct, decimals) for r in rates}
    signs = [round(r.rate_pct, decimals) for r in rates]
    without = [r.venue for r in rates if r.open_interest_usd is None]
    average: float | None = None
    left_out = None
    if without:
        left_out = f"no open interest from {', '.join(without)}: the weighted average needs every venue's"
    else:
        total = sum(r.open_interest_usd or 0.0 for r in rates)
        average = sum(r.rate_per_common_pct * (r.open_interest_usd or 0.0) for r in rates) / total
    farthest = gap = None
    if average is not None:
        mean = round(average, decimals)
        far = sorted((-round(abs(shown[r.venue] - mean), decimals), r.venue) for r in rates)
        farthest = _unique(far)
        gap = -far[0][0] if farthest is not None else None
    return FundingAcross(
        per_hours=per_hours,
        venues=rates,
        average_pct=average,
        average_left_out=left_out,
        highest=_unique(sorted((-shown[r.venue], r.venue) for r in rates)),
        lowest=_unique(sorted((shown[r.venue], r.venue) for r in rates)),
        farthest=farthest,
        farthest_gap_pct=gap,
        outlier=farthest if gap is not None and gap > outlier_pp else None,
        outlier_pp=outlier_pp,
        positive=sum(1 for s in signs if s > 0),
        negative=sum(1 for s in signs if s < 0),
        zero=sum(1 for s in signs if s == 0),
    )
