"""Live market data: fetch a snapshot from public APIs, recorded for replay, or replay a recording.

``fetch_live`` asks the providers (concurrently, with fallbacks) and records
every exchange; ``fetch_replay`` rebuilds the same snapshot offline from such
a recording. Both return the snapshot and the recording (``sources.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests
from pydantic import ValidationError

from generator.errors import InputError
from generator.settings import Settings
from generator.snapshot import MarketSnapshot, describe_validation_error
from generator.sources.collector import Event, Observer, collect
from generator.sources.http import make_session, retry_policy
from generator.sources.plan import FetchPlan, build_plan
from generator.sources.recording import Cassette, Recording, RecordingAdapter, ReplayAdapter
from generator.sources.registry import PROVIDERS

__all__ = ["Event", "FetchResult", "Observer", "fetch_live", "fetch_replay"]


@dataclass(frozen=True)
class FetchResult:
    """A fetched snapshot and the recording it can be rebuilt from."""

    snapshot: MarketSnapshot
    recording: bytes  # sources.yaml


def fetch_live(asset: str, settings: Settings, observer: Observer | None = None,
               now: datetime | None = None) -> FetchResult:
    """Fetch ``asset`` from the configured providers and record the exchanges (keys filtered out)."""
    plan = build_plan(settings, asset, now)
    keys = _keys(settings)
    recording = Recording(secrets=[k for _, k in keys.values()])

    def session_for(pid: str) -> requests.Session:
        adapter = RecordingAdapter(recording, max_retries=retry_policy(plan.http), pool_maxsize=16)
        header = keys.get(pid)
        return make_session(adapter, {header[0]: header[1]} if header else None)

    snapshot = collect(plan, session_for, observer)
    metadata = {"marketnews": {"plan": plan.model_dump(mode="json")}}
    return FetchResult(snapshot=snapshot, recording=recording.to_yaml(metadata))


def fetch_replay(path: Path, observer: Observer | None = None) -> FetchResult:
    """Rebuild the snapshot of a recording (sources.yaml) offline: same requests, same answers, same "now"."""
    cassette = Cassette.load(path)
    try:
        plan = FetchPlan.model_validate(cassette.metadata["marketnews"]["plan"])
    except (ValidationError, KeyError, TypeError) as err:
        why = describe_validation_error(err) if isinstance(err, ValidationError) else "no fetch plan"
        raise InputError(f"{path} has no usable marketnews fetch plan ({why})") from None
    adapter = ReplayAdapter(cassette)
    snapshot = collect(plan, lambda pid: make_session(adapter), observer)
    return FetchResult(snapshot=snapshot, recording=path.read_bytes())


def _keys(settings: Settings) -> dict[str, tuple[str, str]]:
    """provider id -> (header, key) for every provider whose key is configured."""
    out = {}
    for pid, module in PROVIDERS.items():
        info = module.INFO
        field = info.needs_key or info.optional_key
        secret = getattr(settings, field) if field else None
        if secret is not None and info.key_header:
            out[pid] = (info.key_header, secret.get_secret_value())
    return out
