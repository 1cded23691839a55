"""generate registers every draft it writes, with the fact-check report of exactly the stored text."""

from __future__ import annotations

from pathlib import Path

from generator.cli import main
from generator.desk.store import Store
from tests.conftest import EXAMPLE, failing_templates


def test_generate_registers_the_draft_with_aligned_verdicts(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    assert main(["generate", "--snapshot", str(EXAMPLE), "--out", str(out)]) == 0
    assert "registered for review as draft 1" in capsys.readouterr().out
    store = Store(out / "desk.sqlite3")
    article = store.article(1)
    assert (article.asset, article.kind, article.date, article.status) == ("BTC", "daily", "2018-02-06", "draft")
    assert article.path == (out / "2018-02-06" / "btc-daily").resolve()
    assert "article.md" in article.files and article.sections["lead"] == "template"
    revision = store.revision(1)
    assert revision.passed and revision.markdown.startswith("# Bitcoin")
    assert (out / "2018-02-06" / "btc-daily" / "article.md").read_text().endswith(revision.markdown)
    assert revision.factcheck is not None
    mentions = revision.factcheck.mentions
    assert len(mentions) > 20
    assert all(revision.markdown[m.start:m.end] == m.text for m in mentions)
    # The same data again: nothing new to review.
    assert main(["generate", "--snapshot", str(EXAMPLE), "--out", str(out)]) == 0
    assert store.article(1).current_revision == 1


def test_a_blocked_generate_is_registered_blocked_and_shown_with_its_failures(
    tmp_path: Path, capsys,
) -> None:  # noqa: ANN001
    cfg = tmp_path / "marketnews.toml"
    cfg.write_text(f'templates_dir = "{failing_templates(tmp_path)}"\ndesk_db = "{tmp_path / "desk.db"}"\n')
    assert main(["--config", str(cfg), "generate", "--snapshot", str(EXAMPLE), "--out", str(tmp_path / "o")]) == 3
    capsys.readouterr()
    assert Store(tmp_path / "desk.db").article(1).status == "blocked"
    assert main(["--config", str(cfg), "drafts", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert "⟦$1.2 billion⟧" in shown and "⟦March 2020⟧" in shown
    assert main(["--config", str(cfg), "drafts", "approve", "1", "--by", "Ann"]) == 3
