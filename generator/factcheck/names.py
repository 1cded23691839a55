"""Names that contain digits and are not quantities: "S&P 500", "CoinDesk 20", "Web3", "Layer 2".

Data only. Tokens that mix letters and digits ("Web3", "P2P", "ETH2", "3AC")
are recognised generically in extract.py; this list holds the names a
generic rule cannot see (a word, a space, a number).
"""

from __future__ import annotations

import re

from generator.factcheck.scan import lower_pattern

NAME_PATTERNS: tuple[str, ...] = (
    # Market indices and rankings
    r"S&P\s?(?:500|400|600|100)?", r"CoinDesk\s+(?:20|5|80|100)", r"Nasdaq(?:[- ]100)?(?:\s+100)?",
    r"Russell\s+(?:1000|2000|3000)", r"FTSE\s+(?:100|250)", r"Nikkei\s+225", r"DAX\s+(?:30|40)", r"CAC\s+40",
    r"(?:Euro\s+)?Stoxx\s+(?:50|600)", r"Hang\s+Seng", r"Dow\s+(?:Jones\s+)?30", r"Fortune\s+(?:100|500)",
    r"Bitwise\s+10", r"(?:CF|CME)\s+\w+\s+(?:Index|Rate)", r"MSCI\s+\w+", r"[Tt]op[- ](?:3|5|10|20|50|100)\b",
    r"No\.\s?\d+\b", r"#\d+\b",
    # Protocols, standards, versions
    r"Layer[- ]?[0-3]s?\b", r"Web\s?[1-3](?:\.0)?\b", r"(?:Bitcoin|Ethereum|Eth|ETH|FTX|Terra)\s?2(?:\.0)?\b",
    r"(?:ERC|BRC|BEP|EIP|BIP|SIP|TIP|CIP|KIP|XLS|SPL|RFC|ISO|SRC|ARC|NIP|FIP)[- ]?\d+\b",
    r"[vV]\d+(?:\.\d+)*\b", r"[Vv]ersion\s+\d+(?:\.\d+)*\b", r"\b\d+\.\d+\.\d+\b", r"Bitcoin\s+Core(?:\s+v?\d+(?:\.\d+)*)?",
    r"Uniswap\s+v?\d", r"Mt\.?\s?Gox",
    # Law, filings, public health, groups
    r"Chapter\s+(?:7|11|13|15)\b", r"(?:Rule|Section|Article|Form|Title|Regulation)\s+\d+[A-Za-z()-]*",
    r"Form\s+[A-Z]-\d+", r"\d{3}\(k\)", r"COVID-?19", r"Covid-?19", r"G-?(?:7|8|20)\b", r"24/7", r"Area\s+51",
    r"Proof[- ]of[- ]\w+",
    # The scale of an index, not a reading of it: "a gauge that runs from 0 to 100", "on a 0-100 scale".
    r"(?:from\s+)?0\s*(?:to|-|–)\s*100\b(?=\s*(?:scale|range|points?\b|[,.;)—–]))", r"(?:scale|range)\s+of\s+0\s*(?:to|-|–)\s*100\b",
)
NAMES = re.compile(lower_pattern(r"(?<![\w$])(?:" + "|".join(NAME_PATTERNS) + r")"))  # run on lower-cased text
_DIGITS = re.compile(r"\d+")
_BEFORE, _AFTER = 24, 12  # how far a name reaches before and after the digits in it


def name_spans(low: str) -> list[tuple[int, int]]:
    """Spans of the names in ``low`` (lower-cased text) that contain digits which are not quantities.

    Only the text around digits is searched: a name without digits hides no number.
    """
    windows: list[list[int]] = []
    for d in _DIGITS.finditer(low):
        if d.start() and low[d.start() - 1] in "$.,0123456789":
            continue  # "$6,960", the "72" of "14.72": no name puts a currency sign or a separator before its number
        a, b = max(0, d.start() - _BEFORE), d.end() + _AFTER
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    out = []
    for a, b in windows:
        for m in NAMES.finditer(low, a, min(b, len(low))):
            if any(ch.isdigit() for ch in m.group()):
                out.append(m.span())
    return out


# Letter-digit tokens that *are* quantities or timeframes ("50x", "24h", "$60K", "4H", "1st", "18.75million").
NUMERIC_TOKEN = re.compile(
    r"\d+(?:\.\d+)?(?:[kKmMbBtT]|bn|mn|mln|tn|[xX]|h|H|hr|hrs|d|D|w|W|m|min|mins|s|am|pm|st|nd|rd|th|"
    r"(?i:thousand|million|billion|trillion))", re.A
)
