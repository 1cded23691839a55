"""A claim made in words, as the claim rules find it and the predicates judge it.

Its own module so that predicates.py and the families of predicates beside it (history_predicates.py) both
import it and neither imports the other back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.factcheck.index import FactIndex
from generator.factcheck.judge import Judgement
from generator.factcheck.markdown import Layout
from generator.facts import Fact


@dataclass(slots=True)
class Claim:
    """A claim made in words: its span, its rule's predicate and arguments, and the facts it is about."""

    start: int
    end: int
    rule: str
    predicate: str
    args: dict[str, str] = field(default_factory=dict)
    subject: list[Fact] = field(default_factory=list)


Predicate = Callable[[Claim, FactIndex, Layout], Judgement | None]
