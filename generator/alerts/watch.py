"""The watch loop: poll each asset, decide with the rules, draft and register an alert, notify, cool down.

Nothing a provider does stops the loop: a poll that fails is logged and the next
one runs on time. An alert whose article cannot be drafted is logged and not
recorded, so the next poll tries again; a webhook delivery that fails is kept
and retried on later polls. SIGINT/SIGTERM stop the loop after the current poll.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from generator.alerts.history import AlertRecord, History
from generator.alerts.poll import fetch_alert, poll_batch, reading_of
from generator.alerts.rules import (
    Baseline,
    Reading,
    Thresholds,
    Trigger,
    baseline,
    baseline_window,
    cooldown_until,
    evaluate,
    largest_days,
)
from generator.errors import InputError, MarketnewsError
from generator.facts import format_hours, format_percent, format_time, format_usd
from generator.settings import Settings
from generator.snapshot import AlertBaseline, MarketSnapshot
from generator.sources import FetchBatch
from generator.sources.summary import fetch_notes

log = logging.getLogger("marketnews.watch")
EVENT = "alert.drafted"
# How far back "the largest hourly total in N days" may look: every stored poll (the store keeps a few days).
LARGEST_LOOKBACK = timedelta(days=366)
RETRY_DELIVERIES_FOR = timedelta(hours=24)  # a delivery still failing after this is given up (and stays logged)


@dataclass
class PollOutcome:
    """What one poll of one asset saw and did."""

    asset: str
    reading: Reading | None = None
    baseline: Baseline | None = None
    triggers: list[Trigger] = field(default_factory=list)
    alert: AlertRecord | None = None
    cooling_until: datetime | None = None
    error: str | None = None


def watched_assets(settings: Settings) -> list[str]:
    """The assets to watch without --asset: watch_assets, else assets, else BTC."""
    return list(settings.watch_assets or settings.assets or ["BTC"])


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Watcher:
    """Polls ``assets`` and turns what fires into alert articles (one ``round`` polls each asset once)."""

    def __init__(self, settings: Settings, assets: list[str], out: Path | None = None,
                 clock: Callable[[], datetime] = _now) -> None:
        from generator.desk.store import open_store

        self.settings, self.assets, self.out, self.clock = settings, assets, out, clock
        from generator.sources.collector import require_known_asset

        # Bad tickers, provider settings or an asset no provider knows: an error now, not "again next poll".
        batch = poll_batch(assets, settings, clock())
        try:
            for plan in batch.plans.values():
                require_known_asset(plan)
        finally:
            batch.close()
        self.webhook = None
        if settings.webhook_url:
            from generator.publishing.webhook import Webhook

            self.webhook = Webhook.from_settings(settings)  # ConfigError now, not at the first alert
        self.history = History(open_store(settings, out))  # after the checks: a refused start creates no store

    def round(self, stop: threading.Event | None = None) -> list[PollOutcome]:
        """Retry failed deliveries, then poll every asset once (stopping early when ``stop`` is set)."""
        self.retry_deliveries()
        outcomes = []
        with poll_batch(self.assets, self.settings, self.clock()) as batch:
            for asset in self.assets:
                if stop is not None and stop.is_set():
                    break
                try:
                    outcomes.append(self.poll(asset, batch))
                except InputError:
                    raise
                except Exception as err:  # a bug, or the desk database unusable: say so, keep watching the others
                    log.exception("%s: poll went wrong (a bug, or the desk database is unusable)", asset)
                    outcomes.append(PollOutcome(asset, error=f"{type(err).__name__}: {err}"))
        return outcomes

    def poll(self, asset: str, batch: FetchBatch) -> PollOutcome:
        th = Thresholds.for_asset(self.settings, asset)
        try:
            snapshot = batch.fetch(asset).snapshot
        except InputError:
            raise  # an unknown asset or a bad symbol is the user's to fix; another poll would not fix it
        except MarketnewsError as err:
            log.error("%s: poll failed, trying again next poll: %s", asset, err)
            return PollOutcome(asset, error=str(err))
        for note in fetch_notes(snapshot):
            log.warning("%s: %s", asset, note)
        reading = reading_of(snapshot)
        since, until = baseline_window(reading, th)
        base = baseline(reading, self.history.polls(asset, since, until), th)
        triggers = evaluate(reading, base, th)
        self.history.record_poll(reading, timedelta(hours=th.baseline_hours))
        outcome = PollOutcome(asset, reading, base, triggers)
        log.info("%s: %s -> %s", asset, describe_reading(reading, base),
                 "; ".join(t.text for t in triggers) if triggers else "quiet")
        if not triggers:
            return outcome
        last = self.history.last_alert(asset)
        outcome.cooling_until = cooldown_until(last.at if last else None, reading.at, th)
        if outcome.cooling_until is not None:
            log.info("%s: no alert: cooling down after alert %d until %s", asset, last.id,  # type: ignore[union-attr]
                     f"{outcome.cooling_until:%Y-%m-%d %H:%M} UTC")
            return outcome
        outcome.alert = self.fire(asset, reading, triggers, base)
        return outcome

    def fire(self, asset: str, reading: Reading, triggers: list[Trigger],
             base: Baseline | None = None) -> AlertRecord | None:
        """Fetch the full snapshot, draft and register the alert article, record it and notify."""
        from generator.pipeline import generate

        try:
            fetched = fetch_alert(asset, self.settings, self.clock())
            snapshot = with_baseline(fetched.snapshot, reading, base, self.history)
            result = generate(snapshot, self.settings, kind="alert", out=self.out,
                              extra_files={"sources.yaml": fetched.recording})
        except MarketnewsError as err:
            log.error("%s: alert fired but its article could not be drafted (next poll tries again): %s", asset, err)
            return None
        payload = alert_payload(reading, triggers, result.path, result.draft_id, result.status,
                                result.factcheck.model_dump() if result.factcheck else None)
        record = self.history.record_alert(asset, reading.at, triggers, result.draft_id, payload)
        log.warning("%s: ALERT %d: drafted %s as draft %s (%s): %s", asset, record.id, result.path, result.draft_id,
                    result.status, result.title)
        return self.deliver(record)

    def deliver(self, record: AlertRecord) -> AlertRecord:
        """Send the alert to the webhook, if one is configured; record the delivery or the failure."""
        if self.webhook is None:
            return record
        try:
            post = self.webhook.notify(EVENT, record.payload)
        except MarketnewsError as err:
            log.error("%s: alert %d: webhook delivery failed, retrying next poll: %s", record.asset, record.id, err)
            self.history.mark_notified(record.id, None, str(err))
        else:
            log.info("%s: alert %d: webhook accepted it (%s)", record.asset, record.id, post.remote_id)
            self.history.mark_notified(record.id, self.clock())
        return next(a for a in self.history.alerts(record.asset) if a.id == record.id)

    def retry_deliveries(self) -> None:
        if self.webhook is None:
            return
        for record in self.history.undelivered(self.clock() - RETRY_DELIVERIES_FOR):
            if record.notify_error is not None:  # tried before and failed (not: sent before a webhook was set)
                self.deliver(record)

    def run(self, every: float, stop: threading.Event) -> None:
        """Poll every ``every`` seconds until ``stop`` is set."""
        log.info("watching %s every %s; alerts go to the desk %s%s", ", ".join(self.assets), _seconds(every),
                 self.history.store.location,
                 "" if self.webhook else " (no webhook_url set: nobody is notified)")
        while not stop.is_set():
            started = time.monotonic()
            self.round(stop)
            left = every - (time.monotonic() - started)
            if left < 0:
                log.warning("a round took %s, longer than the %s between polls", _seconds(every - left),
                            _seconds(every))
            stop.wait(max(left, 0.0))
        log.info("watch stopped")


def serve(watcher: Watcher, every: float) -> None:
    """Run ``watcher`` in the foreground; the first SIGINT or SIGTERM stops it after the current poll."""
    stop = threading.Event()

    def handle(signum: int, frame: Any) -> None:
        if stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C: stop now
        stop.set()
        log.info("stopping after the current poll (Ctrl-C again to stop at once)")

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run(every, stop)
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def log_to_stderr(level: str = "WARNING") -> None:
    """Poll lines at INFO (or finer, when ``level`` is) on stderr, each with its UTC time, for a long-running watch."""
    import sys

    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S UTC")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    log.handlers[:] = [handler]
    log.propagate = False
    log.setLevel(min(logging.INFO, logging.getLevelName(level.upper())))


def with_baseline(snapshot: MarketSnapshot, reading: Reading, base: Baseline | None,
                  history: History) -> MarketSnapshot:
    """The alert's snapshot with the baseline the poll was measured against, so the article can say by how much
    the hour exceeded it. Left out when the alert fetch's liquidations are another provider's (not comparable)."""
    liq = snapshot.liquidations
    if base is None or liq is None or liq.source.provider != reading.provider:
        return snapshot
    days = None
    if base.source == "polls":
        polls = history.polls(snapshot.asset, reading.at - LARGEST_LOOKBACK, reading.at)
        days = largest_days(liq.total_1h_usd, reading.at, reading.provider, polls)
    found = AlertBaseline(source=base.source, hourly_usd=base.hourly_usd, hours=base.hours, polls=base.polls,
                          largest_days=days)
    return snapshot.model_copy(update={"alert_baseline": found})


def describe_reading(r: Reading, base: Baseline | None) -> str:
    """'$6,417, -4.21% in the hour to 09:05 UTC; 1h liquidations $31.2 million (okx), trailing ...'."""
    parts = [format_usd(r.price)]
    if r.change_1h_pct is not None and r.change_1h_end is not None:
        parts[0] += f", {format_percent(r.change_1h_pct)} in the hour to {format_time(r.change_1h_end)}"
    if r.liquidations_1h is None:
        parts.append("no liquidation data")
    else:
        parts.append(f"1h liquidations {format_usd(r.liquidations_1h)} ({r.provider})"
                     + (f", {base.describe()}" if base else ", no trailing average yet"))
    return "; ".join(parts)


def alert_payload(reading: Reading, triggers: list[Trigger], path: Path, draft_id: int | None, status: str,
                  factcheck: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON an ``alert.drafted`` delivery carries: what fired and the draft waiting for review."""
    from generator.publishing import load_article

    article = load_article(path)
    return {
        "alert": {"asset": reading.asset, "at": reading.at.isoformat().replace("+00:00", "Z"),
                  "triggers": [t.model_dump() for t in triggers],
                  "reading": reading.model_dump(mode="json", exclude={"asset", "at"})},
        "article": {"draft_id": draft_id, "status": status, "title": article.title, "kind": article.kind,
                    "slug": article.slug, "summary": article.summary, "path": str(path), "factcheck": factcheck},
    }


def _seconds(value: float) -> str:
    return format_hours(value / 3600)
