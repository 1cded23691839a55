"""The claim perturbation figures: false claims made in words (and numbers) caught by the fact-check, per class.

Runs the harness of tests/factcheck/test_claim_perturbations.py (tests/factcheck/claim_harness.py) over the same
random markets and prints the table: per suite (template flips, LLM-style paraphrases, numbers) and claim class,
caught / must-catch at the close and intraday, what was not counted (borderline values, true flips, flips that are
true because the clean article was wrong), the false alarms, and the most common missed shapes.
Usage: python bench/claims_perturbation.py [--scale 1.0] [--processes N] [--examples 2] [--markdown]
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness lives in tests/

from tests.factcheck.claim_harness import Figures, markets, run  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the test's markets to run (default: all)")
    parser.add_argument("--processes", type=int, default=None, help="worker processes (default: the CPUs)")
    parser.add_argument("--examples", type=int, default=2, help="misses and false alarms shown per class")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown, for the docs")
    args = parser.parse_args()
    outcomes, seconds = run(markets(args.scale), args.processes)
    figures = Figures(outcomes, seconds)
    print(f"# {platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(figures.markdown() if args.markdown else figures.report(args.examples))
    if args.markdown:
        print("\nMost common missed shapes:\n")
        for shape, n, o in figures.misses_by_shape():
            print(f"- {n} × `{shape}`: {o.sentence}")


if __name__ == "__main__":
    main()
