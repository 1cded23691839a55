"""The invariants of the level facts, asserted where facts are built: a bug in the analysis stops the article.

Templates trust the facts: "support at $X" is printed because ``levels.support`` is below the price. If the
analysis ever placed a level on the wrong side, the article would state a falsehood in good prose; these
checks turn that into an internal error naming the fact instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # facts.py and story.py import this module
    from generator.drafting.story import Story
    from generator.facts import FactSet


class BrokenInvariant(RuntimeError):
    """The analysis produced facts that contradict each other: a bug, not bad input."""


def _value(facts: FactSet, key: str) -> float | None:
    fact = facts.get(key)
    return None if fact is None else float(fact.value)


def _fail(what: str) -> NoReturn:
    raise BrokenInvariant(f"internal error: {what} (a bug in generator/analysis; no article was drafted)")


def check_invariants(facts: FactSet) -> None:
    """Raise BrokenInvariant unless every level fact sits where its name says, against the price and the close."""
    price, close = _value(facts, "price.current"), _value(facts, "price.last_close")
    if price is None:
        return
    show = {f.key: f.display for f in facts}
    support, resistance = _value(facts, "levels.support"), _value(facts, "levels.resistance")
    if support is not None and not support < price:
        _fail(f"levels.support {show['levels.support']} is not below the price {show['price.current']}")
    if resistance is not None and not resistance > price:
        _fail(f"levels.resistance {show['levels.resistance']} is not above the price {show['price.current']}")

    crossed, way = _value(facts, "levels.crossed"), facts.get("levels.crossed_direction")
    if crossed is not None:
        if close is None or way is None:
            _fail("levels.crossed without the close it was crossed from or the way it was crossed")
        lo, hi = (price, close) if way.value == "down" else (close, price)
        if not lo < crossed < hi:
            _fail(f"levels.crossed {show['levels.crossed']} ({way.value}) is not between the close "
                  f"{show['price.last_close']} and the price {show['price.current']}")
        # The crossed level is the nearest on its side: support and resistance lie beyond it.
        if way.value == "up" and support is not None and not support < crossed:
            _fail(f"levels.support {show['levels.support']} is nearer the price than the crossed level")
        if way.value == "down" and resistance is not None and not resistance > crossed:
            _fail(f"levels.resistance {show['levels.resistance']} is nearer the price than the crossed level")

    broken = facts.get("levels.broken")
    if broken is not None and close is not None:  # a statement about the close, not about the price
        level = float(broken.value)
        if (broken.context == "support") != (close < level):
            _fail(f"levels.broken ({broken.context}) {broken.display} is on the wrong side of the close "
                  f"{show['price.last_close']}")

    _check_fibonacci(facts)
    low, high = _value(facts, "levels.fvg_low"), _value(facts, "levels.fvg_high")
    if low is not None and high is not None and not low < high:
        _fail(f"levels.fvg_low {show['levels.fvg_low']} is not below levels.fvg_high {show['levels.fvg_high']}")


def _check_fibonacci(facts: FactSet) -> None:
    """A deeper retracement lies farther from the move's end: the order "deepest"/"shallowest" words rely on."""
    low, high = _value(facts, "levels.fib_move_low"), _value(facts, "levels.fib_move_high")
    if low is None or high is None:
        return
    if not low < high:
        _fail("the Fibonacci move's low is not below its high")
    ratios = sorted((float(f.meaning.tags["ratio"][0]), float(f.value), f.key) for f in facts if "ratio" in f.meaning.tags)
    up = str(facts["levels.fib_move_low_date"].value) < str(facts["levels.fib_move_high_date"].value)  # ISO dates
    for (_, a, key_a), (_, b, key_b) in zip(ratios, ratios[1:]):
        if not (low <= b < a <= high if up else low <= a < b <= high):
            _fail(f"{key_b} does not lie deeper into the {'rally' if up else 'decline'} than {key_a}")


def check_story(story: Story, facts: FactSet) -> None:
    """Raise BrokenInvariant unless the story's order and side words follow the facts: the retracement called the
    deepest has the largest ratio (the shallowest the smallest) and the price is beyond all of them, scenario
    triggers are on their side of the price with targets beyond them, "nearest" is said of a swing level only with
    no crossed level nearer, and the gap's position is where it is."""
    price = _value(facts, "price.current")
    if price is None:
        return
    value = {f.key: float(f.value) for f in facts if f.unit == "usd"}
    if story.fib_order is not None:
        named = (story.fib_above or story.fib_below)[0]
        ratios = {f.key: float(f.meaning.tags["ratio"][0]) for f in facts if "ratio" in f.meaning.tags}
        want = max(ratios, key=ratios.__getitem__) if story.fib_order == "deepest" else min(ratios, key=ratios.__getitem__)
        if named != want or (story.fib_above and story.fib_below) or story.fib_at:
            _fail(f"the story calls {named} the {story.fib_order} retracement; by ratio that is {want}, and the price "
                  f"must be beyond every retracement")
    for key in story.fib_above:
        if not value[key] > price:
            _fail(f"{key} is listed above the price but is not")
    for key in story.fib_below:
        if not value[key] < price:
            _fail(f"{key} is listed below the price but is not")
    for name, scenario, up in (("bullish", story.bullish, True), ("bearish", story.bearish, False)):
        if scenario is None:
            continue
        trigger = value[scenario.trigger]
        if (trigger > price) != up:
            _fail(f"the {name} trigger {scenario.trigger} is on the wrong side of the price")
        if scenario.target is not None and (value[scenario.target] > trigger) != up:
            _fail(f"the {name} target {scenario.target} is not beyond its trigger")
    way = story.crossed
    if story.support_nearest != (way != "up") or story.resistance_nearest != (way != "down"):
        _fail("'nearest' is said of a swing level with a crossed level nearer the price")
    low, high = value.get("levels.fvg_low"), value.get("levels.fvg_high")
    if story.fvg_position is not None and low is not None and high is not None:
        actual = "above" if low > price else "below" if high < price else "around"
        if story.fvg_position != actual:
            _fail(f"the story puts the fair value gap {story.fvg_position} the price; it is {actual}")
