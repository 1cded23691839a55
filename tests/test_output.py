from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.errors import OutputError
from generator.output import write_article_dir, write_atomic


def test_replaces_previous_article_as_a_unit(tmp_path: Path) -> None:
    dest = tmp_path / "2018-02-06" / "btc-daily"
    write_article_dir(dest, {"a.md": b"one", "b.json": b"{}"})
    write_article_dir(dest, {"a.md": b"two"})
    assert sorted(p.name for p in dest.iterdir()) == ["a.md"]
    assert (dest / "a.md").read_bytes() == b"two"
    assert [p.name for p in dest.parent.iterdir()] == ["btc-daily"]  # no staging or old folders left


def test_crash_mid_write_keeps_previous_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "btc-daily"
    write_article_dir(dest, {"article.md": b"previous"})
    real_replace = os.replace
    calls = []

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == dest and not calls:  # the new folder's move into place fails once
            calls.append(src)
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match="No space left"):
        write_article_dir(dest, {"article.md": b"new", "article.html": b"<p>"})
    monkeypatch.undo()
    assert (dest / "article.md").read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["btc-daily"]


def test_write_atomic_leaves_no_temp_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("boom")))
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["f.txt"]
