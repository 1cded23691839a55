from __future__ import annotations

import copy
import json

import pytest

from generator.errors import InputError
from generator.snapshot import MarketSnapshot, dump_snapshot, parse_snapshot, snapshot_json_schema
from tests.conftest import EXAMPLE


def test_example_round_trips_exactly(example_snapshot: MarketSnapshot) -> None:
    text = EXAMPLE.read_text()
    assert dump_snapshot(example_snapshot) == text
    assert parse_snapshot(dump_snapshot(example_snapshot)) == example_snapshot


def _invalid(data: dict, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_snapshot(json.dumps(data))


def test_negative_price_rejected(example_data: dict) -> None:
    example_data["price"]["current"] = -5
    _invalid(example_data, r"price\.current: Input should be greater than 0")


def test_high_below_low_rejected(example_data: dict) -> None:
    candle = example_data["candles"]["1d"]["candles"][10]
    candle["high"], candle["low"] = candle["low"], candle["high"]
    _invalid(example_data, "high .* is below low")


def test_candles_out_of_order_rejected(example_data: dict) -> None:
    candles = example_data["candles"]["1d"]["candles"]
    candles[5], candles[6] = candles[6], candles[5]
    _invalid(example_data, "out of order")


def test_long_short_must_add_up(example_data: dict) -> None:
    example_data["liquidations"]["long_1h_usd"] = example_data["liquidations"]["total_1h_usd"] * 2
    _invalid(example_data, "shares would fall outside 0..1")


def test_1h_liquidations_cannot_exceed_24h(example_data: dict) -> None:
    liq = example_data["liquidations"]
    liq["total_1h_usd"], liq["long_1h_usd"], liq["short_1h_usd"] = 5e8, 4e8, 1e8
    _invalid(example_data, "1h liquidations exceed the 24h total")


def test_fear_greed_range(example_data: dict) -> None:
    example_data["fear_greed"]["value"] = 101
    _invalid(example_data, "fear_greed.value")


def test_unclosed_candle_rejected(example_data: dict) -> None:
    example_data["as_of"] = "2018-02-05T12:00:00Z"
    for group in ("price", "liquidations", "funding", "open_interest", "fear_greed"):
        example_data[group]["source"]["as_of"] = "2018-02-05T12:00:00Z"
    _invalid(example_data, "had not closed")


def test_data_dated_after_snapshot_rejected(example_data: dict) -> None:
    example_data["fear_greed"]["source"]["as_of"] = "2018-02-07T00:00:00Z"
    _invalid(example_data, "after the snapshot's as_of")


def test_unknown_field_rejected(example_data: dict) -> None:
    example_data["price"]["colour"] = "red"
    _invalid(example_data, "Extra inputs are not permitted")


def test_missing_optional_groups_allowed(example_data: dict) -> None:
    data = copy.deepcopy(example_data)
    for group in ("liquidations", "funding", "open_interest", "fear_greed"):
        data.pop(group)
    snap = parse_snapshot(json.dumps(data))
    assert snap.liquidations is None and snap.fear_greed is None


def test_truncated_json_is_one_line_error() -> None:
    with pytest.raises(InputError) as err:
        parse_snapshot(EXAMPLE.read_text()[:500], origin="x.json")
    assert "\n" not in str(err.value) and "not valid JSON" in str(err.value)


def test_output_snapshot_with_analysis_loads_back(example_data: dict) -> None:
    example_data["analysis"] = {"anything": 1}
    assert parse_snapshot(json.dumps(example_data)).asset == "BTC"


def test_schema_describes_provenance() -> None:
    schema = snapshot_json_schema()
    assert "Provenance" in schema["$defs"]
    assert set(schema["required"]) >= {"asset", "quote", "as_of", "price", "candles"}


def _valid(data: dict) -> MarketSnapshot:
    return parse_snapshot(json.dumps(data))


def test_the_price_may_stand_a_little_outside_its_24h_range(example_data: dict) -> None:
    price = example_data["price"]
    price["current"] = price["high_24h"] * 1.4  # provider disagreement, a stale 24h window
    assert _valid(example_data).price.current == price["current"]
    price["current"] = price["high_24h"] * 1.6
    _invalid(example_data, r"price\.current: .* times the 24h high")
    price["current"] = price["low_24h"] / 1.4
    assert _valid(example_data)
    price["current"] = price["low_24h"] / 1.6
    _invalid(example_data, r"price\.current: .* times the 24h low")


def test_as_of_may_be_any_hour_until_two_candles_after_the_last_close(example_data: dict) -> None:
    for as_of in ("2018-02-06T00:00:00Z", "2018-02-06T23:59:00Z", "2018-02-08T00:00:00Z"):  # last close: Feb 6
        example_data["as_of"] = as_of
        assert _valid(example_data).as_of.isoformat().startswith(as_of[:16])
    example_data["as_of"] = "2018-02-08T00:01:00Z"
    _invalid(example_data, r"as_of: 2018-02-08T00:01:00\+00:00 is 48\.02 hours after the last 1d candle closed "
                           r"\(2018-02-06T00:00:00\+00:00\); at most 48 hours allowed")


def test_short_candles_allow_a_day_after_their_close(example_data: dict) -> None:
    """An alert's 5m candles: an illiquid pair may have none for hours; a day is the bound."""
    last = example_data["candles"]["1d"]["candles"][-1]
    bar = {**last, "time": "2018-02-05T23:55:00Z", "open": 6960.0, "high": 6960.0, "low": 6960.0, "close": 6960.0}
    source = example_data["candles"]["1d"]["source"]
    example_data["candles"]["5m"] = {"timeframe": "5m", "candles": [bar], "source": source}
    example_data["as_of"] = "2018-02-06T23:00:00Z"
    assert _valid(example_data)
    example_data["as_of"] = "2018-02-07T00:01:00Z"
    _invalid(example_data, r"as_of: .* is 24\.02 hours after the last 5m candle closed .*; at most 24 hours allowed")


def test_a_model_validators_problem_names_its_field(example_data: dict) -> None:
    example_data["liquidations"]["long_1h_usd"] = 4e8
    _invalid(example_data, r"^snapshot is not a valid snapshot: liquidations\.total_1h_usd: 1h long \+ short")
    example_data["liquidations"]["long_1h_usd"] = 41.3e6
    example_data["candles"]["1d"]["candles"][3]["high"] = 1.0
    _invalid(example_data, r"candles\.1d\.candles\.3\.high: candle 2017-01-04")
