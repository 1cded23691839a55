"""Fact placeholders: how the LLM writes numbers without ever writing a digit.

The model writes ``{technicals.rsi_1d}`` where a number goes and
``{price.change_24h_pct|abs}`` beside a direction word ("fell 14.72%"); the
renderer fills them with the facts' display text. The template stage can show
its own text the same way (``placeholder_view``), which is what the model is
given to rewrite. Everything here is pure.
"""

from __future__ import annotations

import re

from generator.facts import FactSet

# {key} or {key|abs}; doubled braces, a habit from template languages, mean the same.
PLACEHOLDER = re.compile(r"\{\{?\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s*(\|\s*abs\s*)?\}\}?")
# A number and the word it belongs to: "24 hours", "24-hour", "0.618 Fibonacci", "1d".
NUMBER_TERM = re.compile(r"\d[\d.,]*(?:\s*%|(?:[- ]?[A-Za-z]+))?")


class PlaceholderError(ValueError):
    """A placeholder the facts cannot fill, or a brace that is not a placeholder."""


def placeholder_facts(facts: FactSet) -> FactSet:
    """The facts with placeholders for display text, so a template renders its placeholder view."""
    return FactSet(facts={
        key: fact.model_copy(update={"display": "{" + key + "}", "display_abs": "{" + key + "|abs}"})
        for key, fact in facts.facts.items()
    })


def placeholder_keys(text: str) -> list[str]:
    """Fact keys the text refers to, in order of first use."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(text)))


def without_placeholders(text: str) -> str:
    """The text with every placeholder blanked out (for checks on the model's own words)."""
    return PLACEHOLDER.sub("\u2060", text)


def fill(text: str, facts: FactSet, allowed: set[str] | None = None) -> str:
    """Replace placeholders with display text; raise PlaceholderError naming what cannot be filled."""
    problems: list[str] = []

    def one(match: re.Match[str]) -> str:
        key, absolute = match.group(1), bool(match.group(2))
        fact = facts.get(key)
        if fact is None or (allowed is not None and key not in allowed):
            problems.append(f"unknown placeholder {{{key}}}")
            return match.group(0)
        return fact.display_abs if absolute else fact.display

    filled = PLACEHOLDER.sub(one, text)
    stray = re.findall(r"\{[^{}]{0,40}\}?|\}", without_placeholders(text))
    problems += [f"malformed placeholder {s!r}" for s in stray]
    if problems:
        raise PlaceholderError("; ".join(dict.fromkeys(problems)))
    return filled


def number_terms(text: str) -> set[str]:
    """Numbers written outside placeholders, each with the word it belongs to ("24 hours")."""
    return {_tidy(m.group(0)) for m in NUMBER_TERM.finditer(without_placeholders(text))}


def stray_numbers(text: str, allowed_terms: set[str]) -> list[str]:
    """Numbers the model wrote itself (outside placeholders) that are not one of the allowed fixed terms."""
    allowed = {t.lower() for t in allowed_terms}
    found = [_tidy(m.group(0)) for m in NUMBER_TERM.finditer(without_placeholders(text))]
    return [t for t in dict.fromkeys(found) if t.lower() not in allowed]


def _tidy(term: str) -> str:
    return re.sub(r"\s+", " ", term.strip().rstrip(".,"))
