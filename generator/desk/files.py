"""The files of a revision kept in the store, so any host serves and publishes from the store alone.

``generate`` writes an article's folder on its own host; a review replica or a publishing job on another
host cannot read it. What the desk reads of that folder — the article file (its front matter) and the chart —
is stored with the revision it belongs to, content-addressed (one copy of identical bytes), and an edit's
revision inherits the files of the text it edits. Readers get a folder either way: the stored files written
once into a local cache named by their hashes, or, for revisions stored before the files were (or with none),
generate's own folder.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path

from generator.desk.engine import Connection
from generator.desk.models import Article

# What the review page and publishing read from an article's folder.
STORED_FILES = ("article.md", "chart.png")


def put_files(conn: Connection, article_id: int, revision: int, files: dict[str, bytes]) -> None:
    """Store ``files`` (those of STORED_FILES present) as ``revision``'s."""
    for name in STORED_FILES:
        if name not in files:
            continue
        data = files[name]
        digest = hashlib.sha256(data).hexdigest()
        conn.execute("INSERT INTO blobs (sha256, data) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING",
                     (digest, base64.b64encode(data).decode("ascii")))
        conn.execute("INSERT INTO revision_files (article_id, revision, name, sha256) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (article_id, revision, name) DO UPDATE SET sha256 = excluded.sha256",
                     (article_id, revision, name, digest))


def inherit_files(conn: Connection, article_id: int, source: int, revision: int) -> None:
    """An edit's revision goes out with the files of the revision it edits."""
    conn.execute("INSERT INTO revision_files (article_id, revision, name, sha256) "
                 "SELECT article_id, ?, name, sha256 FROM revision_files WHERE article_id = ? AND revision = ?",
                 (revision, article_id, source))


def file_hashes(conn: Connection, article_id: int, revision: int) -> dict[str, str]:
    rows = conn.execute("SELECT name, sha256 FROM revision_files WHERE article_id = ? AND revision = ?",
                        (article_id, revision)).fetchall()
    return {row["name"]: row["sha256"] for row in rows}


def files_folder(conn: Connection, article: Article, revision: int, cache: Path | None = None) -> Path:
    """A folder holding ``revision``'s files: from the store when it has them, else generate's folder."""
    hashes = file_hashes(conn, article.id, revision)
    if not hashes:
        return article.path
    key = hashlib.sha256("".join(f"{n}\0{h}\0" for n, h in sorted(hashes.items())).encode()).hexdigest()[:32]
    root = cache or Path(tempfile.gettempdir()) / f"marketnews-desk-files-{os.getuid()}"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    if root.is_symlink() or root.stat().st_uid != os.getuid():
        # Someone else made this entry of the shared temporary folder: trust nothing in it, use one of our own.
        root = Path(tempfile.mkdtemp(prefix="marketnews-desk-files-"))
    folder = root / key
    if folder.is_dir():
        return folder  # named by the hashes of what it holds: never stale
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".incoming-"))
    for name, digest in hashes.items():
        row = conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        (staging / name).write_bytes(base64.b64decode(row["data"]))
    try:
        staging.rename(folder)  # whole or not at all; a concurrent reader that won the race has the same files
    except OSError:
        for child in staging.iterdir():
            child.unlink()
        staging.rmdir()
    return folder
