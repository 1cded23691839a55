"""`generate --llm` from the command line: quiet when unconfigured, clear when misconfigured, honest when used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.chat_server import ChatServer, completion, free_port
from tests.conftest import EXAMPLE, ROOT
from tests.drafting.llm_replies import GOOD, as_content
from tests.test_cli import assert_clean_failure, run


def test_unconfigured_auto_is_the_template_article_quietly(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path), "--llm", "auto")
    assert proc.returncode == 0 and proc.stderr == ""
    assert "language model" not in (tmp_path / "2018-02-06" / "btc-daily" / "article.md").read_text()


def test_off_wins_over_a_key_and_does_not_load_the_sdk(tmp_path: Path) -> None:
    code = (
        "import sys; from generator.cli import main; "
        f"rc = main(['generate', '--snapshot', {str(EXAMPLE)!r}, '--out', {str(tmp_path)!r}, '--llm', 'off']); "
        "print(rc, 'openai' in sys.modules)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"OPENAI_API_KEY": "test-key", "PATH": "/usr/bin:/bin"})
    assert proc.stdout.strip().endswith("0 False"), proc.stdout + proc.stderr


def test_on_without_a_key_is_one_clear_line(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"), "--llm", "on")
    assert_clean_failure(proc)
    assert "no API key is set" in proc.stderr and not (tmp_path / "out").exists()


def test_bad_llm_setting_is_named(tmp_path: Path) -> None:
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path), env={"MARKETNEWS_LLM_MODE": "yaml"})
    assert_clean_failure(proc)
    assert "llm_mode" in proc.stderr


def test_dead_server_still_writes_the_template_article(tmp_path: Path) -> None:
    env = {"MARKETNEWS_LLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "MARKETNEWS_LLM_RETRIES": "0",
           "MARKETNEWS_LLM_CACHE_DIR": str(tmp_path / "cache")}
    proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "connection failed" in proc.stderr
    assert "keeping the template text" in proc.stderr
    assert "0 of 7 prose sections from the model" in proc.stdout


def test_summary_says_what_the_model_wrote(tmp_path: Path) -> None:
    with ChatServer([completion(as_content(GOOD), usage=(2300, 1300))]) as server:
        env = {"MARKETNEWS_LLM_BASE_URL": server.url, "MARKETNEWS_LLM_API_KEY": "test-key",
               "MARKETNEWS_LLM_MODEL": "test-model", "MARKETNEWS_LLM_CACHE_DIR": str(tmp_path / "cache")}
        proc = run("generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"), env=env)
    assert proc.returncode == 0, proc.stderr
    assert ("LLM test-model: 7 of 7 prose sections from the model (1 chat call, 0 cached, 3600 tokens)"
            in proc.stdout)


def test_a_dead_llm_server_is_one_warning_line(tmp_path: Path) -> None:
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(f'llm = "on"\nllm_base_url = "http://127.0.0.1:{free_port()}/v1"\nllm_retries = 2\n')
    proc = run("--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    # (it was 10: each retry, the give-up, then every section's fall-back with the same reason)
    assert len(warnings) == 1 and "connection failed" in warnings[0] and "keeping the template text" in warnings[0]
