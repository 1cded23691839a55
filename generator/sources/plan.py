"""The fetch plan: everything that decides what a fetch asks and how it judges the answers.

A live run builds the plan from settings and the clock; the plan is stored in
the recording, and a replay takes it from there. So a replay asks the same
URLs, judges staleness against the same "now" and falls back in the same
order, whatever the replaying machine's settings or clock say.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime, timezone
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from generator.errors import ConfigError, InputError
from generator.settings import Settings
from generator.sources.http import HttpOptions
from generator.sources.registry import DEFAULT_ORDER, PROVIDERS, chain_metric

# What a snapshot cannot do without; every fetch asks for these.
ESSENTIAL = ("price", "candles")


class ProviderPlan(BaseModel):
    """One provider as this run uses it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    base_url: str
    symbol: str | None  # None: the provider has no symbol for the asset, so it is skipped
    keyed: bool = False  # a required API key was configured (the key itself is never stored)
    # Symbols asked for in one request with this asset's (a run for several assets, providers with batch_size).
    # Stored so a replay asks exactly what the live run asked.
    batch: list[str] | None = None

    @model_serializer(mode="wrap")
    def _without_empty_batch(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("batch") is None:
            data.pop("batch", None)  # a one-asset run's recording stays as it was before batches existed
        return data


class FetchPlan(BaseModel):
    """What one fetch asks, in which order, and by which rules it accepts the answers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    asset: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    now: AwareDatetime
    timeframes: list[str]
    candle_count: int
    # Daily candles for the history facts; a recording made before the setting existed asked for candle_count.
    history_days: int = 0
    max_age_minutes: float
    fear_greed_max_age_hours: float
    price_tolerance_pct: float
    okx_max_pages: int
    chains: dict[str, list[str]]  # metric ("price", "candles.1d", ...) -> provider ids, first choice first
    providers: dict[str, ProviderPlan]
    http: HttpOptions
    # The peers whose 24h moves the article compares: ticker -> {provider id: its symbol}, for the providers of the
    # peers chain that list it. Empty (and not written) when there are none, as in recordings made before peers.
    peers: dict[str, dict[str, str]] = Field(default_factory=dict)

    @model_serializer(mode="wrap")
    def _without_empty_peers(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not data.get("peers"):
            data.pop("peers", None)  # a recording without peers stays as it was before they existed
        return data


def build_plan(settings: Settings, asset: str, now: datetime | None = None,
               metrics: Collection[str] | None = None, peers: Collection[str] | None = None) -> FetchPlan:
    """The plan of a live fetch of ``asset`` at ``now`` (default: the clock, to the second).

    ``metrics`` limits the fetch to some metrics ('liquidations', ...; price and candles are always
    fetched): a watch poll asks only for what its rules read.
    """
    asset = asset.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{2,12}", asset):
        raise InputError(f"invalid asset {asset!r}: give a ticker such as BTC, ETH or SOL")
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    unknown = [p for p in settings.symbols if p not in PROVIDERS]
    if unknown:
        raise ConfigError(f"invalid setting symbols: unknown provider {unknown[0]!r} (known: {', '.join(PROVIDERS)})")
    providers: dict[str, ProviderPlan] = {}
    for pid, module in PROVIDERS.items():
        info = module.INFO
        symbols = {**info.symbols, **{k.upper(): v for k, v in settings.symbols.get(pid, {}).items()}}
        keyed = bool(info.needs_key and getattr(settings, info.needs_key) is not None)
        providers[pid] = ProviderPlan(base_url=getattr(settings, f"{pid}_url"), symbol=symbols.get(asset, symbols.get("*")), keyed=keyed)
    chains = {}
    for metric in ["price", *(f"candles.{tf}" for tf in settings.candle_timeframes), "price_check", "funding",
                   "open_interest", "liquidations", "fear_greed", "options", "market", "peers", "funding_venues"]:
        base = chain_metric(metric)
        if metrics is not None and base not in (*metrics, *ESSENTIAL):
            continue
        order = settings.provider_order.get(base, DEFAULT_ORDER[base])
        for pid in order:
            if pid not in PROVIDERS or base not in PROVIDERS[pid].INFO.metrics:
                able = [p for p, m in PROVIDERS.items() if base in m.INFO.metrics]
                raise ConfigError(f"invalid setting provider_order.{base}: {pid!r} does not give {base} "
                                  f"(providers that do: {', '.join(able)})")
        # A keyed provider without its key is left out of the plan, not tried and failed.
        chains[metric] = [p for p in order if not PROVIDERS[p].INFO.needs_key or providers[p].keyed]
    unknown_metric = [m for m in settings.provider_order if m not in DEFAULT_ORDER]
    if unknown_metric:
        raise ConfigError(f"invalid setting provider_order: unknown metric {unknown_metric[0]!r} "
                          f"(known: {', '.join(DEFAULT_ORDER)})")
    wanted = [p for p in dict.fromkeys(settings.market_peers if peers is None else peers) if p != asset]
    peer_symbols = {p: _symbols_of(settings, p, chains.get("peers", [])) for p in wanted} if "peers" in chains else {}
    return FetchPlan(
        asset=asset,
        peers={p: s for p, s in peer_symbols.items() if s},
        now=moment,
        timeframes=list(settings.candle_timeframes),
        candle_count=settings.candle_count,
        history_days=settings.history_days,
        max_age_minutes=settings.max_age_minutes,
        fear_greed_max_age_hours=settings.fear_greed_max_age_hours,
        price_tolerance_pct=settings.price_tolerance_pct,
        okx_max_pages=settings.okx_max_pages,
        chains=chains,
        providers=providers,
        http=HttpOptions(
            timeout_seconds=settings.http_timeout_seconds,
            retries=settings.http_retries,
            backoff_seconds=settings.http_backoff_seconds,
            max_retry_wait_seconds=settings.http_max_retry_wait_seconds,
        ),
    )


def _symbols_of(settings: Settings, asset: str, pids: list[str]) -> dict[str, str]:
    """provider id -> the asset's symbol there, for the providers in ``pids`` that have one."""
    out = {}
    for pid in pids:
        symbols = {**PROVIDERS[pid].INFO.symbols, **{k.upper(): v for k, v in settings.symbols.get(pid, {}).items()}}
        if (symbol := symbols.get(asset, symbols.get("*"))) is not None:
            out[pid] = symbol
    return out


def build_plans(settings: Settings, assets: list[str], now: datetime | None = None,
                metrics: Collection[str] | None = None) -> dict[str, FetchPlan]:
    """The plans of one run for several assets, at one moment. Providers that answer for several symbols
    in one request (``batch_size``) get the run's symbols in groups, so one request serves the group.

    Each asset's peers are the market_peers setting and the run's other assets; the peers' symbols join the
    batch, so the one ticker request that prices the run's assets also gives every peer's move."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    run = [a.strip().upper() for a in assets]
    peers = list(dict.fromkeys([*settings.market_peers, *run])) if len(run) > 1 else None
    plans = {p.asset: p for p in (build_plan(settings, a, moment, metrics, peers) for a in assets)}
    for pid, module in PROVIDERS.items():
        size = module.INFO.batch_size
        symbols = list(dict.fromkeys(s for p in plans.values() if (s := p.providers[pid].symbol) is not None))
        if len(symbols) > 1:  # the peers' symbols join a batch the run makes anyway
            symbols = list(dict.fromkeys([*symbols, *(s for p in plans.values() for by in p.peers.values()
                                                      if (s := by.get(pid)) is not None)]))
        if not size or len(symbols) < 2:
            continue
        groups = [sorted(symbols[i:i + size]) for i in range(0, len(symbols), size)]
        group_of = {s: g for g in groups for s in g}
        for asset, plan in plans.items():
            symbol = plan.providers[pid].symbol
            if symbol is not None and len(group_of[symbol]) > 1:
                provider = plan.providers[pid].model_copy(update={"batch": group_of[symbol]})
                plans[asset] = plan.model_copy(update={"providers": {**plan.providers, pid: provider}})
    return plans
