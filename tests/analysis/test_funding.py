"""Funding across venues (generator/analysis/funding.py), against figures worked by hand."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from generator.analysis.funding import funding_across
from generator.snapshot import Provenance, VenueFunding

T = datetime(2018, 6, 18, 0, 5, tzinfo=timezone.utc)
SRC = Provenance(provider="illustrative", fetched_at=T, as_of=T)


def venue(name: str, rate: float, hours: float = 8, oi: float | None = 100e6) -> VenueFunding:
    return VenueFunding(venue=name, rate=rate, interval_hours=hours, open_interest_usd=oi, source=SRC)


def test_the_weighted_average_and_the_outlier_by_hand() -> None:
    # Per 8 hours: Binance -0.0300% on $500M, Bybit -0.0250% on $300M, OKX +0.0100% (0.0050% per 4 hours) on $200M.
    # Average: (-0.03 x 500 - 0.025 x 300 + 0.01 x 200) / 1000 = (-15 - 7.5 + 2) / 1000 = -0.0205%.
    # Distances: Binance 0.0095, Bybit 0.0045, OKX 0.0305 percentage points: OKX is farthest, beyond 0.01.
    got = funding_across([venue("Binance", -0.0003, oi=500e6), venue("Bybit", -0.00025, oi=300e6),
                          venue("OKX", 0.00005, hours=4, oi=200e6)], outlier_pp=0.01)
    assert got is not None
    assert got.average_pct == pytest.approx(-0.0205)
    assert [v.rate_per_common_pct for v in got.venues] == pytest.approx([-0.03, -0.025, 0.01])
    assert got.farthest == "OKX" and got.farthest_gap_pct == pytest.approx(0.0305)
    assert got.outlier == "OKX"
    assert got.highest == "OKX" and got.lowest == "Binance"
    assert (got.positive, got.negative, got.zero) == (1, 2, 0)


def test_no_outlier_within_the_threshold() -> None:
    # -0.0100 and -0.0120 on equal OI: average -0.0110, each 0.0010 away (a tie: no farthest, no outlier).
    got = funding_across([venue("Binance", -0.0001), venue("Bybit", -0.00012)], outlier_pp=0.01)
    assert got is not None and got.average_pct == pytest.approx(-0.011)
    assert got.farthest is None and got.outlier is None
    # Three venues, the farthest 0.0067 pp away: farthest, but not an outlier at 0.01.
    got = funding_across([venue("Binance", -0.0001), venue("Bybit", -0.0001), venue("OKX", 0.0)], outlier_pp=0.01)
    assert got is not None and got.average_pct == pytest.approx(-0.0066667, abs=1e-6)
    assert got.farthest == "OKX" and got.outlier is None and got.zero == 1


def test_without_every_venue_open_interest_the_average_is_left_out() -> None:
    got = funding_across([venue("Binance", 0.0001), venue("OKX", 0.0002, oi=None)], outlier_pp=0.01)
    assert got is not None and got.average_pct is None and got.outlier is None and got.farthest is None
    assert got.average_left_out is not None and "OKX" in got.average_left_out
    assert got.highest == "OKX" and got.positive == 2  # order and signs need no weights


def test_ties_as_printed_have_no_highest_and_a_zero_rate_no_sign() -> None:
    got = funding_across([venue("Binance", 0.0001), venue("Bybit", 0.0001000004), venue("OKX", 0.0000004)],
                         outlier_pp=0.01)
    assert got is not None and got.highest is None and got.lowest == "OKX"
    assert (got.positive, got.negative, got.zero) == (2, 0, 1)


def test_one_venue_is_no_comparison() -> None:
    assert funding_across([venue("Binance", 0.0001)], outlier_pp=0.01) is None
