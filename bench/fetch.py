"""Benchmark of the concurrent fetch: wall time of a whole fetch against the slowest single provider.

Every provider is served by the local replicas (tests/sources/venues.py) on
127.0.0.1, each with its own injected latency per request (50-400 ms). For each
provider the script first times its part of the fetch alone (its metrics only;
a provider that needs several requests in a row, like OKX's pages, takes
several latencies), then times the whole fetch. Target: whole fetch <= 1.15 x
the slowest provider alone. Two configurations: the first choices (Binance,
CoinGecko, Binance futures, OKX, alternative.me, Deribit) and the fallbacks (first
choices skipped: Coinbase, Kraken for 4h candles, Bybit, CoinGlass with a key).
Funding on every venue asks every venue not skipped (Binance futures, Bybit and
OKX; Bybit and OKX in the fallbacks), each as part of its provider's time.

Usage: python bench/fetch.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import DataUnavailable  # noqa: E402
from generator.settings import load_settings  # noqa: E402
from generator.sources.collector import collect  # noqa: E402
from generator.sources.http import live_adapter, make_session  # noqa: E402
from generator.sources.plan import FetchPlan, build_plan  # noqa: E402
from generator.sources.registry import EVERY  # noqa: E402
from generator.sources.registry import PROVIDERS as MODULES  # noqa: E402
from tests.sources.venues import NOW, PROVIDERS, Venues  # noqa: E402

PROVIDER_INFO = {pid: m.INFO for pid, m in MODULES.items()}

LATENCY_MS = {"binance": 120, "coinbase": 250, "kraken": 300, "coingecko": 200, "binance_futures": 180,
              "bybit": 350, "coinglass": 400, "okx": 90, "alternative_me": 50, "deribit": 220}
KEY = "bench-key"


def timed(plan: FetchPlan) -> float:
    started = time.perf_counter()
    try:
        collect(plan, lambda pid: make_session(live_adapter(plan.http), {"CG-API-KEY": KEY} if pid == "coinglass"
                                                else None))
    except DataUnavailable:
        pass  # a provider alone may not give the price; its time is what counts here
    return time.perf_counter() - started


def only(plan: FetchPlan, provider: str) -> FetchPlan:
    """The plan with only the chains ``provider`` serves (and its own part of funding on every venue)."""
    chains = {m: c for m, c in plan.chains.items() if c == [provider] and m not in EVERY}
    chains |= {m: [provider] for m, c in plan.chains.items() if m in EVERY and provider in c}
    return plan.model_copy(update={"chains": chains})


def serves(provider: str, metric: str) -> bool:
    timeframe = metric.split(".", 1)[1] if metric.startswith("candles.") else None
    return timeframe is None or timeframe in PROVIDER_INFO[provider].timeframes


def measure(venues: Venues, skipped: list[str], runs: int) -> None:
    settings = load_settings(**venues.settings(), coinglass_api_key=KEY if skipped else None)
    plan = build_plan(settings, "BTC", NOW)
    # Which provider serves each metric in this configuration: the first one not skipped that can.
    serving = {m: next(p for p in c if p not in skipped and serves(p, m)) for m, c in plan.chains.items()
               if m not in EVERY}
    # Funding on every venue is no chain: every venue not skipped is asked, at once.
    every = {m: [p for p in c if p not in skipped] for m, c in plan.chains.items() if m in EVERY}
    plan = plan.model_copy(update={"chains": {**{m: [p] for m, p in serving.items()}, **every}})
    used = sorted(set(serving.values()) | {p for c in every.values() for p in c}, key=list(PROVIDERS).index)
    timed(plan)  # warm-up: imports, first connections
    alone = {p: statistics.median(timed(only(plan, p)) for _ in range(runs)) for p in used}
    whole = [timed(plan) for _ in range(runs)]
    slowest = max(alone, key=alone.__getitem__)
    print(f"\nproviders: {', '.join(f'{p} {LATENCY_MS[p]} ms/request' for p in used)}")
    for p in used:
        print(f"  {p:<16} alone: {alone[p] * 1000:7.0f} ms")
    med = statistics.median(whole)
    print(f"  whole fetch:       {med * 1000:7.0f} ms (median of {runs}; min {min(whole) * 1000:.0f}, "
          f"max {max(whole) * 1000:.0f})")
    print(f"  sum of providers:  {sum(alone.values()) * 1000:7.0f} ms (what one after the other would take)")
    print(f"  ratio to the slowest ({slowest}): {med / alone[slowest]:.3f}  (target <= 1.15)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with Venues() as venues:
        for provider, ms in LATENCY_MS.items():
            venues.latency(provider, ms / 1000)
        print("\n== first choices ==", end="")
        measure(venues, [], args.runs)
        print("\n== fallback providers (Binance spot and futures skipped; CoinGlass keyed) ==", end="")
        measure(venues, ["binance", "binance_futures"], args.runs)


if __name__ == "__main__":
    main()
