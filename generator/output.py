"""Writing an article's files: all or nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file via a temp file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_article_dir(dest: Path, files: dict[str, bytes]) -> Path:
    """Write ``files`` into ``dest`` as a unit.

    The files go to a hidden sibling folder first, which then replaces ``dest``
    by rename; an earlier article in ``dest`` is kept until the new one is in
    place. A failure leaves the previous state untouched and raises OutputError.
    """
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp"))
    except OSError as err:
        raise OutputError(f"cannot write to {dest.parent}: {err.strerror or err}") from None
    old: Path | None = None
    try:
        for name, data in files.items():
            with open(staging / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            os.replace(dest, old)
        os.replace(staging, dest)
    except OSError as err:
        if old is not None and not dest.exists():
            os.replace(old, dest)
            old = None
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {dest}: {err.strerror or err}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return dest
