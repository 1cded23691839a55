"""The example with illustrative peers and whole-market data (not real market data), for the peers' tests.

examples/btc-2018-02-06.json (Bitcoin down 14.72% on the day by its candles) plus CoinGecko-shaped /global figures
(total cap $293 billion, down 11.84%, dominance 40.12%) and Binance-shaped peer moves: Ether -21.30%, Solana
-9.50%, XRP +2.10%. The day is down (the four average -10.86%): Ether led the decline, XRP held up best, the
altcoins (mean -9.57%) fell less than Bitcoin, and dominance fell 1.35 percentage points (41.47% a day before).
"""

from __future__ import annotations

from generator.snapshot import GlobalMarket, MarketSnapshot, PeerMove, Peers, Provenance

MOVES = (("ETH", 848.1, -21.30), ("SOL", 1.1, -9.50), ("XRP", 0.67, 2.10))


def with_peers(snap: MarketSnapshot, moves: tuple[tuple[str, float, float], ...] = MOVES,
               market: bool = True) -> MarketSnapshot:
    """``snap`` with the illustrative peers (and, with ``market``, the whole market)."""
    source = Provenance(provider="illustrative", fetched_at=snap.as_of, as_of=snap.as_of, note="illustrative")
    update: dict[str, object] = {}
    if moves:
        update["peers"] = Peers(moves=[PeerMove(asset=a, price=p, change_24h_pct=c) for a, p, c in moves],
                                source=source)
    if market:
        update["market"] = GlobalMarket(total_market_cap_usd=2.931e11, market_cap_change_24h_pct=-11.84,
                                        btc_dominance_pct=40.12, source=source)
    return snap.model_copy(update=update)
