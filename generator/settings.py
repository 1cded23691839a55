"""Settings: one model read from ``marketnews.toml`` and ``MARKETNEWS_*`` environment variables.

Precedence, highest first: values passed in code, environment variables,
the TOML file, the defaults below. Every field is documented in
docs/configuration.md (a test fails when one is not).
"""

from __future__ import annotations

import os
import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from generator.errors import ConfigError
from generator.jobs import Job, JobName, time_zone

DEFAULT_CONFIG_FILE = "marketnews.toml"


class LLMPrice(BaseModel):
    """What one model costs, in US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prompt: float = Field(ge=0, description="USD per million prompt (input) tokens.")
    completion: float = Field(ge=0, description="USD per million completion (output) tokens.")


class Settings(BaseSettings):
    """All of marketnews' configuration."""

    model_config = SettingsConfigDict(env_prefix="MARKETNEWS_", extra="forbid", validate_default=True)

    # Output and presentation
    output_dir: Path = Field(default=Path("output"), description="Where generate writes output/<date>/<asset>-<kind>/.")
    templates_dir: Path | None = Field(
        default=None, description="A folder of templates that take precedence over the bundled ones."
    )
    prompts_dir: Path | None = Field(
        default=None, description="A folder of LLM prompts that take precedence over the bundled ones."
    )
    dateline: str | None = Field(default=None, description="City for the article's dateline, e.g. 'LONDON'.")
    publication: str = Field(default="marketnews", description="Publication name used in the disclaimer.")
    log_level: str = Field(default="WARNING", description="Python logging level for messages on stderr.")

    # Analysis
    analysis_timeframe: str = Field(
        default="1d", description="Timeframe for levels, Fibonacci and fair value gaps (longest available if absent)."
    )
    rsi_period: int = Field(default=14, ge=2, description="RSI look-back in candles (Wilder smoothing).")
    fib_lookback: int = Field(default=90, ge=3, description="Candles searched for the latest major move.")
    level_lookback: int = Field(default=120, ge=10, description="Candles searched for swing levels and gaps.")
    swing_strength: int = Field(default=3, ge=1, description="Candles on each side a swing point must exceed.")
    level_tolerance_pct: float = Field(
        default=1.0, ge=0, description="Swing levels closer than this percent are merged into one."
    )
    fvg_min_size_pct: float = Field(
        default=0.0, ge=0, description="Ignore fair value gaps smaller than this percent of price."
    )
    options_min_expiry_share_pct: float = Field(
        default=5.0, ge=0, le=100,
        description="The options expiry reported is the nearest one holding at least this percent of all open interest.",
    )

    # Charts
    chart: bool = Field(default=False, description="Draw chart.png for each article (needs marketnews[chart]).")
    chart_candles: int = Field(default=90, ge=10, le=1000, description="Candles shown on the chart.")

    # Publishing (shared by the targets)
    publish_categories: list[str] = Field(default=["Markets"], description="Categories every article is filed under.")
    publish_tags: list[str] = Field(default_factory=list, description="Tags added to the asset's own tags.")
    publish_timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for a publishing target.")
    publish_retries: int = Field(default=3, ge=0, le=10, description="Retries with backoff on 429 and 5xx answers.")

    auto_publish: bool = Field(
        default=False, description="Publish drafts that pass the fact-check without waiting for an editor's approval."
    )

    # Static site
    static_site_dir: Path = Field(default=Path("site"), description="Folder the static site is written to.")
    static_site_url: str | None = Field(default=None, description="Public base URL of the static site (for feeds).")
    static_site_feed_items: int = Field(default=20, ge=1, description="Newest articles listed in the feeds.")

    # WordPress
    wordpress_url: str | None = Field(default=None, description="Site URL, e.g. https://news.example.com.")
    wordpress_user: str | None = Field(default=None, description="WordPress user the application password belongs to.")
    wordpress_app_password: SecretStr | None = Field(default=None, description="Application password (Users > Profile).")
    wordpress_status: Literal["draft", "pending", "publish", "private"] = Field(
        default="draft", description="Status new posts get on WordPress."
    )

    # Webhook
    webhook_url: str | None = Field(default=None, description="URL that receives a signed JSON POST per article.")
    webhook_secret: SecretStr | None = Field(default=None, description="Shared secret for the HMAC-SHA256 signature.")

    # Scheduler
    jobs: dict[JobName, Job] = Field(default_factory=dict, description="Scheduled jobs, [jobs.NAME] tables.")
    schedule_state_file: Path = Field(
        default=Path("state/schedule.json"),
        description="Run-state file; its lock file sits beside it. Relative: to the settings file's folder.",
    )

    # Many assets
    assets: list[str] = Field(default_factory=list, description="Assets 'generate --all' writes articles for.")
    concurrent_assets: int = Field(default=8, ge=1, le=64, description="Assets fetched and written at the same time.")
    # The market's bellwethers an article compares its asset with (its 24h move against theirs); the asset itself is
    # left out of its own list, so the default gives BTC ETH, SOL and XRP, and ETH BTC, SOL and XRP.
    market_peers: list[str] = Field(
        default_factory=lambda: ["BTC", "ETH", "SOL", "XRP"],
        description="Assets whose 24h moves each article compares its asset with (itself left out); [] for none.",
    )

    # Breaking-news alerts (marketnews watch)
    watch_assets: list[str] = Field(
        default_factory=list, description="Assets 'watch' polls without --asset (default: assets, else BTC)."
    )
    watch_every: str = Field(default="5m", description="Time between polls, e.g. '90s', '5m', '1h' (at least 30s).")
    alert_timeframe: str = Field(default="5m", description="Candles the hour's price move is measured on.")
    alert_liquidations_usd: dict[str, float] = Field(
        default_factory=dict, description="Fire when 1h liquidations exceed this many USD: {asset or '*': usd}."
    )
    alert_liquidations_multiple: float = Field(
        default=4.0, ge=0, description="Fire when 1h liquidations exceed this multiple of the trailing hourly average."
    )
    alert_liquidations_min_usd: float = Field(
        default=1_000_000.0, ge=0, description="The multiple rule ignores hours with less than this in liquidations."
    )
    alert_baseline_hours: float = Field(default=24.0, gt=0, le=24 * 30, description="Hours the trailing average covers.")
    alert_baseline_min_hours: float = Field(
        default=6.0, ge=0, description="Poll history needed before the average comes from it (else the provider's 24h)."
    )
    alert_price_move_pct: float = Field(
        default=3.0, ge=0, description="Fire when the price moves more than this percent in an hour (0: off)."
    )
    alert_cooldown_minutes: float = Field(default=60.0, ge=0, description="No second alert for an asset within this.")

    # Live data: provider base URLs (mirrors, proxies, tests). generator/sources reads them as <provider>_url.
    binance_url: str = Field(default="https://data-api.binance.vision", description="Binance spot public data.")
    coinbase_url: str = Field(default="https://api.exchange.coinbase.com", description="Coinbase Exchange REST API.")
    kraken_url: str = Field(default="https://api.kraken.com", description="Kraken REST API.")
    coingecko_url: str = Field(default="https://api.coingecko.com/api/v3", description="CoinGecko API (price cross-check).")
    binance_futures_url: str = Field(default="https://fapi.binance.com", description="Binance USD-M futures API.")
    bybit_url: str = Field(default="https://api.bybit.com", description="Bybit v5 API.")
    coinglass_url: str = Field(default="https://open-api-v4.coinglass.com", description="CoinGlass API v4.")
    okx_url: str = Field(default="https://www.okx.com", description="OKX v5 API.")
    alternative_me_url: str = Field(default="https://api.alternative.me", description="alternative.me Fear & Greed API.")
    deribit_url: str = Field(default="https://www.deribit.com/api/v2", description="Deribit public API v2 (options).")

    # Live data: keys (never logged, never recorded)
    coinglass_api_key: SecretStr | None = Field(
        default=None, description="CoinGlass API key; when set, liquidations come from CoinGlass (all major exchanges)."
    )
    coingecko_api_key: SecretStr | None = Field(default=None, description="CoinGecko demo API key (optional).")

    # Live data: fetching
    http_timeout_seconds: float = Field(default=10.0, gt=0, description="Connect and read timeout of each request.")
    http_retries: int = Field(default=2, ge=0, le=10, description="Retries of a request after a 429, 5xx or timeout.")
    http_backoff_seconds: float = Field(
        default=0.5, ge=0, description="Backoff factor between retries (urllib3: factor * 2^(retry - 1))."
    )
    http_max_retry_wait_seconds: float = Field(
        default=30.0, ge=0, description="Longest Retry-After this run waits; a longer one falls back at once."
    )
    fetch_deadline_seconds: float = Field(
        default=30.0, gt=0, le=3600,
        description="The most one asset's whole fetch may take, every provider, retry and fallback included.",
    )
    max_age_minutes: float = Field(
        default=30.0, gt=0, description="Reject prices, funding, open interest and liquidations older than this."
    )
    fear_greed_max_age_hours: float = Field(default=36.0, gt=0, description="Reject a Fear & Greed value older than this.")
    price_tolerance_pct: float = Field(
        default=0.5, ge=0, description="Record a disagreement when the cross-check price differs by more than this."
    )
    candle_timeframes: list[str] = Field(default=["1d", "4h"], min_length=1, description="Candle timeframes to fetch.")
    candle_count: int = Field(default=200, ge=20, le=1000, description="Closed candles to fetch per timeframe.")
    history_days: int = Field(
        default=1000, ge=0, le=5000,
        description="Closed daily candles to fetch for the history facts (records, streaks, 7- and 30-day change), in "
                    "one request capped by each provider's limit; below candle_count, candle_count.",
    )
    okx_max_pages: int = Field(
        default=20, ge=1, le=200, description="Pages of 100 OKX liquidation orders to read to cover 24 hours."
    )
    symbols: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Extra or replacement symbols per provider: {provider: {asset: symbol}}."
    )
    provider_order: dict[str, list[str]] = Field(
        default_factory=dict, description="Replacement fallback order per metric: {metric: [provider, ...]}."
    )

    # Editorial desk (draft store and review page)
    desk_db: Path | str | None = Field(
        default=None, description="The draft store: a SQLite file, or a postgresql:// URL for a desk shared by "
                                  "several hosts; default desk.sqlite3 in the output folder."
    )
    review_password_hash: str | None = Field(
        default=None, description="scrypt hash of the review page password (set with 'marketnews review set-password')."
    )
    review_session_hours: float = Field(default=12.0, gt=0, description="How long a review sign-in lasts.")
    review_secure_cookie: bool = Field(
        default=False, description="Mark the session cookie Secure (set when the review page is served over HTTPS)."
    )
    review_timezone: str = Field(
        default="UTC", description="The desk's local time zone (IANA name): the review page shows times in it beside UTC."
    )

    # LLM stage (generator/drafting/llm_*.py); off unless a key or base URL is configured
    llm: Literal["auto", "on", "off"] = Field(
        default="auto", description="auto: use the LLM when an API key or llm_base_url is set; on; off."
    )
    llm_server: Literal["openai", "ollama", "vllm", "llamacpp", "lmstudio"] = Field(
        default="openai", description="Kind of OpenAI-compatible server; picks the default mode and base URL."
    )
    llm_base_url: str | None = Field(default=None, description="Base URL of the chat-completions API (…/v1).")
    llm_model: str = Field(default="gpt-4o-mini", description="Model name sent with every request.")
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key; OPENAI_API_KEY is used when unset. Never logged or written."
    )
    llm_mode: Literal["auto", "json_schema", "json_object", "text"] = Field(
        default="auto", description="Structured-output mode; auto picks the server's default."
    )
    llm_calls: Literal["auto", "article", "section"] = Field(
        default="auto", description="One call for the article, one per section, or auto: by the server's context."
    )
    llm_context_tokens: int | None = Field(
        default=None, ge=256, description="The server's context in tokens, where it cannot say (default: ask it)."
    )
    llm_temperature: float = Field(default=0.3, ge=0, le=2, description="Sampling temperature.")
    llm_max_tokens: int = Field(default=2500, ge=64, description="Completion tokens allowed per call.")
    llm_timeout: float | None = Field(
        default=None, gt=0, description="Seconds to wait for one chat-completion call (default per server)."
    )
    llm_retries: int = Field(default=2, ge=0, le=10, description="Retries after a timeout, 429, 5xx or lost connection.")
    llm_cache: bool = Field(default=True, description="Answer identical requests from the on-disk cache.")
    llm_cache_dir: Path | None = Field(
        default=None, description="Cache and daily token ledger folder (default: ~/.cache/marketnews/llm)."
    )
    llm_prices: dict[str, LLMPrice] = Field(
        default_factory=dict, description="Price per million tokens by model name, for the cost report."
    )
    llm_article_token_cap: int = Field(
        default=20_000, ge=0, description="Tokens one article may spend; 0 means no cap."
    )
    llm_daily_token_cap: int = Field(
        default=1_000_000, ge=0, description="Tokens all articles may spend per UTC day; 0 means no cap."
    )

    @field_validator("assets", "watch_assets", "market_peers")
    @classmethod
    def _tickers(cls, value: list[str]) -> list[str]:
        tickers = [a.strip().upper() for a in value]
        bad = [a for a in tickers if not re.fullmatch(r"[A-Z0-9]{2,12}", a)]
        if bad:
            raise ValueError(f"invalid asset {bad[0]!r}: give tickers such as BTC, ETH or SOL")
        return list(dict.fromkeys(tickers))

    @field_validator("schedule_state_file")
    @classmethod
    def _anchor_state_file(cls, value: Path) -> Path:
        # The state file holds the scheduler's lock: resolved against the working directory, `run JOB` from
        # another folder would take a different lock and run beside a normal run. Anchored to the settings
        # file (or, without one, the folder marketnews started in), every run of one configuration shares it.
        if value.is_absolute():
            return value
        config = _config_path()
        base = config.resolve().parent if config is not None else Path.cwd()
        return base / value

    @field_validator("desk_db")
    @classmethod
    def _desk_location(cls, value: Path | str | None) -> Path | str | None:
        # A postgresql:// URL stays a string (a Path would fold its '//'); anything else is a SQLite file.
        if value is None or str(value).startswith(("postgresql://", "postgres://")):
            return value if value is None else str(value)
        return Path(value)

    @field_validator("review_timezone")
    @classmethod
    def _valid_review_zone(cls, value: str) -> str:
        return time_zone(value)

    @field_validator("watch_every")
    @classmethod
    def _interval(cls, value: str) -> str:
        from generator.intervals import parse_interval

        parse_interval(value)
        return value

    @field_validator("alert_timeframe")
    @classmethod
    def _hour_divisor(cls, value: str) -> str:
        from datetime import timedelta

        from generator.snapshot import TIMEFRAMES

        step = TIMEFRAMES.get(value)
        if step is None or step > timedelta(hours=1) or timedelta(hours=1) % step:
            raise ValueError(f"{value!r} does not divide an hour; use one of 1m, 5m, 15m, 30m, 1h")
        return value

    @field_validator("candle_timeframes")
    @classmethod
    def _known_timeframes(cls, value: list[str]) -> list[str]:
        from generator.snapshot import TIMEFRAMES

        unknown = [tf for tf in value if tf not in TIMEFRAMES]
        if unknown:
            raise ValueError(f"unknown timeframe {unknown[0]!r}; expected some of {', '.join(TIMEFRAMES)}")
        return list(dict.fromkeys(value))

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_path = _config_path()
        sources: list[PydanticBaseSettingsSource] = [init_settings, _EnvSource(settings_cls)]
        if toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
        return tuple(sources)


