"""Whether the LLM stage runs, and against what: settings resolved per server kind.

Servers differ in what structured output they accept; that difference is the
data in ``SERVER_PROFILES``, not branches in the client. This module imports
no HTTP library, so a template-only run stays light.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from generator.errors import ConfigError
from generator.settings import LLMPrice, Settings

Mode = Literal["json_schema", "json_object", "text"]
Calls = Literal["article", "section"]


class ContextProbe(BaseModel):
    """Where a kind of server reports its context size: a GET path from the server's root and a path into the JSON."""

    model_config = ConfigDict(frozen=True)

    path: str  # e.g. "/props" (relative to the root, the base URL without its "/v1")
    field: tuple[str | int, ...]  # keys and list indexes down to the number


class CallSpeed(BaseModel):
    """How fast a kind of server reads a prompt and writes a reply, for timeouts sized from the call: a
    conservative figure (a small model on a few CPU cores), so a slow machine is not cut off mid-reply."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens_per_s: float
    reply_tokens_per_s: float
    overhead_s: float = 5.0  # loading the slot, the grammar, the first token
    margin: float = 1.5  # the estimate times this is the timeout
    minimum_s: float = 30.0


class ServerProfile(BaseModel):
    """What one kind of OpenAI-compatible server accepts."""

    model_config = ConfigDict(frozen=True)

    mode: Mode  # the structured-output mode to use when llm_mode is auto
    base_url: str | None  # where it listens by default (None: the SDK's own, api.openai.com)
    json_object_schema: bool = False  # json_object may carry a "schema" that constrains decoding
    needs_key: bool = False
    timeout: float = 300.0  # seconds per call when the call's size says nothing (no ``speed``)
    # Local servers: each call's timeout from its prompt and reply budget (CallSpeed), not one figure for all:
    # a short per-section call is not waited on for minutes, a long one-call prompt is not cut off.
    speed: CallSpeed | None = None
    # OpenAI's newer models refuse max_tokens; everyone else knows only max_tokens.
    max_tokens_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    # Modes the server refuses with a bare 5xx rather than a message (llama-cpp-python and json_schema): such
    # an answer means "not this mode", and the stage tries the next one instead of retrying.
    refuses_with_5xx: tuple[Mode, ...] = ()
    # A server that answers one request at a time keeps working on a request the client gave up on, so a
    # retry after a timeout only queues behind it (seen: 968 s for one article): such a timeout is final.
    retries_after_timeout: bool = True
    # Where it reports its context size (for llm_calls = auto), and the calls to make when it cannot say:
    # hosted servers have large contexts, local ones often 2,048 tokens.
    context_probe: ContextProbe | None = None
    calls_without_context: Calls = "section"


# A model of up to about a billion parameters on two CPU cores (SmolLM2-135M reads ~10x and writes ~5x faster).
CPU_SPEED = CallSpeed(prompt_tokens_per_s=40.0, reply_tokens_per_s=6.0)

SERVER_PROFILES: dict[str, ServerProfile] = {
    "openai": ServerProfile(mode="json_schema", base_url=None, needs_key=True, timeout=60.0,
                            max_tokens_param="max_completion_tokens", calls_without_context="article"),
    "ollama": ServerProfile(mode="json_schema", base_url="http://localhost:11434/v1", speed=CPU_SPEED),
    "vllm": ServerProfile(mode="json_schema", base_url="http://localhost:8000/v1", timeout=120.0,
                          context_probe=ContextProbe(path="/v1/models", field=("data", 0, "max_model_len")),
                          calls_without_context="article"),
    # llama.cpp's server takes only text or json_object, the latter with an optional schema (grammar). Its own
    # server reports n_ctx at /props; llama-cpp-python's has no such route (then llm_context_tokens, or per section).
    "llamacpp": ServerProfile(mode="json_object", base_url="http://127.0.0.1:8080/v1", json_object_schema=True,
                              refuses_with_5xx=("json_schema",), retries_after_timeout=False, speed=CPU_SPEED,
                              context_probe=ContextProbe(path="/props", field=("default_generation_settings", "n_ctx"))),
    "lmstudio": ServerProfile(mode="json_schema", base_url="http://localhost:1234/v1", speed=CPU_SPEED),
}

# Local servers ignore the key, but the SDK insists on one.
NO_KEY = "not-needed"


class LLMConfig(BaseModel):
    """Everything the LLM stage needs, resolved from Settings."""

    model_config = ConfigDict(frozen=True)

    server: str
    base_url: str | None
    model: str
    api_key: SecretStr
    mode: Mode
    json_object_schema: bool
    refuses_with_5xx: tuple[Mode, ...] = ()
    retries_after_timeout: bool = True
    max_tokens_param: str
    calls: Literal["auto", "article", "section"] = "auto"
    context_tokens: int | None = None  # llm_context_tokens: the context a server that cannot say has
    context_probe: ContextProbe | None = None
    calls_without_context: Calls = "section"
    temperature: float
    max_tokens: int
    timeout: float  # llm_timeout, else the profile's: every call's when ``speed`` is None
    speed: CallSpeed | None = None  # a timeout per call from its size (local servers, llm_timeout unset)
    retries: int
    cache_dir: Path | None  # None: no response cache
    ledger_dir: Path
    price: LLMPrice | None
    article_token_cap: int
    daily_token_cap: int

    @property
    def where(self) -> str:
        """The server's URL for log lines, without any credentials in it."""
        return redact_url(self.base_url or "https://api.openai.com/v1")


