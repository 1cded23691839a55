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
