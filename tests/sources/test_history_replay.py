"""The daily history is fetched in one request per provider (history_days) and a replay rebuilds its facts offline."""

from __future__ import annotations

from pathlib import Path

from generator.analysis import analyze
from generator.facts import build_facts
from generator.snapshot import MarketSnapshot
from generator.sources import fetch_replay
from tests.conftest import ROOT
from tests.sources.conftest import fetch
from tests.sources.venues import Venues


def history_facts(snapshot: MarketSnapshot) -> dict[str, tuple[float | str, str]]:
    facts = build_facts(snapshot, analyze(snapshot))
    return {f.key: (f.value, f.display) for f in facts
            if f.key.startswith("history.") or f.key in ("price.history_start_date", "windows.change_7d")}


def test_replay_of_a_recorded_fetch_rebuilds_the_same_history_facts(venues: Venues, tmp_path: Path) -> None:
    live = fetch(venues)  # the default history_days (1,000): one request for the daily candles
    daily = live.snapshot.candles["1d"].candles
    assert len(daily) > 200  # more than candle_count: every real Bittrex day the replica has (from 2017-01-01)
    assert daily[0].time.date().isoformat() == "2017-01-01"
    assert "klines?interval=1d&limit=1000&symbol=BTCUSDT" in live.recording.decode()
    assert "klines?interval=4h&limit=201&symbol=BTCUSDT" in live.recording.decode()  # other timeframes: candle_count
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    venues.stop()  # nothing answers any more: the replay must not need the network
    replayed = history_facts(fetch_replay(path).snapshot)
    assert replayed == history_facts(live.snapshot)
    assert replayed["price.history_start_date"][1] == "January 1, 2017"
    assert {"history.change_7d_pct", "history.change_30d_pct", "history.series_high", "history.streak_days"} <= set(replayed)


def test_the_bundled_recording_replays_its_history_offline() -> None:
    """examples/btc-live-replay.yaml asks for history_days (1000) daily candles; the replicas hold 533 (2017-01-01 ..
    2018-06-17), and it replays with exactly those. Hand-checked against the CSV: 6,417 on 2018-06-17 against
    6,763.79 on 2018-06-10 (-5.13%) and 8,187.40 on 2018-05-18 (-21.62%); 2018-06-15 closed at 6,391.31, lower;
    the highest close is 19,261.10 on 2017-12-16 (-66.68%)."""
    path = ROOT / "examples" / "btc-live-replay.yaml"
    snapshot = fetch_replay(path).snapshot
    assert len(snapshot.candles["1d"].candles) == 533
    facts = history_facts(snapshot)
    assert facts == history_facts(fetch_replay(path).snapshot)
    shown = {k: d for k, (_, d) in facts.items()}
    assert shown["price.history_start_date"] == "January 1, 2017"
    assert shown["history.change_7d_pct"] == "-5.13%" and shown["history.change_30d_pct"] == "-21.62%"
    assert shown["history.close_low_since_date"] == "June 15, 2018"
    assert shown["history.series_high"] == "$19,261" and shown["history.series_high_date"] == "December 16, 2017"
    assert shown["history.from_series_high_pct"] == "-66.68%"
