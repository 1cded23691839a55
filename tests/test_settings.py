from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ConfigError
from generator.settings import load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.output_dir == Path("output") and s.rsi_period == 14


def test_toml_then_env_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "marketnews.toml").write_text('dateline = "LONDON"\nrsi_period = 10\n')
    assert load_settings().dateline == "LONDON"
    monkeypatch.setenv("MARKETNEWS_RSI_PERIOD", "21")
    s = load_settings()
    assert (s.dateline, s.rsi_period) == ("LONDON", 21)


def test_explicit_config_and_env_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    cfg = tmp_path / "other.toml"
    cfg.write_text('publication = "The Desk"\n')
    assert load_settings(cfg).publication == "The Desk"
    monkeypatch.setenv("MARKETNEWS_CONFIG", str(cfg))
    assert load_settings().publication == "The Desk"


@pytest.mark.parametrize(
    ("content", "message"),
    [("rsi_period = 1", "rsi_period"), ('nonsense = 1', "unknown setting"), ("x = [", "not valid TOML")],
)
def test_invalid(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / "m.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg)


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_bad_env_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETNEWS_RSI_PERIOD", "fourteen")
    with pytest.raises(ConfigError, match="rsi_period"):
        load_settings()


@pytest.mark.parametrize(("value", "expected"), [
    ("BTC", ["BTC"]), ("btc, ETH ,sol", ["BTC", "ETH", "SOL"]), ('["ETH", "BTC"]', ["ETH", "BTC"]), ("", []),
])
def test_a_word_list_from_the_environment_may_be_a_comma_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                              value: str, expected: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("ASSETS", "WATCH_ASSETS"):
        monkeypatch.setenv(f"MARKETNEWS_{name}", value)
    s = load_settings()
    assert s.assets == expected and s.watch_assets == expected


def test_every_word_list_setting_takes_a_comma_list(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARKETNEWS_CANDLE_TIMEFRAMES", "1d,4h,1h")
    monkeypatch.setenv("MARKETNEWS_PUBLISH_CATEGORIES", "Markets, Bitcoin")
    monkeypatch.setenv("MARKETNEWS_PUBLISH_TAGS", "crypto")
    s = load_settings()
    assert (s.candle_timeframes, s.publish_categories, s.publish_tags) == (["1d", "4h", "1h"],
                                                                           ["Markets", "Bitcoin"], ["crypto"])


def test_a_table_from_the_environment_is_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARKETNEWS_PROVIDER_ORDER", '{"price": ["kraken", "binance"]}')
    assert load_settings().provider_order == {"price": ["kraken", "binance"]}
    monkeypatch.setenv("MARKETNEWS_PROVIDER_ORDER", "price=kraken")
    with pytest.raises(ConfigError, match="invalid setting provider_order: MARKETNEWS_PROVIDER_ORDER is not valid JSON"):
        load_settings()
