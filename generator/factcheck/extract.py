"""Extraction: every numeric mention in an article, with its exact span, kind, value and precision.

Kinds: money (USD, "$60.7K", "$431 million", "8.57 million" in a money
context is a *number* that may bind to a money fact), percent ("-12%",
"sixty percent", "0.01 basis points"), index ("9/100", "9 out of 100"),
number (plain: "RSI ... 22"), ratio (Fibonacci "0.618"), leverage ("50x"),
duration ("4-hour", "24h", "60-minute", "14-day"), timeframe ("4H",
"daily chart"), date, time, year, coins ("300 BTC"). ``value`` is in base
units (dollars, percent points, hours for durations); ``precision`` is one
unit in the last place written, in the same units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.factcheck.dates import DATE_PATTERNS, MONTH_ONLY, MONTHS, When, parse_date
from generator.factcheck.lexicon import COIN_UNITS, QUALIFIER_FILLERS, QUALIFIER_PHRASES, QUALIFIERS_AFTER, lower_regex
from generator.factcheck.markdown import Layout, blank_spans
from generator.factcheck.names import NUMERIC_TOKEN, name_spans
from generator.factcheck.numwords import FRACTION_WORDS, NUMBER_WORD_TRIGGER, NUMBER_WORDS, fraction_value, words_value
from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import ascii_lower

Kind = str  # money | percent | index | number | ratio | multiple | leverage | duration | timeframe | date | time | year |
# coins | count

# A number: (?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)|\.\d+, written to open with its first character's class so
# that Python's re skips to the next digit or dot in C (a pattern opening with alternatives is entered at every
# position; the same matches); what may precede a number is checked after.
_NUM = re.compile(r"[\d.](?:(?<=\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?(?!\d)|(?<=\.)\d+)")
_CURRENCY_BEFORE = re.compile(r"(?P<sign>[-+−]\s?)?(?P<cur>US\$|\$|USD\s?|USDT\s|€|£|¥)\s?(?P<sign2>[-+−])?$")
_SIGN_BEFORE = re.compile(r"(?:^|[\s(\[:])(?P<sign>[-+−])$")
# "minus 0.0375 percent", "plus 2%": a sign written as a word (wire copy spells it out).
_SIGN_WORD = re.compile(r"(?:^|[\s(\[:])(?P<word>minus|plus)\s$", re.I)
_SCALE = re.compile(
    r"(?P<sp>\s?)(?P<scale>(?i:thousand|million|billion|trillion)|mln|mn|bn|tn|[kK]|[mM]|[bB]|[tT])(?![A-Za-z0-9])"
)
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
           "b": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12}
_CURRENCY_AFTER = re.compile(r"\s?(?:USD[TC]?|US dollars|dollars?|bucks)\b")
_FOREIGN_AFTER = re.compile(r"\s?(?:EUR|GBP|JPY|CHF|euros?|pounds? sterling|yen)\b")
_PERCENT = re.compile(
    r"\s?(?P<unit>%|percent(?:age points?)?\b|per cent\b|pct\b|percentage points?\b|pp\b|bps\b|basis points?\b)"
)
_INDEX = re.compile(r"\s?(?:/\s?100\b|out of (?:100|a (?:possible|maximum of) 100)\b)")
_LEVERAGE = re.compile(r"[xX×](?![A-Za-z0-9])")
# "7× the trailing hourly average", "3.1 times its average daily move": a multiple of a baseline (not a leverage,
# and never a dollar amount however large: "18,151 times the average").
_TIMES_A_BASELINE = re.compile(r"\s?(?:[xX×]|times)(?=\s+(?:the|its|their)\b)")
# "four to one", "4.6-to-1", "5:1": a multiple (longs to shorts), not two numbers.
_MULTIPLE = re.compile(r"(?:-to-|\s+to\s+|\s?:\s?)(?:one|1)\b(?![.,:]\d)", re.I)
_DURATION = re.compile(
    r"(?P<sep>[-\s]?)(?P<unit>(?i:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)|h|H|d|D|w|W|m)"
    r"(?![A-Za-z0-9])"
    r"(?P<tail>-(?:long|old|plus))?"
)
_DURATION_HOURS = {"minute": 1 / 60, "min": 1 / 60, "m": 1 / 60, "hour": 1.0, "hr": 1.0, "h": 1.0, "day": 24.0,
                   "d": 24.0, "week": 168.0, "wk": 168.0, "w": 168.0, "month": 730.0, "year": 8760.0, "yr": 8760.0}
_PERIODS = re.compile(r"[-\s](?:periods?|candles?|bars?|sessions?)\b")
_STREAK = RULES.regex("streak", 0)
_IDIOM = RULES.regex("idiom_one")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b")
_COINS = re.compile(r"\s?(?P<unit>" + "|".join(COIN_UNITS) + r")(?![A-Za-z0-9])")
_TIMEFRAME_WORD = lower_regex("timeframe_words")  # on lower-cased text
_TIMEFRAME_HOURS = {"1d": 24.0, "1w": 168.0, "1h": 1.0, "1mo": 730.0, "4h": 4.0}  # how long each timeframe is
_CHARTY = re.compile(r"\s*(?:price\s+)?(?:chart|candles?|candlesticks?|timeframe|time frame|close|closes|closing|RSI|bars?)\b")
_CLOSE_PAREN = re.compile(r"\s*[,)]")
_CURRENCY_CHARS = frozenset("$€£¥DT")  # the last letter of each currency _CURRENCY_BEFORE knows
_NOTHING_AFTER = frozenset(",;.)]|*\n\"'")
_PERIOD_BEFORE = re.compile(r"\b(?:RSI|relative strength index)\s*[(-]\s*$", re.I)
_SPAN_VERB = RULES.regex("span_verb")
_RANGE_JOIN = re.compile(r"^\s*(?:[-–—]|to|and|through)\s*$")
_CHANGE_BY = RULES.regex("change_by")
_RANGE_KINDS = ("money", "percent", "number", "index", "coins", "leverage", "duration")
_MEASURE_AFTER = re.compile(
    r"\s?(?:%|percent|per cent|[-\s](?:hours?|days?|weeks?|months?|years?|minutes?)\b|\s(?:million|billion|trillion|"
    r"thousand)\b|\s(?:out of|in 100|points?\b|basis points)|\s?(?:x\b|times\b))",
)


@dataclass(slots=True)
class Mention:
    """One numeric mention: where it is, what it says and how precisely."""

    start: int
    end: int
    text: str
    kind: Kind
    value: float | None
    precision: float = 1.0
    qualifier: str = "exact"  # exact | approx | nearly | lower | upper
    sign: int | None = None  # +1/-1 when a sign was written ("-12%", "+3.5%")
    scaled: bool = False  # written with a scale word or suffix (K, million)
    when: When | None = None  # dates and times
    unit: str | None = None  # coin ticker, percent unit ("bps"), duration unit
    words: bool = False  # written in words
    range_role: str | None = None  # low | high (between X and Y, X-Y) or start | end (from X to Y)
    partner: int | None = None  # index of the other end of a range
    tags: dict[str, str] = field(default_factory=dict)  # extra cue tags the mention itself carries
    tags_ahead: bool = True  # whether those tags also speak for the mentions after it


def _decimals_precision(digits: str) -> float:
    return 10.0 ** -len(digits.split(".")[1]) if "." in digits else 1.0


_QTOKEN = re.compile(r"[a-z]+\.?|[~≈<>≤≥]=?")


_PHRASE_ENDS = frozenset(phrase.split()[-1] for phrase in QUALIFIER_PHRASES)
_AFTER_MARKS = ("+", " or", "-ish", " plus")


_QUALIFIER_STOP = re.compile(r"[\d;:,()]")


def _qualifier(masked: str, start: int, end: int) -> str:
    """exact | approx | nearly | just_over | lower | upper, from the words just before (or after) the number."""
    before = masked[max(0, start - 40) : start].lower()
    # A qualifier reaches its own number: not across another figure or a clause mark ("below $7,846, the $6,189").
    before = _QUALIFIER_STOP.split(before)[-1]
    last = before.split()[-4:]
    while len(last) > 1 and last[-1] in QUALIFIER_FILLERS and last[-1] not in _PHRASE_ENDS:
        last.pop()
    if last and last[-1].isalpha() and last[-1] not in _PHRASE_ENDS and not masked.startswith(_AFTER_MARKS, end):
        return "exact"  # the word before the number ends no qualifier, no mark after it: the common case, fast
    tokens = _QTOKEN.findall(before)[-6:]
    for _ in range(3):
        for n in (4, 3, 2, 1):
            if len(tokens) >= n and (kind := QUALIFIER_PHRASES.get(" ".join(tokens[-n:]))):
                return kind
        if not tokens or tokens[-1] not in QUALIFIER_FILLERS:
            break
        tokens = tokens[:-1]
    after = masked[end : end + 12]
    for pattern, kind in QUALIFIERS_AFTER:
        if pattern.match(after):
            return kind
    return "exact"


# Where a date can be, and which patterns to try there: a month name, an ISO date, a clock time, a quarter.
# One pass each, each starting with a literal or a digit (fast in Python's re); run on lower-cased text.
_MONTH_ANCHOR = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
# The digit-led anchors in one pass: an ISO date, or a clock time ("14:00", "9 am").
_DIGIT_ANCHOR = re.compile(r"\d(?:(?P<iso>\d{3}-\d\d-\d\d)|:\d\d|\s*[ap]\.?m\b|\d{3}\s*(?:gmt|utc|et|est|edt|bst|cet)\b)")
_QUARTER_ANCHOR = re.compile(r"q[1-4]\s")
# The anchor takes any word that starts like a month ("market" too), but only a month's name or abbreviation can
# start a date there, so a sentence without one is not searched.
_MONTH_WORDS = frozenset(MONTHS)
_BY_ANCHOR = {
    "month": (DATE_PATTERNS[0], DATE_PATTERNS[1], DATE_PATTERNS[3], MONTH_ONLY),
    "iso": (DATE_PATTERNS[2],),
    "clock": (DATE_PATTERNS[5], DATE_PATTERNS[6], DATE_PATTERNS[7]),
    "quarter": (DATE_PATTERNS[4],),
}


def _anchors(layout: Layout, low: str) -> list[tuple[int, int, str]]:
    found = []
    # Month words only in sentences that name a month: the pattern opens with common letters.
    sets = layout.word_sets()
    for sent, words in zip(layout.sentences, sets):
        if not words.isdisjoint(_MONTH_WORDS):
            for m in _MONTH_ANCHOR.finditer(low, sent.start, sent.end):
                a = m.start()
                if not (a and low[a - 1].isalnum()):  # not inside a word ("remark")
                    found.append((a, m.end(), "month"))
    if not sets:
        found += [(m.start(), m.end(), "month") for m in _MONTH_ANCHOR.finditer(low)
                  if not (m.start() and low[m.start() - 1].isalnum())]
    for m in _DIGIT_ANCHOR.finditer(low):
        a = m.start()
        if m.group("iso") is None:
            found.append((a, m.end(), "clock"))
        elif not (a and low[a - 1].isalnum()):
            found.append((a, m.end(), "iso"))
    if "q" in low:
        found += [(m.start(), m.end(), "quarter") for m in _QUARTER_ANCHOR.finditer(low)
                  if not (m.start() and low[m.start() - 1].isalnum())]  # not "aq1"
    found.sort()
    return found


_AT_ANCHOR = (DATE_PATTERNS[0], MONTH_ONLY)


def _keep_date(m: re.Match[str], when: When) -> bool:
    """False for "may 3" read as a date when "may" is the verb ("prices may 3x")."""
    return not (when.month is not None and when.day is not None and when.year is None
                and m.group().strip()[:3].lower() == "may" and not m.group().lstrip().startswith("May"))


def _add_date(out: list[Mention], m: re.Match[str], when: When, text: str, taken: list[tuple[int, int]]) -> None:
    kind = "time" if when.year is None and when.month is None and not when.months and when.hour is not None \
        else "date"
    out.append(Mention(m.start(), m.end(), text[m.start() : m.end()], kind, None, when=when))
    taken.append(m.span())


def _date_at(pattern: re.Pattern[str], work: str, a_start: int, a_end: int) -> re.Match[str] | None:
    """The match of ``pattern`` that covers the anchor at [a_start, a_end), if any."""
    if pattern in _AT_ANCHOR:
        # "February 6, 2018", "in November": these start at the month (a weekday before it is optional).
        return pattern.match(work, a_start)
    lo, hi = max(0, a_start - 20), a_end + 32  # a weekday or "6th of" before, a day, year and time after
    m = pattern.search(work, lo, hi)
    while m is not None and m.end() <= a_start:
        m = pattern.search(work, m.end(), hi)
    if m is None or m.start() > a_end:
        return None
    return pattern.match(work, m.start())  # the window may have cut the date short


def _dates(layout: Layout, work: str, low: str, out: list[Mention], text: str) -> str:
    taken: list[tuple[int, int]] = []
    for a_start, a_end, name in _anchors(layout, low):
        if taken and a_start < taken[-1][1]:
            continue
        for pattern in _BY_ANCHOR[name]:
            m = _date_at(pattern, work, a_start, a_end)
            if m is None or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            when = parse_date(m)
            if when is None or not _keep_date(m, when):
                continue
            _add_date(out, m, when, text, taken)
            break
    return blank_spans(work, taken)


def _number(work: str, text: str, m: re.Match[str]) -> Mention | None:
    a, b = m.span()
    if a and (work[a - 1].isalnum() or work[a - 1] == "_" or (work[a - 1] in ".," and m.group()[0] != ".")
              or (m.group()[0] == "." and work[a - 1] == ".")):
        return None  # part of a longer token: "x1", "1.2.3", a decimal's tail
    digits = m.group().replace(",", "")
    value = float(digits)
    precision = _decimals_precision(digits)
    before = work[max(0, a - 8) : a]
    after = work[b : b + 40]
    if a and (work[a - 1].isalpha() or (work[a - 1] in "-" and a > 1 and work[a - 2].isalpha() and work[a - 2].isupper())):
        return None  # "Web3", "ERC-20": part of a name
    tok_end = b
    while tok_end < len(work) and (work[tok_end].isalnum()):
        tok_end += 1
    token = work[a:tok_end]
    if tok_end > b and not NUMERIC_TOKEN.fullmatch(token.replace(",", "")):
        return None  # "3AC", "1inch", "21Shares"
    start, end = a, b
    kind: Kind = "number"
    sign: int | None = None
    scaled = False
    unit = None
    if _CURRENCY_CHARS.intersection(before) and (cm := _CURRENCY_BEFORE.search(before)):
        kind, start = "money", a - (len(before) - cm.start())
        if cm.group("cur") in ("€", "£", "¥"):
            unit = "foreign"  # the data is in dollars: a euro or pound figure is backed by nothing here
        s = cm.group("sign") or cm.group("sign2")
        if cm.group("sign") and start > 0 and (work[start - 1].isalnum() or work[start - 1] in "%$"):
            start += len(cm.group("sign"))  # "$62K-$64K": a range dash, not a minus
            s = cm.group("sign2")
        if s:
            sign = -1 if s.strip() in "-−" else 1
    elif sm := _SIGN_BEFORE.search(work[max(0, a - 2) : a]):
        sign, start = (-1 if sm.group("sign") in "-−" else 1), a - 1
    elif a > 5 and work[a - 1] == " " and (wm := _SIGN_WORD.search(work[max(0, a - 7) : a])):
        sign, start = (-1 if wm.group("word").lower() == "minus" else 1), max(0, a - 7) + wm.start("word")
    if sc := _SCALE.match(after):
        word = sc.group("scale")
        # Bare "5m" or "15m" before a chart word is a timeframe, not millions.
        if not (word in "mM" and kind != "money" and _CHARTY.match(after[sc.end() :])):
            factor = _SCALES[word.lower()]
            value, precision, scaled = value * factor, precision * factor, True
            end = b + sc.end()
            after = work[end : end + 40]
    if after[:1] in _NOTHING_AFTER:
        pass  # "$6,960," or "2018.": no unit follows (the common case, decided without a dozen regexes)
    elif kind != "money" and (cu := _CURRENCY_AFTER.match(after)):
        kind, end = "money", end + cu.end()
    elif kind != "money" and (fx := _FOREIGN_AFTER.match(after)):
        kind, end, unit = "money", end + fx.end(), "foreign"
    elif kind == "number" and not scaled and (mm := _MULTIPLE.match(after)):
        kind, end = "multiple", end + mm.end()
    elif kind == "number" and not scaled and (pm := _PERCENT.match(after)):
        kind, end, unit = "percent", end + pm.end(), pm.group("unit")
        if unit in ("bps", "basis point", "basis points"):
            value, precision = value / 100, precision / 100
    elif kind == "number" and not scaled and (im := _INDEX.match(after)):
        kind, end = "index", end + im.end()
    elif kind == "number" and not scaled and (tb := _TIMES_A_BASELINE.match(after)):
        kind, end = "multiple", end + tb.end()
    elif kind == "number" and not scaled and _LEVERAGE.match(after) and value >= 1:
        kind, end = "leverage", end + 1
    elif kind == "number" and not scaled and (sk := _STREAK.match(after)):
        hours = _DURATION_HOURS.get(next(u for u in sk.group("unit", "unit2", "unit3") if u).rstrip("s").replace("session", "day"), 24.0)
        kind, end, unit, value, precision = "duration", end + sk.end(), "streak", value * hours, precision * hours
    elif kind == "number" and not scaled and (pe := _PERIODS.match(after)):
        kind, end, unit = "count", end + pe.end(), "periods"
    elif kind == "number" and not scaled and (dm := _DURATION.match(after)) and not (dm.group("sep") == " " and dm.group("unit") in "hHdDwWm"):
        u = dm.group("unit").lower()
        u = u.rstrip("s") if len(u) > 1 else u
        per = _DURATION_HOURS.get(u)
        if per is None:
            return None
        kind, end, unit = "duration", end + dm.end(), u
        value, precision = value * per, precision * per
        if len(dm.group("unit")) <= 2 and _CHARTY.match(work[end : end + 30]):
            kind = "timeframe"
    elif kind in ("number",) and (co := _COINS.match(after)):
        kind, end, unit = "coins", end + co.end(), co.group("unit")
    elif kind == "number" and not scaled and _ORDINAL.match(after):
        return None  # "3rd": an ordinal, not a quantity
    if kind == "number" and not scaled and "." not in digits and "," not in m.group() and 1990 <= value <= 2099 \
            and end == b:
        kind, precision = "year", 1.0
    elif kind == "number" and scaled:
        kind = "number"
    mention = Mention(start, end, text[start:end], kind, value * (sign or 1) if kind != "year" else value,
                      precision, sign=sign, scaled=scaled, unit=unit)
    if kind == "year":
        mention.when = When(year=int(value))
    return mention


def _number_words(layout: Layout, low: str, look: str, text: str, out: list[Mention]) -> None:
    """Number words in ``low`` (lower-cased, digits blanked); units after them are read in ``look`` (digits kept).

    Only sentences with a number word are searched: "a", "one", "ten" start so many words that a pass
    over the whole text is costly.
    """
    # The sentence's words are read again in ``low``, where the mentions are blanked: "million" in "$412 million"
    # is part of a number already found.
    spans = [(s.start, s.end) for s in layout.sentences_with(NUMBER_WORD_TRIGGER)
             if not NUMBER_WORD_TRIGGER.isdisjoint(_LETTERS.findall(low, s.start, s.end))]
    found = [m for a, b in spans for m in FRACTION_WORDS.finditer(low, a, b)]
    for m in found:
        if m.start() and low[m.start() - 1].isalpha():
            continue
        value = fraction_value(m.group())
        if value is not None:
            out.append(Mention(m.start(), m.end(), text[m.start() : m.end()], "percent", value, precision=10.0,
                               words=True, qualifier="approx"))
    for m in (m for a, b in spans for m in NUMBER_WORDS.finditer(low, a, b)):
        if m.start() and low[m.start() - 1].isalpha():
            continue  # "someone", "often"
        value = words_value(m.group())
        if value is None:
            continue
        after = look[m.end() : m.end() + 40]
        before = look[max(0, m.start() - 24) : m.start()]
        last_word = m.group().lower().replace("-", " ").split()[-1]
        scale = _SCALES.get(last_word, 1.0)  # "five billion": precise to a billion
        if _IDIOM.match(look, max(0, m.start() - 3)):
            continue
        measure = _MEASURE_AFTER.match(after) or _CURRENCY_AFTER.match(after) or _MULTIPLE.match(after) or scale > 1 \
            or _STREAK.match(after)
        valued = re.search(r"(?:\b(?:at|to|of|hit|reached|scored?|reads?|reading|a mere|just|only)\s+)$", before, re.I)
        if not measure and not (valued and value >= 2):
            continue  # "one of the", "two scenarios": not a claim about the data
        end, kind, precision, unit = m.end(), "number", scale, None
        if mm := _MULTIPLE.match(after) or _TIMES_A_BASELINE.match(after):
            kind, end = "multiple", end + mm.end()
        elif sk := _STREAK.match(after):
            u = next(u for u in sk.group("unit", "unit2", "unit3") if u).lower().rstrip("s").replace("session", "day")
            hours = _DURATION_HOURS.get(u, 24.0)
            kind, end, unit, value, precision = "duration", end + sk.end(), "streak", value * hours, hours
        elif pm := _PERCENT.match(after):
            kind, end = "percent", end + pm.end()
        elif im := _INDEX.match(after):
            kind, end = "index", end + im.end()
        elif (dm := _DURATION.match(after)) and len(dm.group("unit")) > 1:
            u = dm.group("unit").lower().rstrip("s")
            per = _DURATION_HOURS.get(u)
            if per is None:
                continue
            kind, end, unit = "duration", end + dm.end(), u
            value, precision = value * per, per
        elif cm := _CURRENCY_AFTER.match(after):
            kind, end = "money", end + cm.end()
        out.append(Mention(m.start(), end, text[m.start() : end], kind, value, precision, words=True, unit=unit,
                           scaled=scale > 1))


_LETTERS = re.compile(r"[a-z]+")
_TIMEFRAME_TRIGGER = frozenset(RULES.words("timeframe_word"))


def _timeframe_words(layout: Layout, low: str, text: str, out: list[Mention]) -> None:
    found = (m for s in layout.sentences_with(_TIMEFRAME_TRIGGER) for m in _TIMEFRAME_WORD.finditer(low, s.start, s.end))
    for m in found:
        word = RULES.value("timeframe_word", m.group("timeframe_word") or m.group("timeframe_word2"))
        a, b = m.span()
        if word is None or (a and low[a - 1].isalpha()):
            continue
        out.append(Mention(a, b, text[a:b], "timeframe", _TIMEFRAME_HOURS[word], words=True))


def _ranges(masked: str, mentions: list[Mention]) -> None:
    """Pair the two ends of a range: "between X and Y", "X-Y", "10-12%", "from X (on DATE) to Y"."""
    numeric = [i for i, m in enumerate(mentions) if m.kind in _RANGE_KINDS and m.value is not None]
    for i, j in zip(numeric, numeric[1:]):
        x, y = mentions[i], mentions[j]
        # Dates between the ends ("from $5,429 on November 12 to $19,850") do not break the range.
        gap = masked[x.end : y.start]
        for k in range(i + 1, j):
            d = mentions[k]
            gap = gap.replace(masked[d.start : d.end], "")
        gap = re.sub(r"^\s*(?:,\s*)?on\s*(?:,\s*)?", " ", gap) if j > i + 1 else gap
        if not _RANGE_JOIN.match(gap):
            continue
        word = gap.strip()
        lead = masked[max(0, x.start - 30) : x.start]
        between = re.search(r"\bbetween\s+(?:\S+\s+){0,3}$", lead, re.I) is not None
        from_to = word == "to" and re.search(r"\bfrom\s+(?:\S+\s+){0,3}$", lead, re.I) is not None
        if from_to and _SPAN_VERB.search(lead):
            from_to, between = False, True  # "ranged from $13,025 to $16,493": a low and a high, not a move
        if word == "and" and not between:
            continue
        if word == "to" and not (from_to or between) and x.kind == y.kind and x.kind in ("percent", "money") \
                and _CHANGE_BY.search(lead):
            x.tags, x.tags_ahead = {"metric": "change_amount"}, False
            continue
        if word in ("to", "through") and not (from_to or between or x.kind == y.kind or x.kind == "number"):
            continue
        if j > i + 1 and not from_to:
            continue
        if x.kind == "money" and y.kind == "number" and word in "-–—":
            y.kind = "money"  # "$62-64K"
        if x.kind == "number" and y.kind in ("percent", "money", "index", "duration", "coins") and not x.scaled:
            x.kind, x.unit = y.kind, y.unit  # "10-12%": the first end takes the unit of the second
        if x.kind == y.kind and y.scaled and not x.scaled and x.value and y.value and y.value / x.value > 100:
            factor = y.precision / _decimals_precision(re.sub(r"[^\d.]", "", y.text.split()[0]) or "1")
            x.value, x.precision, x.scaled = x.value * factor, x.precision * factor, True  # "$62-64K"
        if x.kind != y.kind:
            continue
        if from_to:
            x.range_role, y.range_role = "start", "end"
        else:
            x.range_role, y.range_role = ("low", "high") if x.value <= y.value else ("high", "low")  # type: ignore[operator]
        x.partner, y.partner = j, i


def extract_mentions(layout: Layout) -> list[Mention]:
    """Every numeric mention in the layout's text, in order of position."""
    text, masked = layout.text, layout.masked
    out: list[Mention] = []
    low = ascii_lower(masked)
    spans = name_spans(low)
    if spans:
        work = blank_spans(masked, spans)
        low = work.lower() if len(work) == len(low) else ascii_lower(work)
    else:
        work = masked
    work = _dates(layout, work, low, out, text)
    look = work
    last_end = -1
    for m in _NUM.finditer(work):
        if m.start() < last_end:
            continue  # the "100" of "8/100" belongs to the index mention before it
        mention = _number(work, text, m)
        if mention is not None:
            if mention.kind == "number" and _CLOSE_PAREN.match(work, mention.end) \
                    and _PERIOD_BEFORE.search(work, max(0, mention.start - 30), mention.start):
                mention.kind, mention.tags = "count", {"metric": "rsi", "aspect": "period"}
            out.append(mention)
            last_end = mention.end
    work = blank_spans(work, [(mention.start, mention.end) for mention in out])
    low = ascii_lower(work)
    words: list[Mention] = []
    _number_words(layout, low, look, text, words)
    # "nine out of 100": the digits belong to the number-word mention around them.
    if words:
        out = [m for m in out if not any(w.start <= m.start and m.end <= w.end for w in words)] + words
    _timeframe_words(layout, low, text, out)
    out.sort(key=lambda x: x.start)
    for mention in out:
        if mention.kind not in ("date", "time", "year", "timeframe"):
            mention.qualifier = mention.qualifier if mention.words and mention.qualifier != "exact" \
                else _qualifier(masked, mention.start, mention.end)
    _ranges(masked, out)
    _lookbacks(masked, out)
    return out


_LOOKBACK_AFTER = RULES.regex("lookback_after")
_LOOKBACK_BEFORE = RULES.regex("lookback_before")


def _lookbacks(masked: str, mentions: list[Mention]) -> None:
    """'a three-week low', 'the lowest close in 21 days': the duration is how far back the record reaches."""
    for m in mentions:
        if m.kind != "duration" or m.unit == "streak" or (m.value or 0) <= 24:
            continue  # "a 24-hour low" is the day's low: a window of the data, not a record
        if after := _LOOKBACK_AFTER.match(masked, m.end):
            side = RULES.value("lookback_side", after.group("lookback_side"))
        elif before := _LOOKBACK_BEFORE.search(masked, max(0, m.start - 60), m.start):
            side = RULES.value("extreme_word", before.group("extreme_word"))
        else:
            continue
        m.unit, m.tags_ahead = f"lookback_{side}", False
