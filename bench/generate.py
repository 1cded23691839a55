"""Whole-process benchmark of `marketnews generate --snapshot <example>`.

Runs the installed console script N times (fresh process each time, as a user
would) and reports median / min / max wall time and peak RSS per run.
Usage: python bench/generate.py [--runs 15] [--snapshot examples/btc-2018-02-06.json] [--chart]
(--chart adds the opt-in chart drawing, which the 1.0 s target excludes.)
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"command failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--snapshot", type=Path, default=ROOT / "examples" / "btc-2018-02-06.json")
    parser.add_argument("--chart", action="store_true", help="also draw chart.png (generate --chart)")
    args = parser.parse_args()
    exe = shutil.which("marketnews")
    if exe is None:
        raise SystemExit("marketnews is not installed in this environment (pip install -e .)")
    out = Path(tempfile.mkdtemp(prefix="mn-bench-"))
    cmd = [exe, "generate", "--snapshot", str(args.snapshot), "--out", str(out)]
    if args.chart:
        cmd.append("--chart")
    run_once(cmd)  # warm the OS file cache and .pyc files; not counted
    samples = [run_once(cmd) for _ in range(args.runs)]
    shutil.rmtree(out, ignore_errors=True)
    walls = [w for w, _ in samples]
    rss = [r for _, r in samples]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"runs: {args.runs}")
    print(f"wall time: median {statistics.median(walls):.3f} s (min {min(walls):.3f}, max {max(walls):.3f})")
    print(f"peak RSS:  median {statistics.median(rss):.1f} MB (max {max(rss):.1f})")
    print("target:    <= 1.0 s and <= 150 MB" + (" (without --chart)" if args.chart else ""))


if __name__ == "__main__":
    main()
