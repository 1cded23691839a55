"""Numbers written as words: "nine", "sixty-five", "two hundred", "1.5 million", "two-thirds".

Only the parsing lives here; whether a number word is a *mention* (a quantity
the article asserts) is decided in extract.py, because "one of the largest"
and "two scenarios" are not claims about the data.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Fractions as shares of a whole, in percent.
FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "one-third": 100 / 3,
    "two thirds": 200 / 3, "two-thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0, "one-quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0, "a fifth": 20.0, "one-fifth": 20.0, "one fifth": 20.0,
}

# The words a number phrase contains one of (Layout.sentences_with finds the sentences worth searching).
NUMBER_WORD_TRIGGER = frozenset((*UNITS, *TENS, *SCALES, "half", "third", "thirds", "quarter", "quarters", "fifth"))
_SMALL = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_WORD = rf"(?:(?:{'|'.join(TENS)})[- ](?:{'|'.join(k for k in UNITS if UNITS[k] and UNITS[k] < 10)})|{_SMALL})"
_SCALE_TAIL = rf"(?:[- ](?:hundred|thousand|million|billion|trillion)(?:[- ](?:and[- ])?{_WORD})?)"
# Both patterns run on lower-cased text (scan.ascii_lower): re.I costs three times as much. Neither starts with
# \b, so Python's re can skip to the letters a number word may start with; the caller checks the word start.
NUMBER_WORDS = re.compile(rf"(?:(?:a|an){_SCALE_TAIL}+|{_WORD}{_SCALE_TAIL}*)\b")
FRACTION_WORDS = re.compile(
    r"(?:two[- ]thirds|three[- ]quarters|(?:a|one)[- ](?:third|quarter|fifth|half)|half)\b(?=\s+(?:of|the)\b|"
    # a change or a distance: "up more than a fifth on the day", "roughly a third below its high"
    r"\s+(?:below|above|under|off|from|on\s+the\s+(?:day|session|week)|in\s+(?:24|a\s+day|one\s+day|a\s+week)\b))"
)


def words_value(text: str) -> float | None:
    """The value of a number phrase ("sixty-five" -> 65, "two hundred thousand" -> 200000); None if not one."""
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t and t != "and"]
    if not tokens or tokens in (["a"], ["an"]):
        return None
    total = 0.0
    current = 0.0
    seen = False
    for tok in tokens:
        if tok in ("a", "an"):
            current = 1 if not seen else current
            seen = True
        elif tok in UNITS:
            current += UNITS[tok]
            seen = True
        elif tok in TENS:
            current += TENS[tok]
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in SCALES:
            total += (current or 1) * SCALES[tok]
            current = 0
        else:
            return None
    return total + current if seen or total else None


def fraction_value(text: str) -> float | None:
    """'two-thirds' -> 66.67 (percent)."""
    return FRACTIONS.get(" ".join(text.lower().split()))
