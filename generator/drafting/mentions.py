"""What an article's prose has said so far: how often each figure, and whether a section named the venues.

Sections render in the article's order with one :class:`Mentions`. A figure (an amount, a price or level, a
percentage, an index reading) appears at most :data:`MAX_MENTIONS` times in the prose; later mentions take the
template's back-reference ("the broken support", "that size") or leave the figure out. The venue list of the
liquidation figures is named once per section; later mentions in that section say "on those exchanges".
The headline and the metrics table are the article's summaries and are not counted (docs/architecture.md).
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from contextvars import ContextVar

from generator.facts import Fact, FactSet

MAX_MENTIONS = 2
# Sections whose figures are not prose: the headline and the table summarise it; the rest are boilerplate.
NOT_PROSE = frozenset({"headline", "metrics", "disclaimer", "automation", "sources"})
_FIGURE_UNITS = ("usd", "percent")

# The Mentions of the section being rendered, for the environment's finalize (template.py), which sees every
# fact a template prints.
ACTIVE: ContextVar[Mentions | None] = ContextVar("mentions", default=None)


def is_figure(fact: Fact) -> bool:
    """A number a reader would count as a figure: an amount, a price or level, a percentage, an index reading."""
    return fact.unit in _FIGURE_UNITS or (fact.unit == "index" and fact.display.endswith("/100"))


def figure_pattern(*displays: str) -> re.Pattern[str]:
    """Any of the displays as a whole figure: '$6,960' not inside '$16,960', '$6,960.5' or '$0.62 million'."""
    choices = "|".join(re.escape(d) for d in sorted(displays, key=len, reverse=True))  # the longest form first
    return re.compile(r"(?<![\d$.,-])(?:" + choices + r")(?![\d%]|[.,]\d| (?:million|billion|trillion))")


class Mentions:
    """Counts of each figure (by the text a reader sees) in the prose rendered so far, and the section's venues."""

    def __init__(self, facts: FactSet) -> None:
        # Two facts with one display are one figure to a reader ("$6,960" the price and the close).
        # A change whose sign the words carry is printed unsigned ("fell 14.72%"): that is the text counted.
        self._display = {f.key: f.display_abs if f.meaning.sign == "words" else f.display for f in facts if is_figure(f)}
        # One pattern for all of them: a section's text is read once (a pattern per figure cost 10 ms an article).
        self._pattern = figure_pattern(*set(self._display.values())) if self._display else None
        self._said: Counter[str] = Counter()
        self._section: Counter[str] = Counter()
        self._prose = True
        self.venues_named = False

    def begin(self, section: str) -> None:
        self._section.clear()
        self._prose = section not in NOT_PROSE
        self.venues_named = False

    def printed(self, key: str) -> None:
        """A template printed this fact (counted until the section's text is read at its end)."""
        if (display := self._display.get(key)) is not None:
            self._section[display] += 1

    def fresh(self, key: str) -> bool:
        """Whether the fact's figure may still be printed: fewer than MAX_MENTIONS in the prose so far."""
        display = self._display.get(key)
        if display is None or not self._prose:
            return True
        return self._said[display] + self._section[display] < MAX_MENTIONS

    def end(self, section: str, text: str) -> None:
        """Count the figures of a finished section from its text (every form a template wrote them in)."""
        self._section.clear()
        if section in NOT_PROSE:
            return
        if self._pattern is None:
            return
        prose = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))
        self._said.update(self._pattern.findall(prose))

    def said(self, display: str) -> int:
        return self._said[display]

    def copy(self) -> Mentions:
        """The state so far, to render a section again (the LLM stage's placeholder view) without counting it."""
        other = copy.copy(self)
        other._said, other._section = Counter(self._said), Counter()
        return other
