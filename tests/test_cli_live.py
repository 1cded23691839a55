"""The live-data commands end to end, as a user runs them: fetch, generate --asset, generate --replay, exit 4.

Providers are replicas on 127.0.0.1 (tests/sources/venues.py) dated at the wall clock,
since a live run judges staleness against the real time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.snapshot import load_snapshot
from tests.conftest import ROOT
from tests.sources.conftest import FAST
from tests.sources.venues import Answer, Venues

SECRET = "cg-live-secret-0f1e2d3c4b5a"


@pytest.fixture
def live_venues() -> Iterator[Venues]:
    with Venues(now=datetime.now(timezone.utc).replace(microsecond=0)) as v:
        yield v


def env_for(venues: Venues, **extra: str) -> dict[str, str]:
    settings = {**venues.settings(), **FAST}
    return {f"MARKETNEWS_{k.upper()}": str(v) for k, v in settings.items()} | extra


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**clean, **(env or {})}, timeout=120)


def test_fetch_writes_a_snapshot_and_a_recording(live_venues: Venues, tmp_path: Path) -> None:
    snap, rec = tmp_path / "snapshot.json", tmp_path / "rec.yaml"
    proc = run("fetch", "--asset", "btc", "--out", str(snap), "--record", str(rec), env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"wrote {snap} and {rec}\n"
    snapshot = load_snapshot(snap)
    assert snapshot.asset == "BTC" and set(snapshot.candles) == {"1d", "4h"} and snapshot.missing == {}
    assert rec.read_text().startswith("# sources.yaml")


def test_fetch_prints_the_snapshot_without_out(live_venues: Venues) -> None:
    proc = run("fetch", "--asset", "ETH", env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["asset"] == "ETH"
    assert live_venues.hits("binance", "/api/v3/ticker/24hr", symbol="ETHUSDT") == 1


def test_generate_live_then_replay_gives_the_same_article(live_venues: Venues, tmp_path: Path) -> None:
    proc = run("generate", "--asset", "BTC", "--out", str(tmp_path / "live"), "--json", env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    folder = Path(summary["path"])
    assert summary["files"] == ["article.html", "article.md", "factcheck.json", "snapshot.json", "sources.yaml"]
    assert summary["missing"] == {} and summary["disagreements"] == []
    live_venues.stop()  # the replay must not need the providers
    again = run("generate", "--replay", str(folder / "sources.yaml"), "--out", str(tmp_path / "replay"))
    assert again.returncode == 0, again.stderr
    replayed = Path(again.stdout.split()[1])
    for name in ("article.md", "article.html", "snapshot.json", "sources.yaml"):
        assert (replayed / name).read_bytes() == (folder / name).read_bytes(), name


@pytest.mark.parametrize("fault", ["503", "timeout"])
def test_no_price_from_any_provider_exits_4_and_writes_nothing(live_venues: Venues, tmp_path: Path, fault: str) -> None:
    for provider in ("binance", "coinbase", "kraken", "bybit"):
        live_venues.fault(provider, "*", fault)
    # Four providers timing out one after the other: keep each wait short.
    env = env_for(live_venues, **({"MARKETNEWS_HTTP_RETRIES": "0", "MARKETNEWS_HTTP_TIMEOUT_SECONDS": "0.25"}
                                  if fault == "timeout" else {}))
    out = tmp_path / "out"
    proc = run("generate", "--asset", "BTC", "--out", str(out), env=env)
    assert proc.returncode == 4
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("marketnews: error: no provider could give the BTC price")
    assert "Traceback" not in proc.stderr and not out.exists()
    record = tmp_path / "rec.yaml"
    proc = run("fetch", "--asset", "BTC", "--out", str(tmp_path / "s.json"), "--record", str(record), env=env)
    assert proc.returncode == 4 and not record.exists() and not (tmp_path / "s.json").exists()


def test_disagreements_and_left_out_metrics_are_reported(live_venues: Venues, tmp_path: Path) -> None:
    live_venues.index_premium = 1.03
    live_venues.fault("alternative_me", "*", "451")
    proc = run("generate", "--asset", "BTC", "--out", str(tmp_path), env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    assert "marketnews: warning: price disagreement: coingecko gives $" in proc.stderr
    assert "3.00% from binance's $" in proc.stderr
    assert "marketnews: note: Fear & Greed Index left out: alternative_me: HTTP 451" in proc.stderr


def test_keys_never_reach_output_logs_or_files(live_venues: Venues, tmp_path: Path) -> None:
    env = env_for(live_venues, MARKETNEWS_COINGLASS_API_KEY=SECRET, MARKETNEWS_LOG_LEVEL="DEBUG")
    live_venues.fault("coinglass", "/api/futures/liquidation/exchange-list", "500", times=1)
    proc = run("generate", "--asset", "BTC", "--out", str(tmp_path), "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "liquidations from coinglass: ok" in proc.stderr  # DEBUG logging was on, and CoinGlass was used
    assert SECRET not in proc.stdout + proc.stderr
    files = list(tmp_path.rglob("*"))
    assert any(f.name == "sources.yaml" for f in files)
    for f in files:
        if f.is_file():
            assert SECRET.encode() not in f.read_bytes(), f


def test_a_bad_key_is_a_fallback_not_a_crash(live_venues: Venues, tmp_path: Path) -> None:
    live_venues.routes[("coinglass", "/api/futures/liquidation/exchange-list")] = \
        lambda q, mode: Answer(200, {"code": "30001", "msg": "API key invalid"})
    proc = run("fetch", "--asset", "BTC", env=env_for(live_venues, MARKETNEWS_COINGLASS_API_KEY=SECRET))
    assert proc.returncode == 0, proc.stderr
    snapshot = json.loads(proc.stdout)
    assert snapshot["liquidations"]["source"]["provider"] == "okx"
    assert "coinglass: CoinGlass error 30001: API key invalid" in snapshot["liquidations"]["source"]["note"]
    assert SECRET not in proc.stdout + proc.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["generate", "--asset", "BTC", "--snapshot", "x.json"], "not allowed with argument"),
    (["generate"], "one of the arguments --asset --all --replay --snapshot is required"),
    (["generate", "--replay", "no-such-file.yaml"], "replay file not found: no-such-file.yaml"),
    (["fetch"], "the following arguments are required: --asset"),
    (["fetch", "--asset", "B!TC"], "invalid asset 'B!TC'"),
])
def test_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    proc = run(*args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_bundled_example_replays_offline(tmp_path: Path) -> None:
    proc = run("generate", "--replay", str(ROOT / "examples" / "btc-live-replay.yaml"), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "2018-06-18" / "btc-daily" / "sources.yaml").read_bytes() == \
        (ROOT / "examples" / "btc-live-replay.yaml").read_bytes()
