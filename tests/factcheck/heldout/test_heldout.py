"""The held-out claim harness: a second, independent measure of the fact-check on claims made in words.

Written apart from the first harness (tests/factcheck/claim_harness.py, whose cases the checker was fixed
against), over 600 random markets (1d, 4h and 1w candles, at the close and at any hour and minute of the day, daily
and alert articles): the templates' claim words flipped (flips.yaml), 46 LLM-style paraphrase shapes with every
alternative of their claim words (paraphrases.yaml), and the number perturbations of perturb.py. Its own oracle
(oracle.py) decides from the facts which variants are false.

Its first run on the finished checker is the figure that tells how the checker does on prose it was not fixed
against (docs/factcheck.md, "Measured"): template flips 97.7%, paraphrases 87.4%, numbers 99.6%, no false alarm on
the clean articles, 4 on true paraphrases (the oracle's "nearest resistance" ignores a swing level crossed since
the close, which the checker counts). The misses it showed were then fixed as rules (drift verbs, what a level
does to the price, the price against the range, who pays without a payee, ...): 99.9% / 99.2% / 99.6%. These
tests hold the checker to at least the figures after those fixes.
"""

from __future__ import annotations

import pytest

from tests.factcheck.heldout.harness import MARKETS, Run, run

# Floors (first run 0.977 and 0.874; these after its misses were fixed): a change may raise them, never lower them.
TEMPLATE_FLIPS = 0.999
PARAPHRASES = 0.992
NUMBERS = 0.995
TRUE_PARAPHRASE_ALARMS = 4


@pytest.fixture(scope="module")
def harness() -> Run:
    return run(MARKETS)


def _report(r: Run, *sources: str, alarms: bool = False) -> str:
    return "\n" + r.table() + "\n\n" + r.examples(n=4, sources=sources, alarms=alarms)


def test_the_run_is_large_and_covers_every_market_shape(harness: Run) -> None:
    specs = {(x.spec.kind, x.spec.timeframe, x.spec.intraday) for x in harness.results}
    assert harness.markets() >= 500
    assert {(k, tf, i) for k in ("daily", "alert") for tf in ("1d", "4h", "1w") for i in (False, True)} <= specs
    assert harness.rate("template")[1] >= 5000, _report(harness)
    assert harness.rate("paraphrase")[1] >= 10000, _report(harness)
    assert harness.rate("number")[1] >= 3000, _report(harness)


def test_false_template_claims_are_caught(harness: Run) -> None:
    caught, total = harness.rate("template")
    assert caught >= TEMPLATE_FLIPS * total, _report(harness, "template")


def test_false_paraphrases_are_caught(harness: Run) -> None:
    caught, total = harness.rate("paraphrase")
    assert caught >= PARAPHRASES * total, _report(harness, "paraphrase")


def test_clean_articles_have_no_false_alarm(harness: Run) -> None:
    assert not harness.false_alarms(), _report(harness, alarms=True)


def test_true_paraphrases_pass(harness: Run) -> None:
    assert len(harness.true_paraphrase_alarms()) <= TRUE_PARAPHRASE_ALARMS, _report(harness, alarms=True)


def test_false_numbers_are_caught(harness: Run) -> None:
    caught, total = harness.rate("number")
    assert caught >= NUMBERS * total, _report(harness, "number")
