"""Fetch every metric concurrently, falling back provider by provider, and assemble the snapshot.

Each metric (price, candles per timeframe, the price cross-check, funding,
open interest, liquidations, Fear & Greed) is a chain of providers tried in
order in its own thread; all chains run at once, so the fetch takes about as
long as the slowest chain. A provider's answer that fails (HTTP error after
retries, timeout, malformed or empty data) or is rejected (stale, absurd)
sends the chain to the next provider; a chain that runs out records why in
``snapshot.missing``. Nothing is ever filled in. The fetch deadline
(``generator.sources.deadline``) bounds the whole fetch: once it has passed,
requests in flight give up and no chain asks another provider.

A metric of ``registry.EVERY`` (funding on every venue) is no chain: each of
its providers is asked at once in its own thread, and every answer is kept,
in the plan's order; a venue that fails is missing as
``<metric>.<provider>`` with its reason, the others stay.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import requests
from pydantic import ValidationError

from generator.errors import DataUnavailable, InputError, ProviderError
from generator.snapshot import MarketSnapshot, Price, PriceDisagreement, describe_validation_error
from generator.sources.base import FetchContext, Fetched
from generator.sources.deadline import Deadline
from generator.sources.http import Client
from generator.sources.plan import FetchPlan
from generator.sources.registry import EVERY, PROVIDERS, chain_metric
from generator.sources.validation import problem

log = logging.getLogger("marketnews.sources")

Status = Literal["start", "ok", "failed", "skipped"]
# Snapshot groups named like their metric; price and candles are assembled on their own (they are essential).
GROUPS = ("funding", "open_interest", "liquidations", "fear_greed", "options", "market", "peers")
# What a shape error in a provider's answer looks like from Python's side.
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError)


@dataclass(frozen=True)
class Event:
    """Progress of one provider on one metric, for the progress display and the logs."""

    metric: str
    provider: str
    status: Status
    detail: str = ""
    seconds: float = 0.0


Observer = Callable[[Event], None]


@dataclass
class Outcome:
    """How one metric's chain ended."""

    metric: str
    value: Any = None
    provider: str | None = None
    failures: list[str] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)


def require_known_asset(plan: FetchPlan) -> None:
    """InputError, before any request, when no price provider has a symbol for the plan's asset."""
    chain = plan.chains.get("price")
    # (a plan without a price chain, as bench/fetch.py times one provider's part, has no price to refuse)
    if chain is not None and all(plan.providers[pid].symbol is None for pid in chain):
        # Symbols are mapped, never guessed from the ticker: two coins can share one, and the article would
        # quote the wrong coin.
        known = sorted({a for m in PROVIDERS.values() for a in m.INFO.symbols if a != "*"})
        raise InputError(f"unknown asset {plan.asset}: no price provider has a symbol for it (built in: "
                         f"{', '.join(known)}); map it under symbols in your settings, e.g. "
                         f"symbols.binance.{plan.asset} (see symbols in docs/configuration.md)")


