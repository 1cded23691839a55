"""Each provider against its cassette (documented example responses; Binance klines a real capture).

Parsing, unit conversion (fractions, contracts, coins x mark price, seconds vs
milliseconds), closed-candle handling and symbol mapping.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.errors import ProviderError
from generator.settings import load_settings
from generator.sources import (
    alternative_me,
    binance,
    binance_futures,
    bybit,
    coinbase,
    coingecko,
    coinglass,
    kraken,
    okx,
)
from generator.sources.base import FetchContext
from generator.sources.http import Client, HttpOptions, make_session
from generator.sources.plan import build_plan
from generator.sources.recording import Cassette, Recording, ReplayAdapter
from generator.sources.registry import PROVIDERS
from generator.sources.validation import problem

CASSETTES = Path(__file__).resolve().parent / "cassettes"
DEFAULT_URLS = {pid: getattr(load_settings(), f"{pid}_url") for pid in PROVIDERS}


def client(provider: str) -> Client:
    cassette = Cassette.load(CASSETTES / f"{provider}.yaml")
    return Client(provider, DEFAULT_URLS[provider], make_session(ReplayAdapter(cassette)), HttpOptions())


def adhoc(provider: str, tmp_path: Path, answers: dict[str, object], date: str) -> Client:
    """A client replaying ``answers`` (path+query -> JSON body or raw bytes) from a cassette built here."""
    rec = Recording()
    for path, body in answers.items():
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        rec.add_raw("GET", DEFAULT_URLS[provider] + path, 200, "OK", {"Date": [date]}, data)
    file = tmp_path / f"{provider}.yaml"
    file.write_bytes(rec.to_yaml({"marketnews": {}}))
    return Client(provider, DEFAULT_URLS[provider], make_session(ReplayAdapter(Cassette.load(file))), HttpOptions())


def ctx(symbol: str, now: str, count: int = 200, asset: str = "BTC") -> FetchContext:
    return FetchContext(asset, symbol, datetime.fromisoformat(now).replace(tzinfo=timezone.utc), count)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


# --- Binance spot -------------------------------------------------------------------


def test_binance_ticker() -> None:
    price = binance.fetch_price(client("binance"), ctx("BNBBTC", "2017-07-12T14:31:40")).value
    assert price.current == 4.000002 and price.change_24h_pct == -95.96
    assert (price.high_24h, price.low_24h, price.volume_24h) == (100.0, 0.1, 8913.3)
    assert price.source.as_of == datetime.fromtimestamp(1499869899.040, tz=timezone.utc)  # closeTime in ms
    assert price.source.provider == "binance" and "symbol=BNBBTC" in price.source.url


def test_the_documented_binance_ticker_is_rejected_as_absurd() -> None:
    """The documented example is a -95.96% day: parsed faithfully, then refused by validation."""
    price = binance.fetch_price(client("binance"), ctx("BNBBTC", "2017-07-12T14:31:40")).value
    plan = build_plan(load_settings(), "BTC", utc("2017-07-12T14:31:40"))
    assert "absurd value: 24h change of -96.0%" in (problem(price, plan) or "")


def test_binance_klines_real_capture_drops_the_open_candle() -> None:
    """Real BTCUSDT 1m klines 23:03-23:12 UTC; at 23:12:31 the 23:12 candle is still open."""
    series = binance.fetch_candles(client("binance"), ctx("BTCUSDT", "2021-10-22T23:12:31", count=10), "1m").value
    assert len(series.candles) == 9
    first, last = series.candles[0], series.candles[-1]
    assert first.time == utc("2021-10-22T23:03:00") and last.time == utc("2021-10-22T23:11:00")
    assert (first.open, first.high, first.low, first.close, first.volume) == (
        60685.22, 60729.84, 60670.90, 60719.27, 21.63272)
    assert series.source.as_of == utc("2021-10-22T23:12:00")  # close of the newest closed candle


# --- Coinbase -----------------------------------------------------------------------


def test_coinbase_ticker_and_stats() -> None:
    price = coinbase.fetch_price(client("coinbase"), ctx("BTC-USD", "2020-03-20T00:23:00")).value
    assert price.current == 6268.48
    # Coinbase gives the 24h open, not a percentage: (6268.48 - 5414.18) / 5414.18.
    assert price.change_24h_pct == pytest.approx(15.7789, abs=1e-4)
    assert (price.high_24h, price.low_24h, price.volume_24h) == (6441.37, 5261.69, 53687.76764233)
    assert price.source.as_of == datetime(2020, 3, 20, 0, 22, 57, 833897, tzinfo=timezone.utc)


def test_coinbase_candles_columns_and_order() -> None:
    """Rows are [time s, low, high, open, close, volume], newest first; the open 03-20 bucket is dropped."""
    series = coinbase.fetch_candles(client("coinbase"), ctx("BTC-USD", "2020-03-20T00:23:00", count=3), "1d").value
    assert [c.time for c in series.candles] == [utc("2020-03-17T00:00"), utc("2020-03-18T00:00"),
                                               utc("2020-03-19T00:00")]
    c = series.candles[-1]
    assert (c.open, c.high, c.low, c.close, c.volume) == (5414.18, 6900.0, 5271.11, 6189.01, 53602.04)


def test_coinbase_has_no_4h_candles() -> None:
    assert "4h" not in coinbase.INFO.timeframes and "6h" not in coinbase.INFO.timeframes


# --- Kraken -------------------------------------------------------------------------


def test_kraken_ticker_takes_the_rolling_24h_fields() -> None:
    price = kraken.fetch_price(client("kraken"), ctx("XBTUSD", "2023-07-06T19:36:05")).value
    assert price.current == 30303.2
    assert price.change_24h_pct is None  # 'o' is today's open, not 24 hours ago: left to the candles
    assert (price.high_24h, price.low_24h, price.volume_24h) == (31631.0, 29868.3, 4412.73601799)
    assert price.source.as_of == utc("2023-07-06T19:36:05")  # no time in the body: the Date header


def test_kraken_result_keyed_by_its_own_pair_name() -> None:
    """Asked for ETHUSD, Kraken answers under XETHZUSD."""
    price = kraken.fetch_price(client("kraken"), ctx("ETHUSD", "2023-07-06T19:36:05", asset="ETH")).value
    assert price.current == 1851.05 and "pair=ETHUSD" in price.source.url


def test_kraken_ohlc() -> None:
    series = kraken.fetch_candles(client("kraken"), ctx("XBTUSD", "2023-07-06T19:23:30", count=3), "1m").value
    assert [c.time for c in series.candles] == [utc("2023-07-06T19:20"), utc("2023-07-06T19:21"),
                                               utc("2023-07-06T19:22")]
    c = series.candles[0]
    assert (c.open, c.high, c.low, c.close, c.volume) == (30306.1, 30306.2, 30305.7, 30305.7, 3.39243896)


# --- CoinGecko ----------------------------------------------------------------------


@pytest.mark.parametrize(("coin", "usd"), [("bitcoin", 67187.3358936566), ("ethereum", 3466.21)])
def test_coingecko_simple_price(coin: str, usd: float) -> None:
    price = coingecko.fetch_price(client("coingecko"), ctx(coin, "2024-03-25T08:45:30")).value
    assert price.current == usd and price.source.provider == "coingecko"
    assert price.source.as_of <= utc("2024-03-25T08:45:00")  # last_updated_at, in seconds


# --- Binance USD-M futures ---------------------------------------------------------------


def test_binance_futures_funding_and_open_interest() -> None:
    c = client("binance_futures")
    at = ctx("BTCUSDT", "2020-08-14T02:01:36")
    funding = binance_futures.fetch_funding(c, at).value
    assert funding.rate == 0.00038246 and funding.interval_hours == 8 and funding.venue == "Binance"
    oi = binance_futures.fetch_open_interest(c, at).value
    # 10,659.509 BTC at the mark price 11,793.63104562
    assert oi.usd == pytest.approx(10659.509 * 11793.63104562) and oi.usd == pytest.approx(125_714_316.27)
    assert "mark price" in (oi.source.note or "")


def test_binance_futures_funding_of_the_venue() -> None:
    """The venue's funding with its next settlement and open interest, from the same three documented answers."""
    v = binance_futures.fetch_funding_venues(client("binance_futures"), ctx("BTCUSDT", "2020-08-14T02:01:36")).value
    assert (v.venue, v.rate, v.interval_hours) == ("Binance", 0.00038246, 8)
    assert v.next_funding_time == datetime.fromtimestamp(1597392000, tz=timezone.utc)  # 08:00 UTC
    assert v.open_interest_usd == pytest.approx(10659.509 * 11793.63104562)
    assert v.source.as_of == datetime.fromtimestamp(1597370495.002, tz=timezone.utc) and v.source.note is None


