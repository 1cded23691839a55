"""Checks on the model's own words, before any number is filled in or fact-checked.

The fact-check proves numbers; these rules catch what has no number to prove:
quotes and attributions, history and dates the facts do not hold, advice,
predictions stated as fact, actors the data cannot see, and markup. Each rule
is data (a pattern and the reason given back to the model in the repair round).
"""

from __future__ import annotations

import re

from generator.drafting.placeholders import PLACEHOLDER, stray_numbers, without_placeholders

# Month and day names as names only: matched with their capital letter, and "May" only where it is a month
# ("in May", "May 5") -- "a close above X may open the way" is the hedge the prompt asks for, not a date.
_MONTHS = "January|February|March|April|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MAY = r"\b(?:[Ii]n|[Oo]n|[Oo]f|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id|[Ll]ast|[Nn]ext|[Tt]his)[ -]May\b|\bMay\s+\d"
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    "thousand|million|billion|trillion|dozen|percent|per cent|twice|thrice|double|triple|half"
)

_CASED = re.compile(rf"\b(?:{_MONTHS}|{_DAYS})\b|{_MAY}")  # names keep their case: no re.I

_DATE_RULE = (_CASED, "names a date the facts do not give; use the date placeholders")
# The first and second person, matched with their case: "US" (the country) and "I" as a numeral are rare in a
# market report, "us" and "we" are the model talking to or for the reader.
_PERSON_RULE = (re.compile(r"\b(?:I|I'm|I've|[Ww]e|[Ww]e're|[Ww]e've|us|[Oo]ur|ours|[Yy]ou|[Yy]ou're|[Yy]our|yours)\b"),
                "speaks in the first or second person; the article reports in the third")

RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(rule if isinstance(rule[0], re.Pattern)
                                                       else (re.compile(rule[0], re.I), rule[1]) for rule in (
    (r"[\"“”„«»]|‘[^’]{3,}’", "contains a quotation; the article quotes no one"),
    (r"\b(said|told|according to|analysts?|experts?|strategists?|commentators?|sources say)\b",
     "attributes a view to someone; the article has no sources of opinion"),
    _DATE_RULE,
    (r"\b(all-time|record|historic(al(ly)?)?|since (last|early|late|the start)|(weeks|months|years|decades) ago|"
     r"last (week|month|quarter|year)|previous (cycle|cycles|bull|bear)|in (weeks|months|years))\b",
     "claims history the facts do not hold"),
    (rf"\b({_NUMBER_WORDS})\b", "writes a number in words; numbers must be fact placeholders"),
    (r"[$%€£¥]", "writes a currency or percent sign outside a placeholder"),
    (r"\b(you should|we recommend|investors should|traders should|(buy|sell) (now|the dip)|"
     r"good time to (buy|sell)|not financial advice)\b",
     "gives or disclaims advice; the article gives none"),
    (r"\b(will|is going to|is set to|is poised to|is certain to|is bound to) "
     r"(rise|fall|drop|rally|climb|surge|soar|crash|plunge|reach|hit|test|break|recover|rebound|bounce|retest|revisit)\b",
     "states a prediction as fact"),
    (r"\b(guarantee[ds]?|certainly|inevitabl[ey]|definitely)\b", "claims certainty about the market"),
    (r"\b(time to (buy|sell|rebalance|take profits?|get in|get out)|rebalanc\w*|take profits?|consider (buying|selling)|"
     r"(buying|selling) opportunity)\b", "gives advice; the article gives none"),
    (r"\b(game[- ]changers?|to the moon|moon(ing|shot)?|skyrocket\w*|explosive|massive|huge|incredible|insane|"
     r"parabolic|unstoppable|mind-blowing|bloodbath|carnage|euphori\w*|jaw-dropping)\b",
     "uses hype; the article's words are measured"),
    _PERSON_RULE,
    (r"\b(whales?|market makers?|institutions?|institutional|ETFs?|on-chain|insiders?|smart money|retail investors)\b",
     "describes actors or flows the data does not show"),
    (r"<|>|\[|\]|`|\|| \#|^#|https?://|www\.", "contains markup, a link or a table"),
))


def prose_problems(text: str, allowed_terms: set[str]) -> list[str]:
    """What is wrong with the model's words in ``text`` (placeholders excluded); empty when nothing is."""
    own = without_placeholders(text)
    problems = [f"{why}: {m.group(0)!r}" for pattern, why in RULES if (m := pattern.search(own))]
    problems += [f"writes the number {t!r} itself instead of a fact placeholder"
                 for t in stray_numbers(text, allowed_terms)]
    return problems


# Headline verbs by the direction they claim; a headline must not claim the opposite of the data.
_UP = (r"ris(e|es|ing)|rose|climb(s|ed)?|gain(s|ed)?|jump(s|ed)?|surg(e|es|ed)|soar(s|ed)?|rall(y|ies|ied)|"
       r"advanc(e|es|ed)|rebound(s|ed)?")
_DOWN = (r"fall(s|ing)?|fell|drop(s|ped)?|slip(s|ped)?|sink(s)?|sank|tumbl(e|es|ed)|plung(e|es|ed)|slump(s|ed)?|"
         r"declin(e|es|ed)|slid(e|es)?|crash(es|ed)?|dip(s|ped)?|sell-off|selloff")
_SHARP = r"surg(e|es|ed)|soar(s|ed)?|jump(s|ed)?|plung(e|es|ed)|tumbl(e|es|ed)|crash(es|ed)?|slump(s|ed)?"
CONTRARY_WORDS = {
    "up": re.compile(rf"\b({_DOWN})\b", re.I),
    "down": re.compile(rf"\b({_UP})\b", re.I),
    "flat": re.compile(rf"\b({_SHARP})\b", re.I),
}


def direction_problems(headline: str, direction: str | None) -> list[str]:
    """A headline verb that contradicts the 24-hour direction of the price."""
    pattern = CONTRARY_WORDS.get(direction or "")
    if pattern is not None and (m := pattern.search(without_placeholders(headline))):
        return [f"the headline says {m.group(0)!r} but the price moved {direction} over 24 hours"]
    return []


_DIRECTION_WORD = re.compile(rf"\b({_UP}|{_DOWN}|up|down|higher|lower|gain|loss|decline|rally|drop)\b", re.I)


def sign_problems(text: str, negative: set[str]) -> list[str]:
    """A signed negative value beside a direction word ("fell -14.72%"), or |abs with no direction word near it.

    ``negative`` holds the keys of facts whose value is below zero.
    """
    problems = []
    for m in PLACEHOLDER.finditer(text):
        before = without_placeholders(text[max(0, m.start() - 40):m.start()]).split()[-4:]
        after = without_placeholders(text[m.end():m.end() + 25]).split()[:2]
        near = _DIRECTION_WORD.search(" ".join(before + after))
        key, absolute = m.group(1), bool(m.group(2))
        if absolute and not near:
            problems.append(f"{{{key}|abs}} hides the sign; use it only next to a direction word such as 'fell'")
        elif not absolute and key in negative and near:
            problems.append(f"{{{key}}} is negative; next to {near.group(0)!r} write {{{key}|abs}}")
    return problems
