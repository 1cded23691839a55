"""Dates and times in prose: "February 6, 2018", "6 Feb 2018", "June 2022", "2018-02-06", "00:00 UTC".

A date is kept as the fields written (year, month, day, hour, minute; None for
those not given), which is also its precision: "June 2022" claims a month,
not a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hh>[012]?\d):(?P<mm>[0-5]\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?P<tz>UTC|GMT|Z|ET|EST|EDT|PT|CET|HKT|SGT|JST))?)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

DATE_PATTERNS = (
    re.compile(rf"\b{_WEEKDAY}{_MON}\s+{_DAY}\b(?:,?\s+{_YEAR})?{_TIME}"),
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MON}(?:,?\s+{_YEAR})?\b{_TIME}"),
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d)(?::\d\d)?(?P<tz>Z|[+-]00:?00)?)?\b"),
    re.compile(rf"\b(?:(?:early|mid|late|end|start)[- ](?:of\s+)?)?{_MON}\s+{_YEAR}\b"),
    re.compile(rf"\bQ(?P<quarter>[1-4])\s+{_YEAR}\b"),
    re.compile(r"\b(?P<hh>[012]?\d):(?P<mm>[0-5]\d)\s*(?:(?P<ampm>[ap]\.?m\.?)\s*)?(?P<tz>UTC|GMT|ET|EST|EDT|PT|CET)\b"),
    re.compile(r"\b(?P<hh>1[0-2]|0?[1-9])\s*(?P<ampm>[ap]\.m\.|[ap]m)\s*(?P<tz>UTC|GMT|ET|EST|EDT|PT|CET)?(?![\w])"),
    # Wire copy's clock: "at 2120 GMT", "0000 UTC" (four digits and a zone, no colon).
    re.compile(r"\b(?P<hh>[01]\d|2[0-3])(?P<mm>[0-5]\d)\s*(?P<tz>UTC|GMT|ET|EST|EDT|BST|CET)\b"),
)
# A month on its own counts only where it reads as a time ("in January", "since early March",
# "the November-January rally"); "May" and "March" are also a verb.
MONTH_ONLY = re.compile(
    r"(?:(?<=\bin )|(?<=\bsince )|(?<=\bearly )|(?<=\bmid-)|(?<=\blate )|(?<=\bby )|(?<=\buntil )|(?<=\bfrom )|"
    r"(?<=\bthrough )|(?<=\bof )|(?<=-)|(?<=\bthe ))"
    r"(?P<mon>January|February|April|June|July|August|September|October|November|December|March|May)\b"
    r"(?=[-–](?:January|February|March|April|May|June|July|August|September|October|November|December)\b|\s+(?:rally|decline|sell-?off|high|low|lows|highs|peak|bottom|swing|move|drop|crash|rebound)\b|[\s,.;:)])"
)


@dataclass(frozen=True, slots=True)
class When:
    """The date/time fields written; None where the text does not say."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    months: tuple[int, ...] = ()  # a span of months ("Q1 2024")

    def matches(self, moment: datetime) -> bool:
        """True when ``moment`` (UTC) agrees with every field written."""
        if self.year is not None and self.year != moment.year:
            return False
        if self.month is not None and self.month != moment.month:
            return False
        if self.months and moment.month not in self.months:
            return False
        if self.day is not None and self.day != moment.day:
            return False
        if self.hour is not None and self.hour != moment.hour:
            return False
        return self.minute is None or self.minute == moment.minute

    @property
    def precision(self) -> str:
        if self.minute is not None:
            return "minute"
        if self.day is not None:
            return "day"
        if self.month is not None or self.months:
            return "month"
        return "year" if self.year is not None else "time"


def parse_date(m: re.Match[str]) -> When | None:
    """Fields of a DATE_PATTERNS / MONTH_ONLY match, None when impossible (e.g. February 31)."""
    g = m.groupdict()
    month = None
    if g.get("mon"):
        month = MONTHS[g["mon"].rstrip(".").lower()]
    elif g.get("mnum"):
        month = int(g["mnum"])
    day = int(g["day"]) if g.get("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    hour = int(g["hh"]) if g.get("hh") else None
    minute = int(g["mm"]) if g.get("mm") else (0 if hour is not None else None)
    if hour is not None and g.get("ampm"):
        pm = g["ampm"].lower().startswith("p")
        hour = (hour % 12) + (12 if pm else 0)
    if hour is not None and hour > 23:
        return None
    quarter = int(g["quarter"]) if g.get("quarter") else None
    months = tuple(range(3 * quarter - 2, 3 * quarter + 1)) if quarter else ()
    return When(int(g["year"]) if g.get("year") else None, month, day, hour, minute, months)
