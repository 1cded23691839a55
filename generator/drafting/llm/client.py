"""One chat-completion call through the openai SDK, with retries on transient faults.

Retries are ours, not the SDK's, so that every fault gets one clear log line:
timeouts, 429 (honouring Retry-After), 5xx and lost connections are retried
with backoff; anything else ends the call with an LLMError the stage turns
into a template fallback. The API key is handed to the SDK and nowhere else.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import math
import re
import time
from typing import Any

import openai
from pydantic import BaseModel, ConfigDict

from generator.drafting.llm.config import LLMConfig, Mode
from generator.drafting.llm.costs import CHARS_PER_TOKEN
from generator.errors import (
    LLMBadReply,
    LLMContextTooLong,
    LLMError,
    LLMModeUnsupported,
    LLMRefused,
    LLMUnavailable,
)

log = logging.getLogger("marketnews.llm")

# A server asking us to wait longer than this is treated as down: the article falls back rather than stall.
MAX_RETRY_AFTER = 60.0


class ChatRequest(BaseModel):
    """Exactly what is sent; its hash is the cache key (no key, no URL: the answer depends on neither)."""

    model_config = ConfigDict(frozen=True)

    purpose: str  # "sections" or "repair", for the usage report
    model: str
    messages: list[dict[str, str]]
    temperature: float
    max_tokens: int
    response_format: dict[str, Any] | None

    def cache_key(self) -> str:
        payload = self.model_dump(exclude={"purpose"})
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def prompt_chars(self) -> int:
        return sum(len(m["content"]) for m in self.messages) + len(json.dumps(self.response_format or {}))


class ChatReply(BaseModel):
    """The parts of a completion the stage uses."""

    model_config = ConfigDict(frozen=True)

    content: str
    finish_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


def response_format(mode: Mode, schema: dict[str, Any], json_object_schema: bool) -> dict[str, Any] | None:
    """The ``response_format`` for a structured-output mode (None for plain text)."""
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": "article_sections", "strict": True, "schema": schema}}
    if mode == "json_object":
        return {"type": "json_object", "schema": schema} if json_object_schema else {"type": "json_object"}
    return None


def retry_after(headers: Any) -> float | None:
    """Seconds a 429/503 asks us to wait: ``retry-after-ms``, ``retry-after`` seconds or an HTTP date."""
    if headers is None:
        return None
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            return max(0.0, float(raw) / divisor)
        except ValueError:
            parsed = email.utils.parsedate_tz(raw)
            if parsed is not None:
                return max(0.0, email.utils.mktime_tz(parsed) - time.time())
    return None


class LLMClient:
    """A configured chat-completions client."""

    def __init__(self, config: LLMConfig, backoff: float = 0.5) -> None:
        self.config = config
        self.backoff = backoff
        self.attempts = 0  # HTTP requests made, retries included
        self._client = openai.OpenAI(
            api_key=config.api_key.get_secret_value(),
            base_url=config.base_url,
            timeout=config.timeout,
            max_retries=0,
        )

    def timeout_for(self, request: ChatRequest) -> float:
        """Seconds to wait for this call: llm_timeout or the server's figure, else sized from the call (the prompt
        read and the most the reply may write, at the server kind's speed)."""
        speed = self.config.speed
        if speed is None:
            return self.config.timeout
        prompt = request.prompt_chars() / CHARS_PER_TOKEN
        seconds = speed.overhead_s + prompt / speed.prompt_tokens_per_s + request.max_tokens / speed.reply_tokens_per_s
        return round(max(speed.minimum_s, seconds * speed.margin), 1)

    def complete(self, request: ChatRequest) -> ChatReply:
        """Send one request; retry transient faults; raise an LLMError when no usable reply came."""
        tries = self.config.retries + 1
        timeout = self.timeout_for(request)
        for attempt in range(1, tries + 1):
            self.attempts += 1
            try:
                completion = self._client.chat.completions.create(  # type: ignore[call-overload]  # params built as dicts
                    model=request.model,
                    messages=request.messages,  # type: ignore[arg-type, unused-ignore]
                    temperature=request.temperature,
                    timeout=timeout,
                    **{self.config.max_tokens_param: request.max_tokens},  # type: ignore[arg-type, unused-ignore]
                    **({"response_format": request.response_format} if request.response_format else {}),  # type: ignore[arg-type, unused-ignore]
                )
            except openai.APIStatusError as err:
                fault, wait = self._status_fault(err, attempt, request)
            except openai.APITimeoutError:
                if not self.config.retries_after_timeout:
                    raise LLMUnavailable(
                        f"LLM at {self.config.where} timed out after {timeout:g} s; not retried: this "
                        "kind of server answers one request at a time and is still working on the abandoned one "
                        "(raise llm_timeout, or lower llm_max_tokens)") from None
                fault, wait = f"timed out after {timeout:g} s", self._delay(attempt)
            except openai.APIConnectionError as err:
                fault, wait = f"connection failed ({_cause(err)})", self._delay(attempt)
            else:
                return _reply(completion, self.config.where)
            if attempt == tries:
                raise LLMUnavailable(f"LLM at {self.config.where} {fault}; gave up after {tries} attempts")
            # (info: a retry that succeeds is no news; one that does not ends in the one warning the stage gives)
            log.info("LLM at %s %s; retrying in %.1f s (attempt %d of %d)",
                        self.config.where, fault, wait, attempt + 1, tries)
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _delay(self, attempt: int) -> float:
        return self.backoff * 2 ** (attempt - 1)

    def _status_fault(self, err: openai.APIStatusError, attempt: int, request: ChatRequest) -> tuple[str, float]:
        code = err.status_code
        if _CONTEXT_REFUSAL.search(_message(err)):  # llama.cpp says so with a 400, some servers with a 500
            prompt = math.ceil(request.prompt_chars() / CHARS_PER_TOKEN)
            raise LLMContextTooLong(
                f"LLM at {self.config.where} cannot take the prompt: about {prompt:,} tokens plus "
                f"{request.max_tokens:,} for the reply do not fit its context ({_message(err)[:120]}); use a "
                "server with a larger context (llama.cpp: --ctx-size) or a smaller llm_max_tokens"
            ) from None
        kind = (request.response_format or {}).get("type")
        bare_refusal = code >= 500 and kind in self.config.refuses_with_5xx
        if kind and code != 429 and (bare_refusal or _FORMAT_REFUSAL.search(_message(err))):
            # A server that cannot do this response format fails every retry the same way: the stage falls back
            # to the next mode once instead (what a server answers is data: ServerProfile.refuses_with_5xx).
            raise LLMModeUnsupported(f"LLM at {self.config.where} answered HTTP {code} to response_format "
                                     f"{kind}: {_message(err)[:160]}") from None
        if code == 429 or code >= 500:
            asked = retry_after(err.response.headers)
            if asked is not None and asked > MAX_RETRY_AFTER:
                raise LLMUnavailable(
                    f"LLM at {self.config.where} answered HTTP {code} and asks to wait {asked:.0f} s "
                    f"(more than {MAX_RETRY_AFTER:.0f} s); not waiting"
                ) from None
            what = "is rate limiting (HTTP 429)" if code == 429 else f"answered HTTP {code}"
            return what, asked if asked is not None else self._delay(attempt)
        # 4xx other than 429: a wrong model name, key or request; retrying cannot help.
        raise LLMError(f"LLM at {self.config.where} rejected the request (HTTP {code}): {_message(err)}") from None


