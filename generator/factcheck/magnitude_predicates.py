"""The predicate for magnitude words: "surged", "a sell-off", "a flush", "a long squeeze".

Such a word says a size is large against a baseline, so it is true only when the data holds that baseline's
multiple (magnitude_facts.py: the move against the asset's average move, the hour's liquidations against the
trailing hourly average) and the multiple reaches the threshold. Which multiple each scale of words needs and
the threshold are data: rules/claims.yaml, settings: magnitude. A word whose window has no baseline in the data
(the 24-hour liquidation total) is unsupported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.factcheck.claim import Claim
from generator.factcheck.index import FactIndex
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.factcheck.rulebook import RULES
from generator.facts import Fact

SCALES: Mapping[str, Mapping[str, Any]] = RULES.setting("magnitude")


def threshold(scale: str) -> float:
    """The least multiple of its baseline a size needs for a magnitude word of ``scale`` (move, liquidations)."""
    return float(SCALES[scale]["threshold"])


def _multiples(index: FactIndex, metric: str, window: str) -> list[Fact]:
    return [f for f in index.facts if f.unit == "ratio" and f.meaning.has("metric", metric)
            and f.meaning.has("aspect", "multiple") and f.meaning.has("window", window)]


def magnitude(claim: Claim, index: FactIndex, layout: Layout) -> Judgement | None:
    """The multiple of the window the words are about is at least the scale's threshold."""
    scale = SCALES.get(claim.args.get("scale", ""))
    if scale is None:
        return None
    words = " ".join(layout.masked[claim.start : claim.end].split())
    named = claim.args.get("asset_name")
    if named is not None and index.asset is not None and named.upper() != index.asset:
        # ("Ether surged" in a Bitcoin article: the baselines are the article's asset's, none is a peer's; an asset
        # the data has no move of is another asset's news, its figure unsupported already: no claim of ours)
        if named.lower() not in {ticker for ticker, _ in index.peers}:
            return None
        return Judgement("unsupported", None, None, f"'{words}' says {named}'s move is large against its own "
                         "average move; the data has no such baseline for it")
    windows = list(dict.fromkeys(w for f in claim.subject for w in f.meaning.tags.get("window", ())))
    if not windows:
        windows = [str(scale["default_window"])]
    elif str(scale["default_window"]) in windows:
        windows = [str(scale["default_window"])]  # words naming both windows: the one a baseline exists for
    window = windows[0]
    found = _multiples(index, str(scale["metric"]), window)
    if not found:
        return Judgement("unsupported", None, None,
                         f"'{words}' says the {window} figure is large against {scale['baseline']}; "
                         f"the data has no such baseline for it")
    fact = max(found, key=lambda f: float(f.value))
    need = float(scale["threshold"])
    ok = float(fact.value) >= need
    why = (f"{fact.label} is {fact.display} times" + (f", at least {need:g}" if ok else f", below the {need:g} "
           f"times a magnitude word ('{words}') needs"))
    return Judgement("verified" if ok else "mismatch", fact, fact.display, why)
