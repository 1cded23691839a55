"""A wrong number inside a verified phrase shows as failing, in the page and the terminal, linked to its sentence.

Seen: in the headline "breaks $7,864 support" the whole phrase was marked verified; the mismatch appeared only
in the sidebar, with no sentence and a link to nothing.
"""

from __future__ import annotations

import re

from generator.desk.checking import check_body
from generator.desk.proof import mention_views, proof_html, proof_text
from generator.factcheck.report import CheckReport, MentionResult

WRONG_IN_PHRASE = ("breaks $7,846 support", "breaks $7,864 support")


def test_the_failing_figure_is_marked_inside_the_verified_phrase(example) -> None:  # noqa: ANN001
    body = example.body.replace(*WRONG_IN_PHRASE, 1)
    views = mention_views(body, check_body(body, example.facts), example.facts)
    phrase = next(v for v in views if v.text == "breaks $7,864 support")
    figure = next(v for v in views if v.text == "$7,864")
    assert phrase.verdict == "verified" and figure.verdict == "mismatch"
    assert phrase.placed and figure.placed
    assert figure.sentence[1] == "$7,864" and "breaks" in figure.sentence[0]  # the sentence it sits in
    page = str(proof_html(body, views))
    outer = re.search(rf'<mark class="mention v-verified"[^>]*id="m{phrase.index}"[^>]*>(.*?)</mark>', page, re.S)
    assert outer and f'id="m{figure.index}"' in outer.group(1)  # the sidebar's #m link has its target
    assert re.search(rf'<mark class="mention v-mismatch"[^>]*id="m{figure.index}"[^>]*>\$7,864', page)
    failed = [v for v in views if v.failed]
    assert f"breaks ⟦$7,864⟧[{failed.index(figure) + 1}] support" in proof_text(body, views)


def _m(text: str, start: int, verdict: str) -> MentionResult:
    return MentionResult(text=text, start=start, end=start + len(text), kind="claim", value=None,
                         verdict=verdict, fact=None, expected=None, reason="", sentence="")  # type: ignore[arg-type]


def test_crossing_mentions_are_not_both_placed_and_identical_spans_nest() -> None:
    text = "alpha beta gamma delta"
    report = CheckReport.from_results([_m("alpha beta", 0, "verified"), _m("beta gamma", 6, "mismatch"),
                                       _m("delta", 17, "verified"), _m("delta", 17, "unsupported")])
    views = mention_views(text, report, None)  # type: ignore[arg-type]
    assert [v.placed for v in views] == [True, False, True, True]
    assert views[1].sentence == ("alpha ", "beta gamma", " delta")  # not placed, but still shown in its sentence
    assert proof_text(text, views) == "alpha beta gamma ⟦delta⟧[2]"
    html = str(proof_html(text, views))
    assert html.count("<mark") == html.count("</mark>") == 3
