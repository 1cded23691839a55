"""The peers' 24h moves as facts, the day's ranking of the asset and its peers, and Bitcoin dominance's change.

Each peer's 24h change is a fact of its own (``peers.eth.change_24h_pct``) whose meaning names the peer
(``asset: eth``), so "Ether fell 4.10%" binds to it and not to the article's asset. Who led and who lagged is
not stored: it is read from the changes by :func:`ranking`, the one definition the templates (through the story)
and the fact-check's predicates share.

Dominance 24 hours ago is derived, not fetched (CoinGecko /global gives only the current share): with Bitcoin's
market cap moving as its price (its supply grows about 0.001% a day, negligible here),
``dominance_24h_ago = dominance_now * (1 + market_cap_change_24h) / (1 + btc_change_24h)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from generator.facts import format_number
from generator.snapshot import MarketSnapshot

if TYPE_CHECKING:
    from generator.facts import Fact, FactSet, _Builder

Way = Literal["up", "down"]


def peer_key(ticker: str) -> str:
    """'ETH' -> 'peers.eth.change_24h_pct'."""
    return f"peers.{ticker.lower()}.change_24h_pct"


def format_points(value: float) -> str:
    """'0.42 percentage points' (a change of a share, not a percentage of it)."""
    return f"{format_number(value, 2)} percentage points"


def add_peers(b: _Builder, snapshot: MarketSnapshot) -> None:
    """The peers' 24h changes, and dominance's 24h change when the market's and Bitcoin's changes are both known."""
    if (peers := snapshot.peers) is not None:
        for move in peers.moves:
            if move.asset != snapshot.asset:
                b.add(peer_key(move.asset), move.change_24h_pct, "percent", f"{move.asset} 24h change", peers.source)
    mkt = snapshot.market
    btc = b.facts.get("price.change_24h_pct") if snapshot.asset == "BTC" else b.facts.get(peer_key("BTC"))
    if mkt is None or mkt.btc_dominance_pct is None or mkt.market_cap_change_24h_pct is None or btc is None:
        return
    before = mkt.btc_dominance_pct * (1 + mkt.market_cap_change_24h_pct / 100) / (1 + float(btc.value) / 100)
    b.add("market.btc_dominance_change_24h_pp", mkt.btc_dominance_pct - before, "percent",
          "Bitcoin dominance, 24h change (percentage points)", mkt.source, formatter=format_points)


@dataclass(frozen=True)
class Ranking:
    """The day's moves of the asset and its peers: their way (the sign of their mean), the strongest and the weakest.

    The leader is the largest move the day's way: the strongest on a day up, the weakest on a day down.
    """

    changes: dict[str, Fact]  # ticker (the article's asset's too) -> its 24h change fact
    way: Way | None  # None: the moves average to zero
    top: str | None  # the highest change (None: a tie as printed)
    bottom: str | None  # the lowest change (None: a tie as printed)

    def change(self, ticker: str) -> float | None:
        fact = self.changes.get(ticker)
        return float(fact.value) if fact is not None else None

    def leader(self, way: Way | None = None) -> str | None:
        """Who led the move ``way`` (default: the day's): the largest move that way, if it went that way at all."""
        way = way or self.way
        ticker = self.top if way == "up" else self.bottom if way == "down" else None
        value = self.change(ticker) if ticker is not None else None
        return ticker if value is not None and (value > 0) == (way == "up") and value != 0 else None

    def altcoins(self) -> float | None:
        """The mean 24h change of the group's altcoins (every member but Bitcoin); None without Bitcoin or them."""
        alts = [float(f.value) for t, f in self.changes.items() if t != "BTC"]
        return sum(alts) / len(alts) if alts and "BTC" in self.changes else None


def group_changes(facts: FactSet) -> dict[str, Fact]:
    """Ticker -> 24h change of the article's asset and each peer the facts have (empty without peers)."""
    asset = facts.get("article.asset")
    own = facts.get("price.change_24h_pct")
    peers = {str(f.meaning.tags["asset"][0]).upper(): f for f in facts
             if f.meaning.family == "peers.{peer}.change_24h_pct"}
    if not peers or asset is None or own is None:
        return {}
    return {str(asset.value): own, **peers}


def ranking(facts: FactSet) -> Ranking | None:
    """The day's ranking of the asset and its peers; None without peers."""
    changes = group_changes(facts)
    if len(changes) < 2:
        return None
    values = {t: float(f.value) for t, f in changes.items()}
    mean = sum(values.values()) / len(values)
    way: Way | None = "up" if mean > 0 else "down" if mean < 0 else None

    def alone(ticker: str) -> str | None:  # a tie as printed names no one
        shown = changes[ticker].display
        return ticker if sum(1 for f in changes.values() if f.display == shown) == 1 else None

    return Ranking(changes, way, alone(max(values, key=values.__getitem__)), alone(min(values, key=values.__getitem__)))
