"""The proof of a revision: its text with every numeric mention marked by verdict.

For the review page the markers go into the Markdown *before* conversion, as
private-use characters that Markdown leaves alone. The converted HTML is
sanitised with no marker tags allowed at all, and only then are the markers
turned into ``<mark>`` elements — so text in a draft can never forge a
"verified" highlight — and the result is sanitised once more, which also
repairs nesting if a mention straddles Markdown emphasis.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown
import nh3
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from generator.factcheck.report import CheckReport
from generator.facts import FactSet, format_datetime
from generator.html import _ALLOWED_ATTRIBUTES, _ALLOWED_TAGS

_OPEN, _MID, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARKER = re.compile(f"{_OPEN}(\\d+){_MID}|{_CLOSE}")
_PRIVATE = re.compile(f"[{_OPEN}{_MID}{_CLOSE}]")

VERDICT_LABELS = {
    "verified": "Verified",
    "mismatch": "Mismatch",
    "direction": "Wrong direction",
    "unsupported": "Unsupported",
    "quote": "Quote",
}

# Pass 1: the article's own HTML, with nothing that could pass for a marker.
_ARTICLE_TAGS = _ALLOWED_TAGS - {"span"}
_ARTICLE_ATTRIBUTES = {tag: attrs for tag, attrs in _ALLOWED_ATTRIBUTES.items() if tag != "span"}
# Pass 2: the same plus the markers this module writes.
_PROOF_TAGS = _ARTICLE_TAGS | {"mark", "span", "b", "br"}
_PROOF_ATTRIBUTES = {
    **_ARTICLE_ATTRIBUTES,
    "mark": {"class", "tabindex", "id", "aria-describedby", "data-verdict"},
    "span": {"class", "role", "id"},
}


class MentionView(BaseModel):
    """A mention as an editor sees it: the verdict plus the fact behind it and where that came from."""

    model_config = ConfigDict(frozen=True)

    index: int
    text: str
    start: int
    end: int
    verdict: str
    fact: str | None
    expected: str | None
    reason: str | None
    label: str | None = None
    provider: str | None = None
    as_of: str | None = None
    sentence: tuple[str, str, str] = ("", "", "")  # before, the mention, after (Markdown removed)
    placed: bool = True  # False when the offsets do not point at the mention's text

    @property
    def failed(self) -> bool:
        return self.verdict != "verified"

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict.title())


def mention_views(text: str, report: CheckReport | None, facts: FactSet) -> list[MentionView]:
    """The report's mentions in text order, with fact details and sentences, ready to display.

    A mention inside another (the figure in the claim "breaks $7,864 support") is placed too, nested, so a
    wrong number inside a verified phrase shows as failing; only one that crosses another's edge is not.
    """
    views = []
    open_ends: list[int] = []  # ends of the placed mentions that enclose the current position
    mentions = report.mentions if report else []
    for i, m in enumerate(sorted(mentions, key=lambda m: (m.start, -m.end))):
        start, end = m.start, m.end
        found = 0 <= start < end <= len(text) and text[start:end] == m.text
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        placed = found and (not open_ends or end <= open_ends[-1])
        if placed:
            open_ends.append(end)
        fact = facts.get(m.fact) if m.fact else None
        views.append(MentionView(
            index=i, text=m.text, start=start, end=end, verdict=m.verdict,
            fact=m.fact, expected=m.expected, reason=m.reason,
            label=fact.label if fact else None, provider=fact.provider if fact else None,
            as_of=format_datetime(fact.as_of) if fact and fact.as_of else None,
            sentence=sentence_at(text, start, end) if found else ("", m.text, ""),
            placed=placed,
        ))
    return views


def _edges(mentions: list[MentionView]) -> list[tuple[int, bool, MentionView]]:
    """(offset, opens, mention) for every placed mention, in the order to write them: at one offset the
    mentions that end close first (innermost first), then those that start open (outermost first)."""
    placed = [m for m in mentions if m.placed]
    edges = [(m.start, True, m) for m in placed] + [(m.end, False, m) for m in placed]
    return sorted(edges, key=lambda e: (e[0], e[1], -e[2].end if e[1] else -e[2].start))


# --- HTML for the review page -----------------------------------------------------


def _attribute_filter(files_url: str | None) -> Callable[[str, str, str], str]:
    def keep(element: str, attribute: str, value: str) -> str:
        value = _MARKER.sub("", value)  # a number inside a URL or alt text must not get a marker spliced in
        if element == "img" and attribute == "src" and files_url and re.fullmatch(r"[\w.-]+", value):
            value = files_url + value  # the article's own files (chart.png) sit beside it, not beside this page
        return value

    return keep


def proof_html(text: str, mentions: list[MentionView], files_url: str | None = None) -> Markup:
    """The revision as sanitised HTML with each placed mention wrapped in a <mark> by verdict.

    ``files_url`` is where the article folder's files are served, for images the article embeds.
    """
    # The draft's own marker characters could fake markers: replace them one for one, keeping offsets.
    clean = _PRIVATE.sub("\ufffd", text)
    pieces, pos = [], 0
    for offset, opens, m in _edges(mentions):
        pieces += [clean[pos:offset], f"{_OPEN}{m.index}{_MID}" if opens else _CLOSE]
        pos = offset
    pieces.append(clean[pos:])
    converted = markdown.markdown("".join(pieces), extensions=["tables", "sane_lists"], output_format="html")
    safe = nh3.clean(converted, tags=_ARTICLE_TAGS, attributes=_ARTICLE_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow",
                     attribute_filter=_attribute_filter(files_url))
    by_index = {m.index: m for m in mentions}
    open_stack: list[int] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            m = by_index[int(match.group(1))]
            open_stack.append(m.index)
            return (f'<mark class="mention v-{html.escape(m.verdict)}" data-verdict="{html.escape(m.verdict)}" '
                    f'id="m{m.index}" tabindex="0" aria-describedby="tip{m.index}">')
        index = open_stack.pop() if open_stack else None
        return "</mark>" if index is None else f"{_tooltip(by_index[index])}</mark>"

    marked = _MARKER.sub(replace, safe)
    return Markup(nh3.clean(marked, tags=_PROOF_TAGS, attributes=_PROOF_ATTRIBUTES,
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow"))


def _tooltip(m: MentionView) -> str:
    e = html.escape
    lines = [f"<b>{e(m.verdict_label)}</b>" + (f" · {e(m.label)}" if m.label else "")]
    if m.fact:
        lines.append(f"fact: {e(m.fact)}")
    if m.expected:
        lines.append(f"expected: {e(m.expected)}")
    if m.provider or m.as_of:
        lines.append(" · ".join(e(x) for x in (m.provider, f"as of {m.as_of}" if m.as_of else None) if x))
    if m.reason and m.failed:
        lines.append(e(m.reason))
    return f'<span class="tip" role="tooltip" id="tip{m.index}">{"<br>".join(lines)}</span>'


# --- sentences --------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
_INLINE_MARKUP = re.compile(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)|`|^#{1,6}\s+|^\s*(?:[-*+]|\d+\.)\s+", re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _plain(fragment: str) -> str:
    """Markdown syntax removed, whitespace collapsed, but a leading or trailing space kept."""
    text = _INLINE_MARKUP.sub("", _LINK.sub(r"\1", fragment)).replace("|", " ")
    core = " ".join(text.split())
    if not core:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def sentence_at(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence (or list item, or table row) around text[start:end], as (before, mention, after)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    # A paragraph may be wrapped over several lines; a list item or table row is its own unit.
    line = text[line_start:line_end]
    if not line.lstrip().startswith(("|", "-", "*", "+", "#")) and not re.match(r"\s*\d+\.\s", line):
        para_start = text.rfind("\n\n", 0, start)
        para_end = text.find("\n\n", end)
        line_start = 0 if para_start < 0 else para_start + 2
        line_end = len(text) if para_end < 0 else para_end
    s_start = line_start
    for match in _SENTENCE_END.finditer(text, line_start, start):
        s_start = match.end()
    after = _SENTENCE_END.search(text, end, line_end)
    s_end = after.start() + len(after.group(0).rstrip()) if after else line_end
    before, after_text = text[s_start:start], text[end:s_end]
    return _plain(before).lstrip(), text[start:end], _plain(after_text).rstrip()


# --- the terminal ----------------------------------------------------------------

_RED, _GREEN, _BOLD, _RESET = "\033[31m", "\033[32m", "\033[1m", "\033[0m"


def proof_text(text: str, mentions: list[MentionView], color: bool = False) -> str:
    """The Markdown with failing mentions marked ⟦like this⟧[n] (and verified ones green when ``color``);
    a failing mention inside a verified one is marked inside it."""
    out, pos = [], 0
    stack: list[MentionView] = []
    # The numbers of the failures list (console.show), which also counts failures that could not be placed.
    numbers = {m.index: n for n, m in enumerate((m for m in mentions if m.failed), 1)}
    for offset, opens, m in _edges(mentions):
        out.append(text[pos:offset])
        pos = offset
        if opens:
            stack.append(m)
            if m.failed:
                out.append(f"{_RED}{_BOLD}⟦" if color else "⟦")
            elif color:
                out.append(_GREEN)
            continue
        m = stack.pop()  # the innermost open one (the same span twice closes in reverse order too)
        if m.failed:
            out.append(f"⟧[{numbers[m.index]}]{_RESET}" if color else f"⟧[{numbers[m.index]}]")
        elif color:
            out.append(_RESET)
        if color and stack:  # back inside the enclosing mention: its colour again
            out.append(f"{_RED}{_BOLD}" if stack[-1].failed else _GREEN)
    out.append(text[pos:])
    return "".join(out)
