"""Qualitative claims: words that state what the data says without a number.

"oversold"/"overbought" against the RSI bands, "extreme fear"/"greed" against
the Fear & Greed bands, "broke below support" against the broken level,
"Bitcoin fell" against the sign of the 24-hour change, and "sits above the
price" against where a level really is. Each claim is reported like a mention
(kind ``claim``) so editors see its span and verdict.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from generator.facts import Fact, fear_greed_band, rsi_band
from generator.factcheck.index import FactIndex
from generator.factcheck.extract import Mention
from generator.factcheck.judge import Judgement, clause
from generator.factcheck.lexicon import BREAK_TRIGGER as _BREAK_TRIGGER
from generator.factcheck.lexicon import FG_TRIGGER as _FG_TRIGGER
from generator.factcheck.lexicon import GENERIC_LOWER, HISTORICAL_LOWER, HYPOTHETICAL_LOWER
from generator.factcheck.lexicon import MIX_TRIGGER as _MIX_TRIGGER
from generator.factcheck.lexicon import RSI_TRIGGER as _RSI_TRIGGER
from generator.factcheck.lexicon import SIDE_TRIGGER as _SIDE_TRIGGER
from generator.factcheck.markdown import Layout

Claim = tuple[int, int, Judgement]

_TF_WORDS = (
    (re.compile(r"\b(?:daily|1d|1D|D1|day)\b"), "1d"), (re.compile(r"\b(?:4-hour|4h|4H|H4|four-hour)\b"), "4h"),
    (re.compile(r"\b(?:hourly|1-hour|1h|1H|H1)\b"), "1h"), (re.compile(r"\b(?:weekly|1w|1W)\b"), "1w"),
    (re.compile(r"\b(?:15-minute|15m)\b"), "15m"), (re.compile(r"\b(?:30-minute|30m)\b"), "30m"),
)
_RSI_WORD = re.compile(r"\b(oversold|overbought|neutral)\b", re.I)
# "neutral" is a band of the RSI only where the sentence names the RSI, no other gauge with a neutral band, and no
# other band ("separates oversold from neutral" describes the bands, it places the RSI in none).
_RSI_NAMED = re.compile(r"\bRSI\b|\brelative strength\b", re.I)
_OTHER_NEUTRAL = re.compile(r"\b(?:fear|greed|sentiment|funding|stance|outlook|bias|rating|oversold|overbought)\b",
                            re.I)
_OTHER_OSC = re.compile(r"\b(?:stochastic|MFI|CCI|Williams|money flow|MACD)\b", re.I)
_NOT_IN = re.compile(r"\b(?:not|no longer|never|out of|exit(?:ed|s|ing)?|left|leaving|recover(?:ed|ing|s)? from|"
                     r"bounced? from|emerg(?:ed|ing|es) from|away from|climbed out of|above the)\s+(?:\w+\s+){0,2}$", re.I)
_NEAR = re.compile(r"\b(?:near(?:ing|ly)?|approach(?:ing|es)?|close to|toward|towards|edging toward|flirting with|"
                   r"verge of|brink of|almost|just above|just below)\s+(?:the\s+)?(?:\w+\s+){0,1}$", re.I)
_THRESHOLD = re.compile(r"\b(?P<rel>above|below|under)\s+the\s+(?P<band>oversold|overbought)\s+"
                        r"(?:threshold|level|line|mark|zone|territory|boundary|region)", re.I)
_FG_CONTEXT = re.compile(r"\bfear\s*(?:&|and)\s*greed\b|\bsentiment\b|\bF&G\b", re.I)
_FG_NAME = re.compile(r"\bfear\s*(?:&|and)\s*greed\b", re.I)
_FG_BAND = re.compile(r"\b(extreme\s+fear|extreme\s+greed|fear|greed|neutral)\b", re.I)
_RSI_CONTEXT = re.compile(r"\bRSI\b|\brelative strength\b|\bmomentum\b", re.I)
_BREAK = re.compile(
    # A move across the level is a break however it is worded: "fell back below", "climbed back above".
    r"\b(?:(?P<down>br(?:oke|eaks?|eaking)\s+(?:down\s+)?(?:back\s+)?(?:below|under)|"
    r"(?:fell|falls|dropped|drops|slipped|slips|sank|sinks|slid|slides|tumbled|plunged|dipped|dips|moved|pushed)\s+"
    r"(?:back\s+)?(?:below|under|through)|"
    r"lost|loses|losing|breach(?:ed|es|ing)?|sliced\s+through|slicing\s+through|"
    r"slices\s+through|clos(?:e|ed|es|ing)\s+(?:back\s+)?below|gave\s+way)"
    r"|(?P<up>br(?:oke|eaks?|eaking)\s+(?:out\s+)?(?:back\s+)?above|clear(?:ed|s|ing)|clos(?:e|ed|es|ing)\s+(?:back\s+)?above|"
    r"(?:pushed|pushes|rose|rises|climbed|climbs|rallied|rallies|jumped|jumps|surged|surges|moved|moves|popped|"
    r"spiked|advanced)\s+(?:back\s+)?above)"
    r"|(?P<any>br(?:oke|eaks?|eaking)(?:\s+through)?))"
    r"\s+(?:[\w$,.&-]+\s+){0,4}?(?P<kind>support|resistance)\b", re.I)
_BROKEN_NOUN = re.compile(r"\b(?:broken|lost)\s+(?P<kind>support|resistance)\b|\bcleared\s+(?P<kind2>resistance)\b", re.I)
_SIDE = re.compile(r"\b(?:sits?|lies|lie|stands?|is|are|remains?|now)\s+(?P<rel>above|below|overhead|beneath)"
                   r"(?:\s+(?:the\s+)?(?:current\s+)?(?:price|market))?|^\s*(?:Unfilled,\s+)?(?P<rel2>above|below)\s+the\s+price\b",
                   re.I)
_MOVES_DOWN = r"fell|falls|dropped|drops|declined|declines|slid|slides|slipped|slips|sank|sinks|plunged|plunges|" \
              r"tumbled|tumbles|slumped|slumps|dipped|dips|crashed|crashes|retreated|retreats"
_MOVES_UP = r"rose|rises|climbed|climbs|gained|gains|jumped|jumps|surged|surges|soared|soars|rallied|rallies|" \
            r"advanced|advances|rebounded|rebounds|recovered|recovers|spiked|spikes"
_DESTINATION = re.compile(r"\s+(?:back\s+)?(?:to|toward|towards|as low as|as high as|into|below|above|under|through|past)\b",
                          re.I)
# Another window than the 24 hours the change covers ("fell this week", "rose since March").
_HOUR = re.compile(r"\b(?:hour|hourly|60 minutes)\b", re.I)
_OTHER_TIME = re.compile(r"\b(?:week|weeks|weekend|month|months|year|years|since|ago|last|previous)\b", re.I)


def _verdict(ok: bool, fact: Fact, expected: str, good: str, bad: str, verdict: str = "mismatch") -> Judgement:
    return Judgement("verified" if ok else verdict, fact, expected, good if ok else bad)


def _rsi_fact(layout: Layout, pos: int, index: FactIndex) -> Fact | None:
    sent = layout.sentence_at(pos)
    text = layout.masked[sent.start : sent.end]
    readings = {tf: f for f in index.facts if f.meaning.has("metric", "rsi") and f.meaning.has("aspect", "reading")
                for tf in f.meaning.tags.get("tf", ())}
    for pattern, tf in _TF_WORDS:
        if pattern.search(text) and (fact := readings.get(tf)) is not None:
            return fact
    tf_fact = index.facts.get("analysis.timeframe")
    if tf_fact is not None:
        for f in index.facts:
            if f.unit == "hours" and "tf" in f.meaning.tags and f.value == tf_fact.value:
                if (fact := readings.get(f.meaning.tags["tf"][0])) is not None:
                    return fact
    return next(iter(readings.values()), None)


def _skip(layout: Layout, start: int, end: int) -> bool:
    sent = layout.sentence_at(start)
    if GENERIC_LOWER.search(layout.lower, sent.start, sent.end) or \
            HISTORICAL_LOWER.search(layout.lower, sent.start, sent.end):
        return True
    a, b = clause(layout, start, end)
    return bool(HYPOTHETICAL_LOWER.search(layout.lower, a, b))


def rsi_claims(layout: Layout, index: FactIndex) -> list[Claim]:
    out: list[Claim] = []
    masked = layout.masked
    for m in (m for s in layout.sentences_with(_RSI_TRIGGER) for m in _RSI_WORD.finditer(masked, s.start, s.end)):
        sent = layout.sentence_at(m.start())
        if _OTHER_OSC.search(masked, sent.start, sent.end) or _skip(layout, m.start(), m.end()):
            continue
        word = m.group(1).lower()
        if word == "neutral" and not (_RSI_NAMED.search(masked, sent.start, sent.end)
                                      and not _OTHER_NEUTRAL.search(masked, sent.start, sent.end)):
            continue
        fact = _rsi_fact(layout, m.start(), index)
        start, end = m.span()
        before = masked[max(sent.start, start - 40) : start]
        if fact is None:
            out.append((start, end, Judgement("unsupported", None, None, "the data has no RSI")))
            continue
        value = float(fact.value)
        band = rsi_band(value)
        shown = f"{band} (RSI {fact.display})"
        thr = _THRESHOLD.search(masked, max(sent.start, start - 12), end + 30)
        if thr and thr.start() <= start <= thr.end():
            rel = thr.group("rel").lower()
            start, end = thr.span()
            want_in = (rel != "above") if word == "oversold" else (rel == "above")
            ok = (band == word) == want_in
            out.append((start, end, _verdict(ok, fact, shown, f"RSI is {fact.display}", f"RSI is {fact.display}, {band}")))
        elif _NOT_IN.search(before):
            out.append((start, end, _verdict(band != word, fact, shown, f"RSI is {fact.display}",
                                             f"RSI is {fact.display}, which is {band}")))
        elif _NEAR.search(before) and word != "neutral":
            limit = 30.0 if word == "oversold" else 70.0
            out.append((start, end, _verdict(abs(value - limit) <= 10, fact, shown, f"RSI is {fact.display}",
                                             f"RSI is {fact.display}, not near {word}")))
        else:
            out.append((start, end, _verdict(band == word, fact, shown, f"RSI is {fact.display}, {band}",
                                             f"RSI is {fact.display}, which is {band}")))
    return out


def fear_greed_claims(layout: Layout, index: FactIndex) -> list[Claim]:
    fact = index.facts.get("sentiment.fear_greed")
    out: list[Claim] = []
    masked = layout.masked
    for sent in layout.sentences_with(_FG_TRIGGER):
        text = masked[sent.start : sent.end]
        if not _FG_CONTEXT.search(text) and not re.search(r"\b(?:extreme\s+(?:fear|greed))\b", text, re.I):
            continue
        names = [(sent.start + n.start(), sent.start + n.end()) for n in _FG_NAME.finditer(text)]
        for w in _FG_BAND.finditer(text):
            start, end = sent.start + w.start(), sent.start + w.end()
            if any(a <= start < b for a, b in names):
                continue
            word = " ".join(w.group(1).split()).title()
            if word == "Neutral":
                rsi = _RSI_CONTEXT.search(text)
                fg = _FG_CONTEXT.search(text)
                if rsi and (not fg or abs(rsi.start() - w.start()) < abs(fg.start() - w.start())):
                    continue
            if _skip(layout, start, end):
                continue
            if fact is None:
                out.append((start, end, Judgement("unsupported", None, None, "the data has no Fear & Greed reading")))
                continue
            bands = {fear_greed_band(float(fact.value)), fact.context or ""}
            expected = fact.context or fear_greed_band(float(fact.value))
            out.append((start, end, _verdict(word in bands, fact, expected, f"the index is {fact.display}, {expected}",
                                             f"the index is {fact.display}, {expected}")))
    return out


def break_claims(layout: Layout, index: FactIndex) -> list[Claim]:
    fact = index.facts.get("levels.broken")
    out: list[Claim] = []
    masked = layout.masked
    sentences = layout.sentences_with(_BREAK_TRIGGER)
    found = [m for s in sentences for m in _BREAK.finditer(masked, s.start, s.end)]
    found += [m for s in sentences for m in _BROKEN_NOUN.finditer(masked, s.start, s.end)]
    for m in found:
        kind = (m.group("kind") or m.groupdict().get("kind2") or "").lower()
        start, end = m.span()
        verb_form = "down" in m.groupdict()
        if verb_form and _skip(layout, start, end):
            continue
        way = "down" if verb_form and m.group("down") else "up" if verb_form and m.group("up") else None
        if fact is None:
            out.append((start, end, Judgement("unsupported", None, None, "no level was broken on the latest close")))
            continue
        actual = fact.context or ("support" if "support" in fact.label.lower() else "resistance")
        expected = f"broken {actual} at {fact.display}"
        if kind != actual:
            out.append((start, end, Judgement("mismatch", fact, expected, f"the close broke {actual}, not {kind}")))
        elif way is not None and way != ("down" if actual == "support" else "up"):
            out.append((start, end, Judgement("direction", fact, expected,
                                              f"{actual} breaks {'down' if actual == 'support' else 'up'}, not {way}")))
        else:
            out.append((start, end, Judgement("verified", fact, expected, f"the close broke {actual} at {fact.display}")))
    return out


def side_claims(layout: Layout, index: FactIndex, mentions: list[Mention], facts_of: list[Fact | None]) -> list[Claim]:
    """'sits above the price', 'Unfilled, above the price': the level(s) just before are on that side."""
    price = index.facts.get("price.current")
    out: list[Claim] = []
    if price is None:
        return out
    masked = layout.masked
    for sent in layout.sentences_with(_SIDE_TRIGGER):
        for m in _SIDE.finditer(masked, sent.start, sent.end):
            rel = (m.group("rel") or m.group("rel2")).lower()
            if m.group("rel") and not re.search(r"\b(?:price|market)\b", m.group()) and rel != "overhead":
                continue
            if _skip(layout, m.start(), m.end()):
                continue
            rel = "above" if rel == "overhead" else "below" if rel == "beneath" else rel
            targets = _levels_before(layout, m.start(), mentions, facts_of, sent.cells != [])
            if not targets:
                continue
            wrong = [f for f in targets if (float(f.value) > float(price.value)) != (rel == "above")]
            fact = wrong[0] if wrong else targets[0]
            where = "above" if float(fact.value) > float(price.value) else "below"
            out.append((m.start(), m.end(), _verdict(
                not wrong, fact, fact.display, f"{fact.label} {fact.display} is {where} the price ({price.display})",
                f"{fact.label} {fact.display} is {where} the price ({price.display})", verdict="direction")))
    return out


def _levels_before(layout: Layout, pos: int, mentions: list[Mention], facts_of: list[Fact | None],
                   row: bool) -> list[Fact]:
    sent = layout.sentence_at(pos)
    found: list[Fact] = []
    for i in range(len(mentions) - 1, -1, -1):
        m = mentions[i]
        if m.start >= pos or m.start < sent.start:
            continue
        f = facts_of[i]
        if f is None or not (f.meaning.position and not f.meaning.price) or f.unit != "usd":
            if found:
                break
            continue
        found.append(f)
        if m.partner is None or m.partner > i:
            break
    return found


_MOVES = frozenset(f"{_MOVES_DOWN}|{_MOVES_UP}".split("|"))


@lru_cache(maxsize=16)
def _direction_pattern(asset_names: tuple[str, ...]) -> re.Pattern[str]:
    """'Bitcoin fell', 'the price has climbed': a move of the price, with its subject."""
    names = "|".join(re.escape(n) for n in sorted(asset_names, key=len, reverse=True) if n) or "bitcoin"
    return re.compile(rf"\b(?:{names}|the price|prices?|it)\s+(?:has\s+|had\s+|was\s+|\w+ly\s+)?"
                      rf"(?:(?P<down>{_MOVES_DOWN})|(?P<up>{_MOVES_UP}))\b", re.I)


def direction_claims(layout: Layout, index: FactIndex, mentions: list[Mention]) -> list[Claim]:
    day, hour = index.facts.get("price.change_24h_pct"), index.facts.get("price.change_1h_pct")
    if all(c is None or abs(float(c.value)) < 0.1 for c in (day, hour)):
        return []
    pattern = _direction_pattern(index.asset_names)
    masked = layout.masked
    out: list[Claim] = []
    starts = [m.start for m in mentions if m.kind == "percent"]
    found = (m for s in layout.sentences_with(_MOVES) for m in pattern.finditer(masked, s.start, s.end))
    for m in found:
        a, b = clause(layout, m.start(), m.end())
        sent = layout.sentence_at(m.start())
        if any(a <= s < b for s in starts) or _skip(layout, m.start(), m.end()):
            continue
        text = masked[sent.start : sent.end]
        if re.search(_MOVES_DOWN, text) and re.search(_MOVES_UP, text):
            continue
        # "fell in the past hour" is about the hour's move; other windows than 24 hours are not checked.
        change = hour if _HOUR.search(masked, a, b) else None if _OTHER_TIME.search(masked, a, b) else day
        if change is None or abs(float(change.value)) < 0.1:
            continue
        if _DESTINATION.match(masked, m.end()):
            continue  # "fell to an intraday low of $6,372", "recovered to $6,960": a move within the day, to a level
        claimed = -1 if m.group("down") else 1
        actual = 1 if float(change.value) > 0 else -1
        out.append((m.start(), m.end(), _verdict(
            claimed == actual, change, change.display, f"{change.label} is {change.display}",
            f"{change.label} is {change.display}: it {'rose' if actual > 0 else 'fell'}", verdict="direction")))
    return out


_SIDE_WORD = r"(?:leveraged\s+)?(?:longs?|shorts?|(?:long|short)\s+(?:positions|liquidations|traders|bets))"
_OUTNUMBER = re.compile(
    rf"\b(?P<a>{_SIDE_WORD})\s+(?:\w+\s+)?(?:outnumbered|outweighed|outpaced|exceeded|dwarfed|outstripped|eclipsed|"
    rf"outnumber|outweigh|outpace|exceed|dwarf)\s+(?P<b>{_SIDE_WORD})\b"
    rf"|\bmore\s+(?P<a2>longs|shorts|long positions|short positions)\s+than\s+(?P<b2>longs|shorts|long positions|"
    rf"short positions)\b", re.I)
_MIX_HOUR = re.compile(r"\b(?:hour|1h|1-hour|60 minutes)\b", re.I)
_MIX_DAY = re.compile(r"\b(?:24 hours|24h|24-hour|day|day's|daily|session)\b", re.I)


def mix_claims(layout: Layout, index: FactIndex) -> list[Claim]:
    """'Longs outnumbered shorts', 'more shorts than longs were liquidated': which side was larger."""
    out: list[Claim] = []
    masked = layout.masked
    for m in (m for s in layout.sentences_with(_MIX_TRIGGER) for m in _OUTNUMBER.finditer(masked, s.start, s.end)):
        first = (m.group("a") or m.group("a2")).lower()
        longs_first = "long" in first
        sent = layout.sentence_at(m.start())
        text = masked[sent.start : sent.end]
        windows = ["1h"] if _MIX_HOUR.search(text) else ["24h"] if _MIX_DAY.search(text) else ["1h", "24h"]
        pairs = [(index.facts.get(f"liquidations.long_{w}_usd"), index.facts.get(f"liquidations.short_{w}_usd"))
                 for w in windows]
        pairs = [(lg, sh) for lg, sh in pairs if lg is not None and sh is not None]
        if not pairs:
            out.append((m.start(), m.end(), Judgement("unsupported", None, None, "the data has no long/short liquidations")))
            continue
        wrong = [(lg, sh) for lg, sh in pairs if (float(lg.value) > float(sh.value)) != longs_first]
        lg, sh = wrong[0] if wrong else pairs[0]
        larger = "longs" if float(lg.value) > float(sh.value) else "shorts"
        why = f"{lg.label} {lg.display} against {sh.label.lower()} {sh.display}: {larger} were larger"
        out.append((m.start(), m.end(), _verdict(not wrong, lg, f"{lg.display} vs {sh.display}", why, why, "direction")))
    return out


CLAIM_CHECKS: tuple[Callable[[Layout, FactIndex], list[Claim]], ...] = (rsi_claims, fear_greed_claims, break_claims,
                                                                         mix_claims)
