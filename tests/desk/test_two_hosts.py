"""One PostgreSQL desk, several "hosts" (processes with their own folders and settings files).

Two editors saving one draft at once: one wins, the other gets the conflict (exit 6) and keeps their text.
``marketnews run JOB`` started on two hosts at the same moment runs once; the other exits 8, and the run state
is in the desk, not in either host's folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.desk.actions import approve
from generator.desk.store import Store
from generator.pipeline import generate
from generator.settings import Settings
from tests.conftest import ROOT, make_snapshot
from tests.desk.conftest import RIGHT, WRONG


@pytest.fixture
def shared(pg_cluster: Any) -> Iterator[str]:
    """One PostgreSQL desk_db URL, for processes that share nothing else."""
    from generator.desk.engine import open_engine

    url = pg_cluster.url()
    yield url
    open_engine(url).close()


def host_env(folder: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MARKETNEWS_")}
    return clean | {"PYTHONPATH": str(ROOT)}


# The editor of each process: it says it has the draft open, waits until the other process has it open too
# (both read version 1), then writes its own fix.
EDITOR = """
import sys, time
from pathlib import Path
me, other, word = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
me.write_text("open")
deadline = time.monotonic() + 60
while not other.exists() and time.monotonic() < deadline:
    time.sleep(0.02)
