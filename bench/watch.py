"""Benchmark of the watch: what a poll costs, and how long a liquidation cascade takes to become a draft.

The providers are the local replicas (tests/sources/venues.py) on 127.0.0.1 with
the latencies of bench/fetch.py (first choices: Binance 120 ms, OKX 90 ms per
request, ...). For each run the script times a quiet poll (price, 5m candles,
liquidations) and counts its requests; then starts a cascade on the replicas
and times the poll that sees it, up to the alert article written and registered
on the desk (the poll, the full fetch, drafting, the fact-check, files, desk).
The target from issue 7: a cascade "produces a breaking article within minutes"
of its start; the delay is at most one poll interval (watch_every, 5 minutes
by default) plus the time measured here.

Usage: python bench/watch.py [--runs 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.alerts.watch import Watcher  # noqa: E402
from generator.settings import load_settings  # noqa: E402
from tests.sources.venues import Venues  # noqa: E402

LATENCY_MS = {"binance": 120, "coinbase": 250, "kraken": 300, "coingecko": 200, "binance_futures": 180,
              "bybit": 350, "coinglass": 400, "okx": 90, "alternative_me": 50}
AT = datetime(2018, 6, 18, 9, 7, tzinfo=timezone.utc)


def run_once() -> tuple[float, int, float, int]:
    """(quiet poll seconds, its requests, cascade poll-to-alert seconds, its requests)."""
    with Venues(now=AT) as venues, tempfile.TemporaryDirectory() as out:
        for provider, ms in LATENCY_MS.items():
            venues.latency(provider, ms / 1000)
        watcher = Watcher(load_settings(**venues.settings(), output_dir=Path(out)), ["BTC"], clock=lambda: venues.now)
        started = time.perf_counter()
        [quiet] = watcher.round()
        quiet_s, quiet_n = time.perf_counter() - started, len(venues.requests)
        assert not quiet.triggers, quiet.triggers
        venues.cascade(minutes=60, move_pct=-6.0, liquidations_usd=40e6)
        before = len(venues.requests)
        started = time.perf_counter()
        [fired] = watcher.round()
        alert_s = time.perf_counter() - started
        assert fired.alert is not None, fired
        return quiet_s, quiet_n, alert_s, len(venues.requests) - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    logging.disable(logging.CRITICAL)
    run_once()  # warm-up: imports, templates
    results = [run_once() for _ in range(runs)]
    quiet = [r[0] for r in results]
    alert = [r[2] for r in results]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()}")
    print(f"latencies per request: {', '.join(f'{p} {ms} ms' for p, ms in LATENCY_MS.items())}")
    print(f"quiet poll:           median {statistics.median(quiet) * 1000:.0f} ms (min {min(quiet) * 1000:.0f}, "
          f"max {max(quiet) * 1000:.0f}), {results[0][1]} requests")
    print(f"cascade poll -> alert: median {statistics.median(alert) * 1000:.0f} ms (min {min(alert) * 1000:.0f}, "
          f"max {max(alert) * 1000:.0f}), {results[0][3]} requests (poll + full fetch)")


if __name__ == "__main__":
    main()
