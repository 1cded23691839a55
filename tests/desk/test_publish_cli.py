"""marketnews publish as a user runs it: output, exit codes, a process killed after the remote create, the review page."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.desk.actions import approve
from generator.desk.checking import check_body
from generator.desk.store import Store
from tests.desk.test_publish import settings_for, wp, wp_posts, written  # noqa: F401 - wp is a fixture
from tests.desk.test_web import make_client, sign_in
from tests.publishing.fake_wordpress import WordPressState
from tests.publishing.test_wordpress import PASSWORD


def env_for(store: Store, tmp_path: Path, wp: WordPressState) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    return clean | {"MARKETNEWS_DESK_DB": str(store.desk_db), "MARKETNEWS_WORDPRESS_URL": wp.base,
                    "MARKETNEWS_WORDPRESS_USER": "editor", "MARKETNEWS_WORDPRESS_APP_PASSWORD": PASSWORD,
                    "MARKETNEWS_PUBLISH_RETRIES": "0", "MARKETNEWS_STATIC_SITE_URL": "https://news.example.com/",
                    "MARKETNEWS_STATIC_SITE_DIR": str(tmp_path / "site")}


@pytest.fixture
def cli_env(store: Store, tmp_path: Path, wp: WordPressState, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    for key in [k for k in os.environ if k.startswith("MARKETNEWS_")]:
        monkeypatch.delenv(key)
    for key, value in env_for(store, tmp_path, wp).items():
        if key.startswith("MARKETNEWS_"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray marketnews.toml


@pytest.mark.usefixtures("cli_env")
def test_publish_prints_each_target_and_is_idempotent(store: Store, tmp_path: Path, wp: WordPressState,  # noqa: F811
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    draft = written(settings_for(store, tmp_path, wp))
    assert main(["publish", str(draft)]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"marketnews: error: draft {draft} is not approved") and err.count("\n") == 1
    approve(store, draft, by="Ann")
    assert main(["publish", str(draft)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"draft {draft}: static_site: created: https://news.example.com/2018-02-06-btc-daily/"
    assert out[1].startswith(f"draft {draft}: wordpress: created: {wp.base}/?p=")
    assert out[2] == f"draft {draft} is published (revision 1)"
    assert main(["publish", str(draft), "--target", "wordpress"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"draft {draft}: wordpress: already published: ")
    assert len(wp.posts) == 1


@pytest.mark.usefixtures("cli_env")
def test_a_failed_target_exits_7_and_shows_everywhere(store: Store, tmp_path: Path, wp: WordPressState,  # noqa: F811
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    draft = written(settings_for(store, tmp_path, wp))
    approve(store, draft, by="Ann")
    wp.fail = [503]
    assert main(["publish", str(draft), "--target", "wordpress"]) == 7
    captured = capsys.readouterr()
    out = captured.out
    assert f"draft {draft}: wordpress failed: WordPress at {wp.base} failed to look up posts: 503" in out
    # ... and on stderr, where a cron mail or a log finds it
    assert captured.err.count("\n") == 1 and captured.err.startswith(
        f"marketnews: error: draft {draft}: wordpress failed: WordPress at {wp.base} failed to look up posts: 503")
    assert f"draft {draft} stays approved: wordpress failed; the next publish run retries" in out
    assert main(["drafts", "show", str(draft)]) == 0
    assert "wordpress: failed after 1 publish run, retried by the next publish run: WordPress at" in capsys.readouterr().out
    client = make_client(store, check_body)
    sign_in(client)
    page = client.get(f"/drafts/{draft}").data.decode()
    assert 'id="publication-wordpress"' in page and "failed to look up posts: 503" in page
    assert "retried by the next publish run" in page and "publish to wordpress failed" in page  # the audit log
    assert main(["publish", str(draft), "--target", "wordpress"]) == 0
    page = client.get(f"/drafts/{draft}").data.decode()
    link = wp.posts[next(iter(wp.posts))]["link"]
    assert f'<a href="{link}" rel="noopener noreferrer">{link}</a>' in page


@pytest.mark.usefixtures("cli_env")
def test_usage_and_configuration_errors_are_one_line(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["publish", "42"]) == 2
    assert "no draft with id 42" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["publish", "1", "--target", "ftp"])
    assert exc.value.code == 2 and "invalid choice: 'ftp'" in capsys.readouterr().err
    for key in ("MARKETNEWS_WORDPRESS_URL", "MARKETNEWS_STATIC_SITE_URL"):
        monkeypatch.delenv(key)
    assert main(["publish", "1"]) == 2
    assert capsys.readouterr().err == ("marketnews: error: no publishing target is configured: set static_site_url, "
                                       "wordpress_url or webhook_url (see docs/configuration.md#publishing)\n")


def test_a_process_killed_right_after_the_remote_create_leaves_one_post_after_a_rerun(
        store: Store, tmp_path: Path, wp: WordPressState) -> None:  # noqa: F811
    draft = written(settings_for(store, tmp_path, wp))
    approve(store, draft, by="Ann")
    env = env_for(store, tmp_path, wp)
    command = [sys.executable, "-m", "generator", "publish", str(draft), "--target", "wordpress"]
    victim: dict[str, int] = {}
    # WordPress stores the post, then the publishing process dies before it hears the answer.
    wp.on_create = lambda post: os.kill(victim["pid"], signal.SIGKILL)
    proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    victim["pid"] = proc.pid
    proc.communicate(timeout=120)
    assert proc.returncode == -signal.SIGKILL
    assert len(wp.posts) == 1
    [pending] = store.publications(draft)
    assert pending.status == "pending" and pending.remote_id is None
    wp.on_create = None
    rerun = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"draft {draft}: wordpress: updated: " in rerun.stdout
    assert len(wp.posts) == 1 and len(wp_posts(wp)) == 1  # exactly one remote post, created once
    [done] = store.publications(draft)
    assert done.status == "published" and done.remote_id == str(next(iter(wp.posts))) and done.attempts == 2
    assert store.article(draft).status == "approved"  # the static site, also configured, does not have it yet
