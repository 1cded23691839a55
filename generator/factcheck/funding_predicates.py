"""Predicates of funding across venues: the sign on every venue, and a venue's place in the order (highest,
lowest, the outlier). They read the facts of generator/funding_facts.py; a venue the data has no funding from
makes the claim unsupported, never passed."""

from __future__ import annotations

from generator.factcheck.claim import Claim
from generator.factcheck.index import FactIndex
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.factcheck.rulebook import RULES
from generator.facts import Fact
from generator.funding_facts import venue_slug

OUTLIER_PP = float(RULES.setting("funding_venues")["outlier_pp"])


def shown_sign(fact: Fact) -> int:
    """The sign of a rate as printed: one that prints as 0.0000% has none."""
    text = fact.display.replace(",", "")
    if not "".join(ch for ch in text if ch.isdigit()).strip("0"):
        return 0
    return -1 if text.lstrip().startswith(("-", "−")) else 1


def _none(why: str) -> Judgement:
    return Judgement("unsupported", None, None, why)


def venues_sign(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'funding is negative across all three venues': every venue's rate, as printed, has that sign."""
    word = claim.args.get("sign_word")
    count = index.facts.get("funding.venues_count")
    if count is None:
        return _none("the data has no funding on several venues")
    n = int(float(count.value))
    pos, neg = (int(float(index.facts[f"funding.venues_{s}"].value)) for s in ("positive", "negative"))
    have = {"positive": pos, "negative": neg, "zero": n - pos - neg}.get(str(word))
    if have is None:
        return None
    why = f"funding is {word} on {have} of the {n} venues (positive {pos}, negative {neg})"
    return Judgement("verified" if have == n else "direction", count, f"{have} of {n}", why)


def venue_sign(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'funding is positive on Bybit': the sign, as printed, of the rate of the venue the words name (the chain's
    own rate when that venue is the chain's; unsupported for a venue the data has no funding from)."""
    word, venue = claim.args.get("sign_word"), claim.args.get("futures_venue")
    fact = index.facts.get(f"funding.venue_{venue}_rate_pct")
    chain = index.facts.get("funding.chain_venue")
    if fact is None and chain is not None and venue_slug(str(chain.value)) == venue:
        fact = index.facts.get("funding.rate_pct")
    if fact is None:
        return _none(f"the data has no funding rate from {venue}")
    actual = {1: "positive", -1: "negative", 0: "zero"}[shown_sign(fact)]
    why = f"{fact.label} is {fact.display}, {actual}"
    return Judgement("verified" if word == actual else "direction", fact, fact.display, why)


def venue_rank(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """'OKX is the outlier', 'funding is highest on Bybit': the venue the analysis ranks so."""
    rank, venue = claim.args.get("funding_rank"), claim.args.get("futures_venue")
    if rank not in ("highest", "lowest", "outlier") or venue is None:
        return None
    names = {venue_slug(str(f.value)): str(f.value) for f in index.facts
             if f.key.startswith("funding.venue_") and f.key.endswith("_name")}
    if not names:
        return _none("the data has no funding on several venues")
    if venue not in names:
        return _none(f"the data has no funding from {venue} (venues: {', '.join(names.values())})")
    fact = index.facts.get(f"funding.{rank}_venue")
    if fact is None:
        if rank == "outlier":
            if "funding.average_pct" not in index.facts:
                return _none("no open-interest-weighted average to measure an outlier against")
            why = f"no venue's funding is more than {OUTLIER_PP:g} percentage points from the average"
        else:
            why = f"no single venue has the {rank} funding (a tie as printed)"
        return Judgement("mismatch", index.facts["funding.venues_count"], "none", why)
    said = names[venue]
    why = f"the {rank} funding is on {fact.value}" if rank != "outlier" else f"the outlier is {fact.value}"
    return Judgement("verified" if str(fact.value) == said else "mismatch", fact, str(fact.value), why)
