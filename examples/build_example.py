"""Rebuild examples/btc-2018-02-06.json from the bundled Bittrex daily candles.

Run from the repository root: ``python examples/build_example.py``. The candles
are real (see tests/fixtures/NOTICE); liquidations, funding, open interest and
the Fear & Greed reading are illustrative, and their provenance says so.
"""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from generator.snapshot import (
    Candle,
    CandleSeries,
    FearGreed,
    Funding,
    LiquidationScope,
    Liquidations,
    MarketSnapshot,
    OpenInterest,
    Price,
    Provenance,
    dump_snapshot,
)

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tests" / "fixtures" / "finta_bittrex_btc-usdt_1d.csv"
OUT = ROOT / "examples" / "btc-2018-02-06.json"
AS_OF = datetime(2018, 2, 6, tzinfo=timezone.utc)  # the close of the 2018-02-05 daily candle
FIRST = datetime(2017, 1, 1, tzinfo=timezone.utc)  # the CSV is gap-free from here on
ILLUSTRATIVE = "Illustrative value: no public capture exists for this date; not real market data."


def load_candles() -> list[Candle]:
    candles = []
    with CSV.open(newline="") as fh:
        for row in csv.DictReader(fh):
            day = datetime.strptime(row["date"], "%Y-%m-%d").replace(tzinfo=timezone.utc)
            if FIRST <= day < AS_OF:
                candles.append(Candle(time=day, open=float(row["open"]), high=float(row["high"]),
                                      low=float(row["low"]), close=float(row["close"]),
                                      volume=float(row["volume"])))
    return candles


def build() -> MarketSnapshot:
    candles = load_candles()
    real = Provenance(
        provider="bittrex",
        url="https://github.com/peerchemist/finta/blob/af01fa59/tests/data/bittrex_btc-usdt.csv",
        fetched_at=AS_OF,
        as_of=AS_OF,
        note="Real Bittrex BTC-USDT daily candles from the finta test data (LGPL-3.0).",
    )
    fake = Provenance(provider="illustrative", url=None, fetched_at=AS_OF, as_of=AS_OF, note=ILLUSTRATIVE)
    last = candles[-1]
    return MarketSnapshot(
        asset="BTC",
        asset_name="Bitcoin",
        quote="USDT",
        as_of=AS_OF,
        # The ticker of the day is the last closed daily candle; its 24h change is left to the analysis.
        price=Price(current=last.close, high_24h=last.high, low_24h=last.low, volume_24h=last.volume, source=real),
        candles={"1d": CandleSeries(timeframe="1d", candles=candles, source=real)},
        liquidations=Liquidations(
            total_1h_usd=48_200_000, long_1h_usd=41_300_000, short_1h_usd=6_900_000,
            total_24h_usd=412_000_000, long_24h_usd=339_000_000, short_24h_usd=73_000_000,
            scope=LiquidationScope(venues=["BitMEX", "OKEx", "Bitfinex"], aggregated=True),
            source=fake,
        ),
        funding=Funding(rate=-0.000375, interval_hours=8, venue="BitMEX", source=fake),
        open_interest=OpenInterest(usd=1_120_000_000, venue="BitMEX", source=fake),
        fear_greed=FearGreed(value=8, classification="Extreme Fear", source=fake),
    )


if __name__ == "__main__":
    OUT.write_text(dump_snapshot(build()), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