# How servers refuse a response format they do not support.
_FORMAT_REFUSAL = re.compile(r"response[_ ]format|json_schema|json schema|json_object|grammar", re.I)

# How servers word a prompt longer than their context: llama.cpp ("the request exceeds the available context
# size", "n_ctx"), OpenAI and vLLM ("maximum context length is ...", "context_length_exceeded").
_CONTEXT_REFUSAL = re.compile(
    r"context[ _-]?(length|size|window)|n_ctx|maximum context|exceeds? the (available )?context|too many tokens",
    re.I)


def _cause(err: BaseException) -> str:
    cause = err.__cause__ or err.__context__
    text = str(cause or err).strip() or type(cause or err).__name__
    return text.splitlines()[0][:160]


def _message(err: openai.APIStatusError) -> str:
    body = err.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:200]
    return str(err.message)[:200]


def _reply(completion: Any, where: str) -> ChatReply:
    """A ChatReply from a completion, or an LLMError saying what was wrong with it."""
    choices = getattr(completion, "choices", None)
    if not isinstance(choices, list) or not choices:
        raise LLMBadReply(f"LLM at {where} returned no choices")
    choice = choices[0]
    message = getattr(choice, "message", None)
    refusal = getattr(message, "refusal", None)
    finish = getattr(choice, "finish_reason", None)
    if refusal:
        raise LLMRefused(f"the model refused: {str(refusal)[:200]}")
    if finish == "content_filter":
        raise LLMRefused("the server's content filter stopped the reply")
    content = getattr(message, "content", None)
    if not isinstance(content, str) or not content.strip():
        raise LLMBadReply(f"LLM at {where} returned empty content (finish reason: {finish or 'none'})")
    usage = getattr(completion, "usage", None)
    return ChatReply(
        content=content,
        finish_reason=finish if isinstance(finish, str) else None,
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
    )
