"""generate for several assets: one run, each asset written and registered, failures isolated, the worst exit code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.batch import AssetOutcome, BatchResult, generate_many, parse_assets
from generator.desk.store import open_store
from generator.errors import ConfigError, InputError
from generator.settings import load_settings
from tests.conftest import failing_templates
from tests.sources.conftest import settings_for
from tests.sources.venues import Venues
from tests.test_cli_live import env_for, run


@pytest.fixture
def venues() -> Iterator[Venues]:
    with Venues() as v:
        yield v


@pytest.fixture
def live_venues() -> Iterator[Venues]:
    with Venues(now=datetime.now(timezone.utc).replace(microsecond=0)) as v:
        yield v


def test_one_asset_failing_does_not_stop_the_others(venues: Venues, tmp_path: Path) -> None:
    settings = settings_for(venues, output_dir=tmp_path)
    done: list[str] = []
    result = generate_many(["BTC", "ZZZ", "ETH"], settings, now=venues.now, on_done=lambda o: done.append(o.asset))
    assert [o.asset for o in result.outcomes] == ["BTC", "ZZZ", "ETH"] and sorted(done) == ["BTC", "ETH", "ZZZ"]
    btc, zzz, eth = result.outcomes
    assert btc.status == eth.status == "draft" and btc.exit_code == 0
    assert zzz.status == "failed" and zzz.exit_code == 2 and zzz.path is None
    assert zzz.error.startswith("unknown asset ZZZ: no price provider has a symbol for it") and zzz.exit_code == 2
    assert result.exit_code == 2
    assert result.summary() == "3 assets: 2 written (BTC, ETH), 1 failed (ZZZ)"
    for outcome in (btc, eth):
        assert sorted(p.name for p in outcome.path.iterdir()) == [
            "article.html", "article.md", "factcheck.json", "snapshot.json", "sources.yaml"]
    desk = open_store(settings)
    assert sorted((a.asset, a.status) for a in desk.articles()) == [("BTC", "draft"), ("ETH", "draft")]
    assert {a.id for a in desk.articles()} == {btc.draft_id, eth.draft_id}
    # Shared calls: one ticker request for both symbols (ZZZ has none), one Fear & Greed request.
    assert venues.hits("binance", "/api/v3/ticker/24hr") == 1 and venues.hits("alternative_me") == 1


def test_each_article_folder_replays_offline_to_the_same_article(venues: Venues, tmp_path: Path) -> None:
    result = generate_many(["ETH", "SOL"], settings_for(venues, output_dir=tmp_path / "live"), now=venues.now)
    venues.stop()
    for outcome in result.outcomes:
        proc = run("generate", "--replay", str(outcome.path / "sources.yaml"), "--out", str(tmp_path / "replay"))
        assert proc.returncode == 0, proc.stderr
        replayed = Path(proc.stdout.split()[1])
        assert replayed.name == f"{outcome.asset.lower()}-daily"
        for name in ("article.md", "snapshot.json", "sources.yaml"):
            assert (replayed / name).read_bytes() == (outcome.path / name).read_bytes(), name


def test_blocked_drafts_make_exit_3_and_are_still_written(venues: Venues, tmp_path: Path) -> None:
    settings = settings_for(venues, output_dir=tmp_path / "out", templates_dir=failing_templates(tmp_path))
    result = generate_many(["BTC", "ETH"], settings, now=venues.now)
    assert [o.status for o in result.outcomes] == ["blocked", "blocked"] and result.exit_code == 3
    assert result.summary() == "2 assets: 2 blocked by the fact-check (BTC, ETH)"
    assert all((o.path / "article.md").is_file() for o in result.outcomes)


def test_the_exit_code_is_the_worst_outcome() -> None:
    def outcome(asset: str, status: str, code: int) -> AssetOutcome:
        return AssetOutcome(asset=asset, status=status, exit_code=code)  # type: ignore[arg-type]

    ok, blocked = outcome("BTC", "draft", 0), outcome("ETH", "blocked", 3)
    assert BatchResult(outcomes=[ok]).exit_code == 0
    assert BatchResult(outcomes=[ok, blocked]).exit_code == 3
    assert BatchResult(outcomes=[blocked, outcome("SOL", "failed", 2)]).exit_code == 2  # a failure beats blocked
    assert BatchResult(outcomes=[outcome("A1", "failed", 2), outcome("A2", "failed", 4), ok]).exit_code == 4


def test_bad_tickers_and_settings_stop_the_run_before_any_request(venues: Venues, tmp_path: Path) -> None:
    assert parse_assets(" btc, ETH ,btc,sol,") == ["BTC", "ETH", "SOL"]
    with pytest.raises(InputError, match="invalid asset 'B!TC'"):
        parse_assets("BTC,B!TC")
    with pytest.raises(ConfigError, match="provider_order.price"):
        generate_many(["BTC", "ETH"], settings_for(venues, provider_order={"price": ["okx"]}), now=venues.now)
    assert venues.requests == []
    with pytest.raises(ConfigError, match="invalid setting assets: invalid asset 'B T C'"):
        load_settings(assets=["BTC", "B T C"])


def test_cli_several_assets(live_venues: Venues, tmp_path: Path) -> None:
    proc = run("generate", "--asset", "btc,ZZZ,eth", "--out", str(tmp_path / "a"), env=env_for(live_venues))
    assert proc.returncode == 2, proc.stderr  # the worst exit code: ZZZ is bad input
    lines = proc.stdout.splitlines()
    by_asset = {line.split(":", 1)[0]: line for line in lines[:3]}
    assert by_asset["ZZZ"].startswith("ZZZ: failed (exit 2): unknown asset ZZZ: no price provider has a symbol")
    assert by_asset["BTC"].startswith(f"BTC: wrote {tmp_path / 'a'}/") and "as draft " in by_asset["BTC"]
    assert lines[3] == "3 assets: 2 written (BTC, ETH), 1 failed (ZZZ)"
    assert "Traceback" not in proc.stderr
    proc = run("generate", "--asset", "SOL,XRP", "--out", str(tmp_path / "b"), "--json", env=env_for(live_venues))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [(d["asset"], d["status"], d["exit_code"]) for d in data] == [("SOL", "draft", 0), ("XRP", "draft", 0)]
    assert all(Path(d["path"], "sources.yaml").is_file() for d in data)


def test_cli_all_uses_the_assets_setting(live_venues: Venues, tmp_path: Path) -> None:
    env = env_for(live_venues, MARKETNEWS_ASSETS='["ETH", "BTC"]')
    proc = run("generate", "--all", "--out", str(tmp_path), env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2] == "2 assets: 2 written (ETH, BTC)"
    proc = run("generate", "--all", "--out", str(tmp_path), env=env_for(live_venues), cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("marketnews: error: no assets are configured for --all: set assets = ")
    asked = len(live_venues.requests)
    proc = run("generate", "--asset", "BTC,B!TC", env=env_for(live_venues), cwd=tmp_path)
    assert proc.returncode == 2 and "invalid asset 'B!TC'" in proc.stderr
    assert len(live_venues.requests) == asked  # nothing fetched for the valid one either
