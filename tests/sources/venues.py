"""Local replicas of the providers' public APIs, on 127.0.0.1, for tests, the benchmark and the bundled replay.

Each provider is served under its own path prefix (``http://127.0.0.1:PORT/binance``
is Binance's base URL, ...) and answers in the provider's documented response
format (see each generator/sources module's docstring for the fields). The
data: the daily candles are real (Bittrex BTC-USDT, finta test data, LGPL-3.0,
see tests/fixtures/NOTICE); the 4h candles are illustrative (each real day cut
into six bars that visit its open, high, low and close); tickers follow the
real candles; funding, open interest, liquidations, the Fear & Greed value and
the options book (deribit_book.py) are illustrative. Every symbol gets the same data (so runs for several assets can
be exercised); ``unlisted`` Binance symbols are refused as Binance refuses unknown ones.
Faults (timeouts, 429, 5xx, 451, malformed JSON, empty, stale
or absurd data) and latencies can be injected per provider and endpoint.

Candles shorter than 4h (5m, 1h, ...) follow the 4h bars' path (each 4h bar a
straight line from its open to its close), then today's flat price; ``cascade``
bends the last part of that path into a sell-off (or rally) ending at ``now``
and adds a burst of liquidation orders over it, as an exchange would show a
liquidation cascade. ``now`` may be moved forward between requests (a watch's
later polls); intraday bars, tickers and dates follow it. All of that is
illustrative.

Not a pytest module: bench/fetch.py and examples/build_live_replay.py use it too.
"""

from __future__ import annotations

import bisect
import csv
import email.utils
import functools
import json
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The moment the replicas describe by default: five minutes after the last real daily close used.
NOW = datetime(2018, 6, 18, 0, 5, tzinfo=timezone.utc)
PROVIDERS = ("binance", "coinbase", "kraken", "coingecko", "binance_futures", "bybit", "coinglass", "okx",
             "alternative_me", "deribit")
DAY, H4 = timedelta(days=1), timedelta(hours=4)
# One kind of fault per name; each endpoint knows how to be stale, absurd or empty in its own format.
STATUS_FAULTS = {"429": 429, "500": 500, "502": 502, "503": 503, "451": 451}


@dataclass
class Bar:
    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float


@dataclass
class Fault:
    kind: str  # timeout | 429 | 500 | 502 | 503 | 451 | malformed | empty | stale | absurd
    times: int | None = None  # how many requests it hits; None: all
    retry_after: str | None = "0"


@dataclass(frozen=True)
class Cascade:
    """A move of ``move_pct`` from ``start`` to ``end`` with ``liquidations_usd`` of orders spread over it."""

    start: datetime
    end: datetime
    move_pct: float
    liquidations_usd: float
    long_share: float


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    date: datetime | None = None  # the Date header; default: the venue's clock


