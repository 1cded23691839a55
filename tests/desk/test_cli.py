"""The drafts and review commands: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.cli import main
from generator.desk.auth import verify_password
from generator.desk.store import Store
from tests.conftest import ROOT
from tests.desk.conftest import RIGHT, WRONG


@pytest.fixture(autouse=True)
def desk_env(store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MARKETNEWS_DESK_DB", str(store.desk_db))
    monkeypatch.chdir(tmp_path)  # no stray marketnews.toml


def test_list_shows_drafts_newest_first_and_filters_by_status(register, example, capsys) -> None:  # noqa: ANN001
    assert main(["drafts", "list"]) == 0
    assert capsys.readouterr().out.strip() == "no drafts"
    register(date="2018-02-05")
    register(example.body.replace(RIGHT, WRONG), date="2018-02-06")
    assert main(["drafts", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["ID", "DATE", "DRAFT", "STATUS"]
    assert "2018-02-06" in lines[1] and "blocked" in lines[1] and "1 failed (1 mismatch)" in lines[1]
    assert "2018-02-05" in lines[2] and "all verified" in lines[2]
    assert main(["drafts", "list", "--status", "blocked", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["date"] for d in data] == ["2018-02-06"] and data[0]["share"] == {"template": 11}
    assert data[0]["factcheck"]["failed"] == 1


def test_list_shows_the_newest_page_and_says_how_many_there_are(register, capsys) -> None:  # noqa: ANN001
    for day in range(1, 6):
        register(date=f"2018-02-0{day}")
    assert main(["drafts", "list", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines[1:3]] == ["2018-02-05", "2018-02-04"]
    assert lines[3] == "(the newest 2 of 5 drafts; --limit N or --all for more)" and len(lines) == 4
    assert main(["drafts", "list", "--all"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6  # heading and five drafts, no note
    assert main(["drafts", "list", "--limit", "3", "--json"]) == 0
    assert [d["date"] for d in json.loads(capsys.readouterr().out)] == ["2018-02-05", "2018-02-04", "2018-02-03"]


def test_show_marks_the_failures(register, example, capsys) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    assert main(["drafts", "show", str(article.id)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"draft {article.id}: BTC daily 2018-02-06 — blocked (version 1, revision 1")
    assert "to ⟦$6,990⟧[1], " in out
    assert re.search(r"^\[1\] Mismatch: \$6,990", out, re.M)
    assert "\033[" not in out  # no colour codes when not at a terminal


def test_approve_and_reject(register, example, store: Store, capsys) -> None:  # noqa: ANN001
    blocked = register(example.body.replace(RIGHT, WRONG))
    assert main(["drafts", "approve", str(blocked.id), "--by", "Ann"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("marketnews: error: draft 1 cannot be approved") and err.count("\n") == 1
    good = register(date="2018-02-07")
    assert main(["drafts", "approve", str(good.id), "--by", "Ann", "--version", "9"]) == 6
    assert "Reload it" in capsys.readouterr().err
    assert main(["drafts", "approve", str(good.id), "--by", "Ann", "--version", "1"]) == 0
    assert store.article(good.id).status == "approved"
    assert main(["drafts", "reject", str(blocked.id), "--by", "Bob", "--reason", "wrong price"]) == 0
    assert store.audit(blocked.id)[0].reason == "wrong price"
    assert main(["drafts", "show", "42"]) == 2
    assert "no draft with id 42" in capsys.readouterr().err


def test_reject_without_a_reason_is_a_usage_error(register) -> None:  # noqa: ANN001
    register()
    with pytest.raises(SystemExit) as exc:
        main(["drafts", "reject", "1", "--by", "Ann"])
    assert exc.value.code == 2


def test_set_password_writes_the_hash_and_keeps_the_rest_of_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text('dateline = "LONDON"\n\n[llm]\nmodel = "x"\n')
    cfg.chmod(0o640)
    run = [sys.executable, "-m", "generator", "--config", str(cfg), "review", "set-password"]
    proc = subprocess.run(run, input="a long enough password\n", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    text = cfg.read_text()
    assert text.startswith('review_password_hash = "scrypt$') and 'dateline = "LONDON"\n\n[llm]\nmodel = "x"\n' in text
    stored = re.search(r'"(scrypt\$[^"]+)"', text).group(1)
    assert verify_password("a long enough password", stored) and not verify_password("a long enough passwore", stored)
    proc = subprocess.run(run, input="another long password\n", capture_output=True, text=True, cwd=ROOT)
    assert cfg.read_text().count("review_password_hash") == 1 and stored not in cfg.read_text()
    short = subprocess.run(run, input="short\n", capture_output=True, text=True, cwd=ROOT)
    assert short.returncode == 2 and "too short" in short.stderr
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o640  # an existing file keeps its mode


def test_set_password_creates_a_new_settings_file_private(tmp_path: Path) -> None:
    cfg = tmp_path / "new.toml"
    run = [sys.executable, "-m", "generator", "--config", str(cfg), "review", "set-password"]
    proc = subprocess.run(run, input="a long enough password\n", capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(cfg.stat().st_mode) == 0o600


def test_review_refuses_a_public_address_without_a_password(capsys) -> None:  # noqa: ANN001
    assert main(["review", "--host", "0.0.0.0", "--port", "0"]) == 2
    assert "refusing to serve the review page on 0.0.0.0 without a password" in capsys.readouterr().err


def test_review_serves_on_loopback(store: Store, tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "generator", "review", "--port", "0"], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "login", timeout=5) as resp:
                    assert resp.status == 200 and b"Sign in" in resp.read()
                    break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


EDITOR_SCRIPT = """import sys
from pathlib import Path
path = Path(sys.argv[-1])
path.write_text(path.read_text().replace({old!r}, {new!r}))
sys.exit({code})
"""


def editor(tmp_path: Path, old: str, new: str, code: int = 0) -> str:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR_SCRIPT.format(old=old, new=new, code=code))
    return f"{sys.executable} {script}"


def test_edit_in_the_editor_saves_a_rechecked_revision(register, example, store: Store, monkeypatch,
                                                       tmp_path: Path, capsys) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    monkeypatch.setenv("EDITOR", editor(tmp_path, WRONG, RIGHT))
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 0
    assert "saved revision 2 (draft)" in capsys.readouterr().out
    assert store.article(article.id).status == "draft" and store.revision(article.id).author == "Ann"
    monkeypatch.setenv("EDITOR", editor(tmp_path, RIGHT, WRONG))
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 3  # still fails: saved, and blocked
    assert store.article(article.id).status == "blocked"
    monkeypatch.setenv("EDITOR", editor(tmp_path, "@@not in the text@@", "x"))
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 0
    assert "no changes" in capsys.readouterr().out


def test_a_failed_editor_or_a_conflict_keeps_the_text(register, example, store: Store, monkeypatch,
                                                      tmp_path: Path, capsys) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor(tmp_path, WRONG, RIGHT, code=1))
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 2
    kept = Path(re.search(r"your text is in (\S+)\)", capsys.readouterr().err).group(1))
    assert RIGHT in kept.read_text()
    # Someone approves... no: someone edits while this editor is open -> conflict, text kept.
    script = tmp_path / "slow_editor.py"
    script.write_text(
        "import sys, subprocess\nfrom pathlib import Path\n"
        f"subprocess.run([sys.executable, '-m', 'generator', 'drafts', 'reject', '{article.id}', '--by', 'Bob',"
        " '--reason', 'meanwhile'], check=True)\n"
        f"p = Path(sys.argv[-1]); p.write_text(p.read_text().replace({WRONG!r}, {RIGHT!r}))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 6
    err = capsys.readouterr().err
    assert "Bob rejected it" in err
    assert RIGHT in Path(re.search(r"Your text is kept in (\S+)\.", err).group(1)).read_text()
    assert store.article(article.id).status == "rejected"


def test_edit_without_an_editor_or_a_terminal_is_refused(register, example, monkeypatch, capsys) -> None:  # noqa: ANN001
    article = register(example.body)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    # (under pytest stdin is no terminal: vi would wait for keys that never come)
    assert main(["drafts", "edit", str(article.id), "--by", "Ann"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "set $VISUAL or $EDITOR" in err
