"""Record and replay the HTTP exchanges of a fetch, as a vcrpy cassette (``sources.yaml``).

Why not vcrpy's own patching: it swaps urllib3's connection classes globally
and puts the real ones back for a moment around every real request
(``vcr.patch.force_reset``), so with the concurrent fetch another thread's
request can slip past a recording unrecorded, or past a replay onto the
network (kevin1024/vcrpy#212, #295, #849). So we record and replay at the
requests transport adapter, per Session, under our own lock, and write and
read vcrpy's cassette format with vcrpy's own serializer: vcrpy can play these
files back, and ours can play back what vcrpy records.

Secrets never reach the file: key headers and key-like query parameters are
dropped, and every configured secret value is replaced wherever it appears.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from requests.structures import CaseInsensitiveDict
from vcr.request import Request as VcrRequest
from vcr.serializers import compat, yamlserializer

from generator.errors import InputError
from generator.sources.http import transport_error

FORMAT_VERSION = 1  # vcrpy's cassette format version
SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "cg-api-key", "x-cg-demo-api-key",
    "x-cg-pro-api-key", "x-mbx-apikey", "ok-access-key", "ok-access-sign", "ok-access-passphrase",
    "x-bapi-api-key", "x-bapi-sign", "api-key", "apikey", "x-api-key",
})
SECRET_PARAM = re.compile(r"(api[_-]?key|apikey|access[_-]?key|secret|token|signature|passphrase|^key$)", re.I)
FILTERED = "<FILTERED>"
# Headers that describe the transfer, not the content: the body is stored decoded.
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"})
HEADER_COMMENT = (
    "# sources.yaml: the HTTP exchanges marketnews made to fetch this snapshot, in vcrpy's cassette format\n"
    "# (API keys and cookies removed). Rebuild the snapshot and article offline with:\n"
    "#   marketnews generate --replay sources.yaml\n"
)


def public_url(url: str) -> str:
    """The URL with key-like query parameters removed and the rest sorted (for stable matching)."""
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not SECRET_PARAM.search(k))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


class Recording:
    """The exchanges of one live run, collected from any number of threads."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = [s for s in secrets if s]
        self._lock = threading.Lock()
        self.interactions: list[tuple[VcrRequest, dict[str, Any]]] = []
        self.errors: list[dict[str, str]] = []

    def add(self, request: requests.PreparedRequest, response: requests.Response) -> None:
        headers = {k: [v] for k, v in response.headers.items() if k.lower() not in _TRANSFER_HEADERS | SECRET_HEADERS}
        headers["Content-Length"] = [str(len(response.content))]
        self.add_raw(request.method or "GET", request.url or "", response.status_code, response.reason or "",
                     headers, response.content, dict(request.headers))  # type: ignore[arg-type]  # header values are str here

    def add_raw(self, method: str, url: str, status: int, reason: str, headers: dict[str, list[str]], body: bytes,
                request_headers: dict[str, str] | None = None) -> None:
        """Add one exchange (also used to build cassettes from documented examples)."""
        req_headers = {k: v for k, v in (request_headers or {}).items() if k.lower() not in SECRET_HEADERS}
        vcr_request = VcrRequest(method, public_url(url), None, req_headers)
        response = {"status": {"code": status, "message": reason}, "headers": headers, "body": {"string": body}}
        with self._lock:
            self.interactions.append((vcr_request, response))

    def add_error(self, request: requests.PreparedRequest, error: requests.RequestException) -> None:
        """A request that got no response (timeout, refused connection): replay raises the same error."""
        kind, reason = transport_error(error)
        with self._lock:
            self.errors.append({"method": request.method or "GET", "uri": public_url(request.url or ""),
                                "error": kind, "message": reason[:300]})

    def to_yaml(self, metadata: dict[str, Any], comment: str = HEADER_COMMENT,
                only: Iterable[str] | None = None) -> bytes:
        """The cassette text; interactions sorted by URL so two recordings of the same data diff cleanly.
        ``only``: just the exchanges of these URLs (one asset's part of a run for several)."""
        wanted = None if only is None else {public_url(u) for u in only}
        with self._lock:
            pairs = sorted((p for p in self.interactions if wanted is None or p[0].uri in wanted),
                           key=lambda p: (p[0].uri, p[0].method))
            errors = sorted((e for e in self.errors if wanted is None or e["uri"] in wanted),
                            key=lambda e: (e["uri"], e["error"]))
        data = {
            "version": FORMAT_VERSION,
            "interactions": [
                {"request": compat.convert_to_unicode(req._to_dict()), "response": compat.convert_to_unicode(resp)}
                for req, resp in pairs
            ],
            "metadata": {**metadata, "marketnews": {**metadata.get("marketnews", {}), "transport_errors": errors}},
        }
        text = comment + yamlserializer.serialize(data)
        for secret in self.secrets:
            text = text.replace(secret, FILTERED)
        return text.encode()


