"""Benchmark of the desk with many drafts: `drafts list` and the review queue, on SQLite and PostgreSQL.

Fills a fresh desk with N drafts (default 10,000: 50 assets, daily and alert kinds, one revision each,
every one with the bundled example's real facts and body, so rows are as large as generate's), then times
what an editor waits for: the `drafts list` command's work (Store.articles plus the table it prints) and the
review queue's first page (GET / through the Flask app: search, counts, approvals, the template). Each is run
--runs times; the median and the worst are printed. The target from issue 17: within 200 ms on both engines.

PostgreSQL: --desk-db postgresql://... uses that database (it must be empty); without it a throwaway
cluster is started as the tests do (tests/pg.py), when the server binaries are installed.

Usage: python bench/desk.py [--drafts 10000] [--runs 7] [--desk-db URL]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.desk.checking import check_body, summarise  # noqa: E402
from generator.desk.console import list_table  # noqa: E402
from generator.desk.store import Store  # noqa: E402
from generator.desk.web import create_app  # noqa: E402
from generator.settings import Settings  # noqa: E402
from tests.desk.conftest import Example  # noqa: E402

ASSETS = [f"A{i:02d}" for i in range(50)]


def fill(store: Store, drafts: int) -> None:
    """``drafts`` articles with one revision each, in batches of one transaction."""
    example = Example()
    report = check_body(example.body, example.facts)
    summary = summarise(report)
    sections = {s.name: s.origin for s in example.draft.sections}
    start = date(2026, 12, 1)
    made = 0
    while made < drafts:
        with store.transaction() as conn:
            for _ in range(min(500, drafts - made)):
                asset, rest = ASSETS[made % len(ASSETS)], made // len(ASSETS)
                kind, day = ("alert", rest // 2) if rest % 2 else ("daily", rest // 2)
                article_id = store.insert_article(
                    conn, asset=asset, kind=kind, date=(start - timedelta(days=day)).isoformat(),
                    status=("draft", "blocked", "approved", "rejected")[made % 4], title=f"{asset} {example.draft.title}",
                    path=f"/srv/out/{asset}-{made}", files=["article.md"], facts=example.facts, sections=sections,
                    factcheck=summary)
                store.insert_revision(conn, article_id=article_id, number=1, markdown=example.body, factcheck=report,
                                      passed=True, source="generate", author="generate")
                made += 1


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    work()  # warm: caches, the pool's first connection
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def measure(store: Store, runs: int) -> dict[str, tuple[float, float]]:
    app = create_app(Settings(), store, check=check_body)
    client = app.test_client()
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"csrf_token": token, "name": "Bench", "password": ""})

    def queue() -> None:
        resp = client.get("/")
        assert resp.status_code == 200, resp.status_code

    return {"drafts list (the newest 50, default)": timed(lambda: list_table(store.search(limit=50)[0]), runs),
            "drafts list --all": timed(lambda: list_table(store.articles()), runs),
            "drafts list --status blocked": timed(lambda: list_table(store.articles("blocked")), runs),
            "review queue (GET /)": timed(queue, runs),
            "review queue search 'A07'": timed(lambda: client.get("/?q=A07"), runs)}


def report(engine: str, drafts: int, fill_s: float, results: dict[str, tuple[float, float]]) -> None:
    print(f"{engine}: {drafts:,} drafts (filled in {fill_s:.1f} s)")
    for name, (median, worst) in results.items():
        print(f"  {name:38s} median {median:7.1f} ms   worst {worst:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--desk-db", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    with tempfile.TemporaryDirectory() as tmp:
        locations: list[tuple[str, str | Path]] = [("sqlite", Path(tmp) / "desk.sqlite3")]
        cluster = None
        if args.desk_db:
            locations.append(("postgres", args.desk_db))
        else:
            from tests import pg

            reason = pg.missing_reason()
            if reason:
                print(f"postgres: skipped ({reason})")
            else:
                cluster = pg.Cluster()
                locations.append(("postgres", cluster.url()))
        try:
            for engine, location in locations:
                store = Store(location)
                started = time.perf_counter()
                fill(store, args.drafts)
                report(engine, args.drafts, time.perf_counter() - started, measure(store, args.runs))
                store.engine.close()
        finally:
            if cluster is not None:
                cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