@functools.lru_cache(maxsize=4)
def daily_bars(until: datetime) -> list[Bar]:
    """Real Bittrex BTC-USDT daily candles from 2017-01-01 that closed by ``until`` (ends 2018-06-17)."""
    out = []
    with (FIXTURES / "finta_bittrex_btc-usdt_1d.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            day = datetime.strptime(row["date"], "%Y-%m-%d").replace(tzinfo=timezone.utc)
            if day < datetime(2017, 1, 1, tzinfo=timezone.utc) or day + DAY > until:
                continue
            out.append(Bar(day, float(row["open"]), float(row["high"]), float(row["low"]), float(row["close"]),
                           float(row["volume"])))
    return out


def four_hour_bars(days: list[Bar]) -> list[Bar]:
    """Illustrative 4h bars: each day as six bars through open, high, low, close (order by the day's direction)."""
    out = []
    for d in days:
        first, second = (d.high, d.low) if d.close < d.open else (d.low, d.high)
        points = [d.open, (d.open + first) / 2, first, (first + second) / 2, second, (second + d.close) / 2, d.close]
        for i in range(6):
            o, c = points[i], points[i + 1]
            out.append(Bar(d.time + i * H4, o, max(o, c), min(o, c), c, d.volume / 6))
    return out


class _Server(ThreadingHTTPServer):
    # The listen backlog: socketserver's default of 5 drops SYNs when a fetch opens a dozen connections at once,
    # and each dropped one costs the client a 1 s retransmit (the 1.3 s outliers bench/fetch.py showed).
    request_queue_size = 128


class Venues:
    """The replica servers: start(), base_url(provider), fault(...), latency(...), stop()."""

    def __init__(self, now: datetime = NOW, seed: int = 7) -> None:
        """Replicas at ``now``. For any other moment than NOW the real candles are re-dated by whole days
        to end the day before ``now`` (for tests that run on the wall clock); their values stay real."""
        self.now = now
        days = daily_bars(NOW)
        shift = _day(now) - _day(NOW)
        self.days = [Bar(b.time + shift, b.open, b.high, b.low, b.close, b.volume) for b in days]
        last = self.days[-1]
        self.h4 = four_hour_bars(self.days)
        # Today's 4h bars that have closed by now: flat at the last close (illustrative).
        t = last.time + DAY
        while t + H4 <= now:
            self.h4.append(Bar(t, last.close, last.close, last.close, last.close, 1.0))
            t += H4
        # The still-open candles the exchanges include: flat at the last close so far.
        self.open_day = Bar(last.time + DAY, last.close, last.close, last.close, last.close, 1.0)
        self.open_h4 = Bar(t, last.close, last.close, last.close, last.close, 1.0)
        self.price = last.close
        self.last_close = last.close
        self.cascade_move: Cascade | None = None
        self._corners: list[tuple[datetime, float]] | None = None
        self.index_premium = 1.001  # CoinGecko's aggregate price relative to the exchanges' (a little off)
        self.orders = self._liquidation_orders(random.Random(seed))
        self.unlisted: set[str] = set()  # Binance spot symbols answered as unknown (-1121), alone or in a list
        self.faults: dict[tuple[str, str], Fault] = {}
        self.latencies: dict[str, float] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.headers: list[tuple[str, dict[str, str]]] = []  # (provider, request headers)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self.routes: dict[tuple[str, str], Callable[[dict[str, str], str], Answer]] = {
            ("binance", "/api/v3/ticker/24hr"): self.binance_ticker,
            ("binance", "/api/v3/klines"): self.binance_klines,
            ("coinbase", "/products/{id}/ticker"): self.coinbase_ticker,
            ("coinbase", "/products/{id}/stats"): self.coinbase_stats,
            ("coinbase", "/products/{id}/candles"): self.coinbase_candles,
            ("kraken", "/0/public/Ticker"): self.kraken_ticker,
            ("kraken", "/0/public/OHLC"): self.kraken_ohlc,
            ("coingecko", "/simple/price"): self.coingecko_price,
            ("coingecko", "/global"): self.coingecko_global,
            ("binance_futures", "/fapi/v1/premiumIndex"): self.binance_premium_index,
            ("binance_futures", "/fapi/v1/openInterest"): self.binance_open_interest,
            ("binance_futures", "/fapi/v1/fundingInfo"): self.binance_funding_info,
            ("bybit", "/v5/market/tickers"): self.bybit_tickers,
            ("coinglass", "/api/futures/liquidation/exchange-list"): self.coinglass_exchange_list,
            ("okx", "/api/v5/public/instruments"): self.okx_instruments,
            ("okx", "/api/v5/public/liquidation-orders"): self.okx_liquidation_orders,
            ("okx", "/api/v5/public/funding-rate"): self.okx_funding_rate,
            ("okx", "/api/v5/public/open-interest"): self.okx_open_interest,
            ("alternative_me", "/fng/"): self.fear_greed,
            ("deribit", "/public/get_book_summary_by_currency"): self.deribit_book_summary,
        }

    # --- server ------------------------------------------------------------------

    def start(self) -> Venues:
        venues = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body in one write, sent at once: no Nagle/delayed-ACK pause to skew latencies.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                venues._handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Venues:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    def base_url(self, provider: str) -> str:
        return f"http://127.0.0.1:{self.port}/{provider}"

    def settings(self) -> dict[str, str]:
        """``<provider>_url`` settings pointing every provider here."""
        return {f"{p}_url": self.base_url(p) for p in PROVIDERS}

    def fault(self, provider: str, endpoint: str, kind: str, times: int | None = None,
              retry_after: str | None = "0") -> None:
        """Make ``endpoint`` of ``provider`` (a route path, or '*' for all) answer with a fault."""
        self.faults[(provider, endpoint)] = Fault(kind, times, retry_after)

    def latency(self, provider: str, seconds: float) -> None:
        self.latencies[provider] = seconds

    def hits(self, provider: str, endpoint: str | None = None, **query: str) -> int:
        """Requests received for ``provider`` (and ``endpoint``, with these query values)."""
        return sum(1 for p, e, q in self.requests if p == provider and (endpoint is None or e == endpoint)
                   and all(q.get(k) == v for k, v in query.items()))

    # --- dispatch ----------------------------------------------------------------

    def _route(self, path: str) -> tuple[str, str, Callable[[dict[str, str], str], Answer]] | None:
        provider, _, rest = path.lstrip("/").partition("/")
        rest = "/" + rest
        for (p, pattern), handler in self.routes.items():
            if p != provider:
                continue
            if "{id}" in pattern:
                head, tail = pattern.split("{id}")
                if rest.startswith(head) and rest.endswith(tail) and "/" not in rest[len(head):-len(tail)]:
                    return provider, pattern, handler
            elif rest == pattern:
                return provider, pattern, handler
        return None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        found = self._route(parts.path)
        if found is None:
            return self._send(request, Answer(404, {"error": "not found"}))
        provider, endpoint, handler = found
        with self._lock:
            self.requests.append((provider, endpoint, query))
            self.headers.append((provider, dict(request.headers.items())))
            fault = self.faults.get((provider, endpoint)) or self.faults.get((provider, "*"))
            if fault is not None and fault.times is not None:
                if fault.times <= 0:
                    fault = None
                else:
                    fault.times -= 1
        delay = self.latencies.get(provider, 0.0)
        if delay:
            self._stop.wait(delay)
        mode = "normal"
        if fault is not None:
            if fault.kind == "timeout":
                self._stop.wait(5.0)  # longer than any test's timeout; the client gives up first
                mode = "normal"
            elif fault.kind in STATUS_FAULTS:
                headers = {"Retry-After": fault.retry_after} if fault.kind == "429" and fault.retry_after else {}
                body = ({"code": 0, "msg": "Service unavailable from a restricted location according to 'b. "
                         "Eligibility' in https://www.binance.com/en/terms."} if fault.kind == "451"
                        else {"code": -1, "msg": f"fault {fault.kind}"})
                return self._send(request, Answer(STATUS_FAULTS[fault.kind], body, headers))
            elif fault.kind == "malformed":
                return self._send(request, Answer(200, b'{"data": [{"value": "4'))
            else:
                mode = fault.kind  # empty | stale | absurd: the endpoint's own version of it
        try:
            answer = handler(query, mode)
        except Exception as err:  # a replica bug should show as a 500, not hang the client
            answer = Answer(500, {"error": repr(err)})
        self._send(request, answer)

    def _send(self, request: BaseHTTPRequestHandler, answer: Answer) -> None:
        body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
        try:
            request.send_response_only(answer.status)
            request.send_header("Date", email.utils.format_datetime(answer.date or self.now, usegmt=True))
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(body)))
            for k, v in answer.headers.items():
                request.send_header(k, v)
            request.end_headers()
            request.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    # --- shared numbers ------------------------------------------------------------

    def _ticker(self, mode: str) -> dict[str, float]:
        last, prev = self.days[-1], self.days[-2]
        price = self.price
        change = (last.close - prev.close) / prev.close * 100
        if self.cascade_move is not None:  # the rolling 24h the exchanges report, along the path
            price, day_ago = self.price_at(self.now), self.price_at(self.now - DAY)
            seen = [self.price_at(t) for t, _ in self._path() if self.now - DAY <= t <= self.now] + [price, day_ago]
            t = {"price": price, "open": day_ago, "high": max(seen), "low": min(seen), "volume": last.volume,
                 "change": (price - day_ago) / day_ago * 100}
            return t | ({"change": 450.0} if mode == "absurd" else {})
        if mode == "absurd":
            change = 450.0  # beyond any believable 24h move
        return {"price": price, "open": prev.close, "high": last.high, "low": last.low, "volume": last.volume,
                "change": change}

    def _stale(self, mode: str) -> datetime:
        """The moment an answer describes: now, or three days ago for a stale one."""
        return self.now - timedelta(days=3) if mode == "stale" else self.now

    # --- intraday path -------------------------------------------------------------

    def _path(self) -> list[tuple[datetime, float]]:
        """(time, price) corners of the price path: the 4h bars, today's flat price, the cascade."""
        if self._corners is None:
            points = [(b.time, b.open) for b in self.h4] + [(self.h4[-1].time + H4, self.h4[-1].close)]
            c = self.cascade_move
            if c is not None:
                points = [p for p in points if p[0] < c.start]
                points += [(c.start, self.last_close), (c.end, self.last_close * (1 + c.move_pct / 100))]
            self._corners = points
        return self._corners

    def price_at(self, moment: datetime) -> float:
        points = self._path()
        i = bisect.bisect_right(points, moment, key=lambda p: p[0])
        if i == 0:
            return points[0][1]
        if i == len(points):
            return points[-1][1]  # after the last corner the price stays put
        (t0, p0), (t1, p1) = points[i - 1], points[i]
        return p0 + (p1 - p0) * ((moment - t0) / (t1 - t0))

    def intraday(self, timeframe: str, count: int) -> list[Bar]:
        """The newest ``count`` bars of a sub-4h ``timeframe`` up to ``now``, the still-open one last."""
        step = TIMEFRAMES_S[timeframe]
        corners = [t for t, _ in self._path()]
        first = max(self.h4[0].time, _floor(self.now, step) - step * (count - 1))
        bars, t = [], _floor(first, step)
        while t <= self.now:
            end = min(t + step, self.now)
            inside = corners[bisect.bisect_right(corners, t):bisect.bisect_left(corners, end)]
            seen = [self.price_at(t), *(self.price_at(x) for x in inside), self.price_at(end)]
            bars.append(Bar(t, seen[0], max(seen), min(seen), seen[-1], 1.0))
            t += step
        return bars

    def cascade(self, minutes: float = 60, move_pct: float = -6.0, liquidations_usd: float = 250e6,
                long_share: float = 0.9, orders: int = 150) -> Cascade:
        """A sell-off (or rally) over the ``minutes`` to ``now``, with a burst of liquidation orders."""
        c = Cascade(self.now - timedelta(minutes=minutes), self.now, move_pct, liquidations_usd, long_share)
        self.cascade_move, self._corners = c, None
        self.price = self.price_at(self.now)
        burst = []
        for i in range(orders):
            ts = c.end - (c.end - c.start) * ((i + 0.5) / orders)
            long = int((i + 1) * long_share) > int(i * long_share)  # the share, spread evenly over the burst
            px = self.price_at(ts) * (0.99 if long else 1.01)
            sz = liquidations_usd / orders / (0.01 * px)  # OKX BTC-USDT-SWAP: 0.01 BTC per contract
            burst.append({"bkLoss": "0", "bkPx": f"{px:.1f}", "ccy": "", "posSide": "long" if long else "short",
                          "side": "sell" if long else "buy", "sz": f"{sz:.0f}",
                          "ts": str(int(ts.timestamp() * 1000))})
        self.orders = sorted(self.orders + burst, key=lambda o: -int(o["ts"]))
        return c

    def _burst(self, window: timedelta) -> tuple[float, float]:
        """USD of the cascade's orders (long, short) within ``window`` before now."""
        long = short = 0.0
        for o in self.orders:
            ts = datetime.fromtimestamp(int(o["ts"]) / 1000, timezone.utc)
            c = self.cascade_move
            if c is None or not (c.start <= ts <= c.end) or not (self.now - window < ts <= self.now):
                continue
            usd = float(o["sz"]) * 0.01 * float(o["bkPx"])
            long, short = (long + usd, short) if o["posSide"] == "long" else (long, short + usd)
        return long, short

    def _bars(self, timeframe: str, mode: str, count: int = 1000) -> tuple[list[Bar], Bar]:
        if TIMEFRAMES_S[timeframe] < H4:
            bars = self.intraday(timeframe, count + 1)
            return bars[:-1], bars[-1]
        bars, open_bar = (self.days, self.open_day) if timeframe == "1d" else (self.h4, self.open_h4)
        if mode == "stale":
            cut = 3 if timeframe == "1d" else 18  # three days missing at the end
            bars, open_bar = bars[:-cut], bars[-cut]
        if mode == "absurd":
            last = bars[-1]
            bars = bars[:-1] + [Bar(last.time, last.open, last.low * 0.5, last.high * 2, last.close, last.volume)]
        return bars, open_bar

    # --- Binance spot ----------------------------------------------------------------

    def binance_ticker(self, q: dict[str, str], mode: str) -> Answer:
        symbols = json.loads(q["symbols"]) if "symbols" in q else [q.get("symbol")]
        if any(s in self.unlisted for s in symbols):  # one unknown symbol fails the whole list, as Binance does
            return Answer(400, {"code": -1121, "msg": "Invalid symbol."})
        if mode == "empty":
            return Answer(200, [] if "symbols" in q else {})
        rows = [self._binance_ticker_row(s, mode) for s in symbols]
        return Answer(200, rows if "symbols" in q else rows[0])

    def _binance_ticker_row(self, symbol: str | None, mode: str) -> dict[str, Any]:
        t = self._ticker(mode)
        price = 0.0 if mode == "absurd" else t["price"]
        ms = int(self._stale(mode).timestamp() * 1000)
        return {
            "symbol": symbol, "priceChange": f"{t['price'] - t['open']:.8f}",
            "priceChangePercent": f"{t['change']:.3f}", "weightedAvgPrice": f"{t['price']:.8f}",
            "prevClosePrice": f"{t['open']:.8f}", "lastPrice": f"{price:.8f}", "lastQty": "0.01000000",
            "bidPrice": f"{t['price'] - 0.01:.8f}", "bidQty": "1.00000000", "askPrice": f"{t['price']:.8f}",
            "askQty": "1.00000000", "openPrice": f"{t['open']:.8f}", "highPrice": f"{t['high']:.8f}",
            "lowPrice": f"{t['low']:.8f}", "volume": f"{t['volume']:.8f}", "quoteVolume": f"{t['volume'] * t['price']:.8f}",
            "openTime": ms - 86_400_000, "closeTime": ms, "firstId": 1, "lastId": 100000, "count": 100000,
        }

    def binance_klines(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, [])
        interval = q.get("interval", "1d")
        bars, open_bar = self._bars(interval, mode, int(q.get("limit", 500)))
        step = TIMEFRAMES_S[interval]
        newest = [*bars, open_bar][-int(q.get("limit", 500)):]
        rows = [[int(b.time.timestamp() * 1000), f"{b.open:.8f}", f"{b.high:.8f}", f"{b.low:.8f}", f"{b.close:.8f}",
                 f"{b.volume:.8f}", int((b.time + step).timestamp() * 1000) - 1, f"{b.volume * b.close:.8f}", 100,
                 f"{b.volume / 2:.8f}", f"{b.volume * b.close / 2:.8f}", "0"] for b in newest]
        return Answer(200, rows)

    # --- Coinbase --------------------------------------------------------------------

    def coinbase_ticker(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {})
        t = self._ticker(mode)
        price = -1.0 if mode == "absurd" else t["price"]
        return Answer(200, {"ask": f"{t['price'] + 0.01:.2f}", "bid": f"{t['price']:.2f}", "volume": f"{t['volume']:.8f}",
                            "trade_id": 86326522, "price": f"{price:.2f}", "size": "0.00500000",
                            "time": self._stale(mode).strftime("%Y-%m-%dT%H:%M:%S.%fZ")})

    def coinbase_stats(self, q: dict[str, str], mode: str) -> Answer:
        t = self._ticker(mode)
        return Answer(200, {"open": f"{t['open']:.2f}", "high": f"{t['high']:.2f}", "low": f"{t['low']:.2f}",
                            "last": f"{t['price']:.2f}", "volume": f"{t['volume']:.8f}", "volume_30day": "1000000.0"})

    def coinbase_candles(self, q: dict[str, str], mode: str) -> Answer:
        granularity = int(q.get("granularity", "0"))
        if granularity not in (60, 300, 900, 3600, 86400):  # Coinbase also has 21600 (6h); marketnews never asks
            return Answer(400, {"message": "Unsupported granularity"})
        if mode == "empty":
            return Answer(200, [])
        timeframe = next(tf for tf, step in TIMEFRAMES_S.items() if step.total_seconds() == granularity)
        bars, open_bar = self._bars(timeframe, mode, 300)
        start = datetime.fromisoformat(q["start"].replace("Z", "+00:00"))
        rows = [[int(b.time.timestamp()), b.low, b.high, b.open, b.close, b.volume]
                for b in [*bars, open_bar] if b.time >= start - TIMEFRAMES_S[timeframe]]
        return Answer(200, rows[::-1][:300])

    # --- Kraken ----------------------------------------------------------------------

    def kraken_ticker(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"error": [], "result": {}})
        t = self._ticker(mode)
        price = 0.0 if mode == "absurd" else t["price"]
        pair = {"c": [f"{price:.1f}", "0.01"], "a": [f"{t['price'] + 0.1:.1f}", "1", "1.000"],
                "b": [f"{t['price']:.1f}", "1", "1.000"], "v": [f"{t['volume'] / 4:.8f}", f"{t['volume']:.8f}"],
                "p": [f"{t['price']:.1f}", f"{t['price']:.1f}"], "t": [100, 4000],
                "l": [f"{t['low']:.1f}", f"{t['low']:.1f}"], "h": [f"{t['high']:.1f}", f"{t['high']:.1f}"],
                "o": f"{t['price']:.1f}"}
        return Answer(200, {"error": [], "result": {"XXBTZUSD": pair}}, date=self._stale(mode))

    def kraken_ohlc(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"error": [], "result": {"XXBTZUSD": [], "last": 0}})
        timeframe = {"1440": "1d", "240": "4h", "60": "1h", "15": "15m", "5": "5m", "1": "1m"}.get(q.get("interval", ""))
        if timeframe is None:
            return Answer(200, {"error": ["EGeneral:Invalid arguments"]})
        bars, open_bar = self._bars(timeframe, mode)
        since = int(q.get("since", "0"))
        rows = [[int(b.time.timestamp()), f"{b.open:.1f}", f"{b.high:.1f}", f"{b.low:.1f}", f"{b.close:.1f}",
                 f"{b.close:.1f}", f"{b.volume:.8f}", 100] for b in [*bars, open_bar] if b.time.timestamp() > since]
        return Answer(200, {"error": [], "result": {"XXBTZUSD": rows[-720:], "last": rows[-1][0] if rows else 0}})

    # --- CoinGecko -------------------------------------------------------------------

    def coingecko_price(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {})
        t = self._ticker(mode)
        coin = {"usd": 0 if mode == "absurd" else round(t["price"] * self.index_premium, 2),
                "usd_24h_change": t["change"], "last_updated_at": int(self._stale(mode).timestamp()) - 30}
        return Answer(200, {i: coin for i in q.get("ids", "bitcoin").split(",")})

    def coingecko_global(self, q: dict[str, str], mode: str) -> Answer:
        """The whole market, illustrative: Bitcoin's cap (the price times 17.1 million coins) at a 38.6% share."""
        if mode == "empty":
            return Answer(200, {"data": {}})
        t = self._ticker(mode)
        btc_cap = self.price * 17_100_000
        total = -1.0 if mode == "absurd" else btc_cap / 0.386
        return Answer(200, {"data": {
            "active_cryptocurrencies": 1589, "upcoming_icos": 0, "ongoing_icos": 52, "ended_icos": 3375, "markets": 15842,
            "total_market_cap": {"usd": round(total, 2), "btc": round(total / self.price, 4)},
            "total_volume": {"usd": round(total * 0.061, 2)},
            "market_cap_percentage": {"btc": 38.6, "eth": 17.9, "xrp": 7.2},
            "market_cap_change_percentage_24h_usd": round(t["change"] * 0.83, 4),
            "updated_at": int(self._stale(mode).timestamp()) - 40}})

    # --- Binance USD-M futures -------------------------------------------------------------

    def binance_premium_index(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {})
        ms = int(self._stale(mode).timestamp() * 1000)
        return Answer(200, {"symbol": q.get("symbol"), "markPrice": f"{self.price * 1.0004:.8f}",
                            "indexPrice": f"{self.price:.8f}", "estimatedSettlePrice": f"{self.price:.8f}",
                            "lastFundingRate": "0.75000000" if mode == "absurd" else "-0.00031200",
                            "interestRate": "0.00010000", "nextFundingTime": ms + 8 * 3_600_000 - 300_000,
                            "time": ms})

    def binance_open_interest(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {})
        return Answer(200, {"openInterest": "-5.000" if mode == "absurd" else "81234.567",
                            "symbol": q.get("symbol"), "time": int(self._stale(mode).timestamp() * 1000)})

    def binance_funding_info(self, q: dict[str, str], mode: str) -> Answer:
        return Answer(200, [{"symbol": "BLZUSDT", "adjustedFundingRateCap": "0.03000000",
                             "adjustedFundingRateFloor": "-0.03000000", "fundingIntervalHours": 4,
                             "disclaimer": False}])

    # --- Bybit -----------------------------------------------------------------------

    def bybit_tickers(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"retCode": 0, "retMsg": "OK", "result": {"category": q.get("category"), "list": []},
                                "retExtInfo": {}, "time": int(self.now.timestamp() * 1000)})
        t = self._ticker(mode)
        row: dict[str, Any] = {"symbol": q.get("symbol"), "lastPrice": f"{t['price']:.2f}",
                               "prevPrice24h": f"{t['open']:.2f}", "price24hPcnt": f"{t['change'] / 100:.4f}",
                               "highPrice24h": f"{t['high']:.2f}", "lowPrice24h": f"{t['low']:.2f}",
                               "turnover24h": f"{t['volume'] * t['price']:.4f}", "volume24h": f"{t['volume']:.4f}"}
        if q.get("category") == "linear":
            row |= {"indexPrice": f"{t['price']:.2f}", "markPrice": f"{t['price']:.2f}",
                    "fundingRate": "0.75" if mode == "absurd" else "-0.00025", "openInterest": "52011.125",
                    "openInterestValue": "-1.00" if mode == "absurd" else f"{52011.125 * t['price']:.2f}",
                    "nextFundingTime": str(self._next_funding_ms(8)),
                    "fundingIntervalHour": "8"}
        else:
            row["usdIndexPrice"] = f"{t['price']:.2f}"
        return Answer(200, {"retCode": 0, "retMsg": "OK", "result": {"category": q.get("category"), "list": [row]},
                            "retExtInfo": {}, "time": int(self._stale(mode).timestamp() * 1000)})

    # --- CoinGlass ---------------------------------------------------------------------

    def coinglass_exchange_list(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"code": "0", "msg": "success", "data": []})
        scale = 1.0 if q.get("range") == "24h" else 0.117
        if mode == "absurd" and q.get("range") == "1h":
            scale = 3.0  # the 1h total above the 24h one
        shares = {"Binance": 0.41, "OKX": 0.22, "Bybit": 0.19, "Bitget": 0.1, "HTX": 0.08}
        total = 412_000_000 * scale
        long, short = total * 0.82, total * 0.18
        extra_long, extra_short = self._burst(DAY if q.get("range") == "24h" else timedelta(hours=1))
        long, short, total = long + extra_long, short + extra_short, total + extra_long + extra_short
        rows = [{"exchange": "All", "liquidation_usd": total, "longLiquidation_usd": long,
                 "shortLiquidation_usd": short}]
        rows += [{"exchange": ex, "liquidation_usd": total * s, "longLiquidation_usd": long * s,
                  "shortLiquidation_usd": short * s} for ex, s in shares.items()]
        return Answer(200, {"code": "0", "msg": "success", "data": rows}, date=self._stale(mode))

    # --- OKX -------------------------------------------------------------------------

    def _liquidation_orders(self, rng: random.Random) -> list[dict[str, str]]:
        """250 illustrative orders over the last 23 hours, newest first (OKX's order)."""
        orders = []
        for i in range(250):
            ts = self.now - timedelta(seconds=30 + i * 330 + rng.randint(0, 200))
            pos = "long" if rng.random() < 0.8 else "short"
            orders.append({"bkLoss": "0", "bkPx": f"{self.price * (0.99 if pos == 'long' else 1.01):.1f}",
                           "ccy": "", "posSide": pos, "side": "sell" if pos == "long" else "buy",
                           "sz": str(rng.randint(1, 400)), "ts": str(int(ts.timestamp() * 1000))})
        return orders

    def okx_instruments(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"code": "0", "msg": "", "data": []})
        return Answer(200, {"code": "0", "msg": "", "data": [{
            "instType": "SWAP", "instId": q.get("instId"), "uly": q.get("instId", "").removesuffix("-SWAP"),
            "instFamily": q.get("instId", "").removesuffix("-SWAP"), "ctVal": "0.01", "ctMult": "1",
            "ctValCcy": q.get("instId", "BTC").split("-")[0], "ctType": "linear", "settleCcy": "USDT", "lever": "100", "state": "live"}]})

    def okx_liquidation_orders(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"code": "0", "msg": "", "data": []})
        orders = self.orders
        if "after" in q:
            orders = [o for o in orders if int(o["ts"]) < int(q["after"])]
        page = orders[: int(q.get("limit", "100"))]
        if mode == "absurd":
            page = [{**o, "bkPx": "-5"} for o in page]
        uly = q.get("uly", "BTC-USDT")
        return Answer(200, {"code": "0", "msg": "", "data": [{
            "details": page, "instFamily": uly, "instId": f"{uly}-SWAP", "instType": "SWAP", "totalLoss": "",
            "uly": uly}]}, date=self._stale(mode))

    def _next_funding_ms(self, hours: int) -> int:
        """The next settlement after now on a grid of ``hours`` from midnight UTC, in ms."""
        return int((_floor(self.now, timedelta(hours=hours)) + timedelta(hours=hours)).timestamp() * 1000)

    def okx_funding_rate(self, q: dict[str, str], mode: str) -> Answer:
        """The documented shape of GET /api/v5/public/funding-rate (illustrative values)."""
        if mode == "empty":
            return Answer(200, {"code": "0", "msg": "", "data": []})
        settles = self._next_funding_ms(8)
        return Answer(200, {"code": "0", "msg": "", "data": [{
            "formulaType": "noRate", "fundingRate": "0.75" if mode == "absurd" else "-0.0000610000000000",
            "fundingTime": str(settles), "impactValue": "", "instId": q.get("instId"), "instType": "SWAP",
            "interestRate": "", "maxFundingRate": "0.00375", "method": "current_period", "minFundingRate": "-0.00375",
            "nextFundingRate": "", "nextFundingTime": str(settles + 8 * 3_600_000), "premium": "-0.0000412",
            "settFundingRate": "-0.0000550000000000", "settState": "settled",
            "ts": str(int(self._stale(mode).timestamp() * 1000))}]})

    def okx_open_interest(self, q: dict[str, str], mode: str) -> Answer:
        """GET /api/v5/public/open-interest (illustrative: 3,100,000 contracts of 0.01 coin)."""
        if mode == "empty":
            return Answer(200, {"code": "0", "msg": "", "data": []})
        coins = 31_000.0
        return Answer(200, {"code": "0", "msg": "", "data": [{
            "instType": "SWAP", "instId": q.get("instId"), "oi": f"{coins * 100:.0f}", "oiCcy": f"{coins:.2f}",
            "oiUsd": f"{coins * self.price:.2f}", "ts": str(int(self._stale(mode).timestamp() * 1000))}]})

    # --- alternative.me ------------------------------------------------------------------

    def fear_greed(self, q: dict[str, str], mode: str) -> Answer:
        if mode == "empty":
            return Answer(200, {"name": "Fear and Greed Index", "data": [], "metadata": {"error": None}})
        day = datetime(self.now.year, self.now.month, self.now.day, tzinfo=timezone.utc) - (
            timedelta(days=3) if mode == "stale" else timedelta(0))
        return Answer(200, {"name": "Fear and Greed Index", "data": [{
            "value": "150" if mode == "absurd" else "8", "value_classification": "Extreme Fear",
            "timestamp": str(int(day.timestamp())), "time_until_update": "86100"}], "metadata": {"error": None}})

    # --- Deribit -------------------------------------------------------------------------

    def deribit_book_summary(self, q: dict[str, str], mode: str) -> Answer:
        """The illustrative options book (tests/sources/deribit_book.py) around the current price."""
        from tests.sources.deribit_book import book_rows, envelope

        if q.get("kind") != "option":
            return Answer(400, {"jsonrpc": "2.0", "error": {"code": -32602, "message": "Invalid params"}})
        rows = [] if mode == "empty" else book_rows(self.now, self.price, stale=mode == "stale",
                                                    absurd=mode == "absurd", currency=q.get("currency", "BTC"))
        return Answer(200, envelope(rows, self.now))


TIMEFRAMES_S = {"1m": timedelta(minutes=1), "5m": timedelta(minutes=5), "15m": timedelta(minutes=15),
                "30m": timedelta(minutes=30), "1h": timedelta(hours=1), "4h": H4, "1d": DAY}


def _floor(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return epoch + ((moment - epoch) // step) * step


def _day(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, moment.day, tzinfo=timezone.utc)
