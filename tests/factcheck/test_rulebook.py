"""The rule book (generator/factcheck/rules/*.yaml): word knowledge defined once, as data, compiled at import."""

from __future__ import annotations

import re

import pytest

import generator.factcheck  # noqa: F401  (every module asks the book for what it uses when it is imported)
from generator.factcheck.claims import CLAIM_RULES
from generator.factcheck.predicates import PREDICATES
from generator.factcheck.rulebook import FILES, RULES, RuleBook, RuleBookError, inflect, load


def test_every_class_and_pattern_is_used() -> None:
    assert RULES.unused() == set(), "dead word knowledge: remove it or name it in a rule"


def test_every_rule_compiles_and_every_reference_resolves() -> None:
    fresh = load()  # a second load compiles every rule and pattern again, from the files
    for name in fresh.sources:
        fresh.regex(name)
    for section, entries in fresh.rules.items():
        for entry in entries:
            for slot in ("match", "before", "after_text", "unless", "blank"):
                if slot in entry:
                    fresh.compile(str(entry[slot]), f"{section}.{slot}")


def test_every_claim_rule_names_a_predicate_and_classes() -> None:
    assert {rule.predicate for rule in CLAIM_RULES} <= set(PREDICATES)
    assert set(PREDICATES) <= {rule.predicate for rule in CLAIM_RULES}, "a predicate no rule uses"
    names = [rule.name for rule in CLAIM_RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("docs", "message"),
    [
        ({"words": {"classes": {"a": ["x"]}}, "patterns": {"patterns": {"p": "{nope}"}}}, "unknown reference"),
        ({"words": {"classes": {"a": ["x"]}}, "patterns": {"patterns": {"p": "({a}"}}}, "does not compile"),
        ({"words": {"classes": {"a": {"values": {"v": ["x"]}}}}, "patterns": {"patterns": {"p": "{a=w}"}}},
         "has no value"),
        ({"words": {"classes": {"a": ["x"]}}, "patterns": {"patterns": {"p": "{a:past}"}}}, "has no verbs"),
        ({"words": {"classes": {"a": {"verbs": ["go"], "spelling": ["x"]}}}}, "unknown keys"),
        ({"words": {"classes": {"a": ["x"]}}, "patterns": {"patterns": {"p": "{p}"}}}, "refers to itself"),
    ],
)
def test_a_wrong_rule_book_fails_at_import_with_its_name(docs: dict, message: str) -> None:
    with pytest.raises(RuleBookError, match=message):
        book = RuleBook(docs)
        for name in book.sources:
            book.regex(name)


@pytest.mark.parametrize(
    ("spec", "forms"),
    [
        ("plunge", ["plunge", "plunges", "plunged", "plunging"]),
        ("drop", ["drop", "drops", "dropped", "dropping"]),
        ("plummet", ["plummet", "plummets", "plummeted", "plummeting"]),
        ("rally", ["rally", "rallies", "rallied", "rallying"]),
        ("crash", ["crash", "crashes", "crashed", "crashing"]),
        ("fall/fell/fallen", ["fall", "falls", "fell", "fallen", "falling"]),
        ("outstrip/outstripped", ["outstrip", "outstrips", "outstripped", "outstripping"]),
        ("sell off/sold off", ["sell off", "sells off", "sold off", "selling off"]),
    ],
)
def test_verbs_are_written_once_and_inflected(spec: str, forms: list[str]) -> None:
    assert sorted(x for v in inflect(spec).values() for x in v) == sorted(forms)


def test_the_price_movement_verbs_have_one_definition() -> None:
    """Every fall verb crosses a support and every rise verb a resistance, in every rule that reads a move."""
    claim = next(r for r in CLAIM_RULES if r.name == "broke_level")
    pattern = RULES.compile(claim.source)
    for verb in ("fell", "plummeted", "crashed", "nosedived", "slumped", "tumbled", "sank"):
        assert RULES.value("break_way", pattern.match(f"{verb} below support").group("break_way")) == "down", verb
    for verb in ("surged", "soared", "rocketed", "rallied", "climbed", "jumped", "skyrocketed"):
        assert RULES.value("break_way", pattern.match(f"{verb} above resistance").group("break_way")) == "up", verb
    cross = RULES.regex("cross_number")
    assert all(cross.search(f"Bitcoin {v} below $7,000") for v in ("plummeted", "crashed", "tanked", "slid"))
    assert all(cross.search(f"Bitcoin {v} above $9,000") for v in ("soared", "rocketed", "skyrocketed", "rose"))


def test_values_say_which_part_of_a_class_a_word_is() -> None:
    assert RULES.value("side", "shorts") == "short" and RULES.value("side", "long positions") == "long"
    assert RULES.value("sign_word", "flat") == "zero" and RULES.value("move_noun", "sell-off") == "down"
    assert RULES.value("side", "longer") is None


def test_the_book_is_the_files_the_package_ships() -> None:
    from importlib import resources

    shipped = {p.name for p in resources.files("generator.factcheck.rules").iterdir() if p.name.endswith(".yaml")}
    assert shipped == {f"{name}.yaml" for name in FILES}
    assert all(re.fullmatch(r"[a-z_]+", name) for name in RULES.classes)
