"""Fast scanning for many alternatives: dispatch on the first two letters of each word.

One big alternation of ~200 phrases tried at every character is slow in Python's
``re``. ``Scanner`` splits every pattern into its top-level alternatives, works
out the two-letter prefixes each can start with, and at each word start tries
only the alternatives filed under that word's first two letters.
"""

from __future__ import annotations

import re
import re._constants as C
import re._parser as P
from collections.abc import Iterator, Sequence

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


_LAST_LOWER: list[tuple[str, str]] = []


def ascii_lower(text: str) -> str:
    """``text`` lower-cased with every offset kept (str.lower can lengthen a few letters, e.g. "İ").

    The passes over one text all ask for it; the last one is kept.
    """
    if _LAST_LOWER and _LAST_LOWER[0][0] is text:
        return _LAST_LOWER[0][1]
    low = text.lower()  # C-fast; translate() with a table is ten times slower
    if len(low) != len(text):
        low = text.translate(_ASCII_LOWER)
    _LAST_LOWER[:] = [(text, low)]
    return low


def lower_pattern(pattern: str) -> str:
    """A case-insensitive pattern rewritten to match lower-cased text without re.I (three times faster)."""
    # (not the "P" of a named group, "(?P<name>", nor an escape such as "\\S", "\\B")
    return re.sub(r"(?<!\\)(?<!\(\?)[A-Z]", lambda m: m.group().lower(), pattern)


