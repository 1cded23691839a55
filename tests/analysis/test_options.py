"""Options expiry analysis: max pain, put/call ratio and notional, against a hand-checked book and the recorded one."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.analysis.options import max_pain, options_expiry, payout
from generator.snapshot import OptionContract, OptionsBook, Provenance
from generator.sources import deribit
from generator.sources.base import FetchContext
from generator.sources.http import Client, HttpOptions, make_session
from generator.sources.recording import Cassette, ReplayAdapter

NOW = datetime(2024, 12, 23, 7, 0, tzinfo=timezone.utc)
FRI = datetime(2024, 12, 27, 8, 0, tzinfo=timezone.utc)
CASSETTE = Path(__file__).resolve().parents[1] / "sources" / "cassettes" / "deribit.yaml"


def opt(strike: float, kind: str, oi: float, expiry: datetime = FRI) -> OptionContract:
    name = f"BTC-{expiry.day}{expiry:%b}{expiry:%y}-{strike:g}-{kind[0].upper()}".upper()
    return OptionContract(instrument=name, expiry=expiry, strike=strike, kind=kind, open_interest=oi)  # type: ignore[arg-type]


def book(contracts: list[OptionContract], index: float = 100.0) -> OptionsBook:
    return OptionsBook(venue="Deribit", index_price=index, contracts=contracts,
                       source=Provenance(provider="test", fetched_at=NOW, as_of=NOW))


# A small book checked by hand. Calls: 90 x 10, 100 x 5; puts: 110 x 20, 100 x 4.
# Payout at 90: calls 0; puts (110-90)*20 + (100-90)*4 = 440.
# Payout at 100: calls (100-90)*10 = 100; puts (110-100)*20 = 200 -> 300.
# Payout at 110: calls 20*10 + 10*5 = 250; puts 0 -> 250.  Max pain: 110.
SMALL = [opt(90, "call", 10), opt(100, "call", 5), opt(110, "put", 20), opt(100, "put", 4)]


def test_hand_checked_payouts_and_max_pain() -> None:
    assert [payout(SMALL, k) for k in (90, 100, 110)] == [440, 300, 250]
    assert max_pain(SMALL) == 110


def test_hand_checked_expiry_figures() -> None:
    result = options_expiry(book(SMALL, index=100.0), NOW)
    assert result is not None
    assert result.expiry == FRI and result.max_pain == 110
    assert result.put_call_ratio == pytest.approx(24 / 15)
    assert result.expiry_notional_usd == pytest.approx(39 * 100.0)
    assert result.total_notional_usd == pytest.approx(39 * 100.0) and result.share_pct == pytest.approx(100)


def test_ties_take_the_lowest_strike() -> None:
    tie = [opt(100, "call", 1), opt(120, "put", 1)]  # payout at 100: the put's 20; at 120: the call's 20
    assert payout(tie, 100) == payout(tie, 120) == 20
    assert max_pain(tie) == 100


def test_the_nearest_expiry_below_the_threshold_is_passed_over() -> None:
    later = FRI + timedelta(weeks=1)
    contracts = [opt(100, "call", 2), opt(100, "put", 1)] + [opt(k, "call", 50, later) for k in (90, 110)] + \
        [opt(95, "put", 47, later)]
    result = options_expiry(book(contracts), NOW, min_share_pct=5.0)  # the first holds 3 of 150: 2%
    assert result is not None and result.expiry == later
    assert options_expiry(book(contracts), NOW, min_share_pct=1.0).expiry == FRI  # type: ignore[union-attr]


def test_expired_options_and_a_book_with_nothing_open_give_nothing() -> None:
    past = NOW - timedelta(days=1)
    assert options_expiry(book([opt(100, "call", 5, past)]), NOW) is None
    assert options_expiry(book([opt(100, "call", 0), opt(100, "put", 0)]), NOW) is None


def test_no_calls_means_no_ratio() -> None:
    result = options_expiry(book([opt(100, "put", 3)]), NOW)
    assert result is not None and result.put_call_ratio is None and result.max_pain == 100


@pytest.mark.parametrize(("puts", "calls", "ratio"), [(300, 3, 100.0), (301, 3, None), (3, 300, 0.01), (3, 301, None)])
def test_a_ratio_beyond_100_to_1_is_left_out(puts: float, calls: float, ratio: float | None) -> None:
    result = options_expiry(book([opt(100, "put", puts), opt(100, "call", calls)]), NOW)
    assert result is not None
    assert result.put_call_ratio == (pytest.approx(ratio) if ratio else None)


# --- the recorded book (tests/sources/cassettes/deribit.yaml) --------------------------------------------------


@pytest.fixture(scope="module")
def recorded() -> OptionsBook:
    client = Client("deribit", "https://www.deribit.com/api/v2", make_session(ReplayAdapter(Cassette.load(CASSETTE))),
                    HttpOptions())
    value: OptionsBook = deribit.fetch_options(client, FetchContext("BTC", "BTC", NOW)).value
    return value


def test_max_pain_equals_a_brute_force_reference_on_the_recorded_book(recorded: OptionsBook) -> None:
    result = options_expiry(recorded, NOW)
    assert result is not None
    group = [c for c in recorded.contracts if c.expiry == result.expiry]
    # Brute force: every settlement price on a $10 grid across the strikes, the holders' payout summed plainly.
    lo, hi = int(min(c.strike for c in group)), int(max(c.strike for c in group))

    def paid(settle: float) -> float:
        total = 0.0
        for c in group:
            total += c.open_interest * ((settle - c.strike) if c.kind == "call" and settle > c.strike else
                                        (c.strike - settle) if c.kind == "put" and settle < c.strike else 0.0)
        return total

    best = min(range(lo, hi + 1, 10), key=lambda s: (paid(s), s))
    assert result.max_pain == best
    assert len({c.strike for c in group}) > 24  # dozens of strikes: the search is no formality


def test_ratio_and_totals_equal_sums_over_the_recorded_instruments(recorded: OptionsBook) -> None:
    result = options_expiry(recorded, NOW)
    assert result is not None
    live = [c for c in recorded.contracts if c.expiry > NOW]
    group = [c for c in live if c.expiry == result.expiry]
    puts = sum(c.open_interest for c in group if c.kind == "put")
    calls = sum(c.open_interest for c in group if c.kind == "call")
    assert result.put_call_ratio == pytest.approx(puts / calls)
    assert result.expiry_notional_usd == pytest.approx((puts + calls) * recorded.index_price)
    assert result.total_notional_usd == pytest.approx(sum(c.open_interest for c in live) * recorded.index_price)
    # The expiry chosen is the nearest with 5% of the book: every nearer one holds less.
    for expiry in {c.expiry for c in live if c.expiry < result.expiry}:
        share = sum(c.open_interest for c in live if c.expiry == expiry) / sum(c.open_interest for c in live)
        assert share < 0.05
    assert result.share_pct >= 5.0
