"""A small WordPress REST server on 127.0.0.1 for the tests, speaking the real wp/v2 formats.

It checks HTTP Basic application passwords the way WordPress does (spaces
ignored), answers errors as ``{"code", "message", "data": {"status"}}`` with the
codes WordPress core uses, and keeps posts, media and terms in memory. ``fail``
queues status codes to answer the next requests with (500, 429, ...).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

USERS = {  # user -> (application password without spaces, may publish)
    "editor": ("abcdEFGHijklMNOPqrstUVWX", True),
    "author": ("mnopQRSTuvwxYZabcdEFghij", True),
    "subscriber": ("zyxwVUTSrqpoNMLKjihgFEDC", False),
}
USER_IDS = {"editor": 1, "author": 2, "subscriber": 3}
# Editors read everyone's private posts; an Author sees only its own (WordPress's read_private_posts).
READS_PRIVATE = {"editor"}
PREFIX = "/wp-json/wp/v2/"


class WordPressState:
    def __init__(self) -> None:
        self.posts: dict[int, dict[str, Any]] = {}
        self.media: dict[int, dict[str, Any]] = {}
        self.terms: dict[str, dict[int, dict[str, Any]]] = {"categories": {1: _term(1, "Uncategorized")}, "tags": {}}
        self.next_id = 100
        self.fail: list[int] = []
        self.on_create: Callable[[dict[str, Any]], None] | None = None  # called with a new post before answering
        self.log: list[tuple[str, str]] = []
        self.base = ""
        self.lock = threading.Lock()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


def _term(term_id: int, name: str) -> dict[str, Any]:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return {"id": term_id, "count": 0, "description": "", "link": f"/{slug}/", "name": name.replace("&", "&amp;"),
            "slug": slug, "taxonomy": "category", "meta": []}


def _error(code: str, message: str, status: int, **data: Any) -> tuple[int, dict[str, Any]]:
    return status, {"code": code, "message": message, "data": {"status": status, **data}}


class Handler(BaseHTTPRequestHandler):
    state: WordPressState

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        st = self.state
        with st.lock:
            st.log.append((method, parts.path + ("?" + parts.query if parts.query else "")))
            if st.fail:
                status = st.fail.pop(0)
                if status == 429:
                    result = _error("too_many_requests", "Too many requests.", 429)
                else:
                    result = _error("internal_server_error", "<p>There has been a critical error on this "
                                    "website.</p>", status)
            elif not parts.path.startswith(PREFIX):
                result = _error("rest_no_route", "No route was found matching the URL and request method.", 404)
            else:
                result = self._route(method, parts.path[len(PREFIX):], query, raw)
        status, body = result
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(data)

    def _user(self) -> tuple[str | None, tuple[int, dict[str, Any]] | None]:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None, None
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        if user not in USERS:
            return None, _error("invalid_username", f"<strong>Error:</strong> The username <strong>{user}</strong> "
                                "is not registered on this site.", 401)
        if re.sub(r"[^a-z\d]", "", password, flags=re.I) != USERS[user][0]:
            return None, _error("incorrect_password", "The provided password is an invalid application password.",
                                401)
        return user, None

    def _route(self, method: str, path: str, query: dict[str, str], raw: bytes) -> tuple[int, Any]:
        user, auth_error = self._user()
        if auth_error:
            return auth_error
        may_publish = user is not None and USERS[user][1]
        forbidden = 403 if user else 401
        collection, _, item = path.partition("/")
        st = self.state
        if collection == "posts":
            if method == "GET" and item:
                if int(item) not in st.posts:
                    return _error("rest_post_invalid_id", "Invalid post ID.", 404)
                return 200, st.posts[int(item)]
            if method == "GET":
                if query.get("status") == "any" and not may_publish:
                    return _error("rest_forbidden_status", "Status is forbidden.", forbidden)
                slugs = (query.get("slug") or "").split(",")  # WordPress's wp_parse_slug_list: one or a list
                hits = [p for p in st.posts.values() if p["slug"] in slugs and p["status"] != "trash"
                        and (p["status"] != "private" or user in READS_PRIVATE or p["author"] == USER_IDS[user])]
                return 200, hits
            if not may_publish:
                verb = "create" if not item else "edit"
                return _error(f"rest_cannot_{verb}", f"Sorry, you are not allowed to {verb} posts as this user.",
                              forbidden)
            body = json.loads(raw or b"{}")
            if not item:
                post = self._save_post(st.new_id(), body, user)
                if st.on_create is not None:
                    st.on_create(post)  # e.g. kill the client: the post exists, the client never hears of it
                return 201, post
            if int(item) not in st.posts:
                return _error("rest_post_invalid_id", "Invalid post ID.", 404)
            return 200, self._save_post(int(item), body, user)
        if collection == "media":
            if method == "GET":
                return 200, [m for m in st.media.values() if m["slug"] == query.get("slug")]
            if not may_publish:
                return _error("rest_cannot_create", "Sorry, you are not allowed to upload media on this site.",
                              forbidden)
            if item:
                st.media[int(item)].update({k: v for k, v in json.loads(raw).items() if k in ("alt_text", "title")})
                return 200, st.media[int(item)]
            disposition = self.headers.get("Content-Disposition", "")
            match = re.search(r'filename="?([^";]+)"?', disposition)
            if not match:
                return _error("rest_upload_no_content_disposition", "No Content-Disposition supplied.", 400)
            if not raw:
                return _error("rest_upload_no_data", "No data supplied.", 400)
            media_id = st.new_id()
            filename = match.group(1)
            st.media[media_id] = {
                "id": media_id, "slug": filename.rsplit(".", 1)[0], "media_type": "image",
                "mime_type": self.headers.get("Content-Type"), "alt_text": "", "title": filename,
                "source_url": f"{st.base}/wp-content/uploads/2024/05/{filename}", "bytes": len(raw),
            }
            return 201, st.media[media_id]
        if collection == "users" and item == "me" and method == "GET":
            if user is None:
                return _error("rest_not_logged_in", "You are not currently logged in.", 401)
            return 200, {"id": USER_IDS[user], "name": user, "slug": user}
        if collection in ("categories", "tags"):
            terms = st.terms[collection]
            if method == "GET":
                needle = query.get("search", "").lower()
                return 200, [t for t in terms.values() if needle in t["name"].lower()]
            if not may_publish:
                return _error("rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.",
                              forbidden)
            name = json.loads(raw)["name"]
            existing = next((t for t in terms.values() if t["name"] == name.replace("&", "&amp;")), None)
            if existing:
                return _error("term_exists", "A term with the name provided already exists in this taxonomy.", 400,
                              term_id=existing["id"])
            term = _term(st.new_id(), name)
            terms[term["id"]] = term
            return 201, term
        return _error("rest_no_route", "No route was found matching the URL and request method.", 404)

    def _save_post(self, post_id: int, body: dict[str, Any], user: str | None) -> dict[str, Any]:
        st = self.state
        post = st.posts.get(post_id) or {"id": post_id, "type": "post", "author": USER_IDS.get(user or "", 1),
                                        "status": "draft",
                                        "guid": {"rendered": f"{st.base}/?p={post_id}", "raw": f"{st.base}/?p={post_id}"},
                                        "featured_media": 0, "categories": [1], "tags": []}
        for key in ("slug", "status", "featured_media", "categories", "tags", "date_gmt"):
            if key in body:
                post[key] = body[key]
        for key in ("title", "content", "excerpt"):
            if key in body:
                post[key] = {"raw": body[key], "rendered": body[key]}
        if post["status"] not in ("draft", "pending"):  # wp_unique_post_slug leaves drafts alone
            # Any other post of the type holds its slug, whatever its status; the first free '-N' is taken.
            taken = {p["slug"] for p in st.posts.values() if p["id"] != post_id and p["status"] != "trash"}
            base, suffix = post["slug"], 2
            while post["slug"] in taken:
                post["slug"], suffix = f"{base}-{suffix}", suffix + 1
        post["link"] = f"{st.base}/{post['slug']}/" if post["status"] == "publish" else f"{st.base}/?p={post_id}"
        st.posts[post_id] = post
        return post


@contextmanager
def fake_wordpress() -> Iterator[WordPressState]:
    state = WordPressState()
    handler = type("BoundHandler", (Handler,), {"state": state})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
