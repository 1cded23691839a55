"""Tokens and money: what each call cost, and the caps that stop further calls.

The daily cap is shared by every marketnews process on the machine through a
small JSON ledger (one total per UTC day) updated under a file lock. Checking
the cap and claiming the call's worst case happen in ONE locked update
(``reserve``), so workers generating several assets at once (threads or
processes) cannot all read "under the cap" and all spend; when the call is
done, ``settle`` swaps the claim for what it really used. A process killed
mid-call leaves its claim counted for the day: the cap errs on the safe side.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.errors import LLMBudgetExceeded
from generator.settings import LLMPrice

try:  # POSIX; elsewhere the ledger works without cross-process locking
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# Prompt tokens are estimated from characters before a call (no tokenizer here); 3 characters a
# token over-counts English and JSON for the BPE tokenizers in use, so the caps err on the safe side.
CHARS_PER_TOKEN = 3
log = logging.getLogger("marketnews.llm")
LEDGER_DAYS_KEPT = 31
# flock excludes other processes and other open files of this one; this also covers systems without flock.
_THREADS = threading.Lock()


class CallRecord(BaseModel):
    """One chat call (or cache hit)."""

    model_config = ConfigDict(frozen=True)

    purpose: str
    prompt_tokens: int
    completion_tokens: int
    cached: bool
    seconds: float


class UsageSummary(BaseModel):
    """An article's calls and tokens as reported (factcheck.json's ``llm.usage``)."""

    model_config = ConfigDict(frozen=True)

    chat_calls: int = 0
    cached_calls: int = 0
    http_attempts: int = 0  # requests sent, retries included
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = None  # None: no price configured
    calls: list[CallRecord] = []


class Usage(BaseModel):
    """Calls and tokens of one article, and their cost at the configured price."""

    calls: list[CallRecord] = []
    http_attempts: int = 0  # requests sent, retries included

    @property
    def chat_calls(self) -> int:
        return sum(1 for c in self.calls if not c.cached)

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.calls if not c.cached)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.calls if not c.cached)

    def cost(self, price: LLMPrice | None) -> float | None:
        """US dollars, or None when no price is configured for the model."""
        if price is None:
            return None
        return round((self.prompt_tokens * price.prompt + self.completion_tokens * price.completion) / 1e6, 6)

    def summary(self, price: LLMPrice | None) -> UsageSummary:
        return UsageSummary(chat_calls=self.chat_calls, cached_calls=sum(1 for c in self.calls if c.cached),
                            http_attempts=self.http_attempts, prompt_tokens=self.prompt_tokens,
                            completion_tokens=self.completion_tokens, cost_usd=self.cost(price),
                            calls=list(self.calls))


def estimate_tokens(chars: int, max_tokens: int) -> int:
    """The most a call can spend: its prompt (estimated) plus its completion allowance."""
    return math.ceil(chars / CHARS_PER_TOKEN) + max_tokens


class Reservation(BaseModel):
    """Tokens a call in progress holds against the daily cap (on ``day``, UTC) until it is settled."""

    model_config = ConfigDict(frozen=True)

    day: str
    tokens: int


class Budget:
    """The per-article and daily token caps (0 = no cap)."""

    def __init__(self, article_cap: int, daily_cap: int, ledger_dir: Path) -> None:
        self.article_cap = article_cap
        self.daily_cap = daily_cap
        self.ledger = ledger_dir / "usage.json"
        self.spent = 0

    def reserve(self, worst_case: int) -> Reservation:
        """Claim ``worst_case`` tokens for a call, or raise LLMBudgetExceeded when that could break a cap.

        The daily check and the claim are one locked update of the ledger; ``settle`` must follow."""
        if self.article_cap and self.spent + worst_case > self.article_cap:
            raise LLMBudgetExceeded(
                f"the article token cap ({self.article_cap}) would be exceeded: {self.spent} spent, "
                f"the next call may take up to {worst_case}"
            )
        day = _today()
        if not self.daily_cap:
            return Reservation(day=day, tokens=0)
        with self._locked() as data:
            today = int(data.get(day, 0))
            if today + worst_case > self.daily_cap:
                raise LLMBudgetExceeded(
                    f"the daily token cap ({self.daily_cap}) would be exceeded: {today} spent today (UTC, "
                    f"calls in progress counted at their most), the next call may take up to {worst_case}"
                )
            data[day] = today + worst_case
            for old in sorted(data)[:-LEDGER_DAYS_KEPT]:
                del data[old]
        return Reservation(day=day, tokens=worst_case)

    def settle(self, reservation: Reservation, tokens: int) -> None:
        """Record what the call really used (0 when it failed) in place of its claim."""
        self.spent += tokens
        if reservation.tokens or (tokens and self.daily_cap):
            with self._locked() as data:
                day = reservation.day  # the claim's day, even when the call ran past midnight
                data[day] = max(0, int(data.get(day, 0)) - reservation.tokens) + tokens

    @contextmanager
    def _locked(self) -> Iterator[dict[str, int]]:
        self.ledger.parent.mkdir(parents=True, exist_ok=True)
        with _THREADS, open(self.ledger, "a+", encoding="utf-8") as fh:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            try:
                data = json.loads(fh.read() or "{}")
                if not isinstance(data, dict):
                    data = {}
            except json.JSONDecodeError:
                # A damaged ledger restarts the day's count rather than blocking every article for good.
                log.warning("LLM token ledger %s is damaged; starting a new count", self.ledger)
                data = {}
            before = dict(data)
            yield data
            if data != before:
                fh.seek(0)
                fh.truncate()
                fh.write(json.dumps(data, sort_keys=True))
                fh.flush()
                os.fsync(fh.fileno())


def _today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")
