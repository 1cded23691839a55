"""One live run for several assets: shared provider calls, shared rate limits, one recording per asset.

The assets' plans are built together (``build_plans``), so providers that
answer for several symbols at once get one request for the group (Binance's
24h ticker, CoinGecko's simple price). Every provider has ONE client for the
whole run: identical requests (the market-wide Fear & Greed Index, Binance
futures' funding intervals) are made once, and the provider's rate limits and
concurrency cap hold across all assets. Each asset's fetch notes the URLs it
used, so its ``sources.yaml`` holds exactly the exchanges its snapshot came
from — shared ones included — and replays on its own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any

import requests

from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from generator.sources.collector import Collector, Observer
from generator.sources.deadline import Deadline
from generator.sources.http import Client, RateLimiter, make_session, retry_policy
from generator.sources.plan import build_plans
from generator.sources.recording import Recording, RecordingAdapter
from generator.sources.registry import PROVIDERS


@dataclass(frozen=True)
class FetchResult:
    """A fetched snapshot and the recording it can be rebuilt from."""

    snapshot: MarketSnapshot
    recording: bytes  # sources.yaml


class FetchBatch:
    """The live fetch of ``assets`` at one moment; ``fetch(asset)`` may be called from several threads."""

    def __init__(self, assets: list[str], settings: Settings, now: datetime | None = None,
                 metrics: Collection[str] | None = None) -> None:
        # metrics: only these besides price and candles (a watch poll); InputError/ConfigError before any request
        self.plans = build_plans(settings, assets, now, metrics)
        self.deadline_seconds = settings.fetch_deadline_seconds
        keys = provider_keys(settings)
        self.recording = Recording(secrets=[k for _, k in keys.values()])
        first = next(iter(self.plans.values()))
        used = {pid for plan in self.plans.values() for chain in plan.chains.values() for pid in chain}
        self.clients: dict[str, Client] = {}
        for pid in used:
            info = PROVIDERS[pid].INFO
            # One connection per request in flight: the pool never has to open and discard extras.
            adapter = RecordingAdapter(self.recording, max_retries=retry_policy(first.http),
                                       pool_maxsize=max(info.max_concurrent, 4))
            header = keys.get(pid)
            session = make_session(adapter, {header[0]: header[1]} if header else None)
            self.clients[pid] = Client(pid, first.providers[pid].base_url, session, first.http,
                                       limiter=RateLimiter(info.rate_limits, info.max_concurrent))

    def fetch(self, asset: str, observer: Observer | None = None) -> FetchResult:
        """One asset's snapshot and its recording (DataUnavailable when price or candles cannot be had,
        including when the fetch deadline passes first)."""
        plan = self.plans[asset]
        urls: set[str] = set()
        deadline = Deadline(self.deadline_seconds)  # from now: each asset's fetch gets the whole allowance
        snapshot = Collector(plan, observer=observer, deadline=deadline,
                             client_for=lambda pid: self.clients[pid].tracking(urls, deadline)).run()
        metadata: dict[str, Any] = {"marketnews": {"plan": plan.model_dump(mode="json")}}
        if (stopped := deadline.record()) is not None:
            metadata["marketnews"]["deadline"] = stopped  # a replay stops the same providers the same way
        return FetchResult(snapshot=snapshot, recording=self.recording.to_yaml(metadata, only=urls))

    def close(self) -> None:
        sessions: list[requests.Session] = [c.session for c in self.clients.values()]
        for session in sessions:
            session.close()

    def __enter__(self) -> FetchBatch:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def provider_keys(settings: Settings) -> dict[str, tuple[str, str]]:
    """provider id -> (header, key) for every provider whose key is configured."""
    out = {}
    for pid, module in PROVIDERS.items():
        info = module.INFO
        field = info.needs_key or info.optional_key
        secret = getattr(settings, field) if field else None
        if secret is not None and info.key_header:
            out[pid] = (info.key_header, secret.get_secret_value())
    return out
