"""The shape of a Markdown (or plain-text) article as the fact-check sees it.

``read_layout`` blanks out everything that is not prose a reader checks —
front matter, code, link targets and bare URLs, HTML tags, list and heading
markers, table separator rows — by replacing it with spaces, so that every
offset in the masked text is an offset into the original string. It then cuts
the text into sentences (a table row counts as one, with its cells), which is
the scope binding works in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.factcheck.scan import StartIndex, ascii_lower

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
# (literal that must occur for the pattern to match, pattern). Each pass runs only when its literal is in the
# text, and on its own: one alternation of all of them costs several times the separate passes (Python's re
# scans a pattern with a literal first character fast, an alternation at every position).
_MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("<!--", re.compile(r"<!--.*?-->", re.S)),  # HTML comments
    ("`", re.compile(r"`[^`\n]+`")),  # inline code
    ("](", re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")),  # link and image targets: ](url "title")
    ("]:", re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\S+.*$", re.M)),  # reference link definitions
    ("<", re.compile(r"<(?:https?://|mailto:)[^>\s]+>")),  # autolinks
    ("://", re.compile(r"h(?<!\wh)ttps?://[^\s)\]>]+")),  # bare URLs (a word start before the "h", as \b would say)
    ("www.", re.compile(r"w(?<!\ww)ww\.[^\s)\]>]+")),
    ("<", re.compile(r"</?[A-Za-z][^>\n]*>")),  # HTML tags (their text stays)
    ("@", re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")),  # e-mail addresses
    ("@", re.compile(r"@(?<![\w&]@)[A-Za-z_]\w*")),  # handles (@trader123); the literal first lets re skip to each "@"
    ("#", re.compile(r"#(?<![\w&]#)[A-Za-z_]\w*")),  # hashtags (#Bitcoin2024)
    ("0x", re.compile(r"\b0x[0-9a-fA-F]{6,}\b")),  # addresses and hashes
    ("[", re.compile(r"\[\^?\d+\]")),  # footnote and citation markers
    ("#", re.compile(r"^[ \t]{0,3}#{1,6}(?=\s)", re.M)),  # heading markers
    ("", re.compile(r"^[ \t]*(?:>[ \t]*)*\d{1,3}[.)](?=[ \t])", re.M)),  # ordered-list markers
    ("--", re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?\|?[ \t]*$", re.M)),  # table rules
    ("\\", re.compile(r"\\(?=[$%*_#|\[\]()`\\-])")),  # Markdown escapes: keep "$", drop the backslash
)
_WORDS = re.compile(r"[a-z]+")
_TABLE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_BLOCK_START = re.compile(r"^[ \t]*(?:[-*+][ \t]|>|\d{1,3}[.)][ \t]|#)")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a likely sentence start.
_SENT_END = re.compile(r"[.!?][\"'”’)\]*_]*(?=\s+[\"'“‘(\[*_]*[A-Z0-9$€£])")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]|[a-z]|Mr|Mrs|Ms|Dr|Prof|St|Inc|Corp|Ltd|Co|Jr|Sr|vs|etc|approx|est|No|Nos|Fig|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|e\.g|i\.e|a\.m|p\.m))\.$"
)


@dataclass(slots=True)
class Sentence:
    """A sentence of prose, or a table row (``cells`` then holds each cell's span)."""

    start: int
    end: int
    paragraph: int
    cells: list[tuple[int, int]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # the table's column titles, for rows
    heading: bool = False

    def cell_of(self, pos: int) -> int | None:
        for i, (a, b) in enumerate(self.cells):
            if a <= pos < b:
                return i
        return None


@dataclass(slots=True)
class Layout:
    """The original text, its masked copy and its sentences."""

    text: str
    masked: str
    sentences: list[Sentence]
    _starts: list[int] = field(default_factory=list)
    lower: str = ""  # the masked text lower-cased, offsets kept: most passes match lower-case patterns on it
    _texts: dict[int, str] = field(default_factory=dict)
    _words: list[frozenset[str]] = field(default_factory=list)
    _by_word: dict[str, list[int]] = field(default_factory=dict)  # word -> the sentences that have it, in order
    _with: dict[frozenset[str], list[Sentence]] = field(default_factory=dict)
    clauses: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # judge.clause, once per span
    _start_index: StartIndex | None = None

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]
        self.lower = ascii_lower(self.masked)

    def sentence_index(self, pos: int) -> int:
        i = bisect_right(self._starts, pos) - 1
        return i if i > 0 else 0

    def sentences_with(self, words: frozenset[str]) -> list[Sentence]:
        """The sentences that contain one of ``words`` (lower-case), in order.

        Passes with costly patterns run only there. Python's re scans fast for one literal, but an
        alternation of words, even of literals, is tried at every position of the text; a set of the
        words of each sentence, made once, answers every pass.
        """
        found = self._with.get(words)
        if found is None:
            by_word = self._by_word
            if not by_word:
                for i, have in enumerate(self.word_sets()):
                    for w in have:
                        if w in by_word:  # (setdefault would make a list for every word of every sentence)
                            by_word[w].append(i)
                        else:
                            by_word[w] = [i]
            hits: set[int] = set()
            for w in by_word.keys() & words:  # (a rule's trigger words are many, a text's few of them)
                hits.update(by_word[w])
            found = self._with[words] = [self.sentences[i] for i in sorted(hits)]
        return found

    def word_starts(self) -> StartIndex:
        """The word starts of the lower-cased text by their first letters (for gated patterns, scan.Gate)."""
        if self._start_index is None:
            self._start_index = StartIndex(self.lower)
        return self._start_index

    def words_at(self, pos: int) -> frozenset[str]:
        """The words (lower-case) of the sentence at ``pos``: a pass can tell cheaply whether its words are there."""
        sets = self.word_sets()
        return sets[self.sentence_index(pos)] if sets else frozenset()

    def word_sets(self) -> list[frozenset[str]]:
        """The words of each sentence (lower-case letters), made once."""
        if not self._words:
            low = self.lower
            self._words = [frozenset(_WORDS.findall(low, s.start, s.end)) for s in self.sentences]
        return self._words

    def sentence_at(self, pos: int) -> Sentence:
        return self.sentences[self.sentence_index(pos)]

    def sentence_text(self, pos: int) -> str:
        si = self.sentence_index(pos)
        if (found := self._texts.get(si)) is None:
            s = self.sentences[si] if self.sentences else Sentence(0, 0, 0)
            found = self._texts[si] = " ".join(self.text[s.start : s.end].split())
        return found


_NOT_NEWLINE = re.compile(r"[^\n]")


def blank_spans(text: str, spans: Iterable[tuple[int, int]], fill: str = " ", keep_newlines: bool = False) -> str:
    """``text`` with every character inside ``spans`` replaced by ``fill`` (newlines kept if asked), offsets kept.

    One join of the pieces between the spans: splitting the text into a list of characters and joining it again
    costs more than every span together.
    """
    pieces: list[str] = []
    pos = 0
    for a, b in sorted(spans):
        a = max(a, pos)
        if b <= a:
            continue
        pieces.append(text[pos:a])
        seg = text[a:b]
        pieces.append(_NOT_NEWLINE.sub(fill, seg) if keep_newlines and "\n" in seg else fill * (b - a))
        pos = b
    if not pieces:
        return text
    pieces.append(text[pos:])
    return "".join(pieces)


def mask(text: str) -> str:
    """``text`` with every non-prose character replaced by a space (newlines kept)."""
    spans: list[tuple[int, int]] = []
    if m := _FRONT_MATTER.match(text):
        spans.append((0, m.end()))
    if "```" in text or "~~~" in text:
        spans += [m.span() for m in _FENCE.finditer(text)]
    masked = blank_spans(text, spans, keep_newlines=True)
    for trigger, pattern in _MASKS:
        if trigger not in masked:
            continue
        # Pass by pass: what one pass blanks is no longer there for the next.
        found = [m.span() for m in pattern.finditer(masked)]
        if found:
            masked = blank_spans(masked, found, keep_newlines=True)
    return masked


def _split_cells(line_start: int, line: str) -> list[tuple[int, int]]:
    cells = []
    bars = [i for i, ch in enumerate(line) if ch == "|" and (i == 0 or line[i - 1] != "\\")]
    for a, b in zip(bars, bars[1:]):
        seg = line[a + 1 : b]
        lead = len(seg) - len(seg.lstrip())
        cells.append((line_start + a + 1 + lead, line_start + a + 1 + len(seg.rstrip())))
    return cells


def _split_sentences(masked: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    pos = start
    for m in _SENT_END.finditer(masked, start, end):
        head = masked[max(pos, m.start() - 8) : m.start() + 1]
        if _ABBREV.search(head):
            continue
        out.append(Sentence(pos, m.end(), paragraph))
        pos = m.end()
        while pos < end and masked[pos].isspace():
            pos += 1
    if masked[pos:end].strip():
        out.append(Sentence(pos, end, paragraph))


def read_layout(text: str) -> Layout:
    """Mask ``text`` and cut it into sentences and table rows."""
    masked = mask(text)
    sentences: list[Sentence] = []
    paragraph = 0
    block_start: int | None = None
    header: list[str] = []
    in_table = False
    offset = 0

    def close_block(end: int) -> None:
        nonlocal block_start
        if block_start is not None:
            _split_sentences(masked, block_start, end, paragraph, sentences)
            block_start = None

    for line in masked.splitlines(keepends=True):
        line_end = offset + len(line.rstrip("\n"))
        body = line.rstrip("\n")
        original = text[offset:line_end]
        if _TABLE_LINE.match(original) and original.count("|") >= 2:
            close_block(offset)
            cells = _split_cells(offset, original)
            if not in_table:
                header = [" ".join(masked[a:b].split()) for a, b in cells]
                in_table = True
                paragraph += 1
            if any(masked[a:b].strip() for a, b in cells):
                sentences.append(Sentence(offset, line_end, paragraph, cells=cells, header=header))
        elif not body.strip():
            close_block(offset)
            paragraph += 1
            in_table = False
        else:
            if in_table:
                in_table = False
                paragraph += 1
            heading = original.lstrip().startswith("#")
            if heading or _BLOCK_START.match(original):
                close_block(offset)
                if heading:
                    if body.strip():
                        sentences.append(Sentence(offset, line_end, paragraph, heading=True))
                    paragraph += 1
                    offset += len(line)
                    continue
                paragraph += 1
            if block_start is None:
                block_start = offset
        offset += len(line)
    close_block(len(text))
    sentences.sort(key=lambda s: s.start)
    return Layout(text=text, masked=masked, sentences=sentences)
