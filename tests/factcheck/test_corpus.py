"""The labelled corpus: every sentence gets the verdicts its label says (see tests/factcheck/corpus/README.md)."""

from __future__ import annotations

import pytest

from tests.factcheck.corpus import Item, describe, load_corpus, metrics, run

ITEMS = load_corpus()


@pytest.mark.parametrize("item", [pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=i.known)) if i.known else i
                                  for i in ITEMS], ids=[i.id for i in ITEMS])
def test_corpus_sentence(item: Item) -> None:
    """Every sentence gets the verdicts its label says; a sentence marked `known` is a limit the docs list, and its
    test fails the day the limit is gone (so the mark comes off)."""
    outcome = run([item])[0]
    assert outcome.ok, describe(outcome)


def test_known_limits_are_few() -> None:
    assert sum(1 for i in ITEMS if i.known) <= 5


def test_corpus_is_large_and_balanced() -> None:
    m = metrics(run(ITEMS))
    assert m.sentences >= 200
    assert 0.4 <= m.correct_sentences / m.sentences <= 0.6
    assert len({i.snapshot for i in ITEMS}) >= 4
