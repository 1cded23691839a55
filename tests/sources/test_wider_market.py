"""Deribit options, CoinGecko /global and the peers' moves against their cassettes (illustrative values in the
documented shape)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from generator.errors import ProviderError
from generator.snapshot import OptionsBook
from generator.sources import deribit
from generator.sources.base import FetchContext
from tests.sources.deribit_book import book_rows, envelope
from tests.sources.test_providers import adhoc, client, utc

NOW = utc("2024-12-23T07:00:01")
PATH = "/public/get_book_summary_by_currency?currency=BTC&kind=option"
DATE = "Mon, 23 Dec 2024 07:00:01 GMT"


@pytest.mark.parametrize(("name", "expiry", "strike", "kind"), [
    ("BTC-27DEC24-100000-C", "2024-12-27T08:00", 100000.0, "call"),
    ("BTC-3JAN25-95000-P", "2025-01-03T08:00", 95000.0, "put"),
    ("ETH-28MAR25-4000-C", "2025-03-28T08:00", 4000.0, "call"),
    ("XRP_USDC-30MAY25-0d55-P", None, None, None),  # another book's shape: refused, not misread
])
def test_instrument_names(name: str, expiry: str | None, strike: float | None, kind: str | None) -> None:
    if expiry is None:
        with pytest.raises(ProviderError, match="unexpected instrument name"):
            deribit.parse_instrument(name)
        return
    assert deribit.parse_instrument(name) == (utc(expiry), strike, kind)


def test_the_recorded_book() -> None:
    fetched = deribit.fetch_options(client("deribit"), FetchContext("BTC", "BTC", NOW))
    book: OptionsBook = fetched.value
    rows = book_rows(datetime(2024, 12, 23, 7, 0, 1, tzinfo=timezone.utc), 94512.3)
    assert len(book.contracts) == len(rows) and book.venue == "Deribit"
    assert book.index_price == 94512.3  # estimated_delivery_price: the index, not a future's underlying_price
    assert {c.expiry.hour for c in book.contracts} == {8}
    assert sum(c.open_interest for c in book.contracts) == pytest.approx(sum(r["open_interest"] for r in rows))
    assert book.source.provider == "deribit" and "get_book_summary_by_currency" in (book.source.url or "")
    assert book.source.as_of == utc("2024-12-23T06:59:59")  # the newest creation_timestamp
    assert not fetched.missing


@pytest.mark.parametrize(("body", "message"), [
    ({"jsonrpc": "2.0", "error": {"code": 10028, "message": "too_many_requests"}}, "Deribit error 10028"),
    (envelope([], NOW), "empty data"),
    ({"jsonrpc": "2.0"}, "unexpected response shape"),
    (envelope([{"instrument_name": "BTC-27DEC24-100000-C", "open_interest": "lots",
                "estimated_delivery_price": 94000, "creation_timestamp": 1734937200000}], NOW), "not a number"),
    (envelope([{"instrument_name": "BTC-27DEC24-100000-C", "open_interest": 5,
                "creation_timestamp": 1734937200000}], NOW), "no estimated_delivery_price"),
    (envelope([{"instrument_name": "BTC-27DEC24-100000-C", "open_interest": -5, "estimated_delivery_price": 94000,
                "creation_timestamp": 1734937200000}], NOW), "absurd value"),
    (envelope([{"instrument_name": "BTC-PERPETUAL", "open_interest": 5, "estimated_delivery_price": 94000,
                "creation_timestamp": 1734937200000}], NOW), "unexpected instrument name"),
])
def test_bad_answers_are_one_line_provider_errors(tmp_path: Path, body: object, message: str) -> None:
    c = adhoc("deribit", tmp_path, {PATH: body}, DATE)
    with pytest.raises(ProviderError, match=message) as err:
        deribit.fetch_options(c, FetchContext("BTC", "BTC", NOW))
    assert "\n" not in str(err.value)


def test_another_currencys_options_are_refused(tmp_path: Path) -> None:
    rows = [{"instrument_name": "ETH-27DEC24-4000-C", "open_interest": 5, "estimated_delivery_price": 3400,
             "creation_timestamp": 1734937200000}]
    c = adhoc("deribit", tmp_path, {PATH: envelope(rows, NOW)}, DATE)
    with pytest.raises(ProviderError, match="not a BTC option"):
        deribit.fetch_options(c, FetchContext("BTC", "BTC", NOW))


# --- CoinGecko /global (the whole market; tests/sources/cassettes/coingecko.yaml) ------------------------------


def test_coingecko_global_market() -> None:
    from generator.sources import coingecko

    fetched = coingecko.fetch_market(client("coingecko"), FetchContext("BTC", "bitcoin", utc("2024-03-25T08:45:30")))
    market = fetched.value
    assert market.total_market_cap_usd == 2633721580216.3 and market.market_cap_change_24h_pct == 3.418
    assert market.btc_dominance_pct == 50.04 and market.source.as_of == utc("2024-03-25T08:44:10")


@pytest.mark.parametrize(("body", "message"), [
    ({"data": {}}, "no 'total_market_cap'"),
    ({"status": {"error_code": 429, "error_message": "rate limited"}}, "no 'data'"),
    ({"data": {"total_market_cap": {"usd": "big"}, "updated_at": 1711356250}}, "not a number"),
    ({"data": {"total_market_cap": {"usd": -3.0}, "updated_at": 1711356250}}, "absurd value"),
    ({"data": {"total_market_cap": {"usd": 2.6e12}, "market_cap_percentage": {"btc": 150},
               "updated_at": 1711356250}}, "absurd value"),
])
def test_coingecko_global_bad_answers(tmp_path: Path, body: object, message: str) -> None:
    from generator.sources import coingecko

    c = adhoc("coingecko", tmp_path, {"/global": body}, "Mon, 25 Mar 2024 08:45:30 GMT")
    with pytest.raises(ProviderError, match=message):
        coingecko.fetch_market(c, FetchContext("BTC", "bitcoin", utc("2024-03-25T08:45:30")))


# --- the peers' moves: Binance's ticker list, CoinGecko's several-id simple price (cassettes binance, coingecko) ---
PEERS = (("ETH", "ETHUSDT"), ("SOL", "SOLUSDT"), ("XRP", "XRPUSDT"))
GECKO_PEERS = (("ETH", "ethereum"), ("SOL", "solana"), ("XRP", "ripple"))
PEERS_NOW = utc("2024-03-25T08:45:30")


def test_binance_peers_from_one_ticker_request() -> None:
    from generator.sources import binance

    peers = binance.fetch_peers(client("binance"), FetchContext("BTC", "BTCUSDT", PEERS_NOW, peers=PEERS)).value
    assert [(m.asset, m.price, m.change_24h_pct) for m in peers.moves] == [
        ("ETH", 3466.21, 2.41), ("SOL", 183.4, 6.12), ("XRP", 0.629, -1.05)]
    assert peers.source.provider == "binance" and "symbols=" in (peers.source.url or "")
    assert peers.source.as_of == utc("2024-03-25T08:45:26")  # the oldest row's closeTime


def test_coingecko_peers_from_one_simple_price_request() -> None:
    from generator.sources import coingecko

    ctx = FetchContext("BTC", "bitcoin", PEERS_NOW, peers=GECKO_PEERS)
    peers = coingecko.fetch_peers(client("coingecko"), ctx).value
    assert [(m.asset, m.change_24h_pct) for m in peers.moves] == [("ETH", 2.41), ("SOL", 6.12), ("XRP", -1.05)]
    assert peers.source.as_of == utc("2024-03-25T08:44:30")  # solana's last_updated_at, the oldest


@pytest.mark.parametrize(("body", "message"), [
    ([], "empty"),
    ([{"symbol": "DOGEUSDT", "lastPrice": "0.1", "priceChangePercent": "1", "closeTime": 1711356326000}],
     "no peer's ticker"),
    ([{"symbol": "ETHUSDT", "lastPrice": "0", "priceChangePercent": "1", "closeTime": 1711356326000}], "absurd value"),
    ([{"symbol": "ETHUSDT", "lastPrice": "3466", "priceChangePercent": "lots", "closeTime": 1711356326000}],
     "not a number"),
])
def test_binance_peers_bad_answers(tmp_path: Path, body: object, message: str) -> None:
    from urllib.parse import urlencode

    from generator.sources import binance

    path = "/api/v3/ticker/24hr?" + urlencode({"symbols": '["BTCUSDT","ETHUSDT"]'})
    c = adhoc("binance", tmp_path, {path: body}, "Mon, 25 Mar 2024 08:45:30 GMT")
    with pytest.raises(ProviderError, match=message) as err:
        binance.fetch_peers(c, FetchContext("BTC", "BTCUSDT", PEERS_NOW, peers=(("ETH", "ETHUSDT"),)))
    assert "\n" not in str(err.value)


def test_a_peer_missing_from_the_answer_is_left_out(tmp_path: Path) -> None:
    from generator.sources import coingecko

    c = adhoc("coingecko", tmp_path, {
        "/simple/price?ids=bitcoin%2Cethereum%2Csolana&vs_currencies=usd&include_24hr_change=true"
        "&include_last_updated_at=true": {"ethereum": {"usd": 3466.2, "usd_24h_change": 2.4,
                                                       "last_updated_at": 1711356290},
                                          "solana": {"usd": 183.4, "last_updated_at": 1711356270}}},
        "Mon, 25 Mar 2024 08:45:30 GMT")
    ctx = FetchContext("BTC", "bitcoin", PEERS_NOW, peers=(("ETH", "ethereum"), ("SOL", "solana")))
    peers = coingecko.fetch_peers(c, ctx).value
    assert [m.asset for m in peers.moves] == ["ETH"]  # Solana without its 24h change: left out, not made up
