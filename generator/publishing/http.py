"""HTTP for the publishing targets: requests sessions with urllib3's Retry, and readable failures.

Two retry policies, because a retried POST can create a second post: requests that
are safe to repeat (GET, PUT, DELETE) are retried on 429 and any 5xx, with
exponential backoff that honours Retry-After; a POST is retried only when the
server said it did not process it (429, 503) or the connection never opened.
"""

from __future__ import annotations

import html
import re
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from generator import __version__
from generator.errors import PublishError
from generator.sources.http import transport_error as classify_transport

USER_AGENT = f"marketnews/{__version__}"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
NOT_PROCESSED = frozenset({429, 503})


def make_session(retries: int, backoff: float, post_statuses: frozenset[int] = NOT_PROCESSED,
                 auth: tuple[str, str] | None = None) -> requests.Session:
    """A session whose adapter retries as described in the module docstring."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.auth = auth
    adapter = _MethodAwareAdapter(
        safe=Retry(total=retries, backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
                   allowed_methods=frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
                   respect_retry_after_header=True, raise_on_status=False),
        post=Retry(total=retries, connect=retries, read=0, backoff_factor=backoff, status_forcelist=post_statuses,
                   allowed_methods=frozenset({"POST", "PATCH"}), respect_retry_after_header=True,
                   raise_on_status=False),
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _MethodAwareAdapter(HTTPAdapter):
    """An adapter with one Retry for repeatable methods and another for POST/PATCH.

    It picks the policy per request by setting ``max_retries``, so a session using it
    belongs to one thread at a time (each target builds its own).
    """

    def __init__(self, safe: Retry, post: Retry) -> None:
        super().__init__(max_retries=safe)
        self._safe, self._post = safe, post

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        self.max_retries = self._post if request.method in ("POST", "PATCH") else self._safe
        return super().send(request, *args, **kwargs)


def error_detail(response: requests.Response) -> tuple[str, str]:
    """(code, message) from a WordPress-style JSON error body, tags and entities removed."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        code, message = str(body.get("code", "")), str(body.get("message", ""))
    else:
        code, message = "", response.text[:200]
    message = html.unescape(re.sub(r"<[^>]+>", "", message)).strip()
    return code, " ".join(message.split()) or (response.reason or "no message")


def resends(response: requests.Response) -> int:
    """How many times urllib3 sent this request again before this answer (0 when it was sent once)."""
    retries = getattr(response.raw, "retries", None)
    return len(getattr(retries, "history", ()) or ())


def transport_error(target: str, url: str, err: requests.RequestException, method: str = "GET",
                    timeout: float | None = None) -> PublishError:
    """A PublishError for a request that got no HTTP answer at all, saying which way it failed.

    A read timeout is a timeout even where requests calls it a ConnectionError (the sources' classifier knows
    the wrappers); a refused connection says so; a POST that timed out says it was not resent.
    """
    kind, reason = classify_transport(err)
    if kind == "ReadTimeout":
        within = f" within {timeout:g} s" if timeout else " in time"
        resent = (" (not resent: the server may have acted on it, and a second create could publish twice)"
                  if method in ("POST", "PATCH") else "")
        return PublishError(f"{target} at {url} did not answer{within}{resent}; try again later or raise "
                            "publish_timeout")
    if kind == "RetryError":
        return PublishError(f"{target} at {url} kept failing after retries: {reason}")
    if reason == "connection refused":
        return PublishError(f"{target} at {url} refused the connection: is it running, and is the address right?")
    return PublishError(f"cannot reach {target} at {url}: {reason}")
