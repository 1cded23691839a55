"""The labelled corpus: every sentence gets the verdicts its label says (see tests/factcheck/corpus/README.md)."""

from __future__ import annotations

import pytest

from tests.factcheck.corpus import Item, describe, load_corpus, metrics, run

ITEMS = load_corpus()


@pytest.mark.parametrize("item", ITEMS, ids=[i.id for i in ITEMS])
def test_corpus_sentence(item: Item) -> None:
    outcome = run([item])[0]
    assert outcome.ok, describe(outcome)


def test_corpus_is_large_and_balanced() -> None:
    m = metrics(run(ITEMS))
    assert m.sentences >= 200
    assert 0.4 <= m.correct_sentences / m.sentences <= 0.6
    assert len({i.snapshot for i in ITEMS}) >= 4
