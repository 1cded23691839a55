"""Rebuild examples/btc-live-replay.yaml: a live fetch recorded against local replicas of the providers.

Run from the repository root: ``python examples/build_live_replay.py``. The
replicas (tests/sources/venues.py) serve each provider's documented response
format on 127.0.0.1, so the recording holds 127.0.0.1 URLs. Their daily candles
are real (Bittrex BTC-USDT to 2018-06-17, finta test data, LGPL-3.0); the 4h
candles, tickers' 24h figures, funding (on each venue too), open interest, liquidations, the
Fear & Greed value, the Deribit options book and the CoinGecko /global figures are
illustrative. See examples/NOTICE.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.settings import load_settings  # noqa: E402
from generator.sources import fetch_live  # noqa: E402
from tests.sources.venues import NOW, Venues  # noqa: E402

OUT = ROOT / "examples" / "btc-live-replay.yaml"
HEADER = (
    "# examples/btc-live-replay.yaml: NOT real market data. A recording of `marketnews generate --asset BTC`\n"
    "# talking to local replicas of the providers (tests/sources/venues.py on 127.0.0.1) that answer in each\n"
    "# provider's documented format. Daily candles: real Bittrex BTC-USDT (finta test data, LGPL-3.0); all\n"
    "# other values illustrative. See examples/NOTICE. Rebuild: python examples/build_live_replay.py\n"
)


def main() -> None:
    with Venues() as venues:
        settings = load_settings(**venues.settings())
        result = fetch_live("BTC", settings, now=NOW)
    OUT.write_bytes(HEADER.encode() + result.recording)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(result.recording) // 1024} KiB); missing: {result.snapshot.missing}")


if __name__ == "__main__":
    main()
