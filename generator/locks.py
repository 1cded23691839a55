"""An exclusive, non-blocking lock on a file, so two scheduled runs never overlap.

flock(2) locks belong to the open file and vanish when the process dies, so a
crashed run never leaves a stale lock behind. The holder's pid and start time are
written into the file only to make the refusal message useful.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from generator.errors import AlreadyRunning, OutputError


@contextmanager
def exclusive_lock(path: Path, what: str = "a scheduled run") -> Iterator[None]:
    """Hold ``path`` exclusively for the block, or raise AlreadyRunning at once."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise OutputError(f"cannot open lock file {path}: {err.strerror or err}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            raise AlreadyRunning(
                f"{what} is already in progress ({holder}, lock {path}); this run was not started"
            ) from None
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {stamp}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(path: Path) -> str | None:
    """Who holds ``path`` now ('pid 123, since ...'), or None when nobody does.

    Read from what the holder wrote, never by trying the lock: even a shared flock held for a moment would make
    a run starting at that instant refuse to start. A holder that died without clearing the file is no holder.
    """
    try:
        text = path.read_text(errors="replace").strip()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(f"cannot read lock file {path}: {err.strerror or err}") from None
    match = re.match(r"pid (\d+)", text)
    if not match:
        return None
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    return text
