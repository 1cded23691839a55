"""A real review server on 127.0.0.1 and Debian's chromium driven by playwright, for the browser tests."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

# Debian's chromium, found on PATH (chromium, or chromium-browser on some distributions) or named by
# MARKETNEWS_CHROMIUM; /usr/bin/chromium is where .ci/run's apt-get puts it.
CHROMIUM = Path(os.environ.get("MARKETNEWS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
                or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Serve ``app`` with waitress on a free loopback port in a thread; yields the base URL."""
    from waitress import create_server, wasyncore

    server = create_server(app, host="127.0.0.1", port=0, threads=2)
    stop = threading.Event()

    def run() -> None:  # waitress' own run() cannot be stopped from another thread; poll a flag instead
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, name="review-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for channel in list(server._map.values()):
            if channel is not server:
                channel.handle_close()
        server.task_dispatcher.shutdown()
        server.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless chromium (Debian's; playwright's own browser download is not used)."""
    if not CHROMIUM.exists():
        # A machine without it skips these tests with the reason; CI (.ci/run sets MARKETNEWS_REQUIRE_CHROMIUM)
        # installs it and fails rather than skip, so the review page is always tested where it lands.
        message = "the browser tests need Debian's chromium: apt-get install -y chromium (.ci/run does this)"
        if os.environ.get("MARKETNEWS_REQUIRE_CHROMIUM"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
