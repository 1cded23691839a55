"""Benchmark of many assets in one run: `generate --asset <50 assets>` against `generate --asset BTC`.

Both run as fresh processes, as a user or the scheduler runs them, against the
local replicas of the providers (tests/sources/venues.py on 127.0.0.1) with a
fixed latency per request per provider (the first choices of bench/fetch.py).
The replicas serve the same recorded data for every symbol (daily candles real,
the rest illustrative), so 50 assets cost 50 assets' worth of requests, parsing,
analysis, drafting, fact-checking, writing and desk registration. Each
provider's documented rate limit (generator/sources/<provider>.py) is kept, as
in a real run: OKX's 20 liquidation pages per 2 seconds is what bounds a batch.

Target: the 50-asset run takes at most 20x the one-asset run.

Usage: python bench/batch.py [--runs 3] [--assets 50]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sources.venues import Venues  # noqa: E402

LATENCY_MS = {"binance": 120, "coingecko": 200, "binance_futures": 180, "okx": 90, "alternative_me": 50}
# Fifty tickers of large crypto assets; the replicas answer for any symbol with the same data.
TICKERS = ("BTC ETH SOL XRP BNB DOGE ADA TRX AVAX LINK DOT LTC BCH TON SHIB UNI ATOM XLM ETC FIL APT ARB OP NEAR "
           "ICP HBAR VET INJ SUI AAVE MKR GRT ALGO SAND MANA AXS EGLD THETA FTM XTZ EOS FLOW CHZ KAVA CRV RUNE "
           "SNX COMP ZEC DASH").split()


def environment(venues: Venues, assets: list[str], extra: dict[str, str]) -> dict[str, str]:
    symbols = {
        "binance": {a: f"{a}USDT" for a in assets},
        "binance_futures": {a: f"{a}USDT" for a in assets},
        "okx": {a: f"{a}-USDT" for a in assets},
        "coingecko": {a: a.lower() for a in assets},  # illustrative ids: the replica accepts any
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    env |= {f"MARKETNEWS_{k.upper()}": v for k, v in venues.settings().items()}
    env |= {"MARKETNEWS_SYMBOLS": json.dumps(symbols), **extra}
    return env


def timed(assets: list[str], env: dict[str, str]) -> float:
    """Wall time of one generate process (its peak RSS is read from RUSAGE_CHILDREN by the caller)."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "generator", "generate", "--asset", ",".join(assets),
                               "--out", out], env=env, capture_output=True, text=True, cwd=out)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"generate failed ({proc.returncode}): {proc.stderr or proc.stdout}")
        written = sum(1 for _ in Path(out).glob("*/*/article.md"))
        if written != len(assets):
            raise SystemExit(f"expected {len(assets)} articles, found {written}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--assets", type=int, default=50)
    args = parser.parse_args()
    assets = TICKERS[: args.assets]
    # A live run judges staleness against the wall clock, so the replicas describe "now".
    with Venues(now=datetime.now(timezone.utc).replace(microsecond=0)) as venues:
        for provider, ms in LATENCY_MS.items():
            venues.latency(provider, ms / 1000)
        env = environment(venues, assets, {})
        timed(["BTC"], env)  # warm-up: imports, page cache
        venues.requests.clear()
        one = [timed(["BTC"], env) for _ in range(args.runs)]
        per_asset = len(venues.requests) / args.runs
        venues.requests.clear()
        batch = [timed(assets, env) for _ in range(args.runs)]
        per_run = len(venues.requests) / args.runs
        serial_env = environment(venues, assets, {"MARKETNEWS_CONCURRENT_ASSETS": "1"})
        serial = timed(assets, serial_env)
    one_med, batch_med = statistics.median(one), statistics.median(batch)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child: a batch run
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()}")
    print(f"latency per request: {', '.join(f'{p} {ms} ms' for p, ms in LATENCY_MS.items())}")
    print(f"1 asset:   {one_med:6.2f} s (median of {args.runs}; min {min(one):.2f}, max {max(one):.2f})")
    print(f"{len(assets)} assets: {batch_med:6.2f} s (median of {args.runs}; min {min(batch):.2f}, max {max(batch):.2f})"
          f" = {batch_med / len(assets):.2f} s per asset")
    print(f"requests:  {per_run:.0f} for {len(assets)} assets in one run; {per_asset:.0f} for one asset alone "
          f"({per_asset * len(assets):.0f} for {len(assets)} separate runs)")
    print(f"ratio:     {batch_med / one_med:6.1f}x one asset (target: <= 20x); peak RSS of a run {peak_mb:.0f} MB")
    print(f"{len(assets)} assets one at a time (concurrent_assets = 1): {serial:.2f} s")


if __name__ == "__main__":
    main()
