"""The HTTP layer every provider shares: sessions, timeouts, retries, JSON and one-line errors.

Retries are urllib3's ``Retry`` (429 and 5xx, timeouts and dropped
connections, exponential backoff, ``Retry-After`` honoured). Two changes: a
``Retry-After`` longer than the run is willing to wait gives up at once, so
the next provider for the metric is asked instead of stalling the article; and
no retry, backoff or ``Retry-After`` sleep goes past the fetch deadline
(``generator.sources.deadline``), which also cuts every attempt's timeouts.
"""

from __future__ import annotations

import copy
import email.utils
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

import requests
from pydantic import BaseModel, ConfigDict, Field
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util.retry import Retry

from generator import __version__
from generator.errors import ProviderError
from generator.sources.base import RateLimit
from generator.sources.deadline import Deadline, DeadlineTimeout, current

log = logging.getLogger("marketnews.sources")

USER_AGENT = f"marketnews/{__version__} (automated market-news desk; python-requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
STATUS_WORDS = {
    429: "rate limited",
    451: "not available from this location",
    403: "forbidden",
    401: "unauthorised (check the API key)",
    404: "not found",
}


class HttpOptions(BaseModel):
    """Timeouts and retry policy of one run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timeout_seconds: float = Field(default=10.0, gt=0)
    retries: int = Field(default=2, ge=0)
    backoff_seconds: float = Field(default=0.5, ge=0)
    max_retry_wait_seconds: float = Field(default=30.0, ge=0)


class CappedRetry(Retry):
    """urllib3 Retry that gives up instead of sleeping through a Retry-After longer than ``max_wait``."""

    def __init__(self, *args: Any, max_wait: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait

    def new(self, **kw: Any) -> CappedRetry:
        kw.setdefault("max_wait", self.max_wait)
        return super().new(**kw)  # type: ignore[return-value, unused-ignore]  # urllib3 1.x/2.x

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):  # type: ignore[no-untyped-def, override, unused-ignore]
        wait = None
        if response is not None and self.respect_retry_after_header:
            try:
                wait = self.get_retry_after(response)
            except Exception:  # an unparsable Retry-After: fall back to plain backoff
                wait = None
            if wait is not None and wait > self.max_wait:
                # With raise_on_status=False urlopen hands the 429/503 back to us instead of raising.
                raise MaxRetryError(_pool, url, ResponseError(f"Retry-After {wait:.0f} s exceeds {self.max_wait:.0f} s"))
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        deadline = current()
        if deadline is not None:
            # The next attempt would start (after its sleep) at or past the fetch deadline: give up now.
            sleep = wait if wait is not None else retry.get_backoff_time()
            if deadline.remaining() <= sleep:
                raise MaxRetryError(_pool, url, error or ResponseError("the fetch deadline was reached"))
        return retry


def retry_policy(options: HttpOptions) -> CappedRetry:
    return CappedRetry(
        total=options.retries,
        connect=options.retries,
        read=options.retries,
        status=options.retries,
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=options.backoff_seconds,
        respect_retry_after_header=True,
        raise_on_status=False,
        max_wait=options.max_retry_wait_seconds,
    )


def live_adapter(options: HttpOptions) -> HTTPAdapter:
    # pool_maxsize: several metrics of one provider are fetched at the same time.
    return HTTPAdapter(max_retries=retry_policy(options), pool_connections=4, pool_maxsize=16)


def make_session(adapter: BaseAdapter, headers: dict[str, str] | None = None) -> requests.Session:
    """A Session for one provider: our User-Agent, JSON accepted, ``adapter`` for http and https."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})})
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class HttpStatusError(ProviderError):
    """The provider answered with an HTTP error status (after any retries); ``status`` says which."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class RateLimiter:
    """One provider's rate limits (token buckets) and its cap on requests in flight, shared by every
    thread and asset of a run. A request waits for a token of every limit that applies to its path."""

    def __init__(self, limits: Sequence[RateLimit] = (), max_concurrent: int = 8,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits = list(limits)
        self.clock, self.sleep = clock, sleep
        self.waited = 0.0  # seconds spent waiting for tokens, summed over threads (for logs and the benchmark)
        self._tokens = [float(limit.requests) for limit in self.limits]  # start full: a burst is allowed
        self._stamp = clock()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_concurrent)

    @contextmanager
    def slot(self, path: str, deadline: Deadline | None = None) -> Iterator[None]:
        """Hold one of the provider's concurrent slots and one token of each applicable limit.
        ProviderError when ``deadline`` would pass first."""
        deadline = deadline or Deadline(None)
        if not self._slots.acquire(timeout=min(deadline.remaining(), threading.TIMEOUT_MAX)):
            raise ProviderError(f"no free request slot before the fetch deadline ({deadline.seconds:g} s)")
        try:
            self._take(path, deadline)
            yield
        finally:
            self._slots.release()

    def _take(self, path: str, deadline: Deadline) -> None:
        while True:
            with self._lock:
                now = self.clock()
                elapsed, self._stamp = now - self._stamp, now
                applies = [limit.path in (None, path) for limit in self.limits]
                wait = 0.0
                for i, limit in enumerate(self.limits):
                    rate = limit.requests / limit.seconds
                    self._tokens[i] = min(float(limit.requests), self._tokens[i] + elapsed * rate)
                    if applies[i] and self._tokens[i] < 1:
                        wait = max(wait, (1 - self._tokens[i]) / rate)
                if wait <= 0:
                    for i, apply in enumerate(applies):
                        self._tokens[i] -= 1 if apply else 0
                    return
                if wait >= deadline.remaining():
                    raise ProviderError(f"its rate limit would hold the request past the fetch deadline "
                                        f"({deadline.seconds:g} s)")
                self.waited += wait
            self.sleep(wait)


@dataclass(frozen=True)
class Reply:
    """A parsed JSON response: the data, the URL asked (no secrets in it) and the server's Date."""

    data: Any
    url: str
    date: datetime | None