class Collector:
    """One fetch: clients per provider, one chain per metric, all chains at once."""

    def __init__(self, plan: FetchPlan, session_for: Callable[[str], requests.Session] | None = None,
                 observer: Observer | None = None, client_for: Callable[[str], Client] | None = None,
                 deadline: Deadline | None = None) -> None:
        """Clients come from ``client_for`` (shared with other fetches, which own them; they must keep to
        ``deadline``) or are made here from ``session_for`` and closed at the end."""
        require_known_asset(plan)
        self.plan = plan
        self.observer = observer or (lambda event: None)
        self.deadline = deadline or Deadline(None)
        self.owns_sessions = client_for is None
        if client_for is None:
            if session_for is None:
                raise TypeError("Collector needs session_for or client_for")
            client_for = functools.partial(_own_client, plan, session_for, self.deadline)
        self.clients = {pid: client_for(pid) for pid in plan.providers
                        if any(pid in chain for chain in plan.chains.values())}

    def run(self) -> MarketSnapshot:
        metrics = list(dict.fromkeys(["price", *self.plan.chains]))  # price first: the cross-check waits for it
        venues = [(m, pid) for m in metrics if m in EVERY for pid in self.plan.chains[m]]
        with ThreadPoolExecutor(max_workers=len(metrics) + len(venues), thread_name_prefix="fetch") as pool:
            futures: dict[str, Future[Outcome]] = {}
            futures["price"] = pool.submit(self._chain, "price")
            for metric in metrics:
                if metric == "price_check":
                    futures[metric] = pool.submit(self._check, futures["price"])
                elif metric not in ("price", *EVERY):
                    futures[metric] = pool.submit(self._chain, metric)
            for metric, pid in venues:
                futures[f"{metric}.{pid}"] = pool.submit(self._venue, metric, pid)
            outcomes = {m: f.result() for m, f in futures.items()}
        if self.owns_sessions:
            for session in {id(c.session): c.session for c in self.clients.values()}.values():
                session.close()
        return self._assemble(outcomes)

    # --- chains ---------------------------------------------------------------

    def _chain(self, metric: str) -> Outcome:
        base = chain_metric(metric)
        timeframe = metric.split(".", 1)[1] if "." in metric else None
        outcome = Outcome(metric)
        for pid in self.plan.chains.get(metric, []):
            fetched = self._attempt(metric, base, pid, timeframe, outcome)
            if fetched is not None:
                outcome.value, outcome.provider, outcome.missing = fetched.value, pid, fetched.missing
                return outcome
        return outcome

    def _venue(self, metric: str, pid: str) -> Outcome:
        """One provider of an EVERY metric: its answer, or why it has none."""
        outcome = Outcome(f"{metric}.{pid}")
        fetched = self._attempt(metric, metric, pid, None, outcome)
        if fetched is not None:
            outcome.value, outcome.provider, outcome.missing = fetched.value, pid, fetched.missing
        return outcome

    def _attempt(self, metric: str, base: str, pid: str, timeframe: str | None, outcome: Outcome) -> Fetched | None:
        module = PROVIDERS[pid]
        symbol = self.plan.providers[pid].symbol
        if symbol is None:
            self._skip(metric, pid, f"no symbol for {self.plan.asset} (add symbols.{pid}.{self.plan.asset})", outcome)
            return None
        if timeframe is not None and timeframe not in module.INFO.timeframes:
            self._skip(metric, pid, f"no {timeframe} candles", outcome)
            return None
        if self.deadline.stops(metric, pid, "skipped"):
            self._skip(metric, pid, self.deadline.reason("skipped"), outcome)
            return None
        self.observer(Event(metric, pid, "start"))
        ctx = FetchContext(self.plan.asset, symbol, self.plan.now, self.plan.candle_count, self.plan.okx_max_pages,
                           tuple(self.plan.providers[pid].batch or ()), history_days=self.plan.history_days,
                           peers=tuple((t, by[pid]) for t, by in self.plan.peers.items() if pid in by))
        fetch = getattr(module, "fetch_price" if base == "price_check" else f"fetch_{base}")
        started = time.perf_counter()
        try:
            fetched: Fetched = fetch(self.clients[pid], ctx, timeframe) if timeframe else fetch(self.clients[pid], ctx)
        except ProviderError as err:
            # Past the deadline, a failure is the deadline's doing (a cut timeout, a retry given up).
            why = self.deadline.reason("cut") if self.deadline.stops(metric, pid, "cut") else str(err)
            self._fail(metric, pid, why, started, outcome)
            return None
        except _SHAPE_ERRORS as err:
            log.debug("%s %s: unexpected answer", pid, metric, exc_info=True)
            self._fail(metric, pid, f"unexpected response shape ({type(err).__name__})", started, outcome)
            return None
        reason = problem(fetched.value, self.plan)
        if reason:
            self._fail(metric, pid, reason, started, outcome)
            return None
        self.observer(Event(metric, pid, "ok", seconds=time.perf_counter() - started))
        return fetched

    def _skip(self, metric: str, pid: str, why: str, outcome: Outcome) -> None:
        outcome.failures.append(f"{pid}: {why}")
        self.observer(Event(metric, pid, "skipped", why))

    def _fail(self, metric: str, pid: str, why: str, started: float, outcome: Outcome) -> None:
        outcome.failures.append(f"{pid}: {why}")
        self.observer(Event(metric, pid, "failed", why, time.perf_counter() - started))

    def _check(self, price: Future[Outcome]) -> Outcome:
        """The cross-check: CoinGecko at once; a price provider only after the primary, and never the primary."""
        outcome = Outcome("price_check")
        for pid in self.plan.chains.get("price_check", []):
            if "price" in PROVIDERS[pid].INFO.metrics:
                primary = price.result()
                if primary.provider is None:
                    break  # nothing to check against
                if primary.provider == pid:
                    continue
            fetched = self._attempt("price_check", "price_check", pid, None, outcome)
            if fetched is not None:
                outcome.value, outcome.provider = fetched.value, pid
                break
        return outcome

    # --- assembly -------------------------------------------------------------

    def _assemble(self, outcomes: dict[str, Outcome]) -> MarketSnapshot:
        plan = self.plan
        price = outcomes["price"]
        candles = {m.split(".", 1)[1]: o for m, o in outcomes.items() if m.startswith("candles.")}
        if price.value is None:
            raise DataUnavailable(f"no provider could give the {plan.asset} price: {_reasons(price)}")
        if not any(o.value is not None for o in candles.values()):
            why = "; ".join(f"{tf}: {_reasons(o)}" for tf, o in candles.items())
            raise DataUnavailable(f"no provider could give {plan.asset} candles: {why}")
        missing: dict[str, str] = {}
        for metric, o in outcomes.items():
            if o.value is None:
                missing[metric] = _reasons(o)
            missing.update(o.missing)
        values: dict[str, Any] = {
            "asset": plan.asset,
            "quote": PROVIDERS[price.provider].INFO.quote or "USD",  # type: ignore[index]
            "as_of": plan.now,
            "price": _noted(price),
            "candles": {tf: _noted(o) for tf, o in candles.items() if o.value is not None},
            "missing": missing,
            "disagreements": self._disagreements(price, outcomes.get("price_check")),
        }
        for group in GROUPS:
            got = outcomes.get(group)
            values[group] = _noted(got) if got is not None and got.value is not None else None
        for metric in EVERY & set(plan.chains):
            answers = [o.value for pid in plan.chains[metric] if (o := outcomes[f"{metric}.{pid}"]).value is not None]
            values[metric] = answers or None
        try:
            return MarketSnapshot(**values)
        except ValidationError as err:
            raise DataUnavailable(f"the fetched data do not form a valid snapshot: {describe_validation_error(err)}") \
                from None

    def _disagreements(self, price: Outcome, check: Outcome | None) -> list[PriceDisagreement]:
        if check is None or check.value is None:
            return []
        primary: Price = price.value
        other: Price = check.value
        diff = (other.current - primary.current) / primary.current * 100
        if abs(diff) <= self.plan.price_tolerance_pct:
            return []
        return [PriceDisagreement(provider=check.provider or "?", price=other.current, difference_pct=round(diff, 4))]


def _own_client(plan: FetchPlan, session_for: Callable[[str], requests.Session], deadline: Deadline,
                pid: str) -> Client:
    return Client(pid, plan.providers[pid].base_url, session_for(pid), plan.http, deadline=deadline)


def _reasons(outcome: Outcome) -> str:
    return "; ".join(outcome.failures) or "no provider is configured for it"


def _noted(outcome: Outcome) -> Any:
    """The value, with the failures that preceded it noted in its provenance (for the audit trail)."""
    if not outcome.failures:
        return outcome.value
    src = outcome.value.source
    note = "; ".join(filter(None, [src.note, "after " + "; ".join(outcome.failures)]))
    return outcome.value.model_copy(update={"source": src.model_copy(update={"note": note})})


def collect(plan: FetchPlan, session_for: Callable[[str], requests.Session],
            observer: Observer | None = None, deadline: Deadline | None = None) -> MarketSnapshot:
    """Fetch the snapshot ``plan`` describes; DataUnavailable when price or candles cannot be had."""
    return Collector(plan, session_for, observer, deadline=deadline).run()
