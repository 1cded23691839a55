"""The acceptance test for claims made in words: false ones are caught, true ones pass, numbers stay caught.

Over 600 random markets (tests/random_markets.py: 300 at the close, 300 taken intraday, 1d, 4h and 1w candles,
daily and alert articles) the harness (claim_harness.py) flips every claim word the templates write
(claim_cases/template_flips.yaml), renders 48 shapes of sentences a language model would write with every
alternative of their claim word (claim_cases/paraphrases.yaml), and runs the number perturbations of perturb.py.
Which variants are false is decided by an oracle of its own (claim_oracle.py) from the facts, not by the
fact-check's rules; borderline values are skipped there, and a flip that is true because the clean article was
wrong is reported apart, never as a miss.

Acceptance: at least 99% of the false word claims caught (flips and paraphrases, at the close and intraday
alike, and in every claim class), no failure on a clean article that the oracle does not find false, no failure
on a true paraphrase, and at least 99.5% of the number perturbations caught. On failure the message gives the
table per class (caught / must-catch) and the first misses and false alarms with their sentences;
``python bench/claims_perturbation.py`` prints the same table.
"""

from __future__ import annotations

import pytest

from tests.factcheck.claim_harness import GROUPS, Figures, check_case_files, flip_cases, markets, paraphrase_shapes, run

WORD_CLAIMS = 0.99  # share of false word claims caught
NUMBERS = 0.995  # share of number perturbations caught
MARKETS = 500


@pytest.fixture(scope="module")
def figures() -> Figures:
    outcomes, seconds = run(markets())
    return Figures(outcomes, seconds)


def _require(ok: bool, message: str) -> None:
    """Fail with ``message`` only: pytest's own account of the expression would print every outcome of the run."""
    if not ok:
        pytest.fail(message, pytrace=False)


def test_the_case_files_are_sound() -> None:
    """Every expression names known predicates (checked as the files load), every case has its claim group."""
    problems = check_case_files()
    _require(not problems, "\n".join(problems))
    _require(len(flip_cases()) >= 75 and len(paraphrase_shapes()) >= 30, "case files shrank")


def test_the_run_covers_every_case_and_enough_markets(figures: Figures) -> None:
    _require(figures.markets() >= MARKETS and all(figures.markets(g) >= MARKETS // 3 for g in GROUPS),
             figures.table())
    seen = {o.shape for o in figures.outcomes}
    # A case marked dormant says why the templates no longer write its sentence; every other case must fire.
    unused = [c.id for c in flip_cases() if c.id not in seen and not c.dormant] + \
        [s.id for s in paraphrase_shapes() if s.id not in seen]
    _require(not unused, f"cases that never fired on any market (the templates changed?): {unused}")


def test_false_word_claims_are_caught(figures: Figures) -> None:
    ok = all(figures.word_claims(g)[2] >= WORD_CLAIMS for g in GROUPS)
    _require(ok, figures.report(suites=("flip", "paraphrase"), statuses=("missed",)))


def test_every_claim_class_is_caught(figures: Figures) -> None:
    """The overall share must not hide a class: each claim class on its own reaches the same share."""
    low = [f"{suite} {cls}: {total[0]}/{total[1]}" for suite, cls, _, _, total, _ in figures.rows()
           if suite in ("flip", "paraphrase") and total[1] and total[2] < WORD_CLAIMS]
    _require(not low, "classes below the bar: " + "; ".join(low) + "\n\n" +
             figures.report(suites=("flip", "paraphrase"), statuses=("missed",)))


def test_no_false_alarm_on_clean_articles(figures: Figures) -> None:
    _require(not figures.false_alarms("clean"), figures.report(suites=("clean",), statuses=("clean_false_alarm",)))


def test_no_false_alarm_on_true_paraphrases(figures: Figures) -> None:
    _require(not figures.false_alarms("paraphrase"), figures.report(suites=("paraphrase",), statuses=("false_alarm",)))


def test_numbers_are_caught(figures: Figures) -> None:
    ok = all(figures.numbers(g)[2] >= NUMBERS for g in GROUPS)
    _require(ok, figures.report(suites=("number",), statuses=("missed",)))