class Client:
    """One provider's HTTP client for one run.

    ``get_json`` turns every failure into a one-line ProviderError. Identical
    requests within a run are made once and shared (several metrics need the
    same endpoint, e.g. the mark price for funding and open interest).
    """

    def __init__(self, provider: str, base_url: str, session: requests.Session, options: HttpOptions,
                 limiter: RateLimiter | None = None, deadline: Deadline | None = None) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.session = session
        self.options = options
        self.limiter = limiter  # None: no waiting (a replay asks no server)
        self.used: set[str] | None = None
        self.deadline = deadline or Deadline(None)
        self._lock = threading.Lock()
        self._memo: dict[str, Future[Reply]] = {}

    def tracking(self, used: set[str], deadline: Deadline | None = None) -> Client:
        """This client (same session, answers and limits) noting every URL it is asked for in ``used`` and
        keeping to ``deadline``: one asset's view of a client the assets of a run share."""
        view = copy.copy(self)
        view.used = used
        view.deadline = deadline or self.deadline
        return view

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
        return f"{self.base_url}{path}" + (f"?{query}" if query else "")

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Reply:
        url = self.url(path, params)
        if self.used is not None:
            self.used.add(url)
        with self._lock:
            future = self._memo.get(url)
            owner = future is None
            if owner:
                future = self._memo[url] = Future()
        assert future is not None
        if owner:
            try:
                future.set_result(self._limited(path, url))
            except Exception as err:  # anything, or the threads waiting on this URL would wait forever
                future.set_exception(err)
        try:
            # Another asset's fetch may be making this request, under its own (later) deadline.
            return future.result(timeout=min(self.deadline.remaining(), threading.TIMEOUT_MAX))
        except FutureTimeout:
            raise ProviderError(self.deadline.reason("cut")) from None

    def get_many(self, *requests_: tuple[str, dict[str, Any] | None]) -> list[Reply]:
        """Several independent requests at once (a provider needing two endpoints waits for the slower only)."""
        if len(requests_) == 1:
            return [self.get_json(*requests_[0])]
        with ThreadPoolExecutor(max_workers=len(requests_), thread_name_prefix=f"{self.provider}-get") as pool:
            futures = [pool.submit(self.get_json, path, params) for path, params in requests_]
            return [f.result() for f in futures]

    def get_settled(self, *requests_: tuple[str, dict[str, Any] | None]) -> list[Reply | ProviderError]:
        """Like get_many, but each failed request gives its ProviderError in its place (optional parts of an
        answer: a venue's open interest beside its funding)."""
        def one(path: str, params: dict[str, Any] | None) -> Reply | ProviderError:
            try:
                return self.get_json(path, params)
            except ProviderError as err:
                return err

        with ThreadPoolExecutor(max_workers=len(requests_), thread_name_prefix=f"{self.provider}-get") as pool:
            futures = [pool.submit(one, path, params) for path, params in requests_]
            return [f.result() for f in futures]

    def _limited(self, path: str, url: str) -> Reply:
        if self.limiter is None:
            return self._get(url)
        started = time.monotonic()
        with self.limiter.slot(path, self.deadline):
            waited = time.monotonic() - started
            if waited >= 1.0:
                log.info("%s: waited %.1f s for its rate limit before %s", self.provider, waited, path)
            return self._get(url)

    def _get(self, url: str) -> Reply:
        timeout = self.options.timeout_seconds
        try:
            with self.deadline.applied():
                # requests hands the timeout to urllib3, which reads a Timeout subclass as it is (stubs: float only)
                response = self.session.get(url, timeout=DeadlineTimeout(timeout, self.deadline))  # type: ignore[arg-type]
        except requests.RequestException as err:
            kind, reason = transport_error(err)
            words = {"ReadTimeout": f"timed out after {timeout:g} s", "RetryError": f"gave up retrying: {reason}",
                     "ConnectionError": f"could not connect: {reason}"}
            raise ProviderError(words.get(kind, f"request failed: {reason}")) from None
        if response.status_code >= 400:
            raise HttpStatusError(_status_message(response), response.status_code)
        if not response.content.strip():
            raise ProviderError("empty response body")
        try:
            data = json.loads(response.content)
        except (ValueError, UnicodeDecodeError):
            raise ProviderError("malformed JSON in the response") from None
        return Reply(data=data, url=url, date=parse_http_date(response.headers.get("Date")))