def test_binance_futures_venue_keeps_funding_without_open_interest(tmp_path: Path) -> None:
    """An open-interest answer that fails leaves the open interest out, with the reason; the funding stays."""
    premium = {"symbol": "BTCUSDT", "markPrice": "11793.6", "lastFundingRate": "-0.0001", "nextFundingTime": 0,
               "time": 1597370495002}
    c = adhoc("binance_futures", tmp_path, {"/fapi/v1/premiumIndex?symbol=BTCUSDT": premium,
                                            "/fapi/v1/fundingInfo": [],
                                            "/fapi/v1/openInterest?symbol=BTCUSDT": b'{"openInterest": "'},
              "Fri, 14 Aug 2020 02:01:36 GMT")
    v = binance_futures.fetch_funding_venues(c, ctx("BTCUSDT", "2020-08-14T02:01:36")).value
    assert v.rate == -0.0001 and v.open_interest_usd is None and v.next_funding_time is None
    assert "open interest left out: malformed JSON" in (v.source.note or "")


# --- Bybit --------------------------------------------------------------------------


def test_bybit_spot_change_is_a_fraction() -> None:
    price = bybit.fetch_price(client("bybit"), ctx("BTCUSDT", "2023-01-16T08:51:28")).value
    assert price.current == 20533.13 and price.change_24h_pct == pytest.approx(0.68)  # "0.0068"
    assert price.source.as_of == datetime.fromtimestamp(1673859087.947, tz=timezone.utc)


