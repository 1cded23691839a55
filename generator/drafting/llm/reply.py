"""The reply the model must give: one {heading, paragraphs} object per section, as JSON.

The same shape serves every structured-output mode: as a JSON Schema for
``json_schema`` (strict) and llama.cpp's ``json_object``, as an example in the
prompt for plain ``text``, whose JSON is dug out of whatever surrounds it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.drafting.placeholders import PLACEHOLDER

MAX_PARAGRAPHS = 8
MAX_PARAGRAPH_CHARS = 1500


class SectionDraft(BaseModel):
    """One section as the model wrote it, placeholders still in."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    heading: str = Field(default="", max_length=200)
    paragraphs: list[str] = Field(default_factory=list, max_length=MAX_PARAGRAPHS)


class ReplyError(ValueError):
    """The reply is not the JSON asked for; the message says why, for the repair prompt."""


class Allowed(BaseModel):
    """What a per-section reply may contain, for a schema that constrains decoding (a grammar, in llama.cpp)."""

    model_config = ConfigDict(frozen=True)

    placeholders: list[str]  # the placeholders offered, each in the form the draft writes it ("{x}", "{x|abs}")
    terms: list[str]  # the fixed terms with digits ("24 hours") and the draft's emphasis marks ("**")
    paragraphs: int  # at most this many


# Characters a model's own words never need: digits, currency and percent signs (numbers come as placeholders),
# braces (only a whole offered placeholder may open one), markup, quotes and backslashes (no quotations, no
# escapes to run on with). The regex is the subset both JSON Schema and llama.cpp's grammar converter read.
_OWN_CHARACTER = r'[^0-9$%{}\[\]<>*#|_"\\]'


SPECIAL = set(".|?*+(){}$")  # terms and placeholders hold no brackets, carets or backslashes


def _literal(text: str) -> str:
    # Special characters go in a class of their own ("[.]", "[{]"): llama.cpp's converter copies a backslash
    # escape into the grammar's string literal, where it is not the character.
    return "".join(f"[{c}]" if c in SPECIAL else c for c in text)


def text_pattern(allowed: Allowed, at_least: int) -> str:
    """A pattern for one string of the reply: own characters, whole offered placeholders, the fixed terms.

    No length bound: a bounded repetition becomes a grammar nested as deep as the bound, which llama.cpp cannot
    take; the call's completion allowance bounds the length instead.
    """
    options = [_OWN_CHARACTER]
    options += [_literal(ph) for ph in allowed.placeholders]
    options += [_literal(t) for t in allowed.terms]
    return "^(" + "|".join(options) + (")*$" if at_least == 0 else ")+$")


def reply_schema(names: list[str], allowed: Allowed | None = None) -> dict[str, Any]:
    """JSON Schema of a reply covering ``names`` (strict-mode compatible: all required, nothing extra).

    With ``allowed`` (a per-section call), a reply that types a digit, an unoffered placeholder or markup, or
    runs on past the draft's length, cannot be decoded at all by a server that follows the schema.
    """
    heading: dict[str, Any] = {"type": "string"}
    paragraph: dict[str, Any] = {"type": "string"}
    paragraphs: dict[str, Any] = {"type": "array", "items": paragraph}
    if allowed is not None:
        heading["pattern"] = text_pattern(allowed, 0)
        paragraph["pattern"] = text_pattern(allowed, 1)
        paragraphs["maxItems"] = allowed.paragraphs
    section = {
        "type": "object",
        "properties": {"heading": heading, "paragraphs": paragraphs},
        "required": ["heading", "paragraphs"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {name: section for name in names},
        "required": list(names),
        "additionalProperties": False,
    }


def reply_example(names: list[str]) -> str:
    """A one-line example of the reply shape, for prompts (angle brackets mark what to fill in)."""
    shapes = {
        "headline": {"heading": "<headline>", "paragraphs": []},
        "lead": {"heading": "", "paragraphs": ["<paragraph>"]},
    }
    default = {"heading": "<heading>", "paragraphs": ["<paragraph>", "<paragraph>"]}
    return json.dumps({n: shapes.get(n, default) for n in names})


def draft_as_reply(name: str, text: str) -> dict[str, Any]:
    """The draft section in the reply's own shape: the example a per-section call shows instead of slots.

    Small models copied ``<paragraph>`` slots literally; shown the draft itself they return prose, at worst the
    draft (which is proven). A heading line opens the section; each paragraph or bullet is one paragraph.
    """
    if name == "headline":
        return {"heading": text.strip(), "paragraphs": []}
    lines = text.strip().split("\n")
    heading = lines[0][3:].strip() if lines[0].startswith("## ") else ""
    body = "\n".join(lines[1:] if heading else lines).strip()
    blocks = [b for chunk in body.split("\n\n") for b in (chunk.split("\n") if chunk.startswith("- ") else [chunk])]
    return {"heading": heading, "paragraphs": [b.removeprefix("- ").strip() for b in blocks if b.strip()]}


def extract_json(content: str) -> Any:
    """The JSON object in ``content``: bare, in a code fence, or after some chatter."""
    text = content.strip()
    fence = re.search(r"```(?:json)?\s*(.*?)```", text, flags=re.S)
    if fence:
        text = fence.group(1).strip()
    # strict=False: a raw newline inside a string is a common slip and harmless; the content is checked later.
    decoder = json.JSONDecoder(strict=False)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError:
        pass
    # Chatter before the object may hold a placeholder ("{price.current}"): its brace is not the object's.
    start = next((m.start() for m in re.finditer(r"\{", text) if not PLACEHOLDER.match(text, m.start())), -1)
    if start < 0:
        raise ReplyError("the reply contains no JSON object")
    try:
        value, _ = decoder.raw_decode(text[start:])
    except json.JSONDecodeError as err:
        raise ReplyError(f"the reply is not valid JSON ({err.msg} at character {err.pos})") from None
    return value


def parse_reply(content: str, names: list[str]) -> dict[str, SectionDraft | str]:
    """Each expected section's draft, or the reason it is unusable; ReplyError if the whole reply is."""
    data = extract_json(content)
    if not isinstance(data, dict):
        raise ReplyError(f"the reply is a JSON {type(data).__name__}, not an object of sections")
    if "sections" in data and isinstance(data["sections"], dict) and not set(names) & set(data):
        data = data["sections"]  # a common wrapping; the content is what matters
    out: dict[str, SectionDraft | str] = {}
    for name in names:
        raw = data.get(name)
        if raw is None:
            out[name] = f"the reply has no {name!r} section"
            continue
        try:
            draft = SectionDraft.model_validate(raw)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "section"
            out[name] = f"schema mismatch in {name!r} at {where}: {first['msg']}"
            continue
        if any(len(p) > MAX_PARAGRAPH_CHARS for p in draft.paragraphs):
            out[name] = f"a paragraph of {name!r} is longer than {MAX_PARAGRAPH_CHARS} characters"
            continue
        out[name] = draft
    return out
