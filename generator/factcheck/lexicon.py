"""The rule book's word lists and patterns in the shapes the extraction and judging code reads them.

Nothing is defined here: every word comes from rules/words.yaml and every pattern from rules/patterns.yaml
(generator/factcheck/rulebook.py compiles them); this module only names what the code asks for often.
"""

from __future__ import annotations

import re

from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import lower_pattern


def lower_regex(name: str) -> re.Pattern[str]:
    """The pattern ``name`` for lower-cased text, without re.I (three times faster on every sentence)."""
    return re.compile(lower_pattern(RULES.source(name)))


_lower = lower_regex


def _values(name: str) -> dict[str, str]:
    """Phrase -> value for a class split into values (the qualifiers)."""
    return {word: value for value in RULES.classes[name].values for word in RULES.words(f"{name}", value=value)}


# Qualifiers before a number; judge.py decides how each kind compares (see rules/words.yaml).
QUALIFIER_PHRASES: dict[str, str] = _values("qualifier")
QUALIFIER_FILLERS = frozenset(RULES.words("qualifier_filler"))
QUALIFIERS_AFTER: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (RULES.regex(f"qualifier_after_{kind}"), kind) for kind in ("lower", "approx", "upper"))
APPROX_PCT = float(RULES.setting("approx_pct"))
BOUND_FACTOR = float(RULES.setting("bound_factor"))
COIN_UNITS = RULES.fragments("coin_unit")

DOWN_WORDS = RULES.regex("down_words")
UP_WORDS = RULES.regex("up_words")
NEGATIVE_WORDS = RULES.regex("negative_words")
POSITIVE_WORDS = RULES.regex("positive_words")
FORECAST = RULES.regex("forecast")
HISTORICAL_LOWER = _lower("historical")
GENERIC_LOWER = _lower("generic")
NEGATED_LOWER = _lower("negated")

# The words that make a sentence worth reading for quotes (Layout.sentences_with).
SPEECH_TRIGGER = frozenset(RULES.words("speech_word"))

# Assets: a number in a clause about another asset is not about ours.
ASSET_ALIASES: dict[str, tuple[str, ...]] = {
    asset: RULES.words("asset_name", value=asset) for asset in RULES.classes["asset_name"].values}
OTHER_MARKETS = RULES.words("other_market")