def test_bybit_linear_funding_and_open_interest() -> None:
    c = client("bybit")
    at = ctx("BTCUSDT", "2023-01-16T08:51:28")
    funding = bybit.fetch_funding(c, at).value
    assert funding.rate == 0.0001 and funding.interval_hours == 8 and funding.venue == "Bybit"
    oi = bybit.fetch_open_interest(c, at).value
    assert oi.usd == 1068298159.43  # openInterestValue is already in USD


def test_bybit_funding_of_the_venue() -> None:
    v = bybit.fetch_funding_venues(client("bybit"), ctx("BTCUSDT", "2023-01-16T08:51:28")).value
    assert (v.venue, v.rate, v.interval_hours) == ("Bybit", 0.0001, 8)
    assert v.open_interest_usd == 1068298159.43
    assert v.next_funding_time == utc("2023-01-16T16:00:00")


# --- CoinGlass ----------------------------------------------------------------------


def test_coinglass_aggregates_major_exchanges() -> None:
    liq = coinglass.fetch_liquidations(client("coinglass"), ctx("BTC", "2025-03-03T12:00:00")).value
    assert (liq.total_1h_usd, liq.long_1h_usd, liq.short_1h_usd) == (97418.70418, 50328.1749, 47090.52928)
    assert liq.total_24h_usd == 431_250_000 and liq.long_share("24h") == pytest.approx(0.82)
    assert liq.scope.aggregated and liq.scope.venues == ["Binance", "OKX", "Bybit", "HTX"]


# --- OKX ----------------------------------------------------------------------------


