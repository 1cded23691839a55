"""Benchmark of the fetch deadline: how long `marketnews generate --asset BTC` takes to say "data unavailable"
when the network is dead.

Every provider URL points at a server on 127.0.0.1 that accepts connections and
never answers (a firewalled or hung host). The command runs as a user runs it
(a subprocess, interpreter start-up included) with the default HTTP settings
(10 s timeouts, 2 retries, 0.5 s backoff), once with the default deadline and
once per ``--deadline`` given. ``--deadline 3600`` approximates the behaviour
before the deadline existed (nothing else bounds the fetch). Target: exit 4
within the deadline plus interpreter start-up.

Usage: python bench/deadline.py [--deadline 30] [--deadline 3600]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.sources.black_hole import black_hole  # noqa: E402
from tests.sources.venues import PROVIDERS  # noqa: E402


def run(base: str, deadline: float | None) -> tuple[float, int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    env |= {f"MARKETNEWS_{p.upper()}_URL": f"{base}/{p}" for p in PROVIDERS}
    if deadline is not None:
        env["MARKETNEWS_FETCH_DEADLINE_SECONDS"] = str(deadline)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "generator", "generate", "--asset", "BTC", "--out", tmp],
                              capture_output=True, text=True, cwd=tmp, env=env)
        return time.perf_counter() - started, proc.returncode, proc.stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, action="append", default=[],
                        help="also run with this fetch_deadline_seconds (repeatable)")
    args = parser.parse_args()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}")
    with black_hole() as base:
        for deadline in [None, *args.deadline]:
            seconds, code, stderr = run(base, deadline)
            label = "default deadline" if deadline is None else f"deadline {deadline:g} s"
            print(f"{label}: exit {code} after {seconds:.1f} s; stderr: {stderr[:160]}{'...' if len(stderr) > 160 else ''}")


if __name__ == "__main__":
    main()
