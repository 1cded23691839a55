"""Deribit options and CoinGecko /global against their cassettes (illustrative values in the documented shape)."""

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
