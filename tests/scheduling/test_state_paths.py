"""The run-state file and its lock belong to the configuration, not to the folder a command runs in."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.scheduling import Scheduler
from generator.settings import load_settings


def test_a_relative_state_file_is_anchored_to_the_settings_file(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    conf_dir = tmp_path / "etc"
    conf_dir.mkdir()
    cfg = conf_dir / "marketnews.toml"
    cfg.write_text('schedule_state_file = "state/schedule.json"\n')
    seen = set()
    for cwd in (tmp_path, conf_dir, tmp_path / "elsewhere"):
        cwd.mkdir(exist_ok=True)
        monkeypatch.chdir(cwd)
        settings = load_settings(cfg)
        seen.add(Scheduler(settings.jobs, settings.schedule_state_file).lock_file)
        assert settings.schedule_state_file == conf_dir / "state" / "schedule.json"
    assert seen == {conf_dir / "state" / "schedule.json.lock"}  # one lock, whichever folder `run JOB` ran in


def test_the_default_is_anchored_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "conf.toml"
    cfg.write_text('dateline = "LONDON"\n')
    monkeypatch.chdir("/")
    assert load_settings(cfg).schedule_state_file == tmp_path / "state" / "schedule.json"


def test_an_absolute_state_file_is_kept(tmp_path: Path) -> None:
    cfg = tmp_path / "conf.toml"
    cfg.write_text(f'schedule_state_file = "{tmp_path / "x" / "s.json"}"\n')
    assert load_settings(cfg).schedule_state_file == tmp_path / "x" / "s.json"


def test_without_a_settings_file_it_is_the_starting_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MARKETNEWS_CONFIG", raising=False)
    assert load_settings().schedule_state_file == tmp_path / "state" / "schedule.json"
