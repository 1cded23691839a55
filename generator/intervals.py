"""The interval between watch polls, as people type it: '90s', '5m', '1h'."""

from __future__ import annotations

import re

MIN_INTERVAL_S = 30.0  # providers rate-limit; a cascade is caught within minutes at 30 s or more
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh])\s*$", re.I)


def parse_interval(text: str) -> float:
    """Seconds in '90s', '5m' or '1h'; ValueError naming the problem otherwise."""
    match = _INTERVAL.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not an interval; write a number and a unit, e.g. 90s, 5m or 1h")
    seconds = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if seconds < MIN_INTERVAL_S:
        raise ValueError(f"{text!r} is too short: polls must be at least {MIN_INTERVAL_S:.0f}s apart "
                         "(providers rate-limit)")
    return seconds