def lowered(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-insensitive compiled pattern for the lower-cased text (``Layout.lower``), without re.I: the same
    matches at the same offsets, about three times faster (``re`` rejects a literal without entering it)."""
    if "(?-i" in pattern.pattern:
        raise ValueError("a pattern with a case-sensitive part cannot run on lower-cased text")
    return re.compile(lower_pattern(pattern.pattern), pattern.flags & ~re.I)


# Where a cue can start: a word's first character, or a sign wherever it stands. Found as the character before a
# word (its end) and the signs, each a pattern that opens with a class: ``re`` skips in C over the characters
# outside it, where "(?<!\w)\w|(?<=\w)[(%$&~]" enters the pattern at every position.
_BEFORE_WORD = re.compile(r"\W(?=\w)")
_SIGNS = re.compile(r"[(%$&~]")
_WORD_CHAR = re.compile(r"\w")
_END = re.Match.end


def cue_starts(low: str, start: int, stop: int) -> list[int]:
    """The positions in [start, stop) where a word starts or a sign ("(", "%", "$", "&", "~") stands, in order."""
    out = list(map(_END, _BEFORE_WORD.finditer(low, max(start - 1, 0), stop)))
    if start == 0 and _WORD_CHAR.match(low, 0, stop):
        out.insert(0, 0)
    signs = list(map(re.Match.start, _SIGNS.finditer(low, start, stop)))
    return sorted(out + signs) if signs else out


_MAX = 400


def split_alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (``a|b(c|d)`` -> ``a``, ``b(c|d)``)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _group_end(pattern: str, start: int) -> int | None:
    """The index of the ")" that closes the group opening at ``start``."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def distribute(alternative: str) -> list[str]:
    """An alternative that opens with a group of alternatives, as one alternative per branch.

    ``\\b(?:fell|dropped|...)\\s+to\\b`` (a word class named by a rule) becomes ``\\bfell\\s+to\\b``, ... so the
    scanner files each branch under its own first letters instead of copying the whole class into every bucket
    it could start in (same matches: a regex tries the branches of an alternation in the same order).
    """
    lead = "\\b" if alternative.startswith("\\b") else ""
    body = alternative[len(lead):]
    if not body.startswith("(?:"):
        return [alternative]
    end = _group_end(body, 0)
    if end is None or body[end + 1 : end + 2] in ("?", "*", "+", "{"):
        return [alternative]
    inner, rest = body[3:end], body[end + 1 :]
    branches = split_alternatives(inner)
    return [part for branch in branches for part in distribute(lead + branch + rest)]


def _expand(items: Sequence, prefixes: set[str], limit: int) -> set[str] | None:
    """Extend each prefix by what ``items`` can match, until two characters; None when unknowable."""
    current = prefixes
    for op, av in items:
        if all(len(p) >= limit for p in current):
            return current
        done = {p for p in current if len(p) >= limit}
        todo = current - done
        if op is C.AT:
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            continue
        if op is C.LITERAL:
            current = done | {p + chr(av).lower() for p in todo}
        elif op is C.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is C.LITERAL:
                    chars.add(chr(a).lower())
                elif o is C.RANGE and a[1] - a[0] < 12:
                    chars |= {chr(c).lower() for c in range(a[0], a[1] + 1)}
                elif o is C.CATEGORY and a is C.CATEGORY_DIGIT:
                    chars |= set("0123456789")
                else:
                    return None
            current = done | {p + c for p in todo for c in chars}
        elif op is C.BRANCH:
            nxt: set[str] = set(done)
            for alt in av[1]:
                r = _expand(list(alt), todo, limit)
                if r is None:
                    return None
                nxt |= r
            current = nxt
        elif op is C.SUBPATTERN:
            r = _expand(list(av[3]), todo, limit)
            if r is None:
                return None
            current = done | r
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            taken = _expand(list(sub), todo, limit)
            if taken is None:
                return None
            if hi > 1 and any(len(p) < limit for p in taken):
                again = _expand(list(sub), {p for p in taken if len(p) < limit}, limit)
                if again is None:
                    return None
                taken |= again
            current = done | taken | (todo if lo == 0 else set())
        else:
            return None
        if len(current) > _MAX:
            return None
    return current


_LITERAL_START = re.compile(r"(?:\\b)?([a-z0-9]{2})(?![?*+{])", re.I)


def prefixes(alternative: str, flags: int = re.I) -> set[str] | None:
    """Lower-case two-character prefixes a pattern can start with (shorter if it can end sooner)."""
    if flags & re.I and (lit := _LITERAL_START.match(alternative)) is not None:
        return {lit.group(1).lower()}  # the common case: a word ("fell\\s+to"), no regex parse needed
    try:
        tree = P.parse(alternative, flags)
    except re.error:
        return None
    found = _expand(list(tree), {""}, 2)
    if found is None or "" in found:
        return None
    return found


class Scanner:
    """Finds matches of many tagged patterns; ``finditer`` yields (start, end, index of the pattern)."""

    def __init__(self, patterns: Sequence[str], flags: int = re.I) -> None:
        by_key: dict[str, list[tuple[int, str]]] = {}
        always: list[tuple[int, str]] = []
        for i, pattern in enumerate(patterns):
            for alt in (part for top in split_alternatives(pattern) for part in distribute(top)):
                keys = prefixes(alt, flags)
                if keys is None:
                    always.append((i, alt))
                    continue
                for key in keys:
                    by_key.setdefault(key, []).append((i, alt))
        # One regex per two-letter key, holding everything that can start there: the key's own alternatives,
        # the one-letter ones for its first letter, and the ones whose start is unknown. One lookup, one match.
        self._lower = bool(flags & re.I)
        if self._lower:  # match the lower-cased text with lower-cased patterns: re.I is slow in Python
            by_key = {k: [(i, lower_pattern(a)) for i, a in v] for k, v in by_key.items()}
            always = [(i, lower_pattern(a)) for i, a in always]
            flags &= ~re.I
        short = {k: v for k, v in by_key.items() if len(k) == 1}
        # Buckets are compiled when a text first needs them: most articles start words with a fraction of the
        # two-letter keys, and compiling all of them is most of the import time.
        self._flags = flags
        self._pending = {k: v + short.get(k[0], []) + always for k, v in by_key.items() if len(k) == 2}
        self._pending_fallback = {c: short.get(c, []) + always
                                  for c in {k[0] for k in by_key} | {"(", "%", "$", "&", "~"} if short.get(c) or always}
        self._always_alts = always
        self._by_key: dict[str, tuple[re.Pattern[str], list[int]] | None] = {}

    def _entry(self, key: str) -> tuple[re.Pattern[str], list[int]] | None:
        """The compiled bucket for a word starting with ``key`` (its own, else its first letter's, else none)."""
        alts = self._pending.get(key) or self._pending_fallback.get(key[:1]) or self._always_alts
        entry = self._compile(alts, self._flags, key if self._lower else "") if alts else None
        self._by_key[key] = entry
        return entry

    @staticmethod
    def _compile(alts: list[tuple[int, str]], flags: int, key: str = "") -> tuple[re.Pattern[str], list[int]]:
        # Longest alternatives first is not needed: within one cue the author's order stands, across cues the
        # earlier cue wins, as in one big alternation.
        alts = sorted(alts, key=lambda t: t[0])
        source, order = _bucket_source([a for _, a in alts], key)
        return re.compile(source, flags), [alts[k][0] for k in order]

    def finditer(self, text: str, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int, int]]:
        """Matches in ``text[start:stop]`` (offsets into ``text``)."""
        low = ascii_lower(text)
        subject = low if self._lower else text
        end = -1
        by_key, missing = self._by_key, self._entry
        for pos in cue_starts(low, start, len(low) if stop is None else stop):
            if pos < end:
                continue
            key = low[pos : pos + 2]
            entry = by_key[key] if key in by_key else missing(key)
            if entry is None:
                continue
            regex, owners = entry
            hit = regex.match(subject, pos)
            if hit is not None and hit.end() > pos:
                end = hit.end()
                yield pos, end, owners[hit.lastindex - 1]  # type: ignore[operator]


