"""Evidence: what the words around a mention say about the fact it states.

Cues (cues.py) near a mention are weighed by distance: words between them, clause barriers (commas,
semicolons, "while", "against"...), other numbers in between (a cue usually belongs to the nearest
number) and, in a table, whether the cue is in the row's label. Some evidence comes from the mentions
around it: a date naming a level ("the November 12 low of $5,429"), an amount restated ("76%, or
$1.9 billion"), a share of the amount before ("86% of it"), the ends of a move ("from X to Y").
bind.py turns the evidence into a fact.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from generator.factcheck.binding import Binding
from generator.factcheck.cues import DISTANCE_OF, Tags
from generator.factcheck.extract import Mention
from generator.factcheck.index import CUE_SCANNER, CUE_TAGS, Cue, FactIndex, moment, scan_cues, scanned_sentences
from generator.factcheck.lexicon import lower_regex
from generator.factcheck.markdown import Layout, blank_spans
from generator.factcheck.rulebook import RULES
from generator.factcheck.scan import Fast, ascii_lower, lowered
from generator.facts import Fact

Said = list[tuple[Tags, float]]  # (tags, weight) of each cue that speaks about a mention

_COMMA = RULES.regex("comma_barrier")
_STRONG = lower_regex("strong_barrier")
_RIGHT_ATTACH = lowered(RULES.regex("right_attach"))  # (on the lower-cased plain text)
# Slots the previous sentence may fill: what is being counted and over which window, not which level.
_CARRIED = frozenset(("metric", "window", "side", "tf"))
_MOVE_UP = Fast(RULES.regex("move_up_words"))  # (gated, on the lower-cased text)
_MOVE_DOWN = Fast(RULES.regex("move_down_words"))
_APPOSITION = RULES.regex("apposition")
_ANAPHORA = lowered(RULES.regex("anaphora"))  # (on the lower-cased text)
DATE_PAIR = RULES.regex("date_pair")
TIME_DATE_PAIR = RULES.regex("time_date_pair")
_PART_OF = RULES.regex("part_of_whole")
_PART_TAGS: Tags = {k: tuple(v) for k, v in RULES.setting("part_tags").items()}
DATED_NOUN = RULES.regex("dated_noun")
# Punctuation inside a noun phrase: (the match, what in it to blank), from rules/scopes.yaml.
_JOINTS = tuple((entry["match_re"], RULES.compile(str(entry["blank"]), f"joints {entry['name']}.blank"),
                 entry.get("before_re")) for entry in RULES.entries("joints"))
_SWINGS = ("high", "low", "peak", "top", "bottom", "trough")
DATED_WEIGHT = float(RULES.setting("dated_weight"))  # how strongly a date names the level set that day
_WORD = re.compile(r"\S+")
_SELF = ("duration", "timeframe", "count")  # mentions that hear the cues inside their own span ("14-period")
_WINDOW_ONLY = frozenset({"window", "tf"})  # cue slots a claim hears inside its own words
_TIMES = ("duration", "timeframe", "date", "time", "year")
_AMOUNTS = ("money", "number", "percent")
_SPANS = ("duration", "timeframe")  # lengths of time: one right before a noun modifies it ("the 1-hour RSI")


def _count(positions: list[int], a: int, b: int) -> int:
    """How many of the sorted ``positions`` lie in [a, b)."""
    return bisect_left(positions, b) - bisect_left(positions, a)


@lru_cache(maxsize=256)
def _title_cues(title: str) -> tuple[tuple[Tags, float], ...]:
    return tuple((CUE_TAGS[k][2], CUE_TAGS[k][1]) for _, _, k in CUE_SCANNER.finditer(title))


class Evidence:
    """The evidence for each mention of one article (computed once per mention)."""

    def __init__(self, layout: Layout, index: FactIndex, mentions: list[Mention], cues: list[Cue]) -> None:
        self.layout = layout
        self.index = index
        self.mentions = mentions
        self.cues = cues
        self._cue_starts = [c.start for c in cues]
        self._scanned: set[int] | None = None  # the sentences whose cues are in ``cues`` (computed when needed)
        self._mention_starts = [m.start for m in mentions]
        # Mentions that keep the cues inside them to themselves ("14-period"); most articles have none, and then no
        # cue needs the test (kinds and units are final before the binder is made).
        self._sealed = any(_sealed(m) for m in mentions)
        self.bound: list[Binding | None] = [None] * len(mentions)  # filled by the binder
        self._evidence: dict[int, Said] = {}
        # The masked text with every mention as one opaque token, so "$5,429" or "May 3, 2024" add no commas.
        plain = blank_spans(layout.masked, [(m.start, m.end) for m in mentions], "#")
        # "between X and Y": the "and" is no clause barrier.
        plain = blank_spans(plain, [(m.end, mentions[m.partner].start) for i, m in enumerate(mentions)
                                    if m.partner is not None and m.partner > i])
        # Punctuation inside a noun phrase is no clause barrier: an aside, a comma between adjectives, a gloss in
        # brackets, a label's colon, a list of names (rules/scopes.yaml, joints).
        plain = blank_spans(plain, [(j.start() + b.start(), j.start() + b.end()) for pattern, blank, before in _JOINTS
                                    for j in pattern.finditer(plain)
                                    if before is None or before.search(plain, max(0, j.start() - 50), j.start())
                                    for b in blank.finditer(j.group())])
        self.plain = plain
        # Positions of words and clause barriers, counted between two points by bisection.
        self._words = list(map(_START, _WORD.finditer(plain)))  # (map: no Python frame per word)
        self._commas = list(map(_START, _COMMA.finditer(plain)))
        low = self._plain_low = ascii_lower(plain)
        self._strong = [c.start() for c in _STRONG.finditer(low) if _starts_word(low, c.start())]
        self._points: dict[int, tuple[int, int, int, int, int]] = {}  # reach_span's counts at each point (_at)

    # --- distances -------------------------------------------------------------------

    def _cues_in(self, start: int, end: int) -> list[Cue]:
        return self.cues[bisect_left(self._cue_starts, start) : bisect_left(self._cue_starts, end)]

    def _inside_other(self, cue: Cue, i: int) -> bool:
        """A cue inside another self-contained mention ("period" in "14-period") speaks only for that one."""
        owner = cue.owner
        if owner == -2:
            owner = cue.owner = self._owner(cue)
        return owner >= 0 and owner != i

    def _owner(self, cue: Cue) -> int:
        """The self-contained mention the cue lies inside, -1 if none."""
        j = bisect_right(self._mention_starts, cue.start) - 1
        if j < 0:
            return -1
        other = self.mentions[j]
        return j if _sealed(other) and other.start <= cue.start and cue.end <= other.end else -1

    def reach(self, i: int, start: int, end: int, skip: tuple[int, ...] | None = None) -> float:
        """How strongly words at [start, end) speak about mention ``i`` (1: adjacent), in the same sentence.

        Falls with the words in between, clause barriers (commas, "while", "and") and other numbers in
        between (a phrase belongs to its nearest number).
        """
        m = self.mentions[i]
        if skip is None:
            skip = (i, m.partner) if m.partner is not None else (i,)
        return self.reach_span(m.start, m.end, start, end, skip)

    def _at(self, pos: int) -> tuple[int, int, int, int, int]:
        """Words, commas and strong barriers before ``pos``, and the mentions starting before and up to it: what
        reach_span counts between two points, found once per point (cues and mentions are met again and again)."""
        starts = self._mention_starts
        found = self._points[pos] = (bisect_left(self._words, pos), bisect_left(self._commas, pos),
                                     bisect_left(self._strong, pos), bisect_left(starts, pos), bisect_right(starts, pos))
        return found

    def reach_span(self, m_start: int, m_end: int, start: int, end: int, skip: tuple[int, ...] = ()) -> float:
        """How strongly words at [start, end) speak about the span [m_start, m_end): a mention, or a claim's words."""
        a, b = (end, m_start) if end <= m_start else (m_end, start)
        points = self._points
        pa = points[a] if a in points else self._at(a)
        pb = points[b] if b in points else self._at(b)
        w = 1 / (1 + (pb[0] - pa[0]) / 6)
        commas = pb[1] - pa[1]
        strong = pb[2] - pa[2]
        if commas or strong:
            w *= 0.5 ** commas * 0.4 ** strong
        lo, hi = pa[4], pb[3]
        if hi > lo:
            # (the size of a change, "jumped $300 million to $412 million", stands in no phrase's way)
            w *= 0.45 ** sum(1 for k in range(lo, hi) if k not in skip and self.mentions[k].tags_ahead)
        return w

    # --- evidence ----------------------------------------------------------------------

    def evidence(self, i: int) -> Said:
        """(tags, weight) of every cue that may speak about mention ``i`` (a fresh list each call)."""
        found = self._evidence.get(i)
        if found is None:
            found = self._evidence[i] = self._gather(i)
        return list(found)

    def span_evidence(self, start: int, end: int) -> Said:
        """(tags, weight) of every cue that may speak about the words at [start, end): a claim's subject."""
        key = -1 - start * 100003 - end  # claims are kept apart from the mentions' indices
        found = self._evidence.get(key)
        if found is None:
            self._scan_for_claim(self.layout.sentence_index(start))
            claim = Mention(start, end, self.layout.text[start:end], "claim", None)
            found = self._evidence[key] = self._gather(-1, claim)
        return list(found)

    def _scan_for_claim(self, si: int) -> None:
        """Cues are found only where a figure can hear them; a claim in a sentence without one ("XYZ slipped in
        the past hour") has its sentence and the one before scanned when it asks."""
        if self._scanned is None:
            self._scanned = scanned_sentences(self.layout, self.mentions)
        todo = [k for k in (si - 1, si) if k >= 0 and k not in self._scanned]
        if not todo:
            return
        for k in todo:
            sent = self.layout.sentences[k]
            self.cues.extend(scan_cues(self.layout, self.index, sent.start, sent.end))
            self._scanned.add(k)
        self.cues.sort(key=lambda c: c.start)
        self._cue_starts = [c.start for c in self.cues]

    def _gather(self, i: int, m: Mention | None = None) -> Said:
        if m is None:
            m = self.mentions[i]
        layout = self.layout
        si = layout.sentence_index(m.start)
        sent = layout.sentences[si]
        skip = (i, m.partner) if m.partner is not None else (i,)
        out: Said = []
        cell = sent.cell_of(m.start) if sent.cells else None
        own = m.kind in _SELF  # hears the cues inside its own span ("14-period")
        claim = m.kind == "claim"  # a claim's own words are its predicate's, not evidence of what it is about
        mentions, starts, n = self.mentions, self._mention_starts, len(self.mentions)
        sealed = self._sealed
        for cue in self._cues_in(sent.start, sent.end):
            if cue.start < m.end and m.start < cue.end:
                if claim and not (_WINDOW_ONLY.issuperset(cue.tags) and "move" not in cue.tags.get("window", ())):
                    continue  # ("the rally" names the move a claim is about: the predicate's word)
                if own or claim or cue.tags is m.tags:  # (a claim's window, "rose over the past hour", is its subject's)
                    out.append((cue.tags, cue.weight))
                elif cue.start < m.start and cue.after is not cue.tags and cue.after:
                    # "below its $16,493 high": a figure inside the phrase is the thing it names after it.
                    out.append((cue.after, cue.weight))
                continue
            if sealed and self._inside_other(cue, i):
                continue
            after = cue.start >= m.end
            tags = cue.tags if after else cue.after
            if not tags:
                continue
            if cell is not None:
                ccell = sent.cell_of(cue.start)
                if ccell != cell:
                    out.append((tags, cue.weight * (0.9 if ccell == 0 else 0.25)))
                    continue
            w = cue.weight * self.reach_span(m.start, m.end, cue.start, cue.end, skip)
            if after and cue.after is cue.tags and "window" not in cue.tags:
                # A cue with tags of its own for what follows speaks backwards, unless it attaches to the figure after
                # it ("support at $7,846"); a window is an adverbial ("fell 22% over the past hour to $0.0956").
                nxt = bisect_left(starts, cue.end)
                # (A duration right before the cue modifies it, whatever follows: "the 1-hour RSI stands at 100".)
                modifier = m.kind in _SPANS and not self.plain[m.end : cue.start].strip()
                if nxt < n and mentions[nxt].start < sent.end and nxt not in skip and not modifier \
                        and _RIGHT_ATTACH.match(self._plain_low, cue.end, mentions[nxt].start):
                    w *= 0.25
            elif not after and i >= 0:
                # "a session low of $6,732 to finish at $7,915": the cue is attached to the figure right after it.
                nxt = bisect_left(starts, cue.end)
                # ("the December 17 peak of $19,850 now stands at 65%": a percentage after it is still the distance)
                if nxt < i and nxt not in skip and mentions[nxt].kind == m.kind \
                        and _RIGHT_ATTACH.match(self._plain_low, cue.end, mentions[nxt].start):
                    w *= 0.25
            if w > 0.02:
                out.append((tags, w))
        if sent.cells:
            if cell is not None and cell < len(sent.header) and (title := sent.header[cell]):
                out.extend((tags, weight * 0.3) for tags, weight in _title_cues(title))
        elif si > 0 and layout.sentences[si - 1].paragraph == sent.paragraph and not layout.sentences[si - 1].cells:
            # The previous sentence speaks only to what this one leaves unsaid ("Long positions accounted for...").
            said = {slot for tags, w in out if w > 0.1 for slot in tags}
            prev = layout.sentences[si - 1]
            for cue in self._cues_in(prev.start, prev.end):
                rest = {k: v for k, v in cue.after.items() if k not in said and k in _CARRIED}
                if rest:
                    out.append((rest, cue.weight * 0.15))
        # "$339 million of the $412 million": a part of the whole after it.
        if 0 <= i < n - 1 and m.kind == "money" and mentions[i + 1].kind == "money" and \
                _PART_OF.match(self.plain, m.end, mentions[i + 1].start):
            out.append((_PART_TAGS, 0.6))
        # "76% of the tally, or $1.9 billion": an apposition restates the amount before it.
        j = i - 1
        while j >= 0 and mentions[j].kind in _TIMES:
            j -= 1
        if j >= 0 and m.kind in _AMOUNTS:
            prev_m = mentions[j]
            if prev_m.kind in _AMOUNTS and prev_m.kind != m.kind and \
                    _APPOSITION.match(self.plain, prev_m.end, m.start) and layout.sentence_index(prev_m.start) == si:
                out.extend(self.evidence(j))
        # "of that", "of it": the amount refers back to the previous amount.
        if i >= 0 and _ANAPHORA.match(layout.lower, m.end, m.end + 20):
            ref = self._previous_bound(i)
            if ref is not None:
                # "86% of it" is a share of that amount (same window); "$48.2 million of that" only the same metric.
                keep = ("metric", "window") if m.kind == "percent" else ("metric",)
                out.append(({k: v for k, v in ref.meaning.tags.items() if k in keep}, 1.0))
        return out

    def _previous_bound(self, i: int) -> Fact | None:
        for j in range(i - 1, -1, -1):
            b = self.bound[j]
            if b is not None and b.fact is not None and self.mentions[j].kind in ("money", "number"):
                return b.fact
        return None

    def dated(self, i: int) -> Said:
        """'its high of $73,800 set on January 14', 'the November 12 low of $5,429': a date names the level."""
        m = self.mentions[i]
        if m.kind not in ("money", "number"):
            return []
        masked = self.layout.masked
        nxt = self.mentions[i + 1] if i + 1 < len(self.mentions) else None
        prev = self.mentions[i - 1] if i > 0 else None
        noun = None
        # "the November 12 low of $5,429": the date is part of the level's name. "$6,189, a swing level from
        # November 12": a claim about the level's date, one word among the level's own (and then it may be wrong).
        if nxt is not None and nxt.when is not None and DATE_PAIR.match(masked, m.end, nxt.start):
            when, weight = nxt.when, DATED_WEIGHT
        elif prev is not None and prev.when is not None and (dn := DATED_NOUN.match(masked, prev.end, m.start)):
            when, noun, weight = prev.when, dn.group("noun").lower(), 1.0
        else:
            return []
        named: dict[str, list[dict[str, tuple[str, ...]]]] = {}
        for info in self.index.dated:
            date_key = info.fact.meaning.date
            date_fact = self.index.facts.get(date_key) if date_key else None
            if noun is None and m.value is not None and abs(info.number - m.value) > max(m.precision, 0.01 * abs(m.value)):
                continue  # "$11,277, set on December 6": a date after a figure can only name a level of that figure
            if date_fact is not None and when.matches(moment(date_fact)):
                named.setdefault(date_key, []).append(info.tags)  # type: ignore[arg-type]
        if named:
            # A date names the level set that day: a gap's two bounds are one level (what they share), and
            # when several levels were set that day (a broken resistance and a gap) each is as likely as the
            # other; the other words and the value say which.
            share = weight / len(named)
            return [(_common(group), share) for group in named.values()]
        if noun is not None and noun.rstrip("s") in _SWINGS:
            return [({"window": ("move",)}, 0.6)]  # a dated high or low is a swing, not today's range
        return []

    def distance_of(self, i: int, evidence: Said) -> Said:
        """'Its low was $13,025, 21% beneath the high': the distance of the low, not of the price."""
        m = self.mentions[i]
        said = {a for tags, w in evidence if w >= 0.3 for a in tags.get("aspect", ())}
        wanted = [(subject, meant) for (subject, distance), meant in DISTANCE_OF.items() if distance in said]
        if not wanted:
            return []
        sent = self.layout.sentence_at(m.start)
        for cue in reversed(self._cues_in(sent.start, m.start)):
            aspects = cue.tags.get("aspect", ())
            if cue.tags.get("asset") == ("ours",) or "current" in aspects:
                return []  # the price (or the asset) is what is distant
            for subject, meant in wanted:
                if aspects == (subject,):
                    return [({"aspect": (meant,)}, 1.2)]
        return []

    def move_ends(self, m: Mention) -> Said:
        """'the rally from X to Y': X is a low and Y a high, or where the price is now (the other way round for
        a decline). Which move (the day's, the swing's) the other words say: 'the rally', a date, 'in hours'."""
        sent = self.layout.sentence_at(m.start)
        starts = self.layout.word_starts()
        up = _MOVE_UP.search(starts, sent.start, sent.end)
        down = _MOVE_DOWN.search(starts, sent.start, sent.end)
        if up and not down or down and not up:
            first, last = ("low", "high") if up else ("high", "low")
            if m.range_role == "start":
                return [({"aspect": (first, "open")}, 0.8)]
            return [({"aspect": (last, "current", "close")}, 0.8)]
        # No direction said ("the move took BTC from X to Y"): X was where it started or an extreme, Y an extreme
        # or where it is now.
        if m.range_role == "start":
            return [({"aspect": ("open", "high", "low", "close")}, 0.5)]
        return [({"aspect": ("high", "low", "current", "close")}, 0.5)]


def _common(tags: list[dict[str, tuple[str, ...]]]) -> Tags:
    """The tag values every one of ``tags`` has (asset and role say nothing a date could name)."""
    out: dict[str, tuple[str, ...]] = {}
    first, rest = tags[0], tags[1:]
    for slot, values in first.items():
        if slot in ("asset", "role"):
            continue
        shared = tuple(v for v in values if all(v in other.get(slot, ()) for other in rest))
        if shared:
            out[slot] = shared
    return out


def _sealed(m: Mention) -> bool:
    return m.kind == "count" or (m.unit or "").startswith("lookback")  # "14-period", "a three-week low"


_START = re.Match.start


def _starts_word(low: str, pos: int) -> bool:
    return pos == 0 or not low[pos - 1].isalnum() or not low[pos].isalpha()
