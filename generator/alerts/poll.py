"""What a watch poll fetches (little, often) and what an alert fetches (everything, once).

A poll asks for the price, the few candles of ``alert_timeframe`` that measure
the hour's move, and liquidations: three chains instead of ten, no cross-check,
no daily history. An alert then fetches the full snapshot, plus those candles,
so its article has the last hour and all the context.
"""

from __future__ import annotations

from datetime import datetime

from generator.alerts.rules import Reading
from generator.analysis.change import change_1h
from generator.settings import Settings
from generator.snapshot import MarketSnapshot
from generator.sources import FetchBatch, FetchResult, fetch_live

POLL_METRICS = ("liquidations",)  # besides price and candles, which every fetch asks for
# Enough candles for an hour back at any timeframe that divides one (12 five-minute ones, 60 one-minute ones).
POLL_CANDLES = {"1m": 70, "5m": 20, "15m": 20, "30m": 20, "1h": 20}


def poll_settings(settings: Settings) -> Settings:
    tf = settings.alert_timeframe
    return settings.model_copy(update={"candle_timeframes": [tf], "candle_count": POLL_CANDLES[tf]})


def alert_settings(settings: Settings) -> Settings:
    """The settings of an alert's full fetch: the configured timeframes plus the alert timeframe."""
    timeframes = list(dict.fromkeys([*settings.candle_timeframes, settings.alert_timeframe]))
    return settings.model_copy(update={"candle_timeframes": timeframes})


def reading_of(snapshot: MarketSnapshot) -> Reading:
    """The values the rules read, from a (poll) snapshot."""
    hour = change_1h(snapshot.candles.values())
    liq = snapshot.liquidations
    return Reading(
        asset=snapshot.asset, at=snapshot.as_of, price=snapshot.price.current,
        change_1h_pct=hour.pct if hour else None, change_1h_end=hour.end if hour else None,
        liquidations_1h=liq.total_1h_usd if liq else None, long_1h=liq.long_1h_usd if liq else None,
        short_1h=liq.short_1h_usd if liq else None, liquidations_24h=liq.total_24h_usd if liq else None,
        provider=liq.source.provider if liq else None,
    )


def poll_batch(assets: list[str], settings: Settings, now: datetime | None = None) -> FetchBatch:
    """One round of polls: the assets share provider calls (Binance's ticker for all of them) and rate limits.

    ``batch.fetch(asset).snapshot`` is one asset's cheap snapshot (DataUnavailable when no provider gives
    its price or candles). Bad tickers or provider settings raise here, before any request.
    """
    return FetchBatch(assets, poll_settings(settings), now, POLL_METRICS)


def fetch_alert(asset: str, settings: Settings, now: datetime | None = None) -> FetchResult:
    """The full snapshot an alert article is written from, with its recording."""
    return fetch_live(asset, alert_settings(settings), now=now)
