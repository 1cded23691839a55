"""Hand-built facts for articles written outside marketnews (illustrative values, not market data).

``seed_facts()`` describes the market of /work/shared's reference article (BTC at $60,704, down 16.43%,
$431 million liquidated in an hour, Fear & Greed 9/100, 4-hour RSI 22, a 0.618 retracement at $58,200
and a fair value gap between $63,500 and $65,000), so the checker can be tried on prose in the
style of crypto news. Every value here is illustrative.
"""

from __future__ import annotations

from datetime import datetime, timezone

from generator.facts import FactSet, _Builder, fib_key, format_number
from generator.magnitude_facts import format_multiple
from generator.snapshot import Provenance

AS_OF = datetime(2026, 2, 6, 14, 0, tzinfo=timezone.utc)
SRC = Provenance(provider="illustrative", fetched_at=AS_OF, as_of=AS_OF)


def seed_facts(**overrides: float) -> FactSet:
    v = {
        "price": 60704.0, "change": -16.43, "high": 72950.0, "low": 59800.0, "volume": 152000.0,
        "liq_1h": 431.2e6, "long_1h": 300.0e6, "short_1h": 131.2e6,
        "liq_24h": 2.51e9, "long_24h": 1.9e9, "short_24h": 0.61e9,
        "funding": -0.0125, "oi": 28.4e9, "fg": 9, "rsi_4h": 22.3, "rsi_1d": 28.6,
        "fib_low": 38500.0, "fib_high": 73800.0, "support": 58900.0, "resistance": 65000.0, "broken": 62000.0,
        "fvg_low": 63500.0, "fvg_high": 65000.0, "close_4h": 60690.0,
        **overrides,
    }
    b = _Builder()
    b.add_text("article.asset", "BTC", "Bitcoin", "Asset", None)
    b.add_date("article.date", AS_OF, "Article date", None)
    b.add_date("article.as_of", AS_OF, "Data as of", None, with_time=True)
    b.add("price.current", v["price"], "usd", "BTC price", SRC)
    b.add("price.change_24h_pct", v["change"], "percent", "24h change", SRC)
    b.add("price.high_24h", v["high"], "usd", "24h high", SRC)
    b.add("price.low_24h", v["low"], "usd", "24h low", SRC)
    b.add("price.volume_24h", v["volume"], "count", "24h volume (BTC)", SRC, formatter=lambda x: format_number(x))
    b.add("windows.change", 24.0, "hours", "Window of the price change", SRC)
    b.add("price.max_drop_24h_pct", (v["low"] / v["high"] - 1) * 100, "percent", "24h high-to-low drop", SRC)
    b.add("price.from_high_24h_pct", (v["price"] / v["high"] - 1) * 100, "percent", "Price vs 24h high", SRC)
    b.add("levels.from_move_high_pct", (v["price"] / v["fib_high"] - 1) * 100, "percent", "Price vs the move's high",
          SRC)
    b.add("levels.from_move_low_pct", (v["price"] / v["fib_low"] - 1) * 100, "percent", "Price vs the move's low", SRC)
    for w, words in (("1h", "1-hour"), ("24h", "24-hour")):
        total, long, short = v[f"liq_{w}"], v[f"long_{w}"], v[f"short_{w}"]
        b.add(f"liquidations.total_{w}_usd", total, "usd", f"{words} liquidations", SRC)
        b.add(f"liquidations.long_{w}_usd", long, "usd", f"{words} long liquidations", SRC)
        b.add(f"liquidations.short_{w}_usd", short, "usd", f"{words} short liquidations", SRC)
        b.add(f"liquidations.long_share_{w}_pct", long / total * 100, "percent", f"Long share of {words} liquidations",
              SRC, decimals=0)
        b.add(f"windows.liquidations_{w}", 1.0 if w == "1h" else 24.0, "hours", f"Liquidation window ({w})", SRC)
    # The hour against the other 23 hours of the day (magnitude_facts.py): what "a flush" or "a cascade" needs.
    hourly = (v["liq_24h"] - v["liq_1h"]) / 23
    b.add("windows.liquidations_baseline_day", 23.0, "hours", "Hours the trailing average covers", SRC)
    b.add("liquidations.multiple_day", v["liq_1h"] / hourly, "ratio", "1-hour liquidations against the trailing "
          "hourly average", SRC, formatter=format_multiple)
    b.add("funding.rate_pct", v["funding"], "percent", "Funding rate (Binance)", SRC, decimals=4)
    b.add("funding.interval_hours", 8.0, "count", "Funding interval (hours)", SRC)
    b.add("windows.funding_interval", 8.0, "hours", "Funding interval", SRC)
    b.add("open_interest.usd", v["oi"], "usd", "Open interest (Binance)", SRC)
    b.add("sentiment.fear_greed", v["fg"], "index", "Crypto Fear & Greed Index", SRC, context="Extreme Fear")
    b.add("technicals.rsi_4h", v["rsi_4h"], "index", "RSI (4h)", SRC, formatter=format_number)
    b.add("technicals.rsi_1d", v["rsi_1d"], "index", "RSI (1d)", SRC, formatter=format_number)
    b.add("technicals.rsi_period", 14.0, "count", "RSI period (candles)", None)
    b.add("bands.rsi_oversold", 30.0, "index", "RSI oversold threshold", None, formatter=format_number)
    b.add("bands.rsi_overbought", 70.0, "index", "RSI overbought threshold", None, formatter=format_number)
    for tf, hours in (("4h", 4.0), ("1d", 24.0)):
        b.add(f"timeframes.{tf}", hours, "hours", f"{tf} candles", SRC)
    b.add("analysis.timeframe", 4.0, "hours", "Timeframe of the level analysis", None)
    b.add("price.last_close", v["close_4h"], "usd", "Latest 4h close", SRC)
    b.add("levels.fib_move_low", v["fib_low"], "usd", "Low of the move", SRC)
    b.add("levels.fib_move_high", v["fib_high"], "usd", "High of the move", SRC)
    b.add_date("levels.fib_move_low_date", datetime(2025, 11, 21, tzinfo=timezone.utc), "Date of the move's low", SRC)
    b.add_date("levels.fib_move_high_date", datetime(2026, 1, 14, tzinfo=timezone.utc), "Date of the move's high", SRC)
    lo, hi = v["fib_low"], v["fib_high"]
    for ratio in (0.236, 0.382, 0.5, 0.618, 0.786):
        price = 58200.0 if ratio == 0.618 else hi - (hi - lo) * ratio
        b.add(fib_key(ratio), price, "usd", f"{ratio:g} Fibonacci retracement", SRC)
    b.add("levels.broken", v["broken"], "usd", "Broken support", SRC, context="support")
    b.add_date("levels.broken_date", datetime(2026, 1, 2, tzinfo=timezone.utc), "Date of the broken support", SRC)
    b.add("levels.support", v["support"], "usd", "Nearest support", SRC)
    b.add("levels.resistance", v["resistance"], "usd", "Nearest resistance", SRC)
    b.add("levels.fvg_low", v["fvg_low"], "usd", "Lower bound of the bearish fair value gap", SRC)
    b.add("levels.fvg_high", v["fvg_high"], "usd", "Upper bound of the bearish fair value gap", SRC)
    b.add_date("levels.fvg_date", datetime(2026, 2, 5, 20, 0, tzinfo=timezone.utc), "Date of the fair value gap", SRC)
    for what in ("price", "4h candles", "1d candles", "liquidations", "funding rate", "open interest",
                 "Fear & Greed Index"):
        b.add_date("sources." + what.replace(" ", "_").replace("&", "and").lower() + ".as_of", AS_OF, f"{what} as of",
                   SRC, with_time=True)
    return FactSet(facts=b.facts)
