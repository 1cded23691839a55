"""Sentence by sentence: what of a model's paragraph is kept when the paragraph as a whole does not prove."""

from __future__ import annotations

from generator.drafting.llm.merge import carries, merge, sentences, unbacked
from generator.drafting.llm.proof import Attempt
from generator.drafting.llm.reply import SectionDraft

DRAFT = SectionDraft(heading="## Price action", paragraphs=[
    "Bitcoin fell {price.change_24h_pct|abs} to {price.current}. The close broke below support at "
    "{levels.broken_support}. Sentiment remains in extreme fear.",
    "Liquidations reached {liquidations.total_24h_usd}.",
])


def prover(*refused: str):  # noqa: ANN202  (a fake proof: refuses a section holding any of these words)
    seen: list[SectionDraft] = []

    def prove(section: SectionDraft) -> Attempt:
        seen.append(section)
        text = "\n\n".join(section.paragraphs)
        bad = [w for w in refused if w in text]
        return Attempt(text=text, markdown=None if bad else text, problems=[f"refused {w!r}" for w in bad])

    prove.seen = seen  # type: ignore[attr-defined]
    return prove


def reply(*paragraphs: str) -> SectionDraft:
    return SectionDraft(heading="## Price action", paragraphs=list(paragraphs))


def test_sentences_split_at_an_end_not_inside_a_placeholder() -> None:
    assert sentences("It fell to {price.current}. The close broke {levels.broken_support}! Why? {x.y} held.") == [
        "It fell to {price.current}.", "The close broke {levels.broken_support}!", "Why?", "{x.y} held."]
    assert sentences("Bitcoin traded at {price.current}.") == ["Bitcoin traded at {price.current}."]


def test_one_bad_sentence_costs_that_sentence_not_the_paragraph() -> None:
    model = ("Bitcoin dropped {price.change_24h_pct|abs} to {price.current}. Whales dumped after the close broke "
             "below support at {levels.broken_support}. The mood stays at extreme fear.")
    got = merge("price_action", DRAFT, [DRAFT], [reply(model, "Liquidations hit {liquidations.total_24h_usd}.")],
                prover("Whales"))
    assert got.origin == "partial"
    assert got.markdown is not None
    first = got.markdown.split("\n\n")[0]
    assert first == ("Bitcoin dropped {price.change_24h_pct|abs} to {price.current}. The close broke below support "
                     "at {levels.broken_support}. The mood stays at extreme fear.")
    assert "Liquidations hit" in got.markdown and "Whales" not in got.markdown
    assert (got.sentences, got.model_sentences) == (4, 3)
    assert any("refused 'Whales'" in p for p in got.problems)


def test_a_paragraph_that_cannot_be_paired_by_sentences_falls_back_whole() -> None:
    model = "Bitcoin dropped {price.change_24h_pct|abs} to {price.current}, and whales dumped below {levels.broken_support}."
    got = merge("price_action", DRAFT, [DRAFT], [reply(model, "Liquidations hit {liquidations.total_24h_usd}.")],
                prover("whales"))
    assert got.markdown is not None and got.markdown.split("\n\n")[0] == DRAFT.paragraphs[0]
    assert (got.sentences, got.model_sentences) == (4, 1)


def test_a_sentence_that_drops_its_pairs_fact_is_not_put_in_its_place() -> None:
    # The middle sentence loses {levels.broken_support}: kept, the section would no longer say the break.
    model = ("Bitcoin dropped {price.change_24h_pct|abs} to {price.current}. Whales sold the close. "
             "The mood stays at extreme fear.")
    got = merge("price_action", DRAFT, [DRAFT], [reply(model, DRAFT.paragraphs[1])], prover("Whales"))
    assert got.markdown is not None
    assert "{levels.broken_support}" in got.markdown and "Whales" not in got.markdown


def test_words_that_say_nothing_the_draft_says_are_refused_though_no_rule_catches_them() -> None:
    loose = "A swing low is now supported, and it's back to the starting point."
    assert unbacked([f"Bitcoin fell {{price.change_24h_pct|abs}} to {{price.current}}. {loose}"], DRAFT.paragraphs) \
        == [f"states nothing the data or the draft backs: {loose!r}"]
    model = (f"Bitcoin fell {{price.change_24h_pct|abs}} to {{price.current}}. The close broke below support at "
             f"{{levels.broken_support}}. {loose}")
    got = merge("price_action", DRAFT, [DRAFT], [reply(model, DRAFT.paragraphs[1])], prover())
    assert got.markdown is not None and loose not in got.markdown
    assert got.markdown.split("\n\n")[0].endswith("Sentiment remains in extreme fear.")
    assert any("states nothing" in p for p in got.problems)


def test_carries_asks_the_facts_of_a_sentence_with_facts_and_the_words_of_one_without() -> None:
    assert carries("The mood stays at extreme fear.", "Sentiment remains in extreme fear.")
    assert not carries("It is back to the starting point.", "Sentiment remains in extreme fear.")
    assert carries("The close cut through {levels.broken_support}.", "The close broke below {levels.broken_support}.")
    assert not carries("The close was weak.", "The close broke below {levels.broken_support}.")
    assert not carries("Anything at all.", "")


def test_a_section_with_no_sentence_of_the_models_is_not_the_models() -> None:
    model = ("Whales dropped it {price.change_24h_pct|abs} to {price.current}. Whales broke {levels.broken_support}. "
             "Whales stay in fear.")
    got = merge("price_action", DRAFT, [DRAFT], [reply(model, "Whales took {liquidations.total_24h_usd}.")],
                prover("Whales"))
    assert got.markdown is None and got.origin is None
