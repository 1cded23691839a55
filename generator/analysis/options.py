"""Options expiry: the nearest expiry that matters, its max-pain strike, put/call ratio and notional.

Pure functions over an :class:`~generator.snapshot.OptionsBook`. Open interest is in coins of the underlying
(a Deribit option is one coin); it is valued at the venue's index price.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from generator.analysis.models import OptionsExpiry
from generator.snapshot import OptionContract, OptionsBook

# An expiry "matters" when it holds at least this share of all the book's open interest: the daily and
# weekly ones that expire with a few percent of it are noise; the monthly and quarterly ones are the news.
MIN_EXPIRY_SHARE_PCT = 5.0
# A put/call ratio beyond 100 to 1 either way says "nearly all puts" (or calls), not a figure worth quoting: it
# is left out, as it is without any calls.
MAX_PUT_CALL_RATIO = 100.0


def payout(contracts: Sequence[OptionContract], settle: float) -> float:
    """What option holders are paid (USD) if the expiry settles at ``settle``: calls above, puts below."""
    return sum(c.open_interest * (max(0.0, settle - c.strike) if c.kind == "call" else max(0.0, c.strike - settle))
               for c in contracts)


def max_pain(contracts: Sequence[OptionContract]) -> float:
    """The strike at which holders' total payout is lowest (the lowest such strike when several tie).

    The payout is piecewise linear in the settlement price with its corners at the strikes, so its minimum
    lies on a strike: only the strikes need trying.
    """
    strikes = sorted({c.strike for c in contracts})
    return min(strikes, key=lambda k: (payout(contracts, k), k))


def options_expiry(book: OptionsBook, now: datetime, min_share_pct: float = MIN_EXPIRY_SHARE_PCT
                   ) -> OptionsExpiry | None:
    """The nearest expiry after ``now`` holding at least ``min_share_pct`` of the open interest, or None."""
    live = [c for c in book.contracts if c.expiry > now]
    total = sum(c.open_interest for c in live)
    if total <= 0:
        return None
    by_expiry: dict[datetime, list[OptionContract]] = {}
    for c in live:
        by_expiry.setdefault(c.expiry, []).append(c)
    for expiry in sorted(by_expiry):
        group = by_expiry[expiry]
        coins = sum(c.open_interest for c in group)
        if coins <= 0 or coins / total * 100 < min_share_pct:
            continue
        calls = sum(c.open_interest for c in group if c.kind == "call")
        puts = coins - calls
        return OptionsExpiry(
            expiry=expiry, max_pain=max_pain([c for c in group if c.open_interest > 0]),
            put_call_ratio=_ratio(puts, calls),
            expiry_open_interest=coins, expiry_notional_usd=coins * book.index_price,
            total_open_interest=total, total_notional_usd=total * book.index_price,
            share_pct=coins / total * 100, contracts=len(group), index_price=book.index_price,
        )
    return None


def _ratio(puts: float, calls: float) -> float | None:
    if calls <= 0 or not 1 / MAX_PUT_CALL_RATIO <= puts / calls <= MAX_PUT_CALL_RATIO:
        return None
    return puts / calls
