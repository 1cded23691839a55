"""The fetch deadline: the moment by which one asset's whole fetch is over, whatever the providers do.

Without it a dead network costs timeout x attempts x providers for a metric
(10 s x 3 x 4 with the defaults) before the user hears "data unavailable".
With it, every attempt's connect and read timeouts are cut to the time left
(``DeadlineTimeout``), urllib3 gives up instead of retrying or sleeping past it
(``generator.sources.http.CappedRetry`` reads ``current()``), rate-limit waits
stop at it, and a metric's chain asks no further provider once it has passed.
A provider that is slow but answers in time still wins.

Which providers the deadline stopped is stored in the recording, so a replay
(which takes no time) stops the same ones, with the same words.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal

from urllib3.util import Timeout

Stop = Literal["skipped", "cut"]  # skipped: never asked; cut: asked, no usable answer before the deadline
# A socket timeout of 0 would make the socket non-blocking; this is "give up now" for urllib3.
_SOONEST = 0.01


class Deadline:
    """A live fetch's deadline, ``seconds`` after it is made (None: no deadline)."""

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._at = math.inf if seconds is None else clock() + seconds
        self._lock = threading.Lock()
        self.stopped: dict[str, dict[str, Stop]] = {}  # metric -> provider -> how the deadline stopped it

    def remaining(self) -> float:
        """Seconds left (0 once passed; infinite without a deadline)."""
        return max(0.0, self._at - self._clock())

    def cap(self, seconds: float) -> float:
        """``seconds``, or the time left when that is shorter."""
        return min(seconds, max(self.remaining(), _SOONEST))

    def stops(self, metric: str, provider: str, how: Stop) -> bool:
        """Whether the deadline has passed for ``provider`` on ``metric`` (noted for the recording when it has)."""
        if self.remaining() > 0:
            return False
        with self._lock:
            self.stopped.setdefault(metric, {})[provider] = how
        return True

    def reason(self, how: Stop) -> str:
        if how == "skipped":
            return f"not asked: the fetch deadline ({self.seconds:g} s) had passed"
        return f"no answer within the fetch deadline ({self.seconds:g} s)"

    def record(self) -> dict[str, Any] | None:
        """What the recording keeps: the deadline and whom it stopped (None when it stopped nobody)."""
        with self._lock:
            if not self.stopped:
                return None
            return {"seconds": self.seconds, "stopped": {m: dict(p) for m, p in sorted(self.stopped.items())}}

    @contextmanager
    def applied(self) -> Iterator[None]:
        """Make this the deadline urllib3's retries see in this thread (they are not told about requests)."""
        token = _current.set(self)
        try:
            yield
        finally:
            _current.reset(token)


class ReplayedDeadline(Deadline):
    """A recording's deadline: never passes by the clock, but stops exactly whom it stopped live."""

    def __init__(self, record: dict[str, Any] | None) -> None:
        super().__init__(None)
        record = record if isinstance(record, dict) else {}
        stopped = record.get("stopped")
        self.seconds = record.get("seconds")
        self._recorded: dict[str, dict[str, str]] = {
            m: p for m, p in (stopped.items() if isinstance(stopped, dict) else ()) if isinstance(p, dict)}

    def stops(self, metric: str, provider: str, how: Stop) -> bool:
        if self._recorded.get(metric, {}).get(provider) != how:
            return False
        with self._lock:
            self.stopped.setdefault(metric, {})[provider] = how
        return True


_current: ContextVar[Deadline | None] = ContextVar("marketnews_fetch_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the request being made in this thread, if any."""
    return _current.get()


class DeadlineTimeout(Timeout):
    """urllib3 timeouts no longer than the time left before ``deadline``.

    urllib3 clones the timeout for every attempt and reads these properties as
    the attempt starts, so each retry gets only what is left, not a fresh
    ``seconds``.
    """

    def __init__(self, seconds: float, deadline: Deadline) -> None:
        super().__init__(connect=seconds, read=seconds)
        self.seconds = seconds
        self.deadline = deadline

    def clone(self) -> DeadlineTimeout:
        return DeadlineTimeout(self.seconds, self.deadline)

    @property
    def connect_timeout(self) -> float:  # type: ignore[override, unused-ignore]  # urllib3 1.x/2.x
        return self.deadline.cap(self.seconds)

    @property
    def read_timeout(self) -> float:  # type: ignore[override, unused-ignore]  # urllib3 1.x/2.x
        return self.deadline.cap(self.seconds)
