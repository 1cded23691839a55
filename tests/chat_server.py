"""A chat-completions server on 127.0.0.1 for tests: it speaks the OpenAI wire format and follows a script.

Each POST to /v1/chat/completions takes the next behaviour from the script (the
last one repeats): a normal completion, an HTTP error with headers, a delay, a
connection that dies mid-response, or any raw body. Request bodies are kept
for assertions. Used by the fault tests, the cassette recorder and bench/llm.py.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Behaviour:
    """What the server does with one request."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    die: bool = False  # send half a response, then drop the connection


def completion(content: str | None, *, refusal: str | None = None, finish: str = "stop",
               usage: tuple[int, int] | None = (1000, 400), model: str = "test-model") -> Behaviour:
    """A 200 with a chat.completion whose message holds ``content``."""
    body: dict[str, Any] = {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 1700000000, "model": model,
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
    }
    if usage is not None:
        body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return Behaviour(body=body)


def error(status: int, message: str = "error", headers: dict[str, str] | None = None) -> Behaviour:
    return Behaviour(status=status, body={"error": {"message": message, "type": "test"}}, headers=headers or {})


Script = list[Behaviour] | Callable[[dict[str, Any]], Behaviour]


class ChatServer:
    """Start with ``with ChatServer(script) as server:``; ``server.url`` is the base URL (…/v1)."""

    def __init__(self, script: Script, gets: dict[str, Behaviour] | None = None) -> None:
        self.script = script
        # GET routes besides /v1/models (llama.cpp's /props for its context size); others answer 404.
        self.gets = gets or {}
        self.got: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # /v1/models, for readiness checks, and the routes given
                server.got.append(self.path)
                if self.path in server.gets:
                    b = server.gets[self.path]
                    self._send(b.status, b.body, b.headers)
                elif self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]}, {})
                else:
                    self._send(404, {"error": {"message": "File Not Found", "type": "not_found_error"}}, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    request = json.loads(raw)
                except json.JSONDecodeError:
                    request = {"_raw": raw.decode("utf-8", "replace")}
                behaviour = server._next(request)
                if behaviour.delay:
                    time.sleep(behaviour.delay)
                if behaviour.die:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 4000\r\n\r\n"
                                     b'{"id": "chatcmpl-test", "choices": [')
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self._send(behaviour.status, behaviour.body, behaviour.headers)

            def _send(self, status: int, body: dict[str, Any] | str | None, headers: dict[str, str]) -> None:
                data = (body if isinstance(body, str) else json.dumps(body or {})).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if not isinstance(body, str) else "text/html")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that timed out and left: expected in fault tests

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def _next(self, request: dict[str, Any]) -> Behaviour:
        with self._lock:
            self.requests.append(request)
            if callable(self.script):
                return self.script(request)
            index = min(len(self.requests), len(self.script)) - 1
            return self.script[index]

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def free_port() -> int:
    """A port nothing listens on (for connection-refused tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
