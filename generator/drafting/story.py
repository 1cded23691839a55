"""The qualitative reading of the facts: direction, bands, scope and scenario levels.

Templates take their mood words from here, so "rallied", "oversold" or
"extreme fear" appear only when the data says so. No numbers are made here:
levels are referred to by fact key.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from generator.analysis.models import Analysis
from generator.drafting.funding_story import FundingVenuesStory, read_funding_venues
from generator.drafting.history_story import HistoryStory, read_history
from generator.drafting.peer_story import PeerStory, printed_way, read_peers
from generator.fact_catalogue import meaning_of
from generator.fact_invariants import check_story
from generator.factcheck.magnitude_predicates import threshold
from generator.facts import FUNDING_DECIMALS, Fact, FactSet, fear_greed_band, rsi_band
from generator.snapshot import MarketSnapshot

ASSET_NAMES = {"BTC": "Bitcoin", "ETH": "Ether", "SOL": "Solana", "XRP": "XRP", "BNB": "BNB", "DOGE": "Dogecoin"}
TIMEFRAME_WORDS = {
    "1m": "1-minute", "5m": "5-minute", "15m": "15-minute", "30m": "30-minute",
    "1h": "hourly", "4h": "4-hour", "1d": "daily", "1w": "weekly",
}
FLAT_PCT = 0.5  # a 24h change smaller than this is "little changed"
LOPSIDED_SHARE = 60.0  # percent of liquidations on one side to call it one-sided
FLAT_1H_PCT = 0.2  # an hour's move smaller than this is "little changed"
# A move is sharp, and an hour's liquidations a spike, when its multiple of its baseline reaches the rule book's
# threshold (rules/claims.yaml, settings: magnitude): the same figure the fact-check holds a strong word to.

# Level facts in order of preference when two sit at the same price.
LEVEL_KEYS = (
    "levels.broken", "levels.crossed", "levels.fib_0_236", "levels.fib_0_382", "levels.fib_0_5", "levels.fib_0_618",
    "levels.fib_0_786", "levels.fvg_low", "levels.fvg_high", "levels.support", "levels.resistance",
    "levels.fib_move_low", "levels.fib_move_high",
)
FIB_KEYS = tuple(k for k in LEVEL_KEYS if k.startswith("levels.fib_0"))
_SAME_LEVEL_PCT = 0.5
# How the article names each level: the prose name its meaning declares (the number always comes from the fact).
LEVEL_NAMES = {key: meaning_of(key).names[0] for key in LEVEL_KEYS}


class Scenario(BaseModel):
    """A trigger level and the level it would open the way to (fact keys)."""

    model_config = ConfigDict(frozen=True)

    trigger: str
    target: str | None


class Story(BaseModel):
    """What the facts say, in words."""

    model_config = ConfigDict(frozen=True)

    asset: str
    asset_name: str
    quote: str
    timeframe: str
    timeframe_word: str
    direction: Literal["up", "down", "flat"] | None
    sharp: bool  # the 24h move is at least the threshold's multiple of the average daily move (never without it)
    rsi_key: str | None
    rsi_timeframe_word: str | None = None  # the RSI's own timeframe: the analysis one, else what the candles allow
    rsi_band: Literal["oversold", "overbought", "neutral"] | None
    fear_greed_label: str | None
    liquidation_side: Literal["longs", "shorts", "balanced"] | None
    liquidation_scope: str | None
    liquidation_scope_again: str | None = None  # a later mention in the same section: "on those exchanges"
    aggregated_liquidations: bool
    broke: Literal["support", "resistance"] | None
    funding_sign: Literal["positive", "negative", "zero"] | None
    fvg_direction: Literal["bullish", "bearish"] | None
    # "around": the price has moved into the gap since the close (at a close the gap never holds the price).
    fvg_position: Literal["above", "below", "around"] | None
    fib_direction: Literal["up", "down"] | None
    fib_above: list[str]  # every fib level key above the price, nearest first
    fib_below: list[str]  # every fib level key below the price, nearest first
    fib_at: list[str] = []  # fib level keys that print as the price: on neither side of it
    # The order word for the retracement the price is beyond all others of: which end of the grid it is, by ratio.
    fib_order: Literal["deepest", "shallowest"] | None = None
    # The level the price crossed since the close (levels.crossed) and which way; levels on that side of the
    # price are nearer than the swing support (or resistance) there, which is then no longer "the nearest".
    crossed: Literal["down", "up"] | None = None
    crossed_back: bool = False  # the price went back through the level the close broke
    crossed_is_broken: bool = False  # and that level is the crossed one nearest the price
    support_nearest: bool = True
    resistance_nearest: bool = True
    bullish: Scenario | None
    bearish: Scenario | None
    # The last hour, for alerts
    hour_direction: Literal["up", "down", "flat"] | None = None
    hour_sharp: bool = False
    liquidation_side_1h: Literal["longs", "shorts", "balanced"] | None = None
    liquidation_spike: bool | None = None  # None: no trailing hourly average to compare the hour with
    liquidation_multiple: str | None = None  # the multiple fact the spike is measured by (polls, else the 24h total)
    alert_focus: Literal["liquidations", "price"] | None = None  # what an alert's headline leads with
    hour_crossed: list[str] = []  # level keys the hour's move went through, nearest to the price now first
    hour_crossed_way: Literal["down", "up"] | None = None  # which way it went through them
    # Windows ("1h", "24h") whose liquidation total is above zero. A zero total stays in the metrics
    # table, with its source, but prose about "$0 liquidated" reads as news and says nothing.
    liquidated: list[str] = []
    history: HistoryStory | None = None  # the notable history of the latest daily close (history_story.py)
    options_venue: str | None = None  # the venue of the options book ("on Deribit": one venue's options only)
    # Where the price is against the expiry's max pain strike, as printed ("at": the same figure shown).
    max_pain_side: Literal["above", "below", "at"] | None = None
    funding_venues: FundingVenuesStory | None = None  # funding on two or more venues (funding_story.py)
    # The whole market's 24h change as printed: "down" / "up"; None without one, or when it prints as 0.00%.
    market_direction: Literal["up", "down"] | None = None
    # Bitcoin dominance's 24h change as printed (derived: generator/peer_facts.py); None when it prints as zero.
    dominance_direction: Literal["up", "down"] | None = None
    peers: PeerStory | None = None  # the peers' moves, who led and lagged; None without peers


def _printed_way(change: Fact | None) -> Literal["up", "down"] | None:
    """The way a change goes as printed: none when it prints as zero."""
    if change is None or float(change.display_abs.rstrip("%")) == 0:
        return None
    return "up" if float(change.value) > 0 else "down"


def venues_text(venues: list[str]) -> str:
    if len(venues) == 1:
        return venues[0]
    return ", ".join(venues[:-1]) + " and " + venues[-1]


def _levels(facts: FactSet, price: float) -> tuple[list[str], list[str]]:
    """Distinct level keys above and below the price, nearest first.

    Levels within half a percent of each other are one zone, named by its level nearest the price (so "the
    nearest level" and "the next" are true of every level the facts hold); at equal prices the preferred name wins.
    """
    shown_price = facts["price.current"].display if "price.current" in facts else None
    sides: tuple[list[str], list[str]] = ([], [])
    found = [k for k in LEVEL_KEYS if (f := facts.get(k)) is not None and isinstance(f.value, float | int)
             # "$1.17 below" a price of $1.17: at the precision printed, the level is the price
             and f.display != shown_price and float(f.value) != price]
    for key in sorted(found, key=lambda k: (abs(float(facts[k].value) - price), LEVEL_KEYS.index(k))):
        value = float(facts[key].value)
        side = sides[0] if value > price else sides[1]
        if all(abs(value - float(facts[k].value)) > float(facts[k].value) * _SAME_LEVEL_PCT / 100 for k in side):
            side.append(key)
    return sides


def _fibs(facts: FactSet, price: float) -> dict[str, Any]:
    """Every retracement against the price, and the order word of the one the price is beyond all others of.

    The grid is read whole (not the zones of :func:`_levels`): "below even the deepest of them" is about all of
    them. "Deepest" is the largest ratio the grid has, "shallowest" the smallest, whatever the move's direction.
    """
    shown_price = facts["price.current"].display if "price.current" in facts else None
    keys = [k for k in FIB_KEYS if k in facts]
    at = [k for k in keys if facts[k].display == shown_price]
    above = sorted((k for k in keys if k not in at and float(facts[k].value) > price), key=lambda k: float(facts[k].value))
    below = sorted((k for k in keys if k not in at and float(facts[k].value) < price), key=lambda k: -float(facts[k].value))
    order = None
    if keys and not at and bool(above) != bool(below):
        ratios = {k: float(facts[k].meaning.tags["ratio"][0]) for k in keys}
        named = (above or below)[0]
        order = "deepest" if ratios[named] == max(ratios.values()) else \
            "shallowest" if ratios[named] == min(ratios.values()) else None
    return {"fib_above": above, "fib_below": below, "fib_at": at, "fib_order": order}


def read_story(snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet) -> Story:
    """Turn facts into the words and choices the templates need (and check their order and side words)."""
    story = _read_story(snapshot, analysis, facts)
    check_story(story, facts)  # a bug here stops the draft before a false "deepest" or "nearest" is printed
    return story


def _read_story(snapshot: MarketSnapshot, analysis: Analysis, facts: FactSet) -> Story:
    price = snapshot.price.current
    change = facts.get("price.change_24h_pct")
    direction: Literal["up", "down", "flat"] | None = None
    if change is not None:
        pct = float(change.value)
        direction = "flat" if abs(pct) < FLAT_PCT else ("up" if pct > 0 else "down")

    rsi_key: str | None = f"technicals.rsi_{analysis.timeframe}"
    if rsi_key not in facts:
        rsi_key = next((f.key for f in facts if f.key.startswith("technicals.rsi_") and f.key != "technicals.rsi_period"), None)

    liq = snapshot.liquidations
    side = _side(facts.get("liquidations.long_share_24h_pct"))

    funding = snapshot.funding
    # The sign of the rate as printed: "negative at 0.0000%" would contradict the number beside it.
    shown = None if funding is None else round(funding.rate * 100, FUNDING_DECIMALS)
    fsign: Literal["positive", "negative", "zero"] | None = \
        None if shown is None else ("positive" if shown > 0 else "negative" if shown < 0 else "zero")

    gap = analysis.fvg.gaps[0] if analysis.fvg and analysis.fvg.gaps else None
    fvg_position: Literal["above", "below", "around"] | None = None
    if gap is not None and "levels.fvg_low" in facts:
        fvg_position = "above" if gap.low > price else "below" if gap.high < price else "around"

    above, below = _levels(facts, price)
    bullish = Scenario(trigger=above[0], target=above[1] if len(above) > 1 else None) if above else None
    bearish = Scenario(trigger=below[0], target=below[1] if len(below) > 1 else None) if below else None
    broke = analysis.levels.broken.kind if analysis.levels and analysis.levels.broken else None
    crossed_fact = facts.get("levels.crossed_direction")
    crossed: Literal["down", "up"] | None = None
    if crossed_fact is not None and "levels.crossed" in facts:
        crossed = "up" if crossed_fact.value == "up" else "down"  # the fact holds one of the two

    fg = snapshot.fear_greed
    hour = _hour(facts)
    pain = facts.get("options.max_pain")
    max_pain_side: Literal["above", "below", "at"] | None = None
    if pain is not None and snapshot.options is not None:
        shown_price = facts["price.current"].display
        max_pain_side = "at" if pain.display == shown_price else "above" if price > float(pain.value) else "below"
    if analysis.change_1h is not None:  # levels between the price an hour ago and now: the move went through them
        start = analysis.change_1h.from_price
        hour["hour_crossed"] = [k for k in above if float(facts[k].value) < start] if start > price else \
            [k for k in below if float(facts[k].value) > start]
        # The way through them is the move's own, even an hour too small to call a rise or a fall.
        hour["hour_crossed_way"] = "down" if start > price else "up"
    return Story(
        asset=snapshot.asset,
        asset_name=snapshot.asset_name or ASSET_NAMES.get(snapshot.asset, snapshot.asset),
        quote=snapshot.quote,
        timeframe=analysis.timeframe,
        timeframe_word=TIMEFRAME_WORDS[analysis.timeframe],
        direction=direction,
        sharp=direction in ("up", "down") and _reaches(facts.get("volatility.move_multiple_24h"), "move"),
        rsi_key=rsi_key,
        rsi_timeframe_word=TIMEFRAME_WORDS.get(rsi_key.removeprefix("technicals.rsi_")) if rsi_key else None,
        rsi_band=rsi_band(float(facts[rsi_key].value)) if rsi_key else None,
        fear_greed_label=(fg.classification or fear_greed_band(fg.value)) if fg else None,
        liquidation_side=side,
        liquidation_scope=None if liq is None else (
            "across major exchanges" if liq.scope.aggregated and len(liq.scope.venues) > 3
            else f"on {venues_text(liq.scope.venues)}"
        ),
        liquidation_scope_again=None if liq is None else (
            "across those exchanges" if liq.scope.aggregated and len(liq.scope.venues) > 3 else
            "on that exchange" if len(liq.scope.venues) == 1 else "on those exchanges"),
        aggregated_liquidations=bool(liq and liq.scope.aggregated),
        broke=broke,
        funding_sign=fsign,
        fvg_direction=gap.direction if gap else None,
        fvg_position=fvg_position,
        fib_direction=analysis.fib.move.direction if analysis.fib else None,
        **_fibs(facts, price),
        crossed=crossed,
        # A close that broke support and a price above it now (or the mirror): the break has been undone since.
        crossed_back=broke is not None and crossed == ("up" if broke == "support" else "down"),
        crossed_is_broken=crossed is not None and "levels.broken" in facts
        and facts["levels.crossed"].value == facts["levels.broken"].value,
        options_venue=snapshot.options.venue if pain is not None and snapshot.options is not None else None,
        max_pain_side=max_pain_side,
        funding_venues=read_funding_venues(facts, [v.venue for v in snapshot.funding_venues or []],
                                           snapshot.funding.venue if snapshot.funding else None),
        market_direction=_printed_way(facts.get("market.cap_change_24h_pct")),
        dominance_direction=printed_way(facts.get("market.btc_dominance_change_24h_pp")),
        peers=read_peers(facts, snapshot.asset, {**ASSET_NAMES, snapshot.asset: snapshot.asset_name
                                                 or ASSET_NAMES.get(snapshot.asset, snapshot.asset)}),
        support_nearest=crossed != "up",
        resistance_nearest=crossed != "down",
        bullish=bullish,
        bearish=bearish,
        liquidated=[w for w in ("1h", "24h")
                    if (f := facts.get(f"liquidations.total_{w}_usd")) is not None and float(f.value) > 0],
        **hour,
        history=read_history(analysis.history, facts),
    )


def _reaches(multiple: Fact | None, scale: str) -> bool:
    """Whether a multiple fact reaches the magnitude threshold of its scale (no fact: it does not)."""
    return multiple is not None and float(multiple.value) >= threshold(scale)


def _side(share: Fact | None) -> Literal["longs", "shorts", "balanced"] | None:
    if share is None:
        return None
    v = float(share.value)
    return "longs" if v >= LOPSIDED_SHARE else ("shorts" if v <= 100 - LOPSIDED_SHARE else "balanced")


def _hour(facts: FactSet) -> dict[str, Any]:
    """The last hour in words: the move, which side was liquidated, whether that was a spike, what leads."""
    change = facts.get("price.change_1h_pct")
    direction = None
    if change is not None:
        pct = float(change.value)
        direction = "flat" if abs(pct) < FLAT_1H_PCT else ("up" if pct > 0 else "down")
    hour_liq = facts.get("liquidations.total_1h_usd")
    if hour_liq is not None and float(hour_liq.value) <= 0:
        hour_liq = None  # nothing was liquidated: the alert leads with the move, never with "$0"
    # The watcher's own baseline (stored polls) when the snapshot carries it, else the provider's 24h total.
    multiple = next((k for k in ("liquidations.multiple_polls", "liquidations.multiple_day") if k in facts), None)
    spike = None if hour_liq is None or multiple is None else _reaches(facts[multiple], "liquidations")
    sharp = direction in ("up", "down") and _reaches(facts.get("volatility.move_multiple_1h"), "move")
    # A spike leads, and so do liquidations when there is no move to lead with or no 24h total to judge them
    # by, unless the move is sharp; else the move; else whatever of the hour the data has.
    focus: str | None = None
    if hour_liq is not None and (spike or direction in (None, "flat") or (spike is None and not sharp)):
        focus = "liquidations"
    elif direction is not None:
        focus = "price"
    return {
        "hour_direction": direction,
        "hour_sharp": sharp,
        "liquidation_side_1h": _side(facts.get("liquidations.long_share_1h_pct")),
        "liquidation_spike": spike,
        "liquidation_multiple": multiple if spike is not None else None,
        "alert_focus": focus,
    }
