"""The peers' moves in words: which way each went as printed, who led the day and who held up or lagged, and
whether the altcoins moved harder than Bitcoin. The ranking itself is generator/peer_facts.py's (the fact-check's
predicates read the same one), so the article says only what the predicates verify."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from generator.facts import Fact, FactSet
from generator.peer_facts import peer_key, ranking

Way = Literal["up", "down"]


class PeerLine(BaseModel):
    """One peer as the article prints it: its fact, its prose name and the way its change prints."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    way: Way | None  # None: it prints as 0.00%


class PeerStory(BaseModel):
    """The peers' paragraph in words (fact keys and names; the figures come from the facts)."""

    model_config = ConfigDict(frozen=True)

    moves: list[PeerLine]
    way: Way | None  # the day's way: the sign of the group's mean change
    leader: str | None  # the prose name of who led the day's move
    # On a day down, who held up best (the highest change); on a day up, who lagged (the lowest).
    other: str | None
    # Bitcoin against the altcoins of the group (the others): "harder" (the altcoins moved more the day's way, both
    # that way), "softer" (Bitcoin did), "out" (the altcoins outperformed: higher, the two not the same way), "under".
    altcoins: Literal["harder", "softer", "out", "under"] | None = None


def printed_way(change: Fact | None) -> Way | None:
    """The way a change goes as printed: none when its figure prints as zero."""
    if change is None or not any(c in "123456789" for c in change.display):
        return None
    return "up" if float(change.value) > 0 else "down"


def read_peers(facts: FactSet, asset: str, names_of: dict[str, str]) -> PeerStory | None:
    """The peers' story (``names_of``: ticker -> prose name, the asset's own among them); None without peers."""
    r = ranking(facts)
    if r is None:
        return None
    names = {t: names_of.get(t, t) for t in r.changes}
    moves = [PeerLine(key=peer_key(t), name=names[t], way=printed_way(f)) for t, f in r.changes.items() if t != asset]
    leader = r.leader()
    other = (r.top if r.way == "down" else r.bottom) if leader is not None else None
    return PeerStory(moves=moves, way=r.way, leader=names.get(leader or ""), other=names.get(other or "")
                     if other != leader else None, altcoins=_altcoins(r.change("BTC"), r.altcoins(), r.way))


def _altcoins(btc: float | None, alts: float | None, way: Way | None) -> Literal["harder", "softer", "out", "under"] | None:
    if btc is None or alts is None or way is None or round(btc, 2) == round(alts, 2):
        return None
    sign = 1 if way == "up" else -1
    if btc * sign > 0 and alts * sign > 0:  # both went the day's way: which went further
        return "harder" if alts * sign > btc * sign else "softer"
    return "out" if alts > btc else "under"