def redact_url(url: str) -> str:
    """Drop user:password@ from a URL so it can be logged."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "marketnews" / "llm"


def _api_key(settings: Settings) -> str | None:
    if settings.llm_api_key is not None and settings.llm_api_key.get_secret_value():
        return settings.llm_api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY") or None


def resolve_llm(settings: Settings) -> LLMConfig | None:
    """The LLM configuration to use, or None for a template-only article.

    ``llm = "auto"`` turns the stage on when an API key or ``llm_base_url`` is set and
    quietly off otherwise; ``"on"`` without either is a settings error.
    """
    key = _api_key(settings)
    configured = bool(key or settings.llm_base_url)
    if settings.llm == "off" or (settings.llm == "auto" and not configured):
        return None
    profile = SERVER_PROFILES[settings.llm_server]
    base_url = settings.llm_base_url or profile.base_url
    if profile.needs_key and not key and not settings.llm_base_url:
        raise ConfigError(
            "the LLM is on but no API key is set: set OPENAI_API_KEY or llm_api_key, "
            "or point llm_base_url at a local server"
        )
    cache_root = settings.llm_cache_dir or default_cache_dir()
    return LLMConfig(
        server=settings.llm_server,
        base_url=base_url,
        model=settings.llm_model,
        api_key=SecretStr(key or NO_KEY),
        mode=profile.mode if settings.llm_mode == "auto" else settings.llm_mode,
        json_object_schema=profile.json_object_schema,
        refuses_with_5xx=profile.refuses_with_5xx,
        retries_after_timeout=profile.retries_after_timeout,
        max_tokens_param=profile.max_tokens_param,
        calls=settings.llm_calls,
        context_tokens=settings.llm_context_tokens,
        context_probe=profile.context_probe,
        calls_without_context=profile.calls_without_context,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
        timeout=settings.llm_timeout or profile.timeout,
        speed=None if settings.llm_timeout else profile.speed,
        retries=settings.llm_retries,
        cache_dir=cache_root if settings.llm_cache else None,
        ledger_dir=cache_root,
        price=settings.llm_prices.get(settings.llm_model),
        article_token_cap=settings.llm_article_token_cap,
        daily_token_cap=settings.llm_daily_token_cap,
    )
