"""generate for several assets in one run: fetched together, written and registered one by one.

Assets run concurrently (``concurrent_assets`` at a time) over one
``FetchBatch``, which shares provider calls and rate limits. Each asset's
article is written and registered as soon as its data is in. One asset failing
(no price from any provider, exit 4) does not stop the others; the result says
which were written, which were blocked by the fact-check and which failed, and
its exit code is the worst of them.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from generator.errors import EXIT_BLOCKED, EXIT_OK, ConfigError, InputError, MarketnewsError
from generator.settings import Settings

if TYPE_CHECKING:
    from generator.sources import Event, FetchBatch

log = logging.getLogger("marketnews.batch")

EXIT_BUG = 1  # an unexpected error in one asset (a bug): reported, the others go on


class AssetOutcome(BaseModel):
    """How one asset of a run went."""

    model_config = ConfigDict(frozen=True)

    asset: str
    status: Literal["draft", "blocked", "failed"]
    exit_code: int
    path: Path | None = None
    title: str | None = None
    draft_id: int | None = None
    error: str | None = None
    notes: list[str] = []  # price disagreements and metrics left out (the fetch notes)

    def line(self) -> str:
        """One line for the terminal."""
        if self.status == "failed":
            return f"{self.asset}: failed (exit {self.exit_code}): {self.error}"
        status = "blocked by the fact-check" if self.status == "blocked" else self.status
        return f"{self.asset}: wrote {self.path} as draft {self.draft_id} ({status}): {self.title}"


class BatchResult(BaseModel):
    """The outcomes of a run, in the order the assets were asked for."""

    model_config = ConfigDict(frozen=True)

    outcomes: list[AssetOutcome]

    def of(self, status: str) -> list[str]:
        return [o.asset for o in self.outcomes if o.status == status]

    @property
    def exit_code(self) -> int:
        """The worst outcome: any failure (its own code, the highest if several) over blocked (3) over ok (0)."""
        failed = [o.exit_code for o in self.outcomes if o.status == "failed"]
        if failed:
            return max(failed)
        return EXIT_BLOCKED if self.of("blocked") else EXIT_OK

    def summary(self) -> str:
        """'3 assets: 1 written (BTC), 1 blocked by the fact-check (ETH), 1 failed (ZZZ)'."""
        parts = []
        for status, words in (("draft", "written"), ("blocked", "blocked by the fact-check"), ("failed", "failed")):
            names = self.of(status)
            if names:
                parts.append(f"{len(names)} {words} ({', '.join(names)})")
        count = len(self.outcomes)
        return f"{count} asset{'s' if count != 1 else ''}: " + ", ".join(parts)


def parse_assets(text: str) -> list[str]:
    """'btc, ETH,sol' -> ['BTC', 'ETH', 'SOL'] (duplicates dropped); InputError for anything not a ticker."""
    assets = [a.strip().upper() for a in text.split(",") if a.strip()]
    bad = [a for a in assets if not re.fullmatch(r"[A-Z0-9]{2,12}", a)]
    if bad or not assets:
        raise InputError(f"invalid asset {bad[0] if bad else text!r}: give tickers such as BTC or BTC,ETH,SOL")
    return list(dict.fromkeys(assets))


def configured_assets(settings: Settings) -> list[str]:
    if not settings.assets:
        raise ConfigError('no assets are configured for --all: set assets = ["BTC", "ETH", "SOL"] in marketnews.toml '
                          "(see docs/configuration.md#many-assets)")
    return list(settings.assets)


def generate_many(assets: list[str], settings: Settings, kind: str = "daily", out: Path | None = None, *,
                  now: datetime | None = None, on_done: Callable[[AssetOutcome], None] | None = None) -> BatchResult:
    """Fetch ``assets`` together and write each one's article; see the module docstring."""
    from generator.desk.store import open_store
    from generator.sources import FetchBatch

    outcomes: dict[str, AssetOutcome] = {}
    # Bad tickers or settings stop the run in FetchBatch, before any request.
    with FetchBatch(assets, settings, now) as batch:
        open_store(settings, out)  # create and migrate the desk store once, before the workers register drafts
        with ThreadPoolExecutor(max_workers=min(settings.concurrent_assets, len(assets)),
                                thread_name_prefix="asset") as pool:
            futures = [pool.submit(_one, batch, asset, settings, kind, out) for asset in batch.plans]
            for future in as_completed(futures):
                outcome = future.result()
                outcomes[outcome.asset] = outcome
                if on_done is not None:
                    on_done(outcome)
        return BatchResult(outcomes=[outcomes[a] for a in batch.plans])


def _one(batch: FetchBatch, asset: str, settings: Settings, kind: str, out: Path | None) -> AssetOutcome:
    from generator.pipeline import generate
    from generator.sources.progress import LogProgress
    from generator.sources.summary import fetch_notes

    progress = LogProgress()  # one INFO line per provider outcome, named for the asset (log_level = "INFO")

    def observe(event: Event) -> None:
        progress(dataclasses.replace(event, metric=f"{asset} {event.metric}"))

    try:
        fetched = batch.fetch(asset, observe)
        result = generate(fetched.snapshot, settings, kind=kind, out=out,
                          extra_files={"sources.yaml": fetched.recording})
    except MarketnewsError as err:
        return AssetOutcome(asset=asset, status="failed", exit_code=err.exit_code, error=str(err))
    except Exception as err:  # a bug with one asset's data must not cost the others their articles
        log.exception("%s: unexpected error", asset)
        return AssetOutcome(asset=asset, status="failed", exit_code=EXIT_BUG,
                            error=f"unexpected error (a bug; please report it): {type(err).__name__}: {err}")
    status: Literal["draft", "blocked"] = "blocked" if result.status == "blocked" else "draft"
    return AssetOutcome(asset=asset, status=status, exit_code=EXIT_BLOCKED if status == "blocked" else EXIT_OK,
                        path=result.path, title=result.title, draft_id=result.draft_id,
                        notes=fetch_notes(fetched.snapshot))
