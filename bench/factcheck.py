"""Benchmark of the fact-check: articles checked per second, in-process, and the same corpus through quantulum3.

The corpus is the template stage's articles for real Bittrex days (candles from tests/fixtures, the
other groups illustrative), each checked against its own facts. Reports words per article,
articles/s in one process and with one process per core, and, for comparison, how fast a general
quantity extractor (quantulum3, the optional 'bench' extra) only *finds* quantities in the same
texts — it binds and judges nothing.
Usage: python bench/factcheck.py [--articles 40] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.conftest builds snapshots from the bundled real candles

from generator.drafting import draft_article  # noqa: E402
from generator.factcheck import check_article  # noqa: E402
from generator.facts import FactSet  # noqa: E402
from generator.pipeline import facts_for  # noqa: E402
from generator.settings import Settings  # noqa: E402
from tests.conftest import make_snapshot  # noqa: E402


def corpus(n: int) -> list[tuple[str, FactSet]]:
    settings = Settings()
    out = []
    for i in range(n):
        day = date(2017, 3, 1) + timedelta(days=(i * 467) // max(n, 1))
        snapshot = make_snapshot(day.isoformat(), with_derivatives=i % 3 != 2)
        analysis, facts = facts_for(snapshot, settings)
        out.append((draft_article(snapshot, analysis, facts, settings, checked=True).body, facts))
    return out


def check_all(items: list[tuple[str, FactSet]]) -> int:
    failed = 0
    for text, facts in items:
        failed += not check_article(text, facts).passed
    return failed


def rates(items: list[tuple[str, FactSet]], rounds: int) -> tuple[float, float, float]:
    """(median, best) articles per second by wall time, and the best by this process's CPU time, over ``rounds``
    passes in one process. On a shared machine the CPU time is the steadier figure: it leaves out the time
    other processes held the core."""
    check_all(items[:3])  # warm caches and compiled patterns; not counted
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        assert check_all(items) == 0, "a template article failed its own check"
        wall.append(len(items) / (time.perf_counter() - start))
        cpu.append(len(items) / max(time.process_time() - start_cpu, 1e-9))
    return statistics.median(wall), max(wall), max(cpu)


def rate(items: list[tuple[str, FactSet]], rounds: int) -> float:
    """Median articles per second over ``rounds`` passes (one process)."""
    return rates(items, rounds)[0]


def _chunk_rate(args: tuple[int, int]) -> float:
    n, rounds = args
    return rate(corpus(n), rounds)


def quantulum_rate(items: list[tuple[str, FactSet]]) -> tuple[float, float] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return None
    texts = [text for text, _ in items]
    parser.parse(texts[0])  # loads its unit tables; not counted
    start = time.perf_counter()
    found = sum(len(parser.parse(t)) for t in texts)
    return len(texts) / (time.perf_counter() - start), found / len(texts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    items = corpus(args.articles)
    words = statistics.mean(len(t.split()) for t, _ in items)
    mentions = statistics.mean(check_article(t, f).summary.mentions for t, f in items)
    one, best, cpu = rates(items, args.rounds)
    cores = os.cpu_count() or 1
    with ProcessPoolExecutor(cores) as pool:
        list(pool.map(_chunk_rate, [(args.articles, 1)] * cores))  # each worker: build + check its corpus
        per_worker = list(pool.map(_chunk_rate, [(args.articles, args.rounds)] * cores))
    q = quantulum_rate(items)
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"corpus: {len(items)} template articles, {words:.0f} words and {mentions:.0f} checked mentions on average")
    print(f"fact-check, 1 process:      {one:7.1f} articles/s median, {best:.1f} best ({1000 / one:.1f} ms per article, "
          f"{one * words:,.0f} words/s); by CPU time {cpu:.1f} articles/s ({1000 / cpu:.1f} ms)")
    print(f"fact-check, {cores} processes:     {sum(per_worker):7.1f} articles/s")
    if q is None:
        print("quantulum3: not installed (pip install -e '.[bench]')")
    else:
        print(f"quantulum3 (extraction only): {q[0]:7.1f} articles/s, {q[1]:.0f} quantities found per article")
    print("target:    >= 500 articles/s for a 700-word article")


if __name__ == "__main__":
    main()
