"""Illustrative funding on three venues for tests (not real data): Binance, Bybit and OKX, with open interest.

MIXED (per 8 hours): Binance -0.0150% on $500 million, Bybit 0.0100% on $300 million, OKX 0.0400% on
$200 million. Worked by hand: the open-interest-weighted average is (-0.015 x 500 + 0.01 x 300 + 0.04 x 200) /
1000 = 0.0035%; the distances are 0.0185, 0.0065 and 0.0365 percentage points, so OKX is the outlier (beyond
0.01) and the highest, Binance the lowest; two venues positive, one negative.
"""

from __future__ import annotations

from generator.snapshot import MarketSnapshot, Provenance, VenueFunding

MIXED = (("Binance", -0.00015, 500e6), ("Bybit", 0.0001, 300e6), ("OKX", 0.0004, 200e6))
NEGATIVE = (("Binance", -0.000312, 520e6), ("Bybit", -0.00025, 330e6), ("OKX", -0.000061, 200e6))
POSITIVE = (("Binance", 0.0001, 520e6), ("Bybit", 0.00012, 330e6), ("OKX", 0.00011, 200e6))


def with_funding_venues(snapshot: MarketSnapshot, rates: tuple[tuple[str, float, float | None], ...] = MIXED,
                        hours: float = 8.0) -> MarketSnapshot:
    """The snapshot with funding on these venues, dated at its own moment and labelled illustrative."""
    src = Provenance(provider="illustrative", fetched_at=snapshot.as_of, as_of=snapshot.as_of,
                     note="Illustrative funding for tests: not real market data.")
    venues = [VenueFunding(venue=v, rate=r, interval_hours=hours, open_interest_usd=oi, source=src) for v, r, oi in rates]
    return snapshot.model_copy(update={"funding_venues": venues})