class _EnvSource(EnvSettingsSource):
    """MARKETNEWS_* variables, where a list of words may also be a comma list (MARKETNEWS_ASSETS=BTC,ETH).

    Other lists and tables are JSON, as pydantic-settings reads them; JSON that cannot be read is a
    ConfigError naming the variable (pydantic-settings would raise its own error, with a traceback).
    """

    def decode_complex_value(self, field_name: str, field: FieldInfo, value: Any) -> Any:
        if isinstance(value, str) and _is_word_list(field) and not value.lstrip().startswith("["):
            return [word.strip() for word in value.split(",") if word.strip()]
        variable = f"{self.env_prefix}{field_name}".upper()
        try:
            return super().decode_complex_value(field_name, field, value)
        except ValueError as err:
            hint = " (or give a comma list: A,B)" if _is_word_list(field) else ""
            raise ConfigError(f"invalid setting {field_name}: {variable} is not valid JSON ({err}){hint}") from None
        except RecursionError:
            raise ConfigError(f"invalid setting {field_name}: {variable} is nested too deeply") from None


def _is_word_list(field: FieldInfo) -> bool:
    return get_origin(field.annotation) is list and get_args(field.annotation) == (str,)


# The --config path of the current load_settings call; pydantic-settings gives sources no other way in.
_explicit_config: ContextVar[Path | None] = ContextVar("_explicit_config", default=None)


def _config_path() -> Path | None:
    explicit = _explicit_config.get()
    if explicit is not None:
        return explicit
    env = os.environ.get("MARKETNEWS_CONFIG")
    if env:
        return Path(env)
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.is_file() else None


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build Settings, raising ConfigError with the offending setting named."""
    token = _explicit_config.set(config)
    try:
        path = _config_path()
        if path is not None:
            _check_toml(path)
        return Settings(**overrides)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = "unknown setting (see docs/configuration.md)"
        raise ConfigError(f"invalid setting {where}: {msg}") from None
    finally:
        _explicit_config.reset(token)


def _check_toml(path: Path) -> None:
    """Give a readable error for a missing or malformed config file before pydantic-settings reads it."""
    try:
        with path.open("rb") as fh:
            tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {path} is not valid TOML: {err}") from None
    except RecursionError:  # tomllib reads nested arrays recursively
        raise ConfigError(f"config file {path} is nested too deeply to read") from None
    except OSError as err:
        raise ConfigError(f"cannot read config file {path}: {err}") from None