class RecordingAdapter(HTTPAdapter):
    """requests' HTTP adapter (with its urllib3 retries) that records the final outcome of each request."""

    def __init__(self, recording: Recording, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.recording = recording

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as err:
            self.recording.add_error(request, err)
            raise
        _ = response.content  # read the body now, so it can be recorded
        self.recording.add(request, response)
        return response


class Cassette:
    """A loaded sources.yaml: its exchanges, transport errors and metadata."""

    def __init__(self, interactions: list[tuple[VcrRequest, dict[str, Any]]], errors: list[dict[str, str]],
                 metadata: dict[str, Any]) -> None:
        self.interactions = interactions
        self.errors = errors
        self.metadata = metadata

    @classmethod
    def load(cls, path: Path) -> Cassette:
        """Read a cassette file; InputError with one readable line when it cannot be used."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"replay file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"cannot read replay file {path}: {err}") from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, origin: str = "replay file") -> Cassette:
        try:
            data = yamlserializer.deserialize(text)
            interactions = [
                (VcrRequest._from_dict(i["request"]), compat.convert_to_bytes(i["response"]))
                for i in data["interactions"]
            ]
        except Exception as err:  # any YAML or shape problem is the user's file, not our bug
            raise InputError(f"{origin} is not a vcrpy cassette ({type(err).__name__})") from None
        metadata = data.get("metadata") if isinstance(data, dict) else None
        if not isinstance(metadata, dict) or not isinstance(metadata.get("marketnews"), dict):
            raise InputError(f"{origin} was not recorded by marketnews (no 'metadata.marketnews' in it)")
        errors = metadata["marketnews"].get("transport_errors") or []
        return cls(interactions, errors, metadata)


class ReplayAdapter(BaseAdapter):
    """Answers requests from a cassette and never opens a socket.

    A request is matched on method and URL (query order and key parameters
    ignored, like vcrpy's default matching); each recorded answer plays once.
    A request the recording answered with a transport error raises it again.
    """

    def __init__(self, cassette: Cassette) -> None:
        super().__init__()
        self.cassette = cassette
        self._lock = threading.Lock()
        self._played: set[int] = set()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        method, url = request.method or "GET", public_url(request.url or "")
        with self._lock:
            for index, (recorded, answer) in enumerate(self.cassette.interactions):
                if index not in self._played and recorded.method == method and public_url(recorded.uri) == url:
                    self._played.add(index)
                    return _response(request, answer)
        for err in self.cassette.errors:
            if err["method"] == method and err["uri"] == url:
                error_class = getattr(requests.exceptions, err["error"], requests.ConnectionError)
                if not (isinstance(error_class, type) and issubclass(error_class, requests.RequestException)):
                    error_class = requests.ConnectionError
                raise error_class(err["message"], request=request)
        raise requests.ConnectionError(f"not in the recording: {method} {url}", request=request)

    def close(self) -> None:
        pass


def _response(request: requests.PreparedRequest, answer: dict[str, Any]) -> requests.Response:
    response = requests.Response()
    response.status_code = int(answer["status"]["code"])
    response.reason = answer["status"].get("message") or ""
    response.headers = CaseInsensitiveDict({
        k: ", ".join(v) if isinstance(v, list) else str(v) for k, v in (answer.get("headers") or {}).items()
    })
    body = answer.get("body", {}).get("string") or b""
    response._content = body if isinstance(body, bytes) else str(body).encode()
    response.url = request.url or ""
    response.request = request
    response.encoding = requests.utils.get_encoding_from_headers(response.headers)
    return response
