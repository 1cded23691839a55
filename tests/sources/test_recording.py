"""sources.yaml: every exchange recorded, secrets never, and the replay gives the same snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import vcr
import yaml

from generator.errors import InputError
from generator.snapshot import dump_snapshot
from generator.sources import fetch_replay
from generator.sources.recording import Cassette, Recording, RecordingAdapter, ReplayAdapter, public_url
from tests.sources.conftest import fetch
from tests.sources.venues import Venues

CG_KEY = "cg-secret-7f3a9b1c2d"
GECKO_KEY = "CG-demo-5e6f7a8b9c"


def test_replay_rebuilds_the_same_snapshot(venues: Venues, tmp_path: Path) -> None:
    live = fetch(venues)
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    venues.stop()  # nothing answers any more: the replay must not need the network
    replayed = fetch_replay(path)
    assert dump_snapshot(replayed.snapshot) == dump_snapshot(live.snapshot)
    assert replayed.recording == live.recording
    # Funding on every venue is recorded (OKX's two requests with it) and replayed, venue by venue.
    assert [v.venue for v in replayed.snapshot.funding_venues or []] == ["Binance", "Bybit", "OKX"]
    uris = {i["request"]["uri"].split("/okx", 1)[-1] for i in yaml.safe_load(live.recording)["interactions"]}
    assert {"/api/v5/public/funding-rate?instId=BTC-USDT-SWAP",
            "/api/v5/public/open-interest?instId=BTC-USDT-SWAP&instType=SWAP"} <= uris


def test_a_venue_that_failed_live_is_missing_in_the_replay_too(venues: Venues, tmp_path: Path) -> None:
    venues.fault("okx", "/api/v5/public/funding-rate", "timeout")
    live = fetch(venues, http_timeout_seconds=0.25)
    assert "timed out" in live.snapshot.missing["funding_venues.okx"]
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    venues.stop()
    replayed = fetch_replay(path).snapshot
    assert replayed.missing == live.snapshot.missing
    assert [v.venue for v in replayed.funding_venues or []] == ["Binance", "Bybit"]


def test_keys_go_to_their_provider_only_and_never_into_the_recording(venues: Venues, tmp_path: Path) -> None:
    live = fetch(venues, coinglass_api_key=CG_KEY, coingecko_api_key=GECKO_KEY)
    sent = {(p, k.lower(), v) for p, h in venues.headers for k, v in h.items()}
    assert ("coinglass", "cg-api-key", CG_KEY) in sent and ("coingecko", "x-cg-demo-api-key", GECKO_KEY) in sent
    assert not any(v in (CG_KEY, GECKO_KEY) for p, _, v in sent if p not in ("coinglass", "coingecko"))
    text = live.recording.decode()
    assert CG_KEY not in text and GECKO_KEY not in text
    assert "cg-api-key" not in text.lower() and "x-cg-demo-api-key" not in text.lower()
    assert CG_KEY not in dump_snapshot(live.snapshot)
    # The replay of a keyed fetch needs no key: CoinGlass's answers are in the recording.
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    replayed = fetch_replay(path).snapshot
    assert replayed.liquidations is not None and replayed.liquidations.source.provider == "coinglass"


def test_secret_query_parameters_and_values_are_filtered() -> None:
    assert public_url("https://x.test/a?b=2&apiKey=s3cret&a=1&signature=zz") == "https://x.test/a?a=1&b=2"
    rec = Recording(secrets=["s3cret"])
    rec.add_raw("GET", "https://x.test/a?token=s3cret&q=1", 200, "OK", {}, b'{"echo": "s3cret"}',
                {"Authorization": "Bearer s3cret", "X-Api-Key": "s3cret", "Accept": "application/json"})
    text = rec.to_yaml({"marketnews": {}}).decode()
    assert "s3cret" not in text and "Authorization" not in text and "X-Api-Key" not in text
    assert "<FILTERED>" in text and "q=1" in text


def test_vcrpy_plays_back_our_recording(venues: Venues, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_bytes(fetch(venues).recording)
    venues.stop()
    interaction = yaml.safe_load(path.read_text())["interactions"][0]
    with vcr.use_cassette(str(path), record_mode="none"):
        response = requests.get(interaction["request"]["uri"], timeout=5)
    assert response.status_code == 200 and response.text == interaction["response"]["body"]["string"]


def test_we_play_back_what_vcrpy_records(venues: Venues, tmp_path: Path) -> None:
    path = tmp_path / "vcrpy.yaml"
    url = venues.base_url("alternative_me") + "/fng/?limit=1"
    with vcr.use_cassette(str(path), record_mode="all"):
        recorded = requests.get(url, timeout=5).json()
    text = path.read_text()
    path.write_text(text + "metadata:\n  marketnews: {}\n")
    venues.stop()
    session = requests.Session()
    session.mount("http://", ReplayAdapter(Cassette.load(path)))
    assert session.get(url, timeout=5).json() == recorded


def test_a_transport_error_replays_as_the_same_error(venues: Venues, tmp_path: Path) -> None:
    venues.fault("alternative_me", "/fng/", "timeout")
    live = fetch(venues)
    assert "timed out" in live.snapshot.missing["fear_greed"]
    meta = yaml.safe_load(live.recording)["metadata"]["marketnews"]
    errors = meta["transport_errors"]
    assert meta["plan"]["asset"] == "BTC" and errors[0]["error"] == "ReadTimeout"
    path = tmp_path / "sources.yaml"
    path.write_bytes(live.recording)
    venues.stop()
    assert fetch_replay(path).snapshot.missing == live.snapshot.missing


def test_a_request_missing_from_the_recording_fails_without_the_network(venues: Venues, tmp_path: Path) -> None:
    data = yaml.safe_load(fetch(venues).recording)
    data["interactions"] = [i for i in data["interactions"] if "/fng/" not in i["request"]["uri"]]
    path = tmp_path / "cut.yaml"
    path.write_text(yaml.safe_dump(data))
    snapshot = fetch_replay(path).snapshot
    assert snapshot.fear_greed is None and "not in the recording" in snapshot.missing["fear_greed"]


def test_each_recorded_answer_plays_once() -> None:
    rec = Recording()
    rec.add_raw("GET", "http://x.test/a", 503, "Service Unavailable", {}, b"{}")
    rec.add_raw("GET", "http://x.test/a", 200, "OK", {}, b'{"ok": 1}')
    adapter = ReplayAdapter(Cassette.parse(rec.to_yaml({"marketnews": {}}).decode()))
    session = requests.Session()
    session.mount("http://", adapter)
    codes = sorted(session.get("http://x.test/a").status_code for _ in range(2))
    assert codes == [200, 503]
    with pytest.raises(requests.ConnectionError, match="not in the recording"):
        session.get("http://x.test/a")


@pytest.mark.parametrize(("content", "message"), [
    (None, "replay file not found"),
    (b"\xff\xfe not utf-8", "cannot read replay file"),
    (b"interactions: [oops", "is not a vcrpy cassette"),
    (b"version: 1\ninteractions: []\n", "was not recorded by marketnews"),
    (b"version: 1\ninteractions: []\nmetadata:\n  marketnews: {plan: {asset: 5}}\n", "no usable marketnews fetch plan"),
])
def test_unusable_replay_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "sources.yaml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        fetch_replay(path)
    assert "\n" not in str(err.value)


def test_recording_adapter_records_transport_errors(venues: Venues) -> None:
    from generator.sources.http import HttpOptions, retry_policy

    venues.fault("binance", "*", "timeout")
    rec = Recording()
    session = requests.Session()
    session.mount("http://", RecordingAdapter(rec, max_retries=retry_policy(HttpOptions(retries=0))))
    with pytest.raises(requests.RequestException):
        session.get(venues.base_url("binance") + "/api/v3/ticker/24hr?symbol=BTCUSDT", timeout=0.2)
    assert rec.errors == [{"method": "GET", "uri": venues.base_url("binance") + "/api/v3/ticker/24hr?symbol=BTCUSDT",
                           "error": "ReadTimeout", "message": "timed out"}]
