"""Rebuild examples/btc-alert-replay.yaml: the full fetch of a breaking alert, recorded against local replicas.

Run from the repository root: ``python examples/build_alert_replay.py``. The
replicas (tests/sources/venues.py) serve each provider's documented response
format on 127.0.0.1. At 09:07 UTC on June 18, 2018 they show a liquidation
cascade: over the past hour the price falls 6.8% and a burst of OKX liquidation
orders worth $46 million, 90% of them longs, hits the tape. The daily candles
are real (Bittrex BTC-USDT to 2018-06-17, finta test data, LGPL-3.0); everything
else, the cascade included, is illustrative. See examples/NOTICE.
"""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.alerts.poll import fetch_alert  # noqa: E402
from generator.settings import load_settings  # noqa: E402
from tests.sources.venues import Venues  # noqa: E402

OUT = ROOT / "examples" / "btc-alert-replay.yaml"
AT = datetime(2018, 6, 18, 9, 7, tzinfo=timezone.utc)
HEADER = (
    "# examples/btc-alert-replay.yaml: NOT real market data. A recording of the full fetch `marketnews watch`\n"
    "# makes when an alert fires, talking to local replicas of the providers (tests/sources/venues.py on\n"
    "# 127.0.0.1) that answer in each provider's documented format and show an illustrative liquidation\n"
    "# cascade. Daily candles: real Bittrex BTC-USDT (finta test data, LGPL-3.0); all other values\n"
    "# illustrative. See examples/NOTICE. Rebuild: python examples/build_alert_replay.py\n"
)


def main() -> None:
    with Venues(now=AT) as venues:
        venues.cascade(minutes=60, move_pct=-6.8, liquidations_usd=46e6, long_share=0.9)
        result = fetch_alert("BTC", load_settings(**venues.settings()), now=AT)
    OUT.write_bytes(HEADER.encode() + result.recording)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(result.recording) // 1024} KiB); missing: {result.snapshot.missing}")


if __name__ == "__main__":
    main()
