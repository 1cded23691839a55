"""Sign-in rules for the review page: where a sign-in may redirect to, and how failed attempts are slowed.

Throttling is per editor name *and* client address: behind a proxy every editor has the proxy's address, and
one editor's typos must not lock out the others. After ``free`` failures a name must wait before its next try,
a wait that doubles per failure but never exceeds ``cap`` seconds, so a correct password is never locked out
for long. A ceiling per address (``per_address`` failures in ``window``) stops guessing by rotating names.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable
from urllib.parse import urlsplit

# Browsers drop tab, CR and LF inside URLs ("/\t/evil.example" becomes "//evil.example") and a header
# cannot hold them, so any control character or space makes a target unsafe, as does a backslash.
_UNSAFE = frozenset(chr(c) for c in range(0x21)) | {"\x7f", "\\"}


def safe_target(value: str | None) -> str:
    """``value`` when it is a path on this site ("/drafts/3?x=1"), else "/"."""
    if not value or not value.startswith("/") or value.startswith("//") or _UNSAFE.intersection(value):
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value


class SignInThrottle:
    """Failed sign-ins per (name, address) with a capped, doubling wait; a ceiling per address."""

    def __init__(self, free: int = 5, base: float = 2.0, cap: float = 30.0, per_address: int = 100,
                 window: float = 900.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.base, self.cap, self.per_address, self.window = free, base, cap, per_address, window
        self.clock = clock
        self.by_name: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.by_address: dict[str, deque[float]] = defaultdict(deque)

    def wait(self, name: str, address: str) -> float:
        """Seconds before this name may try again from this address (0: it may try now)."""
        now = self.clock()
        recent = self.by_address[address]
        while recent and recent[0] < now - self.window:
            recent.popleft()
        if len(recent) >= self.per_address:
            return recent[0] + self.window - now
        failures = self.by_name.get(_key(name, address))
        if not failures:
            return 0.0
        if failures[-1] < now - self.window:
            del self.by_name[_key(name, address)]
            return 0.0
        if len(failures) < self.free:
            return 0.0
        delay = min(self.base * 2 ** (len(failures) - self.free), self.cap)
        return max(0.0, failures[-1] + delay - now)

    def fail(self, name: str, address: str) -> int:
        """Record a failure; the number of failures in a row for this name and address."""
        now = self.clock()
        self.by_address[address].append(now)
        failures = self.by_name[_key(name, address)]
        failures.append(now)
        return len(failures)

    def succeed(self, name: str, address: str) -> None:
        self.by_name.pop(_key(name, address), None)


def _key(name: str, address: str) -> tuple[str, str]:
    return name.casefold(), address
