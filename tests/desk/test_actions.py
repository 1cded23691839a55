"""Editors' actions and the rules: approve only what passes, edits re-check, stale versions conflict."""

from __future__ import annotations

import pytest

from generator.desk.actions import accept_proposal, approve, discard_proposal, reject, save_revision
from generator.desk.store import Store
from generator.errors import ConflictError, InputError, NotAllowed
from tests.desk.conftest import RIGHT, WRONG


def test_generate_registers_a_draft_with_its_first_revision_and_audit(
    store: Store, register, example,
) -> None:  # noqa: ANN001
    article = register()
    assert (article.status, article.current_revision, article.version) == ("draft", 1, 1)
    assert article.title == example.draft.title
    assert article.factcheck is not None and article.factcheck.failed == 0 and article.factcheck.mentions > 10
    assert article.sections["lead"] == "template"
    revision = store.revision(article.id)
    assert revision.markdown == example.body and revision.passed and revision.source == "generate"
    assert [(e.action, e.to_status) for e in store.audit(article.id)] == [("generated", "draft")]


def test_generating_the_same_asset_kind_and_date_again_adds_a_revision(
    store: Store, register, example,
) -> None:  # noqa: ANN001
    first = register()
    again = register(example.body + "\nNew data, new paragraph.\n")  # nobody worked on it yet: replaced
    assert again.id == first.id and again.current_revision == 2 and again.status == "draft"
    assert again.proposed_revision is None and store.audit(first.id)[0].action == "regenerated"
    approve(store, first.id, by="Ann")
    assert register(example.body + "\nNew data, new paragraph.\n").status == "approved"  # same text, same data
    proposed = register(example.body + "\nNewer data.\n")  # approved: the new text is a proposal
    assert (proposed.status, proposed.current_revision, proposed.proposed_revision) == ("approved", 2, 3)
    entry = store.audit(first.id)[0]
    assert entry.action == "proposed" and "revision 2 (approved) stays current" in entry.reason
    assert register(example.body + "\nNewer data.\n").version == proposed.version  # the same proposal again
    accepted = accept_proposal(store, first.id, by="Ann")
    assert (accepted.status, accepted.current_revision, accepted.proposed_revision) == ("draft", 3, None)
    assert store.revision(first.id).markdown.endswith("Newer data.\n")


def test_with_auto_publish_a_generated_text_is_replaced_but_a_human_edit_is_not(
    store: Store, register, example, check,
) -> None:  # noqa: ANN001
    first = register()
    approve(store, first.id, by="Ann")
    with store.transaction() as conn:  # as if published: the audit line must read as English ("a published")
        store.update_article(conn, store.article(first.id), status="published")
    applied = register(example.body + "\nNewer data.\n", auto_apply=True)
    assert (applied.status, applied.current_revision, applied.proposed_revision) == ("draft", 2, None)
    assert store.audit(first.id)[0].reason == "new text replaces a published revision; it needs a new review"
    save_revision(store, first.id, example.body + "\nAn editor's line.\n", by="Bob",
                  expected_version=applied.version, check=check)
    kept = register(example.body + "\nNewest data.\n", auto_apply=True)
    assert kept.current_revision == 3 and kept.proposed_revision == 4  # Bob's edit stays current
    assert store.revision(first.id).author == "Bob"
    assert discard_proposal(store, first.id, by="Bob").proposed_revision is None


def test_other_day_is_a_new_article(store: Store, register) -> None:  # noqa: ANN001
    first = register()
    other_day = register(date="2018-02-07")
    assert other_day.id != first.id


def test_approve_is_refused_while_the_current_revision_fails(store: Store, register, example) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    assert article.status == "blocked"
    with pytest.raises(NotAllowed, match="fails the fact-check"):
        approve(store, article.id, by="Ann")
    assert store.article(article.id).status == "blocked"


def test_a_right_fix_unblocks_and_can_then_be_approved(store: Store, register, example, check) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    result = save_revision(store, article.id, example.body, by="Ann", expected_version=article.version, check=check)
    assert result.unblocked and result.article.status == "draft" and result.revision.number == 2
    assert result.article.version == article.version + 1
    approved = approve(store, article.id, by="Bob", expected_version=result.article.version)
    assert approved.status == "approved"
    actions = [(e.actor, e.action, e.from_status, e.to_status) for e in store.audit(article.id)]
    assert actions[:2] == [("Bob", "approved", "draft", "approved"), ("Ann", "edited", "blocked", "draft")]
    assert store.audit(article.id)[1].reason.startswith("unblocked")


def test_a_wrong_edit_blocks_a_draft_and_withdraws_an_approval(
    store: Store, register, example, check,
) -> None:  # noqa: ANN001
    article = approve(store, register().id, by="Ann")
    result = save_revision(store, article.id, example.body.replace(RIGHT, WRONG), by="Bob",
                           expected_version=article.version, check=check)
    assert result.article.status == "blocked" and not result.revision.passed
    assert "approval withdrawn" in store.audit(article.id)[0].reason


def test_stale_versions_conflict_and_lose_nothing(store: Store, register, example, check) -> None:  # noqa: ANN001
    article = register()
    seen = article.version
    save_revision(store, article.id, example.body + "\nAnn's line.\n", by="Ann", expected_version=seen, check=check)
    with pytest.raises(ConflictError, match=r"Ann edited it.*you saw version 1, it is now version 2"):
        save_revision(store, article.id, example.body + "\nBob's line.\n", by="Bob", expected_version=seen,
                      check=check)
    with pytest.raises(ConflictError):
        approve(store, article.id, by="Bob", expected_version=seen)
    with pytest.raises(ConflictError):
        reject(store, article.id, by="Bob", reason="no", expected_version=seen)
    assert "Ann's line." in store.revision(article.id).markdown
    assert store.article(article.id).status == "draft"


def test_unchanged_text_saves_no_revision_and_line_endings_do_not_count(
    store: Store, register, example, check,
) -> None:  # noqa: ANN001
    article = register()
    result = save_revision(store, article.id, example.body.replace("\n", "\r\n"), by="Ann",
                           expected_version=article.version, check=check)
    assert result.revision is None and store.article(article.id).version == article.version


def test_reject_needs_a_reason_and_a_name(store: Store, register) -> None:  # noqa: ANN001
    article = register()
    with pytest.raises(InputError, match="reason"):
        reject(store, article.id, by="Ann", reason="  ")
    with pytest.raises(InputError, match="name"):
        reject(store, article.id, by=" ", reason="dull")
    rejected = reject(store, article.id, by="Ann", reason="duplicate of yesterday's")
    assert rejected.status == "rejected"
    assert store.audit(article.id)[0].reason == "duplicate of yesterday's"
    with pytest.raises(NotAllowed, match="already rejected"):
        reject(store, article.id, by="Ann", reason="again")


def test_empty_text_is_refused(store: Store, register, check) -> None:  # noqa: ANN001
    article = register()
    with pytest.raises(InputError, match="empty"):
        save_revision(store, article.id, " \n", by="Ann", expected_version=article.version, check=check)
