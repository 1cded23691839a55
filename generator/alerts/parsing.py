"""The two inputs of ``watch`` a person types: an interval ('5m') and a list of assets ('BTC,ETH')."""

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
        raise ValueError(f"{text!r} is too short: polls must be at least {MIN_INTERVAL_S:.0f}s apart (providers rate-limit)")
    return seconds


def parse_assets(text: str) -> list[str]:
    """['BTC', 'ETH'] from 'btc, ETH' (upper-cased, duplicates dropped); ValueError for a non-ticker."""
    assets: list[str] = []
    for part in (text or "").split(","):
        asset = part.strip().upper()
        if not asset:
            continue
        if not re.fullmatch(r"[A-Z0-9]{2,12}", asset):
            raise ValueError(f"invalid asset {part.strip()!r}: give tickers such as BTC,ETH,SOL")
        if asset not in assets:
            assets.append(asset)
    if not assets:
        raise ValueError("no asset given: give tickers such as BTC,ETH,SOL")
    return assets
