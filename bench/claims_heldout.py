"""The held-out claim harness as a table: false claims made in words caught, per class, over random markets.

Runs tests/factcheck/heldout/harness.py (the acceptance test tests/factcheck/heldout/test_heldout.py runs the
same) and prints, per claim class, caught / must-catch for the template's own words flipped and for LLM-style
paraphrases, at the close and intraday; the number perturbations' catch rate; false alarms on the clean
articles and on true paraphrases; and the time taken.
Usage: python bench/claims_heldout.py [--markets N] [--workers N] [--examples N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness lives in tests/

from tests.factcheck.heldout.harness import MARKETS, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markets", type=int, default=len(MARKETS), help="a spread sample of this many markets")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core, up to 8)")
    parser.add_argument("--examples", type=int, default=0, help="print this many missed variants per class")
    args = parser.parse_args()
    step = max(1, len(MARKETS) // max(1, args.markets))
    markets = MARKETS[::step][: args.markets]
    result = run(markets, workers=args.workers)
    print(result.table())
    if args.examples:
        print()
        print(result.examples(n=args.examples))


if __name__ == "__main__":
    main()
