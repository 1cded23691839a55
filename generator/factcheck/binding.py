"""What binding a mention produces: the fact it was tied to, or why none was.

Its own module so that the evidence (evidence.py), which holds each mention's binding, and the binder
(bind.py), which makes it, both import it and neither imports the other's module back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.facts import Fact

Summary = dict[str, tuple[float, dict[str, float]]]  # per slot: total cue weight and the weight of each value


@dataclass(slots=True)
class Binding:
    """The fact a mention was tied to (None: nothing backs it) and why."""

    fact: Fact | None
    reason: str
    score: float = 0.0
    alternatives: list[Fact] = field(default_factory=list)
    role: str | None = None  # dates: "level" (the date a level was set), "since" or "as_of"; else None
    foreign: bool = False  # unbacked because the words speak of another metric or asset
    summary: Summary | None = None  # what the words said (numbers only): which window, side, role they name
