"""The CLI end to end, as a user runs it (a subprocess for the real exit codes and stderr)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT, failing_templates


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
    for args in ([], ["generate"], ["check"], ["schema"]):
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


# --- the fact-check: the gate in generate, and the check command -------------------------------------------


def _generated(tmp_path: Path) -> Path:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "2018-02-06" / "btc-daily"


def test_generate_checks_the_article(tmp_path: Path) -> None:
    folder = _generated(tmp_path)
    article = (folder / "article.md").read_text()
    report = json.loads((folder / "factcheck.json").read_text())
    assert report["status"] == "passed" and report["summary"]["failed"] == 0
    assert report["summary"]["mentions"] == report["summary"]["verified"] > 50
    assert "\nstatus: draft\n" in article and "  status: passed\n" in article
    assert "checked against it before publication" in article
    for m in report["mentions"]:  # spans point into article.md as written, front matter included
        assert article[m["start"] : m["end"]] == m["text"]
        assert set(m) >= {"text", "start", "end", "kind", "value", "verdict", "fact", "expected", "reason"}


def test_generate_blocks_a_draft_that_fails(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(f'templates_dir = "{failing_templates(tmp_path)}"\n')
    proc = run("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"))
    assert proc.returncode == 3, proc.stderr
    assert proc.stdout.startswith("wrote ") and "(blocked)" in proc.stdout
    assert proc.stderr.count("\n") == 1 and "failed the fact-check" in proc.stderr
    folder = tmp_path / "out" / "2018-02-06" / "btc-daily"
    assert sorted(p.name for p in folder.iterdir()) == ["article.html", "article.md", "factcheck.json", "snapshot.json"]
    article = (folder / "article.md").read_text()
    assert "\nstatus: blocked\n" in article
    # Honest labels: the files say the draft is blocked where a reader starts, and claim no check it failed.
    for text in (article, (folder / "article.html").read_text()):
        head = text[: text.index("February 6, 2018 —")]
        assert "Blocked by the fact-check: not for publication." in head
        assert "before publication" not in text and "so this draft is blocked" in text
    report = json.loads((folder / "factcheck.json").read_text())
    for m in report["mentions"]:  # the report's spans still point into article.md as written
        assert article[m["start"] : m["end"]] == m["text"]
    bad = {(m["text"], m["verdict"]) for m in report["mentions"] if m["verdict"] != "verified"}
    # "last traded this low in March 2020" is checked against when the candles last traded this low.
    assert bad == {("March 2020", "mismatch"), ("$1.2 billion", "unsupported")}


def test_check_passes_on_a_generated_article(tmp_path: Path) -> None:
    folder = _generated(tmp_path)
    proc = run("check", str(folder / "article.md"), "--snapshot", str(folder / "snapshot.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("PASSED: ")
    proc = run("check", str(folder / "article.md"), "--snapshot", str(EXAMPLE), "--json")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == json.loads((folder / "factcheck.json").read_text())


def test_check_reports_each_failure_with_its_sentence(tmp_path: Path) -> None:
    folder = _generated(tmp_path)
    edited = tmp_path / "edited.md"
    text = (folder / "article.md").read_text()
    edited.write_text(text.replace("Bitcoin tumbled 14.72%", "Bitcoin surged 14.72%").replace(
        "Liquidations totalled $412 million", "Liquidations totalled $512 million"))
    proc = run("check", str(edited), "--snapshot", str(folder / "snapshot.json"))
    assert proc.returncode == 3, proc.stderr
    assert "DIRECTION   '14.72%'" in proc.stdout and "MISMATCH    '$512 million'" in proc.stdout
    assert "expected: $412 million" in proc.stdout
    assert "in: Liquidations totalled $512 million on BitMEX" in proc.stdout
    assert "FAILED: " in proc.stdout.splitlines()[-1]
    data = json.loads(run("check", str(edited), "--snapshot", str(EXAMPLE), "--json").stdout)
    assert data["status"] == "failed" and data["summary"]["direction"] >= 1 and data["summary"]["mismatch"] == 1


def test_check_bad_input(tmp_path: Path) -> None:
    folder = _generated(tmp_path)
    proc = run("check", str(tmp_path / "nope.md"), "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    assert "article file not found" in proc.stderr
    proc = run("check", str(folder / "article.md"), "--snapshot", str(tmp_path / "nope.json"))
    assert_clean_failure(proc)
    assert "snapshot file not found" in proc.stderr
    bad = tmp_path / "bad.json"
    bad.write_text('{"asset": "BTC"}')
    proc = run("check", str(folder / "article.md"), "--snapshot", str(bad))
    assert_clean_failure(proc)
    assert "not a valid snapshot" in proc.stderr
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00\x81 not text")
    proc = run("check", str(binary), "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    assert "not UTF-8" in proc.stderr
    proc = run("check", str(tmp_path), "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    proc = run("check", str(folder / "article.md"))
    assert_clean_failure(proc)
    assert "--snapshot" in proc.stderr


@pytest.mark.parametrize("size", [5_000_000, 300_000])
def test_check_refuses_a_text_over_the_limit(tmp_path: Path, size: int) -> None:
    from generator.factcheck import MAX_ARTICLE_CHARS

    # 5 MB of digits took 29 s to check before the limit; refused before it is read. 300 K characters: after.
    big = tmp_path / "big.md"
    big.write_text("1234567890 " * (size // 11))
    assert size // 11 * 11 > MAX_ARTICLE_CHARS
    proc = run("check", str(big), "--snapshot", str(EXAMPLE))
    assert_clean_failure(proc)
    assert f"{size // 11 * 11:,}" in proc.stderr and "at most 262,144" in proc.stderr


def test_check_reads_a_text_at_the_limit(tmp_path: Path) -> None:
    from generator.factcheck import MAX_ARTICLE_CHARS

    text = (tmp_path / "ok.md")
    text.write_text(("The price is here. " * (MAX_ARTICLE_CHARS // 19))[:MAX_ARTICLE_CHARS])
    proc = run("check", str(text), "--snapshot", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr


def test_every_command_help_lists_its_exit_codes() -> None:
    from generator.cli.parser import EXIT_CODES, _subcommands, build_parser

    commands = _subcommands(build_parser())
    assert len(commands) >= 15
    for name, command in commands:
        text = command.format_help()
        assert "exit codes:" in text, name
        codes = [int(line.split()[0]) for line in text.split("exit codes:")[1].splitlines() if line[:1].isdigit()]
        assert codes and set(codes) <= set(EXIT_CODES) and 0 in codes and 2 in codes, name


def test_review_help_shows_its_action_as_optional() -> None:
    proc = run("review", "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: marketnews review [-h] [--host HOST] [--port PORT] [set-password]\n")


def test_a_missing_templates_dir_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(f'templates_dir = "{tmp_path / "no-such-folder"}"\n')
    proc = run("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"))
    assert_clean_failure(proc)
    assert "templates_dir" in proc.stderr and "not a folder" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_terminal_that_cannot_show_unicode_gets_escapes_not_a_traceback(tmp_path: Path) -> None:
    ascii_only = {"PYTHONIOENCODING": "ascii", "MARKETNEWS_OUTPUT_DIR": str(tmp_path)}
    folder = _generated(tmp_path)
    wrong = tmp_path / "wrong.md"
    wrong.write_text((folder / "article.md").read_text().replace("$6,960", "$6,961"))
    runs = {"check": (run("check", str(wrong), "--snapshot", str(EXAMPLE), env=ascii_only), 3),
            "check --json": (run("check", str(wrong), "--snapshot", str(EXAMPLE), "--json", env=ascii_only), 3),
            "drafts show": (run("drafts", "show", "1", env=ascii_only), 0)}
    for name, (proc, code) in runs.items():
        assert proc.returncode == code and "Traceback" not in proc.stderr, (name, proc.stderr)
        assert "\\u2014" in proc.stdout, name  # the article's em dash, written as an escape
    assert json.loads(runs["check --json"][0].stdout)["status"] == "failed"


def test_drafts_list_creates_no_store_where_none_is(tmp_path: Path) -> None:
    proc = run("drafts", "list", cwd=tmp_path, env={"MARKETNEWS_CONFIG": ""})
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []  # (it used to leave output/desk.sqlite3 wherever it was run)
