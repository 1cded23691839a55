"""Binding rules as data: which words point at which facts (rules/cues.yaml, read through the rule book).

A fact is described by tags (slot -> value, from its meaning in generator/fact_catalogue.py): a cue is a phrase
that gives evidence for tag values ("longs" says side=long). bind.py weighs the cues around a mention and picks
the fact whose tags they support best. This module only puts the book's cues and settings in the shapes the
binder reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator.factcheck.rulebook import RULES

Tags = Mapping[str, str | tuple[str, ...]]
# (pattern source, tags, weight[, tags after]): the tags speak for numbers before the cue; when a fourth element
# is given, it speaks for numbers after it instead.
CueRule = tuple[str, Tags, float] | tuple[str, Tags, float, Tags]


def _tags(raw: Mapping[str, Any] | None) -> dict[str, str | tuple[str, ...]]:
    return {str(k): tuple(str(x) for x in v) if isinstance(v, list) else str(v) for k, v in (raw or {}).items()}


def _rule(entry: Mapping[str, Any]) -> CueRule:
    source = RULES.expand(str(entry["match"]))
    if "after" in entry:
        return source, _tags(entry["tags"]), float(entry["weight"]), _tags(entry["after"])
    return source, _tags(entry["tags"]), float(entry["weight"])


CUES: tuple[CueRule, ...] = tuple(_rule(entry) for entry in RULES.entries("cues"))

DEFAULTS: dict[str, dict[str, str]] = {k: {s: str(v) for s, v in d.items()} for k, d in RULES.setting("defaults").items()}
DISTANCE_OF: dict[tuple[str, str], str] = {(a, b): c for a, b, c in RULES.setting("distance_of")}
NEEDS_WORDS = frozenset(RULES.setting("needs_words"))
NEEDS_SUPPORT = float(RULES.setting("needs_support"))
SLOT_WEIGHT: dict[str, float] = {k: float(v) for k, v in RULES.setting("slot_weight").items()}


def as_tuples(tags: Tags) -> dict[str, tuple[str, ...]]:
    """The tags with every value a tuple: the binder's loops then need no type checks."""
    return {slot: value if isinstance(value, tuple) else (value,) for slot, value in tags.items()}


def cue_tags() -> list[tuple[Tags, float, Tags]]:
    """The tags, weight and tags for numbers after it, of each cue, by index (values as tuples)."""
    out: list[tuple[Tags, float, Tags]] = []
    for rule in CUES:
        before = as_tuples(rule[1])
        out.append((before, rule[2], as_tuples(rule[3]) if len(rule) > 3 else before))
    return out
