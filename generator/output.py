"""Writing an article's files: all or nothing, readable as any other file the user writes.

Temporary files and folders are created private (0600/0700); left so, a web server running as another user
(nginx, www-data) answers 403 for the static site. So what is renamed into place gets the mode a plain
``open()``/``mkdir()`` would have given under the process's umask, or the mode of the file it replaces.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from functools import cache
from pathlib import Path

from generator.errors import OutputError


@cache
def _umask() -> int:
    # os.umask can only be read by setting it; do that once, before any threads of ours write files.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from open(): 0o644 under the usual umask 022."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    """The mode a new folder gets from mkdir(): 0o755 under the usual umask 022."""
    return 0o777 & ~_umask()


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write one file via a temp file in the same folder and a rename.

    The file gets ``mode`` if given, else the mode of the file it replaces, else the umask's default.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = file_mode()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
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
        os.chmod(staging, dir_mode())
    except OSError as err:
        raise OutputError(f"cannot write to {dest.parent}: {err.strerror or err}") from None
    try:
        for name, data in files.items():
            # open() applies the umask itself: the files are as readable as the user's other files.
            with open(staging / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write {dest}: {err.strerror or err}") from None
    try:
        promote_dir(staging, dest)
    except OutputError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return dest


def proposal_dir(dest: Path) -> Path:
    """Where a regeneration waits while the desk keeps an editor's version in ``dest`` (generator.desk.proposals)."""
    return dest.with_name(dest.name + ".proposed")


def incoming_dir(dest: Path) -> Path:
    """Where a regeneration's files wait while the desk decides whether they replace ``dest`` or a proposal's."""
    return dest.with_name(f".{dest.name}.incoming")


def promote_dir(staged: Path, dest: Path) -> None:
    """Replace ``dest`` by the folder ``staged`` as a unit (the previous ``dest`` is kept until it is in place)."""
    old: Path | None = None
    try:
        if dest.exists():
            old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
            os.replace(dest, old)
        os.replace(staged, dest)
    except OSError as err:
        if old is not None and not dest.exists():
            os.replace(old, dest)
            old = None
        raise OutputError(f"cannot write {dest}: {err.strerror or err}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
