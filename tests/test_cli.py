"""The CLI end to end, as a user runs it (a subprocess for the real exit codes and stderr)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env={**os.environ, **(env or {})}, timeout=60)


def assert_clean_failure(proc: subprocess.CompletedProcess, code: int = 2) -> None:
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("marketnews")
    assert "Traceback" not in proc.stderr


def test_generate_writes_the_four_files(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    folder = tmp_path / "2018-02-06" / "btc-daily"
    assert Path(summary["path"]) == folder
    assert sorted(p.name for p in folder.iterdir()) == ["article.html", "article.md", "factcheck.json", "snapshot.json"]
    article = (folder / "article.md").read_text()
    assert article.startswith("---\ntitle: ")
    assert "analysis" in json.loads((folder / "snapshot.json").read_text())
    assert "<script" not in (folder / "article.html").read_text()


def test_human_summary(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path))
    assert proc.returncode == 0 and proc.stdout.startswith("wrote ")


def test_missing_snapshot(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(tmp_path / "nope.json"), "--out", str(tmp_path / "out"))
    assert_clean_failure(proc)
    assert "not found" in proc.stderr and not (tmp_path / "out").exists()


def test_corrupt_snapshot(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\xff{not json")
    proc = run("generate", "--snapshot", str(bad), "--out", str(tmp_path / "out"))
    assert_clean_failure(proc)
    assert not (tmp_path / "out").exists()


def test_truncated_snapshot(tmp_path: Path) -> None:
    bad = tmp_path / "cut.json"
    bad.write_text(EXAMPLE.read_text()[:2000])
    proc = run("generate", "--snapshot", str(bad), "--out", str(tmp_path / "out"))
    assert_clean_failure(proc)
    assert "not valid JSON" in proc.stderr and not (tmp_path / "out").exists()


def test_snapshot_failing_validation(tmp_path: Path) -> None:
    data = json.loads(EXAMPLE.read_text())
    data["price"]["current"] = -1
    bad = tmp_path / "neg.json"
    bad.write_text(json.dumps(data))
    proc = run("generate", "--snapshot", str(bad), "--out", str(tmp_path / "out"))
    assert_clean_failure(proc)
    assert "price.current" in proc.stderr and not (tmp_path / "out").exists()


def test_unknown_option() -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--frobnicate")
    assert_clean_failure(proc)
    assert "--frobnicate" in proc.stderr


def test_unwritable_out(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(blocker / "sub"))
    assert_clean_failure(proc)
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_out(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(ro))
        assert_clean_failure(proc)
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


def test_bad_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text("output_dir = [unclosed")
    proc = run("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    assert "not valid TOML" in proc.stderr


def test_unknown_setting(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text('colour = "red"\n')
    proc = run("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    assert "colour" in proc.stderr


def test_schema_snapshot() -> None:
    proc = run("schema", "snapshot")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["title"] == "MarketSnapshot"


def test_help_everywhere() -> None:
    for args in ([], ["generate"], ["schema"]):
        proc = run(*args, "--help")
        assert proc.returncode == 0 and "usage:" in proc.stdout


def test_template_run_does_not_import_openai_or_plotting(tmp_path: Path) -> None:
    code = (
        "import sys; from generator.cli import main; "
        f"rc = main(['generate', '--snapshot', {str(EXAMPLE)!r}, '--out', {str(tmp_path)!r}]); "
        "print(sorted(m for m in ('openai', 'matplotlib', 'requests', 'httpx') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr
