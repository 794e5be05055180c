"""The embedded journal: one SQLite file, `<state>/journal.sqlite`, the default.
Its connection (`SqliteDatabase`) and how it is opened: for writing (the folder and
the file made when missing, write access checked first, since SQLite would open
a file it may not write without a word), or read-only for a dry run (an older
journal upgraded in a private in-memory copy; the file is never written).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from pipeline.errors import EnvironmentProblem
from pipeline.store.database import Database, closed_on_error
from pipeline.store.failures import journal_problem, journal_read_only
from pipeline.store.migrations import latest_version, refuse_newer, schema_version, upgrade

JOURNAL_NAME = "journal.sqlite"


def journal_path(state_dir: Path) -> Path:
    return state_dir / JOURNAL_NAME


class SqliteDatabase(Database):
    """The embedded journal: one file, `<state>/journal.sqlite`; the file lock serialises writers."""

    dialect = "sqlite"
    option = "--state"
    errors = (sqlite3.Error,)
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.connection = connection
        self.path = path
        self.location = str(path)
        self.marker_location = str(path.resolve())

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, parameters)

    def problem(self, err: Exception) -> EnvironmentProblem:
        if isinstance(err, sqlite3.Error | OSError):
            return journal_problem(err, self.path)
        return EnvironmentProblem(f"журнал {self.path} не открывается: {err}")

    @property
    def in_transaction(self) -> bool:
        return self.connection.in_transaction

    def begin_write(self) -> None:
        self.execute("BEGIN IMMEDIATE")  # the write lock at once: two batches never hand out the same number

    def begin_read(self) -> None:
        self.execute("BEGIN")

    def begin_upgrade(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def stored_version(self) -> int:
        (version,) = self.execute("PRAGMA user_version").fetchone()
        return int(version)

    def store_version(self, version: int) -> None:
        self.execute(f"PRAGMA user_version = {version:d}")

    def has_table(self, name: str) -> bool:
        return (
            self.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
            is not None
        )

    def damage(self) -> str | None:
        (result, *_) = self.execute("PRAGMA quick_check").fetchone()
        return None if result == "ok" else str(result)

    def close(self) -> None:
        self.connection.close()


def connect(state_dir: Path) -> SqliteDatabase:
    """`<state_dir>/journal.sqlite` for writing, the folder and the file made when missing."""
    path = journal_path(state_dir)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        _require_writable(path)
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        with closed_on_error(connection):
            connection.execute("PRAGMA synchronous = FULL")
    except (OSError, sqlite3.Error) as err:
        raise journal_problem(err, path) from err
    return SqliteDatabase(connection, path)


def connect_readonly(state_dir: Path) -> SqliteDatabase | None:
    """The journal read-only at the latest version (itself, or its upgraded in-memory copy); None
    when there is none yet."""
    path = journal_path(state_dir)
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        with closed_on_error(connection):
            return SqliteDatabase(_readable(connection, path), path)
    except sqlite3.Error as err:
        raise journal_problem(err, path) from err


def require_writable(state_dir: Path) -> None:
    """EnvironmentProblem (exit 3) when the journal of an existing state folder may not be written."""
    if state_dir.is_dir():
        _require_writable(journal_path(state_dir))


def _require_writable(path: Path) -> None:
    """SQLite opens a file it may not write read-only without a word, and fails only at the first
    write; and it needs the folder too, for its rollback journal. Say so before anything is done."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise journal_read_only(path, f"нет права записи в папку {path.parent}")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise journal_read_only(path, "нет права записи в файл")


def _readable(connection: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """The read-only connection itself at the latest version, else its upgraded copy."""
    version = schema_version(SqliteDatabase(connection, path))
    refuse_newer(version, path)
    if version < latest_version():
        return _upgraded_copy(connection, path)
    connection.execute("SELECT 1 FROM documents LIMIT 1")
    return connection


def _upgraded_copy(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """An in-memory copy of the journal at the latest version, read-only like its source."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    with closed_on_error(copy):
        source.backup(copy)
        upgrade(SqliteDatabase(copy, path))
        copy.execute("PRAGMA query_only = ON")
    source.close()
    return copy
