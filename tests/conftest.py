"""Shared fixtures: the bundled example snapshot and real candles from tests/fixtures."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.snapshot import Candle, MarketSnapshot, load_snapshot

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "examples" / "btc-2018-02-06.json"


def bittrex_candles(since: str = "2017-01-01", until: str | None = None) -> list[Candle]:
    """Real daily Bittrex BTC-USDT candles (see fixtures/NOTICE), gap-free from 2017-01-01."""
    out = []
    with (FIXTURES / "finta_bittrex_btc-usdt_1d.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["date"] < since or (until is not None and row["date"] > until):
                continue
            day = datetime.strptime(row["date"], "%Y-%m-%d").replace(tzinfo=timezone.utc)
            out.append(Candle(time=day, open=float(row["open"]), high=float(row["high"]), low=float(row["low"]),
                              close=float(row["close"]), volume=float(row["volume"])))
    return out


def binance_1m_closes() -> list[float]:
    rows = json.loads((FIXTURES / "nautilus_binance_spot_klines_btcusdt_1m.json").read_text())
    return [float(r[4]) for r in rows]


@pytest.fixture(autouse=True)
def _no_llm_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OPENAI_API_KEY or MARKETNEWS_LLM_* must not switch the LLM on in tests."""
    import os

    for name in list(os.environ):
        if name in ("OPENAI_API_KEY", "OPENAI_BASE_URL") or name.startswith("MARKETNEWS_LLM"):
            monkeypatch.delenv(name)


@pytest.fixture
def example_snapshot() -> MarketSnapshot:
    return load_snapshot(EXAMPLE)


@pytest.fixture
def example_data() -> dict:
    return json.loads(EXAMPLE.read_text())


def make_snapshot(until: str, with_derivatives: bool = True) -> MarketSnapshot:
    """A snapshot at the close of ``until`` from real Bittrex candles; other groups from the example (illustrative)."""
    from datetime import timedelta

    from generator.snapshot import CandleSeries, Price

    example = load_snapshot(EXAMPLE)
    candles = bittrex_candles(until=until)
    as_of = candles[-1].time + timedelta(days=1)
    src = example.candles["1d"].source.model_copy(update={"as_of": as_of, "fetched_at": as_of})
    last = candles[-1]
    update: dict = {
        "as_of": as_of,
        "price": Price(current=last.close, high_24h=last.high, low_24h=last.low, source=src),
        "candles": {"1d": CandleSeries(timeframe="1d", candles=candles, source=src)},
    }
    for group in ("liquidations", "funding", "open_interest", "fear_greed"):
        value = getattr(example, group)
        if not with_derivatives:
            update[group] = None
        else:
            update[group] = value.model_copy(update={"source": value.source.model_copy(update={"as_of": as_of})})
    return MarketSnapshot.model_validate({**example.model_dump(), **{k: (v.model_dump() if hasattr(v, "model_dump") else v) for k, v in update.items()}})


def failing_templates(tmp_path: Path) -> Path:
    """A templates_dir whose disclaimer states history no data backs, so the fact-check blocks the draft."""
    templates = tmp_path / "templates"
    (templates / "sections").mkdir(parents=True)
    (templates / "sections" / "disclaimer.md.j2").write_text(
        "**Disclaimer:** Bitcoin last traded this low in March 2020, when liquidations topped $1.2 billion.\n")
    return templates


def match_golden(produced: str, expected: Path) -> None:
    """Compare with a golden file, or rewrite it when UPDATE_GOLDEN is set (then review the diff)."""
    import os

    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(produced)
    assert produced == expected.read_text(), f"{expected.name} differs from {expected}; see the test's docstring"


@pytest.fixture(scope="session")
def pg_cluster():  # type: ignore[no-untyped-def]
    """A throwaway PostgreSQL cluster for the whole run (tests/pg.py), or a skip with the reason."""
    from tests import pg

    reason = pg.missing_reason()
    if reason is not None:
        if pg.REQUIRE:
            pytest.fail(f"MARKETNEWS_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    cluster = pg.Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def desk_db(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The desk_db setting of a fresh, empty desk on each engine: a SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield tmp_path / "desk.sqlite3"
        return
    url = request.getfixturevalue("pg_cluster").url()
    yield url
    from generator.desk.engine import open_engine

    open_engine(url).close()  # the pool of this schema's URL