def _status_message(response: requests.Response) -> str:
    code = response.status_code
    words = STATUS_WORDS.get(code) or response.reason or "error"
    text = f"HTTP {code} ({words})"
    if code in (429, 503) and response.headers.get("Retry-After"):
        text += f"; Retry-After {response.headers['Retry-After'].strip()[:40]}"
    return text


def transport_error(err: requests.RequestException) -> tuple[str, str]:
    """(kind, reason) of a request that got no response: ReadTimeout, RetryError, ConnectionError or another.

    requests reports a read timeout that outlived its retries as a ConnectionError
    wrapping urllib3's ReadTimeoutError; we call it what it is. The recording
    stores the same pair, so a replay fails with the same words.
    """
    inner = _innermost(err)
    # NewConnectionError subclasses ConnectTimeoutError in urllib3, but a refused connection is no timeout.
    timed_out = isinstance(inner, (TimeoutError, ReadTimeoutError, ConnectTimeoutError)) and not isinstance(
        inner, NewConnectionError)
    if (isinstance(err, requests.Timeout) and not isinstance(inner, NewConnectionError)) or timed_out:
        return "ReadTimeout", "timed out"
    if isinstance(err, requests.exceptions.RetryError):
        return "RetryError", _reason_of(err)
    if isinstance(err, requests.ConnectionError):
        return "ConnectionError", _reason_of(err)
    return type(err).__name__, _reason_of(err)


def _innermost(err: BaseException) -> object:
    reason: object = err.args[0] if err.args else err
    while isinstance(reason, MaxRetryError) and reason.reason is not None:
        reason = reason.reason
    return reason


def _reason_of(err: Exception) -> str:
    """The innermost urllib3 reason, without the pool's host/port noise."""
    reason = _innermost(err)
    if isinstance(reason, NewConnectionError):
        return "connection refused" if "refused" in str(reason) else "no connection"
    text = str(reason.args[-1]) if isinstance(reason, Exception) and reason.args else str(reason)
    if ": " in text and text.startswith("<"):
        text = text.split(": ", 1)[1]  # '<urllib3.connection.HTTPConnection object at 0x..>: Failed to ...'
    return text[:160]


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