def test_okx_converts_contracts_with_the_contract_value() -> None:
    fetched = okx.fetch_liquidations(client("okx"), ctx("BTC-USDT", "2023-08-17T10:05:00"))
    liq = fetched.value
    # long: 120 contracts x 0.01 BTC x 26,500.5; short: 13 x 0.01 x 26,710 (both in the last hour)
    assert liq.long_1h_usd == pytest.approx(120 * 0.01 * 26500.5)
    assert liq.short_1h_usd == pytest.approx(13 * 0.01 * 26710.0)
    # and 50 contracts closed by a sell in net mode: a long, yesterday afternoon
    assert liq.long_24h_usd == pytest.approx((120 * 26500.5 + 50 * 26400.0) * 0.01)
    assert liq.scope.venues == ["OKX"] and not liq.scope.aggregated
    assert fetched.missing == {}  # one short page: OKX had nothing older, the day is covered


def test_okx_funding_from_the_documented_examples() -> None:
    """fundingRate is due at fundingTime (16:00 UTC); the interval is nextFundingTime - fundingTime (8 hours)."""
    v = okx.fetch_funding_venues(client("okx"), ctx("BTC-USDT", "2025-04-02T10:11:26")).value
    assert v.venue == "OKX" and v.rate == pytest.approx(0.0000182221218054) and v.interval_hours == 8
    assert v.next_funding_time == utc("2025-04-02T16:00:00") and v.open_interest_usd == 50000
    assert v.source.as_of == datetime.fromtimestamp(1743588686.291, tz=timezone.utc)


def test_okx_funding_without_open_interest(tmp_path: Path) -> None:
    funding = {"code": "0", "msg": "", "data": [{"fundingRate": "-0.0001", "fundingTime": "1743609600000",
                                                 "nextFundingTime": "1743624000000", "ts": "1743588686291"}]}
    c = adhoc("okx", tmp_path, {"/api/v5/public/funding-rate?instId=BTC-USDT-SWAP": funding,
                                "/api/v5/public/open-interest?instType=SWAP&instId=BTC-USDT-SWAP":
                                {"code": "51001", "msg": "Instrument ID does not exist", "data": []}},
              "Wed, 02 Apr 2025 10:11:26 GMT")
    v = okx.fetch_funding_venues(c, ctx("BTC-USDT", "2025-04-02T10:11:26")).value
    assert v.rate == -0.0001 and v.interval_hours == 4 and v.open_interest_usd is None
    assert "open interest left out: OKX error 51001" in (v.source.note or "")


def _okx_page(now: datetime, minutes: range) -> dict[str, object]:
    orders = [{"bkLoss": "0", "bkPx": "26500", "ccy": "", "posSide": "long", "side": "sell", "sz": "1",
               "ts": str(int(now.timestamp() * 1000) - i * 60_000)} for i in minutes]
    return {"code": "0", "msg": "", "data": [{"details": orders, "instId": "BTC-USDT-SWAP", "uly": "BTC-USDT"}]}


OKX_INSTRUMENT = {"/api/v5/public/instruments?instType=SWAP&instId=BTC-USDT-SWAP":
                  {"code": "0", "msg": "", "data": [{"ctVal": "0.01", "ctValCcy": "BTC"}]}}
OKX_FIRST_PAGE = "/api/v5/public/liquidation-orders?instType=SWAP&uly=BTC-USDT&state=filled&limit=100"


def test_okx_refuses_a_partial_day(tmp_path: Path) -> None:
    """Pages that stop short of 24 hours (here: at most one full page) leave the 24h figures out."""
    now = utc("2023-08-17T10:05:00")
    c = adhoc("okx", tmp_path, {**OKX_INSTRUMENT, OKX_FIRST_PAGE: _okx_page(now, range(1, 101))},
              "Thu, 17 Aug 2023 10:05:00 GMT")
    at = FetchContext("BTC", "BTC-USDT", now, okx_max_pages=1)
    fetched = okx.fetch_liquidations(c, at)
    assert fetched.value.total_24h_usd is None and fetched.value.long_24h_usd is None
    assert fetched.value.total_1h_usd == pytest.approx(59 * 0.01 * 26500)  # orders 1..59 minutes old
    assert "not 24 hours" in fetched.missing["liquidations.24h"] and "not extrapolated" in \
        fetched.missing["liquidations.24h"]


# --- alternative.me -------------------------------------------------------------------


