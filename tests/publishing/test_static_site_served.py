"""The static site as a web server sees it: files world-readable, every page and feed served to another user."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from generator import output
from generator.publishing import PublishableArticle
from tests.publishing.test_static_site import site


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    output._umask.cache_clear()
    yield
    os.umask(old)
    output._umask.cache_clear()


def published(root: Path, *articles: PublishableArticle) -> Path:
    s = site(root)
    for article in articles:
        s.publish(article)
        s.publish(article)  # a second publication replaces files: the modes must survive it
    return root


def test_every_file_is_world_readable_and_every_folder_traversable(
        tmp_path: Path, umask_022: None, example_article: PublishableArticle,
        second_article: PublishableArticle) -> None:
    root = published(tmp_path / "site", example_article, second_article)
    paths = [root, *root.rglob("*")]
    assert len(paths) > 10
    for p in paths:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o755 if p.is_dir() else 0o644), f"{p.relative_to(tmp_path)} is {oct(mode)}"


def test_the_umask_decides_as_for_any_other_file(tmp_path: Path, example_article: PublishableArticle) -> None:
    old = os.umask(0o027)
    output._umask.cache_clear()
    try:
        root = published(tmp_path / "site", example_article)
    finally:
        os.umask(old)
        output._umask.cache_clear()
    assert stat.S_IMODE((root / "feed.xml").stat().st_mode) == 0o640
    assert stat.S_IMODE((root / example_article.slug).stat().st_mode) == 0o750


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _python_for(uid: int, gid: int) -> str | None:
    """A Python the other user may run: ours may sit under /root (pyenv), the system's does not."""
    for candidate in (sys.executable, "/usr/bin/python3", shutil.which("python3")):
        if not candidate:
            continue
        try:
            if subprocess.run([candidate, "-c", "import http.server"], user=uid, group=gid, timeout=30,
                              capture_output=True).returncode == 0:
                return candidate
        except OSError:
            continue
    return None


@pytest.mark.skipif(os.geteuid() != 0, reason="serving as another user needs root to switch to 'nobody'")
def test_a_static_server_running_as_another_user_serves_every_page_and_feed(
        umask_022: None, example_article: PublishableArticle, second_article: PublishableArticle) -> None:
    nobody = pwd.getpwnam("nobody")
    python = _python_for(nobody.pw_uid, nobody.pw_gid)
    if python is None:
        pytest.skip("no Python that the user 'nobody' may run")
    # Not under pytest's tmp_path: its parents are private to the user running the tests.
    with tempfile.TemporaryDirectory(prefix="marketnews-site-") as top:
        os.chmod(top, 0o755)
        root = published(Path(top) / "site", example_article, second_article)
        port = _free_port()
        server = subprocess.Popen(
            [python, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)],
            user=nobody.pw_uid, group=nobody.pw_gid, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}/"
            for _ in range(100):
                try:
                    requests.get(base, timeout=1)
                    break
                except requests.ConnectionError:
                    time.sleep(0.05)
            files = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
            assert {"feed.xml", "atom.xml", "index.html"} <= set(files)
            statuses = {name: requests.get(base + name, timeout=5).status_code for name in files}
            assert statuses == dict.fromkeys(files, 200)
        finally:
            server.terminate()
            server.wait(5)


def test_a_tracking_pixel_in_an_edited_article_loads_nothing_in_a_browser(
        tmp_path: Path, example_article: PublishableArticle) -> None:
    import http.server
    import threading

    from tests.desk.browser import chromium

    hits: list[str] = []

    class Tracker(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    tracker = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    threading.Thread(target=tracker.serve_forever, daemon=True).start()
    pixel = f"http://127.0.0.1:{tracker.server_address[1]}/pixel.gif"
    edited = example_article.model_copy(update={"html": example_article.html + f'<p><img src="{pixel}" alt=""></p>'})
    root = published(tmp_path / "site", edited)
    page_file = root / edited.slug / "index.html"
    assert "Content-Security-Policy" in page_file.read_text() and pixel in page_file.read_text()
    site_server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(root)))
    threading.Thread(target=site_server.serve_forever, daemon=True).start()
    try:
        with chromium() as browser:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{site_server.server_address[1]}/{edited.slug}/")
            page.wait_for_load_state("networkidle")
            assert page.locator("img[src$='chart.png']").evaluate("el => el.naturalWidth") > 0  # own chart loads
            page.close()
    finally:
        site_server.shutdown()
        tracker.shutdown()
    assert hits == []
