"""A throwaway PostgreSQL cluster for the tests: initdb in a temp folder, a loopback port, gone at the end.

PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to the unprivileged user
``nobody`` and its programs run through ``runuser``. Without the server binaries the PostgreSQL half of
the tests is skipped with the reason, unless MARKETNEWS_REQUIRE_POSTGRES=1 (CI) makes that a failure.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

REQUIRE = os.environ.get("MARKETNEWS_REQUIRE_POSTGRES") == "1"
USER = "nobody"
_schemas = itertools.count(1)


def server_bin() -> Path | None:
    """The folder of initdb and pg_ctl (Debian: /usr/lib/postgresql/<major>/bin), or None."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]), reverse=True)
    return next((Path(d) for d in dirs if (Path(d) / "pg_ctl").exists()), None)


def missing_reason() -> str | None:
    """Why PostgreSQL tests cannot run here, or None."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        return "psycopg / psycopg-pool are not installed (pip install -e '.[postgres]')"
    if server_bin() is None:
        return "no PostgreSQL server binaries (apt-get install -y postgresql)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """One running cluster; ``url()`` gives a fresh, empty schema of it for each test."""

    def __init__(self) -> None:
        bin_dir = server_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="marketnews-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            entry = pwd.getpwnam(USER)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "marketnews", "--no-locale", "-E", "UTF8",
                  "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")
        self.base = f"postgresql://marketnews@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin / program), *args]
        if self.as_root:
            cmd = ["runuser", "-u", USER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")

    def url(self) -> str:
        """A URL whose search_path is a new schema: each test sees an empty desk."""
        import psycopg

        schema = f"t{next(_schemas)}"
        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        return f"{self.base}?options=-csearch_path%3D{schema}"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