p = Path(sys.argv[-1])
p.write_text(p.read_text().replace({wrong!r}, {right!r}).replace("Leverage was", word + " leverage was"))
"""


def test_two_editors_on_two_hosts_give_one_winner_and_one_conflict(shared: str, example, check,
                                                                   tmp_path: Path) -> None:  # noqa: ANN001
    store = Store(shared)
    folder = tmp_path / "gen"
    folder.mkdir()
    from generator.desk.actions import register_draft

    text = example.body.replace(RIGHT, WRONG)
    article = register_draft(store, path=folder, asset="BTC", kind="daily", date="2018-02-06",
                             title=example.draft.title, files=["article.md"], body=text, facts=example.facts,
                             sections={s.name: s.origin for s in example.draft.sections},
                             report=check(text, example.facts))
    script = tmp_path / "editor.py"
    script.write_text(EDITOR.format(wrong=WRONG, right=RIGHT))
    procs = {}
    for me, other, word in (("a", "b", "Ann:"), ("b", "a", "Bob:")):
        host = tmp_path / f"host-{me}"
        host.mkdir()
        (host / "marketnews.toml").write_text(f'desk_db = "{shared}"\noutput_dir = "{host / "out"}"\n')
        editor = f"{sys.executable} {script} {tmp_path / me} {tmp_path / other} {word}"
        procs[me] = subprocess.Popen(
            [sys.executable, "-m", "generator", "drafts", "edit", str(article.id), "--by", word.rstrip(":")],
            cwd=host, env=host_env(host) | {"EDITOR": editor}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
    done = {me: (p.wait(120), *p.communicate()) for me, p in procs.items()}
    codes = sorted(code for code, _, _ in done.values())
    assert codes == [0, 6], done
    [(winner, _)] = [(me, out) for me, (code, out, _) in done.items() if code == 0]
    [(_, err)] = [(me, err) for me, (code, _, err) in done.items() if code == 6]
    assert err.startswith("marketnews: error: ") and "Your text is kept in" in err
    match = re.search(r"Your text is kept in (\S+)\.", err)
    assert match, err
    kept = Path(match.group(1))
    loser_word = "Bob:" if winner == "a" else "Ann:"
    assert loser_word in kept.read_text()  # nothing lost: the loser's text is on their host
    after = store.article(article.id)
    assert after.version == 2 and after.current_revision == 2
    assert ("Ann:" if winner == "a" else "Bob:") in store.revision(article.id).markdown
    assert [e.action for e in store.audit(article.id)] == ["edited", "generated"]


class SlowReceiver:
    """A webhook endpoint that takes its time, so two runs overlap; it counts what it was sent."""

    def __init__(self, delay: float) -> None:
        self.posts: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(delay)
                receiver.posts.append(body)
                data = json.dumps({"id": f"evt_{len(receiver.posts)}"}).encode()
                self.send_response(202)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


JOB = """
[jobs.site]
cron = "*/15 * * * *"
action = "publish"
target = "webhook"
"""


def test_run_job_on_two_hosts_at_once_runs_once(shared: str, tmp_path: Path) -> None:
    settings = Settings(output_dir=tmp_path / "gen", desk_db=shared)
    store = Store(shared)
    for day in ("2018-01-16", "2018-02-05"):
        approve(store, generate(make_snapshot(day), settings).draft_id, by="Ann")  # type: ignore[arg-type]
    receiver = SlowReceiver(delay=1.5)
    try:
        hosts = []
        for name in ("a", "b"):
            host = tmp_path / f"host-{name}"
            host.mkdir()
            (host / "marketnews.toml").write_text(
                f'desk_db = "{shared}"\noutput_dir = "{host / "out"}"\nschedule_state_file = "state/schedule.json"\n'
                f'webhook_url = "{receiver.url}"\nwebhook_secret = "s3cret"\n{JOB}')
            hosts.append(host)
        procs = [subprocess.Popen([sys.executable, "-m", "generator", "run", "site"], cwd=host, env=host_env(host),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for host in hosts]
        done = [(p.wait(120), *p.communicate()) for p in procs]
    finally:
        receiver.server.shutdown()
    codes = sorted(code for code, _, _ in done)
    assert codes == [0, 8], done
    [refused] = [err for code, _, err in done if code == 8]
    assert refused.count("\n") == 1 and "a scheduled run is already in progress (pid " in refused
    assert "advisory lock" in refused
    assert len(receiver.posts) == 2  # each article once: one run sent them
    assert all(a.status == "published" for a in store.articles())
    assert not any((host / "state").exists() for host in hosts)  # the run state is in the desk
    with store.connect() as conn:
        [(job, state)] = conn.execute("SELECT job, state FROM run_state").fetchall()
    assert job == "site" and json.loads(state)["outcome"] == "ok"
    status = subprocess.run([sys.executable, "-m", "generator", "status", "--json"], cwd=hosts[1],
                            env=host_env(hosts[1]), capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    shown = json.loads(status.stdout)
    assert shown["running"] is None and "run_state" in shown["state_file"]


def review_server(host: Path, shared: str, password_hash: str) -> tuple[subprocess.Popen[str], str]:
    """``marketnews review`` on a free port, from its own folder and settings file; (process, base URL)."""
    host.mkdir()
    (host / "marketnews.toml").write_text(f'desk_db = "{shared}"\noutput_dir = "{host / "out"}"\n'
                                          f'review_password_hash = "{password_hash}"\n')
    proc = subprocess.Popen([sys.executable, "-m", "generator", "review", "--port", "0"], cwd=host,
                            env=host_env(host), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    assert match, (line, proc.poll())
    return proc, match.group(1)


def test_two_review_pages_on_one_desk_give_one_winner_and_one_409(shared: str, example, check,
                                                                  tmp_path: Path) -> None:  # noqa: ANN001
    import requests

    from generator.desk.actions import register_draft
    from generator.desk.auth import hash_password

    store = Store(shared)
    article = register_draft(store, path=tmp_path, asset="BTC", kind="daily", date="2018-02-06",
                             title=example.draft.title, files=["article.md"], body=example.body,
                             facts=example.facts, sections={s.name: s.origin for s in example.draft.sections},
                             report=check(example.body, example.facts))
    password = "correct horse battery"
    servers = [review_server(tmp_path / name, shared, hash_password(password)) for name in ("a", "b")]
    try:
        forms = {}
        for (_, base), name in zip(servers, ("Ann", "Bob"), strict=True):
            browser = requests.Session()
            page = browser.get(f"{base}/login", timeout=30).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            assert browser.post(f"{base}/login", data={"csrf_token": token, "name": name, "password": password},
                                timeout=30).status_code == 200  # after the redirect to the queue
            form = browser.get(f"{base}/drafts/{article.id}/edit", timeout=30).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
            assert 'name="version" value="1"' in form
            forms[name] = (browser, base, token)
        answers: dict[str, requests.Response] = {}

        def save(name: str) -> None:  # both editors press Save at the same moment, each on their own server
            browser, base, token = forms[name]
            answers[name] = browser.post(f"{base}/drafts/{article.id}/edit", allow_redirects=False, timeout=30,
                                         data={"csrf_token": token, "version": 1,
                                               "markdown": example.body + f"\n{name}'s paragraph.\n"})

        threads = [threading.Thread(target=save, args=(name,)) for name in forms]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(30)
    codes = sorted(r.status_code for r in answers.values())
    assert codes == [302, 409], {n: (r.status_code, r.text[:300]) for n, r in answers.items()}
    [winner] = [n for n, r in answers.items() if r.status_code == 302]
    [loser] = [n for n, r in answers.items() if r.status_code == 409]
    assert f"{loser}'s paragraph." in answers[loser].text.replace("&#39;", "'")  # the loser's text is kept
    assert f"{winner}'s paragraph." in store.revision(article.id).markdown
    assert store.article(article.id).version == 2


def test_a_browser_on_each_review_page_one_save_wins_the_other_is_told(shared: str, example, check,
                                                                       tmp_path: Path) -> None:  # noqa: ANN001
    from generator.desk.actions import register_draft
    from generator.desk.auth import hash_password
    from tests.desk.browser import chromium

    store = Store(shared)
    text = example.body.replace(RIGHT, WRONG)
    article = register_draft(store, path=tmp_path, asset="BTC", kind="daily", date="2018-02-06",
                             title=example.draft.title, files=["article.md"], body=text, facts=example.facts,
                             sections={s.name: s.origin for s in example.draft.sections},
                             report=check(text, example.facts))
    password = "correct horse battery"
    servers = [review_server(tmp_path / name, shared, hash_password(password)) for name in ("a", "b")]
    try:
        with chromium() as browser:
            pages = {}
            for (_, base), name in zip(servers, ("Ann", "Bob"), strict=True):
                page = browser.new_context().new_page()  # own cookies: two editors
                page.goto(f"{base}/login")
                page.fill("#name", name)
                page.fill("#password", password)
                page.click("button[type=submit]")
                page.goto(f"{base}/drafts/{article.id}/edit")
                editor = page.locator("textarea#markdown")
                editor.fill(editor.input_value().replace(WRONG, RIGHT) + f"\n{name}'s paragraph.\n")
                pages[name] = page
            with pages["Ann"].expect_navigation() as first:
                pages["Ann"].click("button:text('Save and re-check')")
            with pages["Bob"].expect_navigation() as second:
                pages["Bob"].click("button:text('Save and re-check')")
            assert first.value is not None and first.value.status == 200  # after the redirect to the draft
            assert second.value is not None and second.value.status == 409
            assert "changed by someone else" in pages["Bob"].content()
            assert "Bob's paragraph." in pages["Bob"].locator("textarea#markdown").input_value()  # kept
    finally:
        for proc, _ in servers:
            proc.terminate()
            proc.wait(30)
    assert "Ann's paragraph." in store.revision(article.id).markdown
    assert store.article(article.id).status == "draft" and store.article(article.id).version == 2