_KEYED = re.compile(r"(?:\\b)?([a-z0-9]{2})(?![?*+{])")  # an alternative that opens with its key's two letters
_THIRD = re.compile(r"[a-z0-9 '](?![?*+{])")  # ... and then one more plain letter


def _bucket_source(alts: list[str], key: str) -> tuple[str, list[int]]:
    """One pattern for a bucket's alternatives, each a group, tried in order; and which alternative each group is.

    Matched at a word start beginning with ``key`` (lower-case text), the alternatives that open with the key's
    letters share them once ("lo(?:w(?:(est...)|(s?...))|n(?:(g...)))"), grouped by their third letter: ``re`` tries
    the alternatives of a group one by one, and alternatives whose third letters differ cannot both match, so
    grouping them keeps which one matches first. An alternative that opens otherwise stays whole, in its place,
    and no alternative is moved across it. (At a word start, a leading ``\\b`` holds.)
    """
    if not key:
        return "|".join(f"({a})" for a in alts), list(range(len(alts)))
    out: list[str] = []
    order: list[int] = []
    run: dict[str, list[tuple[int, str]]] = {}  # third letter -> (alternative, its rest), in order

    def flush() -> None:
        if run:
            out.append(key + "(?:" + "|".join(third + "(?:" + "|".join(f"({r})" for _, r in group) + ")"
                                              for third, group in run.items()) + ")")
            order.extend(k for group in run.values() for k, _ in group)
            run.clear()

    for k, alt in enumerate(alts):
        lead = _KEYED.match(alt)
        rest = alt[lead.end():] if lead is not None and lead.group(1) == key else None
        if rest is not None and _THIRD.match(rest):
            run.setdefault(rest[0], []).append((k, rest[1:]))
            continue
        flush()  # (alone: it may match where any other does)
        out.append(f"({alt})" if rest is None else f"{key}(?:({rest}))")
        order.append(k)
    flush()
    return "|".join(out), order


class Gate:
    """One pattern matched only at the word starts whose first letters it can begin with.

    For a pattern that opens with a word boundary and a word, ``re`` would try it at every position of the
    text; the word starts of a text, filed once by their first two letters (``StartIndex``), tell where it can
    match at all. The pattern is matched on the lower-cased text, without re.I (three times faster in Python).
    """

    __slots__ = ("regex", "keys", "_starts")

    def __init__(self, regex: re.Pattern[str], keys: frozenset[str]) -> None:
        self.regex, self.keys = regex, keys
        # The word starts with one of the keys, found by ``re`` in each span. Cheaper than filing every word start
        # of the text first. One branch per first letter, the letter before its word-boundary test and the second
        # letters after it ("s(?<!\ws)[hl]" for \bsh, \bsl: the same positions): a pattern whose every branch opens
        # with a literal lets ``re`` skip in C to the characters they start with, where a leading ``\b`` has it enter
        # the pattern at every position, and each branch is one test where there were one per key.
        self._starts = re.compile("|".join(_key_starts(keys)))

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Gate | None:
        """The gate for a case-insensitive ``pattern``; None when where it can start is unknowable."""
        source = pattern.pattern
        alternatives = _at_word_start(source)
        if not pattern.flags & re.I or alternatives is None or "(?-i" in source:
            return None  # (a match must begin at a word start; a case-sensitive part cannot run on lower case)
        keys: set[str] = set()
        for alt in alternatives:
            found = prefixes(alt, pattern.flags)
            if not found:
                return None
            keys |= found
        if any(not (k[0].isalnum() or k[0] == "_") or not k.isascii() for k in keys):
            return None
        # ("a\u00a0", "a-": a second character that is no letter files nothing in StartIndex; its first letter does)
        keys = {k if len(k) == 1 or k[1].isalnum() or k[1] == "_" else k[0] for k in keys}
        return cls(re.compile(lower_pattern(source), pattern.flags & ~re.I), frozenset(keys))

    def finditer(self, starts: StartIndex, stop_at: Sequence[tuple[int, int]]) -> Iterator[re.Match[str]]:
        """Matches in each span of ``stop_at`` (start, end), as ``regex.finditer`` over each span would give."""
        low, match, candidates = starts.low, self.regex.match, self._starts.finditer
        for a, b in stop_at:
            end = -1
            for k in candidates(low, a, b):  # (as StartIndex.positions(keys) in [a, b) would list them)
                pos = k.start()
                if pos < end:
                    continue
                hit = match(low, pos, b)
                if hit is not None and hit.end() > pos:
                    end = hit.end()
                    yield hit


