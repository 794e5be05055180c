"""A throw-away PostgreSQL server for the tests: `initdb` in a temporary folder,
`pg_ctl start` listening only on a unix socket in that folder (no TCP port to
collide with anyone else's), a fresh database per test, stopped and removed at
the end of the session. Skipped, saying why, only where the server binaries are
missing (.ci/run installs Debian's `postgresql`).

As root (CI, the developers' machines) the server runs as the `postgres` user,
since PostgreSQL refuses to run as root; the tests connect through the socket.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PORT = 5432  # only names the socket file (.s.PGSQL.5432) in the cluster's own folder
_databases = itertools.count(1)


def server_binaries() -> Path | None:
    """The newest Debian server (/usr/lib/postgresql/<version>/bin), else initdb on the PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


BIN = server_binaries()
MISSING = "PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install postgresql"
needs_postgres = pytest.mark.skipif(BIN is None, reason=MISSING)


class Cluster:
    """A running server: `create_database()` gives the URL of a new empty database."""

    def __init__(self, folder: Path):
        self.folder = folder

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.folder}&port={PORT}"

    def create_database(self) -> str:
        name = f"journal_{next(_databases)}"
        self.sql(self.url("postgres"), f"CREATE DATABASE {name}")
        return self.url(name)

    @staticmethod
    def sql(url: str, statement: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            cursor = connection.execute(statement, parameters or None)
            return cursor.fetchall() if cursor.description else []


def _as_server_user() -> dict[str, int]:
    """subprocess options that run the server as `postgres` when we are root."""
    if os.geteuid() != 0:
        return {}
    try:
        user = pwd.getpwnam("postgres")
    except KeyError:
        user = pwd.getpwnam("nobody")
    return {"user": user.pw_uid, "group": user.pw_gid}


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    if BIN is None:
        pytest.skip(MISSING)
    folder = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
    owner = _as_server_user()
    if owner:
        os.chown(folder, owner["user"], owner["group"])
    data = folder / "data"
    options = f"-k {folder} -c listen_addresses='' -p {PORT} -c fsync=off -c full_page_writes=off"
    run = {"check": True, "capture_output": True, "timeout": 120, **owner}
    try:
        subprocess.run(
            [BIN / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"], **run
        )
        subprocess.run([BIN / "pg_ctl", "-D", data, "-l", folder / "server.log", "-o", options, "-w", "start"], **run)
        yield Cluster(folder)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([BIN / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], **{**run, "check": False})
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_cluster.create_database()
