"""Predicates for claims about the asset against its peers: who led the day's move, who held up best or lagged, and
how one moved against another or against the altcoins ("Ether led the decline", "the altcoins fell harder than
Bitcoin", "Bitcoin outperformed").

They read the day's ranking of generator/peer_facts.py, the one the templates print from: the changes of the asset
and each peer, the day's way (the sign of their mean), the highest and the lowest. A peer the data has no move of
makes the claim unsupported; a claim the moves contradict is flagged.
"""

from __future__ import annotations

from generator.factcheck.claim import Claim
from generator.factcheck.index import FactIndex
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.facts import format_percent
from generator.peer_facts import Ranking, Way, ranking

_NO_PEERS = "the data has no peers' 24h moves"
_WAY_WORDS = {"up": "rose", "down": "fell"}


def _none(why: str) -> Judgement:
    return Judgement("unsupported", None, None, why)


def _listing(r: Ranking) -> str:
    return ", ".join(f"{t} {f.display}" for t, f in sorted(r.changes.items(), key=lambda tf: float(tf[1].value)))


def peer_rank(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'Ether led the decline' (the largest move that way), 'XRP held up best' (the highest change), 'Solana lagged'
    (the lowest)."""
    r = ranking(index.facts)
    if r is None:
        return _none(_NO_PEERS)
    ticker = claim.args.get("asset_name", "").upper()
    if ticker not in r.changes:
        return _none(f"the data has no 24h move of {ticker or 'that asset'}")
    rank = claim.args.get("peer_rank")
    fact = r.changes[ticker]
    moves = _listing(r)
    if rank == "lead":
        said = claim.args.get("move_noun") or claim.args.get("tally_noun") or r.way
        if said not in ("up", "down"):
            return None
        way: Way = "up" if said == "up" else "down"
        who = r.leader(way)
        if who is None:
            if (r.top if way == "up" else r.bottom) is None:
                return _none(f"two of them tie as printed ({moves})")
            return Judgement("direction", fact, None, f"none of them {_WAY_WORDS[way]} ({moves})")
        what = f"the largest {'rise' if way == 'up' else 'fall'}"
    elif rank in ("weak", "strong"):
        who = r.bottom if rank == "weak" else r.top
        if who is None:
            return _none(f"two of them tie as printed ({moves})")
        what = "the lowest change" if rank == "weak" else "the highest change"
    else:
        return None
    why = f"{who} had {what} ({moves})"
    return Judgement("verified" if who == ticker else "mismatch", fact, r.changes[who].display, why)


def _side(r: Ranking, args: dict[str, str], which: str) -> tuple[str, float] | str | None:
    """The named side's label and change: an asset's, or the altcoins' mean; a reason when the data lacks it."""
    if args.get(f"alts_{which}"):
        mean = r.altcoins()
        return ("the altcoins", mean) if mean is not None else "the data has no Bitcoin and altcoin moves to compare"
    ticker = args.get(which, "").upper()
    if not ticker:
        return None
    value = r.change(ticker)
    return (ticker, value) if value is not None else f"the data has no 24h move of {ticker}"


def compare_moves(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'the altcoins fell harder than Bitcoin', 'Bitcoin rose less than Ether', 'Bitcoin outperformed (the altcoins)':
    the two changes against each other (the altcoins: their mean; no object: every other one of the group)."""
    r = ranking(index.facts)
    if r is None:
        return _none(_NO_PEERS)
    first, second = _side(r, claim.args, "first"), _side(r, claim.args, "second")
    if isinstance(first, str):
        return _none(first)
    if isinstance(second, str):
        return _none(second)
    if first is None:
        return None
    name, a = first
    if second is None:  # "Bitcoin outperformed": against each of the others
        others = [float(f.value) for t, f in r.changes.items() if t != name]
        if not others:
            return None
        out = claim.args.get("perform_verb") == "out"
        other, b = ("the best of the others" if out else "the weakest of the others"), (max(others) if out else min(others))
    else:
        other, b = second
    if round(a, 2) == round(b, 2):
        return _none(f"{name} and {other} moved the same as printed")
    fact = r.changes.get(name)
    why = f"{name} {format_percent(a, 2)}, {other} {format_percent(b, 2)}"
    perform = claim.args.get("perform_verb")
    if perform in ("out", "under"):
        return Judgement("verified" if (a > b) == (perform == "out") else "mismatch", fact, None, why)
    way, degree = claim.args.get("move_verb"), claim.args.get("compare_word")
    if way not in ("up", "down") or degree not in ("more", "less"):
        return None
    sign = 1 if way == "up" else -1
    if a * sign <= 0:  # "fell harder" of one that rose
        return Judgement("direction", fact, None, f"{why}: {name} did not {'rise' if way == 'up' else 'fall'}")
    further = a * sign > b * sign
    return Judgement("verified" if further == (degree == "more") else "mismatch", fact, None, why)