def _key_starts(keys: frozenset[str]) -> list[str]:
    """A branch per first letter of ``keys`` (a word character, then one or none): that letter at a word start,
    then one of the second letters unless a key is the letter alone."""
    seconds: dict[str, set[str]] = {}
    for key in keys:
        seconds.setdefault(key[0], set()).add(key[1:])
    out = []
    for first in sorted(seconds):
        after = seconds[first]
        tail = "" if "" in after else "[" + "".join(sorted(after)) + "]"
        out.append(f"{first}(?<!\\w{first}){tail}")
    return out


def _at_word_start(source: str) -> list[str] | None:
    """The alternatives of a pattern that begins every match at a word boundary, else None.

    The rule book wraps its patterns in groups ("(?:(?:\\bsits|...)...)") and some open with a look-behind
    ("(?<!\\bafter\\s)\\b..."): neither moves where the match starts, so both are looked through.
    """
    out = []
    for alt in split_alternatives(source):
        body = alt
        while body.startswith(("(?<!", "(?<=")) and (end := _group_end(body, 0)) is not None:
            body = body[end + 1 :]
        if body.startswith("\\b"):
            out.append(alt)
            continue
        end = _group_end(body, 0) if body.startswith("(?:") else None
        if end is None or body[end + 1 : end + 2] in ("?", "*", "+", "{") or _at_word_start(body[3:end]) is None:
            return None
        out.append(alt)
    return out


class Fast:
    """A case-insensitive pattern searched in the lower-cased text: through its Gate where it has one (only at
    the word starts it can begin with), else the pattern lowered. ``finditer`` gives what ``re.finditer`` over
    [a, b) gives; it needs the text's StartIndex only for the lower-cased text it holds. (A gate costs a few
    microseconds a call: worth it for long patterns over a sentence, not for a clause or a few words.)"""

    __slots__ = ("gate", "regex")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.gate = Gate.of(pattern)
        self.regex = self.gate.regex if self.gate is not None else lowered(pattern)  # (ValueError: case-sensitive)

    def finditer(self, starts: StartIndex, a: int, b: int) -> Iterator[re.Match[str]]:
        if self.gate is not None:
            return self.gate.finditer(starts, ((a, b),))
        return self.regex.finditer(starts.low, a, b)

    def search(self, starts: StartIndex, a: int, b: int) -> re.Match[str] | None:
        return next(iter(self.finditer(starts, a, b)), None)


_WORD_START = re.compile(r"\b\w\w?")  # where a pattern opening with \b and a letter can match, and its key


class StartIndex:
    """The word starts of one lower-cased text, filed by their first two letters (and first letter)."""

    def __init__(self, low: str) -> None:
        self.low = low
        self._by_key: dict[str, list[int]] | None = None  # (filed when first asked: Gate reads only ``low``)
        self._have: frozenset[str] = frozenset()
        self._by_letter: dict[str, list[int]] = {}

    def _file(self) -> dict[str, list[int]]:
        by_key: dict[str, list[int]] = {}
        for m in _WORD_START.finditer(self.low):
            key = m.group()
            if key in by_key:
                by_key[key].append(m.start())
            else:
                by_key[key] = [m.start()]
        self._by_key = by_key
        self._have = frozenset(by_key)
        return by_key

    def positions(self, keys: frozenset[str]) -> list[int]:
        """The word starts that begin with one of ``keys`` (two letters, or one), in order."""
        by_key = self._by_key if self._by_key is not None else self._file()
        out: list[int] = []
        for key in keys & self._have:
            out += by_key[key]
        for key in keys:
            if len(key) == 1:
                out += self._letter(key)
        if len(out) > 1:
            out = sorted(set(out))
        return out

    def _letter(self, c: str) -> list[int]:
        found = self._by_letter.get(c)
        if found is None:
            by_key = self._by_key if self._by_key is not None else self._file()
            found = self._by_letter[c] = [p for k, v in by_key.items() if k[0] == c for p in v]
        return found
