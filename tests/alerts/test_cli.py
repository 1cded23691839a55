"""``marketnews watch`` as a user runs it: one poll for cron, a clean stop on Ctrl-C or SIGTERM, clear errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.sources.venues import Venues
from tests.test_cli_live import env_for, live_venues, run  # noqa: F401 - live_venues is a fixture


def test_once_polls_fires_and_registers(live_venues: Venues, tmp_path: Path) -> None:
    live_venues.cascade(minutes=60, move_pct=-7.0, liquidations_usd=60e6)
    proc = run("watch", "--asset", "btc", "--once", "--out", str(tmp_path), env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert any(" INFO BTC: $" in ln and "1h liquidations $" in ln and "-> 1h liquidations" in ln for ln in lines)
    [alert] = [ln for ln in lines if " WARNING BTC: ALERT 1: drafted " in ln]
    assert "(draft)" in alert and "positions liquidated in an hour" in alert
    listed = run("drafts", "list", "--json", env=env_for(live_venues, MARKETNEWS_OUTPUT_DIR=str(tmp_path)))
    [draft] = json.loads(listed.stdout)
    assert draft["kind"] == "alert" and draft["status"] == "draft" and draft["factcheck"]["passed"]


def test_once_exits_4_when_no_asset_could_be_polled(live_venues: Venues, tmp_path: Path) -> None:
    for provider in ("binance", "coinbase", "kraken", "bybit"):
        live_venues.fault(provider, "*", "503")
    proc = run("watch", "--asset", "BTC,ETH", "--once", "--out", str(tmp_path), env=env_for(live_venues))
    assert proc.returncode == 4
    errors = [ln for ln in proc.stderr.splitlines() if " ERROR " in ln]
    assert [e.split(" ERROR ")[1][:35] for e in errors] == ["BTC: poll failed, trying again next",
                                                          "ETH: poll failed, trying again next"]
    assert "Traceback" not in proc.stderr


def test_a_webhook_without_a_secret_is_refused_before_polling(live_venues: Venues, tmp_path: Path) -> None:
    env = env_for(live_venues, MARKETNEWS_WEBHOOK_URL="http://127.0.0.1:9/hook")
    proc = run("watch", "--once", "--out", str(tmp_path), env=env)
    assert proc.returncode == 2
    assert proc.stderr == "marketnews: error: webhook_secret is not set; deliveries are always signed\n"
    assert live_venues.requests == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_loop_stops_cleanly_on_a_signal(live_venues: Venues, tmp_path: Path, sig: signal.Signals) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "watch", "--every", "30s", "--out", str(tmp_path)],
                            cwd=ROOT, env={**clean, **env_for(live_venues)}, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in proc.stderr:  # type: ignore[union-attr]
            seen.append(line)
            if " INFO BTC: $" in line:  # the first poll is done; the loop now waits for the next
                break
        proc.send_signal(sig)
        rest = proc.communicate(timeout=30)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, "".join(seen) + rest
    assert "watching BTC every 30 seconds" in seen[0]
    assert rest.rstrip().endswith("INFO watch stopped") and "Traceback" not in rest


def test_generate_kind_alert_fetches_the_hours_candles(live_venues: Venues, tmp_path: Path) -> None:
    live_venues.cascade(minutes=60, move_pct=5.5, liquidations_usd=3e6, long_share=0.1)
    proc = run("generate", "--asset", "BTC", "--kind", "alert", "--out", str(tmp_path), env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    [folder] = tmp_path.glob("*/btc-alert-*")
    snapshot = json.loads((folder / "snapshot.json").read_text())
    # Named for the moment of the fetch (the clock may pass a minute between the venues' start and the run).
    as_of = datetime.fromisoformat(snapshot["as_of"].replace("Z", "+00:00"))
    assert folder.parent.name == f"{as_of:%Y-%m-%d}" and folder.name == f"btc-alert-{as_of:%H%M}"
    assert timedelta(0) <= as_of - live_venues.now < timedelta(minutes=2)
    assert set(snapshot["candles"]) == {"1d", "4h", "5m"} and snapshot["analysis"]["change_1h"]["hours"] == 1.0
    assert live_venues.hits("binance", "/api/v3/klines", interval="5m") == 1
    assert "in the hour to" in (folder / "article.md").read_text()
