"""One call for the article or one per section: chosen by the server's context size.

A small local model behind llama.cpp often has a 2,048-token context, which the one-call prompt (every prose
section with all their facts, about 2,600 tokens for the example) does not fit; a large hosted model does better
with the whole article in view. ``auto`` asks the server how large its context is where the server can tell
(where and how is data: ``ContextProbe`` in the server profiles), else takes ``llm_context_tokens``, and picks one
call when that call fits. A probe that fails is no error: the answer is just unknown, and the profile's default
applies.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import requests
from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.config import Calls, ContextProbe
from generator.drafting.llm.reply import SectionDraft

log = logging.getLogger("marketnews.llm")

# The context a per-section call is sized for when the server's is unknown: llama.cpp's smallest usual one.
SECTION_CONTEXT = 2048
PROBE_TIMEOUT = 3.0  # seconds: a server that cannot answer this quickly is taken as one that cannot say
# Answers already had, by URL, and when: the articles of a batch ask once, and a scheduler running for days sees a
# server restarted with another context within this long.
PROBE_TTL = 600.0
_known: dict[str, tuple[float, int | None]] = {}


def server_root(base_url: str) -> str:
    """The server's root: its OpenAI-compatible base URL without the trailing ``/v1``."""
    url = base_url.rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def probe_context(base_url: str, probe: ContextProbe, api_key: str | None = None) -> int | None:
    """The context size the server reports, or None when it cannot say (no such route, no answer, no number)."""
    url = server_root(base_url) + probe.path
    if (hit := _known.get(url)) is not None and time.monotonic() - hit[0] < PROBE_TTL:
        return hit[1]
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    size: int | None = None
    try:
        response = requests.get(url, headers=headers, timeout=PROBE_TIMEOUT)
        value: object = response.json() if response.ok else None
        for step in probe.field:
            if isinstance(step, int) and isinstance(value, list) and len(value) > step:
                value = value[step]
            elif isinstance(step, str) and isinstance(value, dict):
                value = value.get(step)
            else:
                value = None
                break
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            size = value
    except (requests.RequestException, ValueError):
        size = None
    log.info("LLM: context size at %s: %s", url, f"{size} tokens" if size else "not reported")
    _known[url] = (time.monotonic(), size)
    return size


def choose_calls(setting: str, context: int | None, article_prompt_tokens: int, max_tokens: int,
                 without_context: Calls) -> Calls:
    """The calls to make: the setting when it is not auto; else one call when it fits the context."""
    if setting in ("article", "section"):
        return setting  # type: ignore[return-value]  # narrowed by the test above
    if context is None:
        return without_context
    return "article" if article_prompt_tokens + max_tokens <= context else "section"


class CallSize(BaseModel):
    """One call's tokens: the prompt (estimated) and the completion allowed."""

    model_config = ConfigDict(frozen=True)

    prompt: int
    reply: int

    @property
    def total(self) -> int:
        return self.prompt + self.reply


def split_draft(draft: SectionDraft, size: Callable[[SectionDraft], CallSize], context: int) -> list[SectionDraft]:
    """The draft in parts, each as many whole paragraphs as fit one call in ``context`` (the heading goes with the
    first). A paragraph too long on its own is still one part: the server says so if it does not fit."""
    parts: list[SectionDraft] = []
    current = SectionDraft(heading=draft.heading, paragraphs=[])
    for paragraph in draft.paragraphs:
        grown = current.model_copy(update={"paragraphs": [*current.paragraphs, paragraph]})
        if current.paragraphs and size(grown).total > context:
            parts.append(current)
            current = SectionDraft(heading="", paragraphs=[paragraph])
        else:
            current = grown
    parts.append(current)
    return parts
