"""Precision and recall of the fact-check's flags on the labelled corpus (tests/factcheck/corpus/).

A flag is any verdict but ``verified``. Recall: labelled wrong mentions the checker flags. Precision:
flags that are labelled wrong (the rest are false alarms). Also per sentence: correct sentences with
no flag, wrong sentences with every labelled flag caught.
Usage: python bench/factcheck_corpus.py [-v]   (-v lists every sentence the checker gets wrong)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.factcheck.corpus import describe, load_corpus, metrics, run  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    outcomes = run(load_corpus())
    m = metrics(outcomes)
    if args.verbose:
        for o in outcomes:
            if not o.ok:
                print(describe(o), end="\n\n")
    print(f"corpus: {m.sentences} sentences ({m.correct_sentences} correct, {m.wrong_sentences} wrong), "
          f"{m.labelled_flags} labelled flags, {m.negatives} mentions expected to verify")
    print(f"flags:  precision {m.precision:.1%} ({m.mentions_flagged_right} right, {m.false_alarms} false alarms), "
          f"recall {m.recall:.1%} ({m.mentions_flagged_right} of {m.labelled_flags}; "
          f"{m.mentions_flagged_exact} with the labelled verdict)")
    print(f"sentences: {m.correct_sentences_clean} of {m.correct_sentences} correct ones pass clean, "
          f"{m.wrong_sentences_caught} of {m.wrong_sentences} wrong ones caught in full")


if __name__ == "__main__":
    main()
