"""A process killed in the middle of saving a revision leaves the previous revision intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from generator.desk.actions import save_revision
from generator.desk.store import Store
from tests.conftest import ROOT
from tests.desk.conftest import RIGHT, WRONG

# The child saves a fixed revision but freezes inside the transaction, after the article row and the new
# revision are written and before the audit entry and COMMIT; the parent then kills it with SIGKILL. On both
# engines: SQLite's journal and PostgreSQL's dropped session each undo the half-done transaction.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from generator.desk import actions
    from generator.desk.store import Store

    db, ready, text = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]).read_text()
    store = Store(db)

    def freeze(*args, **kwargs):  # Store.log writes the audit entry, the last step before COMMIT
        ready.write_text("inside the transaction")
        time.sleep(600)

    Store.log = staticmethod(freeze)
    actions.save_revision(store, 1, text, by="Crash", expected_version=1)
""")


def test_killing_a_save_midway_keeps_the_previous_revision(store: Store, register, example, check,
                                                           tmp_path: Path) -> None:  # noqa: ANN001
    article = register(example.body.replace(RIGHT, WRONG))
    new_text = tmp_path / "fixed.md"
    new_text.write_text(example.body)
    ready = tmp_path / "ready"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store.desk_db), str(ready), str(new_text)], cwd=ROOT,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert child.poll() is None, "the child exited before reaching the transaction"
            assert time.monotonic() < deadline, "the child never reached the transaction"
            time.sleep(0.05)
        with store.connect() as conn:  # the half-done save is invisible to other readers ...
            assert conn.execute("SELECT COUNT(*) FROM revisions").fetchone()[0] == 1
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    # ... and after the kill, nothing of it remains: same version, same revision, same audit, intact file.
    after = store.article(article.id)
    assert (after.version, after.current_revision, after.status) == (1, 1, "blocked")
    assert [r.number for r in store.revisions(article.id)] == [1]
    assert store.revision(article.id).markdown == example.body.replace(RIGHT, WRONG)
    assert [e.action for e in store.audit(article.id)] == ["generated"]
    if store.engine.name == "sqlite":
        with store.connect() as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The lock died with the process: the next save goes through at once.
    result = save_revision(store, article.id, example.body, by="Ann", expected_version=1, check=check)
    assert result.revision.number == 2 and result.article.status == "draft"
