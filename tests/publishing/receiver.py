"""A webhook receiver on 127.0.0.1 that checks the HMAC signature itself, for the webhook and watch tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

SECRET = "s3cret-shared-with-the-receiver"


class Receiver:
    def __init__(self) -> None:
        self.accepted: list[dict[str, Any]] = []
        self.rejected = 0
        self.fail: list[int] = []
        self.url = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            stamp = self.headers.get("X-Marketnews-Timestamp", "")
            # Verified here independently of the code under test: HMAC-SHA256 over "<timestamp>." + raw body.
            expected = "sha256=" + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
            if state.fail:
                status, answer = state.fail.pop(0), {"error": "busy"}
            elif not (fresh and hmac.compare_digest(expected, self.headers.get("X-Marketnews-Signature", ""))):
                state.rejected += 1
                status, answer = 401, {"error": "bad signature"}
            else:
                state.accepted.append({"headers": dict(self.headers), "body": json.loads(body)})
                status, answer = 202, {"id": f"evt_{len(state.accepted)}", "url": "https://cms.example.com/a/1"}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/marketnews"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
