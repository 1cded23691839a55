"""Every fault on each venue's funding (funding on every venue, registry.EVERY), against the replicas.

A venue whose funding fails is missing (``funding_venues.<provider>``, with the reason) and the other venues
stay: never a crash, never a number that venue did not give. A failed open-interest answer leaves only that
venue's open interest out.
"""

from __future__ import annotations

import pytest

from generator.analysis import analyze
from generator.snapshot import MarketSnapshot
from tests.sources.test_faults import FAULTS, _mentions, run
from tests.sources.venues import Venues

# provider -> (the venue's name, the funding endpoint to break, the open-interest endpoint)
VENUES = {
    "binance_futures": ("Binance", "/fapi/v1/premiumIndex", "/fapi/v1/openInterest"),
    "bybit": ("Bybit", "/v5/market/tickers", None),
    "okx": ("OKX", "/api/v5/public/funding-rate", "/api/v5/public/open-interest"),
}


def _fetch(venues: Venues, fault: str) -> MarketSnapshot:
    overrides = {"http_timeout_seconds": 0.25} if fault == "timeout" else {}
    return run(venues, "funding_venues", **overrides)


def test_every_venue_answers(venues: Venues) -> None:
    snapshot = run(venues, "funding_venues")
    assert [v.venue for v in snapshot.funding_venues or []] == ["Binance", "Bybit", "OKX"]
    assert not [k for k in snapshot.missing if k.startswith("funding_venues")]
    assert all(v.open_interest_usd and v.next_funding_time for v in snapshot.funding_venues or [])
    across = analyze(snapshot).funding_venues
    assert across is not None and across.average_pct is not None


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("provider", list(VENUES))
def test_a_venue_that_fails_is_missing_and_the_others_stay(venues: Venues, provider: str, fault: str) -> None:
    name, endpoint, _ = VENUES[provider]
    venues.fault(provider, endpoint, fault)
    snapshot = _fetch(venues, fault)
    got = {v.venue: v for v in snapshot.funding_venues or []}
    assert name not in got, f"{name} should be missing, got {got.get(name)}"
    assert set(got) == {n for n, _, _ in VENUES.values()} - {name}
    reason = snapshot.missing[f"funding_venues.{provider}"]
    assert f"{provider}:" in reason and _mentions(reason, fault), reason
    hits = venues.hits(provider, endpoint, **({"category": "linear"} if provider == "bybit" else {}))
    if fault in ("timeout", "429", "500", "502", "503"):
        assert hits == 2  # retried once (http_retries = 1), then given up
    elif fault in ("451", "malformed", "empty"):
        assert hits == 1
    # Two venues are still two: the analysis compares them, the absent one is in no figure.
    across = analyze(snapshot).funding_venues
    assert across is not None and name not in [v.venue for v in across.venues]


@pytest.mark.parametrize("provider", list(VENUES))
def test_429_with_retry_after_is_waited_for_and_retried(venues: Venues, provider: str) -> None:
    name, endpoint, _ = VENUES[provider]
    venues.fault(provider, endpoint, "429", times=1, retry_after="1")
    snapshot = run(venues, "funding_venues")
    assert name in [v.venue for v in snapshot.funding_venues or []]
    assert f"funding_venues.{provider}" not in snapshot.missing


@pytest.mark.parametrize("fault", ["503", "malformed", "empty", "timeout"])
@pytest.mark.parametrize("provider", ["binance_futures", "okx"])
def test_a_failed_open_interest_leaves_only_the_open_interest_out(venues: Venues, provider: str, fault: str) -> None:
    name, _, oi_endpoint = VENUES[provider]
    assert oi_endpoint is not None
    venues.fault(provider, oi_endpoint, fault)
    snapshot = _fetch(venues, fault)
    venue = next(v for v in snapshot.funding_venues or [] if v.venue == name)
    assert venue.open_interest_usd is None and "open interest left out" in (venue.source.note or "")
    across = analyze(snapshot).funding_venues
    # Without every venue's open interest there is no weighted average (no equal weights), and so no outlier.
    assert across is not None and across.average_pct is None and across.outlier is None
    assert name in (across.average_left_out or "")
