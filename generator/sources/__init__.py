"""Live market data: fetch a snapshot from public APIs, recorded for replay, or replay a recording.

``fetch_live`` asks the providers (concurrently, with fallbacks) and records
every exchange; ``FetchBatch`` does the same for several assets in one run,
sharing provider calls and rate limits; ``fetch_replay`` rebuilds the same
snapshot offline from a recording. Each returns the snapshot and the recording
(``sources.yaml``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from generator.errors import InputError
from generator.settings import Settings
from generator.snapshot import describe_validation_error
from generator.sources.batch import FetchBatch, FetchResult
from generator.sources.collector import Event, Observer, collect
from generator.sources.deadline import ReplayedDeadline
from generator.sources.http import make_session
from generator.sources.plan import FetchPlan
from generator.sources.recording import Cassette, ReplayAdapter

__all__ = ["Event", "FetchBatch", "FetchResult", "Observer", "fetch_live", "fetch_replay"]


def fetch_live(asset: str, settings: Settings, observer: Observer | None = None,
               now: datetime | None = None, metrics: Collection[str] | None = None) -> FetchResult:
    """Fetch ``asset`` from the configured providers and record the exchanges (keys filtered out).

    ``metrics`` limits the fetch (price and candles are always fetched); see ``build_plan``.
    """
    with FetchBatch([asset], settings, now, metrics) as batch:
        return batch.fetch(next(iter(batch.plans)), observer)


def fetch_replay(path: Path, observer: Observer | None = None) -> FetchResult:
    """Rebuild the snapshot of a recording (sources.yaml) offline: same requests, same answers, same "now"."""
    cassette = Cassette.load(path)
    try:
        plan = FetchPlan.model_validate(cassette.metadata["marketnews"]["plan"])
    except (ValidationError, KeyError, TypeError) as err:
        why = describe_validation_error(err) if isinstance(err, ValidationError) else "no fetch plan"
        raise InputError(f"{path} has no usable marketnews fetch plan ({why})") from None
    adapter = ReplayAdapter(cassette)
    deadline = ReplayedDeadline(cassette.metadata["marketnews"].get("deadline"))
    snapshot = collect(plan, lambda pid: make_session(adapter), observer, deadline)
    return FetchResult(snapshot=snapshot, recording=path.read_bytes())