def test_fear_and_greed() -> None:
    fg = alternative_me.fetch_fear_greed(client("alternative_me"), ctx("fng", "2019-02-26T05:00:00")).value
    assert (fg.value, fg.classification) == (40, "Fear")
    assert fg.source.as_of == utc("2019-02-26T05:00:00")  # timestamp in seconds


# --- symbol maps ----------------------------------------------------------------------


@pytest.mark.parametrize(("asset", "expected"), [
    ("BTC", {"binance": "BTCUSDT", "coinbase": "BTC-USD", "kraken": "XBTUSD", "coingecko": "bitcoin",
             "binance_futures": "BTCUSDT", "bybit": "BTCUSDT", "coinglass": "BTC", "okx": "BTC-USDT",
             "alternative_me": "fng"}),
    ("ETH", {"binance": "ETHUSDT", "coinbase": "ETH-USD", "kraken": "ETHUSD", "coingecko": "ethereum",
             "binance_futures": "ETHUSDT", "bybit": "ETHUSDT", "coinglass": "ETH", "okx": "ETH-USDT"}),
    ("SOL", {"binance": "SOLUSDT", "coinbase": "SOL-USD", "kraken": "SOLUSD", "coingecko": "solana",
             "binance_futures": "SOLUSDT", "bybit": "SOLUSDT", "coinglass": "SOL", "okx": "SOL-USDT"}),
])
def test_symbol_maps(asset: str, expected: dict[str, str]) -> None:
    plan = build_plan(load_settings(), asset.lower())
    for pid, symbol in expected.items():
        assert plan.providers[pid].symbol == symbol, pid


def test_users_extend_and_override_symbol_maps() -> None:
    settings = load_settings(symbols={"binance": {"ada": "ADAUSDT"}, "kraken": {"BTC": "XBTUSDT"}})
    ada = build_plan(settings, "ADA")
    assert ada.providers["binance"].symbol == "ADAUSDT" and ada.providers["coinbase"].symbol is None
    assert build_plan(settings, "BTC").providers["kraken"].symbol == "XBTUSDT"


def test_okx_pages_back_until_the_day_is_covered(tmp_path: Path) -> None:
    """A full page, then 'after' = its oldest ts + 1 ms for the next; duplicates at the boundary count once."""
    now = utc("2023-08-17T10:05:00")
    first = _okx_page(now, range(1, 101))
    oldest = int(now.timestamp() * 1000) - 100 * 60_000
    second = _okx_page(now, range(100, 1500, 20))  # re-reads the boundary order, then reaches back a day
    c = adhoc("okx", tmp_path, {**OKX_INSTRUMENT, OKX_FIRST_PAGE: first, f"{OKX_FIRST_PAGE}&after={oldest + 1}": second},
              "Thu, 17 Aug 2023 10:05:00 GMT")
    fetched = okx.fetch_liquidations(c, FetchContext("BTC", "BTC-USDT", now, okx_max_pages=5))
    # 100 orders (1..100 min) + 70 (100..1480 min, every 20) - the duplicate at 100 min, those within 24 h:
    within_day = 100 + sum(1 for m in range(120, 1500, 20) if m < 1440)
    assert fetched.missing == {}
    assert fetched.value.total_24h_usd == pytest.approx(within_day * 0.01 * 26500)


@pytest.mark.parametrize(("body", "message"), [
    ({"bitcoin": {"eur": 61000.0}}, "unexpected response shape"),
    ({}, "empty data"),
    ({"bitcoin": {"usd": "n/a", "last_updated_at": 1711356300}}, "not a number"),
    ({"bitcoin": {"usd": float("nan"), "last_updated_at": 1711356300}}, "not finite"),
])
def test_shape_errors_are_one_line_provider_errors(tmp_path: Path, body: object, message: str) -> None:
    path = "/simple/price?ids=bitcoin&vs_currencies=usd&include_24hr_change=true&include_last_updated_at=true"
    c = adhoc("coingecko", tmp_path, {path: body}, "Mon, 25 Mar 2024 08:45:30 GMT")
    with pytest.raises(ProviderError, match=message) as err:
        coingecko.fetch_price(c, ctx("bitcoin", "2024-03-25T08:45:30"))
    assert "\n" not in str(err.value)
