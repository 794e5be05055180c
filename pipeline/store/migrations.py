"""The journal's schema as an ordered list of migrations, and the upgrade of a
journal file to the newest of them. Users keep `state/journal.sqlite` for years,
so a journal written by any earlier version of the program must open with this one.

The version of a journal is its `PRAGMA user_version`: migration N (the N-th
string of `MIGRATIONS`) brings a journal of version N-1 to version N, and runs
in its own `BEGIN IMMEDIATE` transaction together with setting `user_version`
to N, so a crash or a failing statement leaves the journal at N-1, whole.
Version 0 is a new (empty) file. Files written before the schema was versioned
(up to commit 752eec9) have user_version 0 and the tables of version 1; they
count as version 1 and are stamped 1 on their first read-write open.

To change the schema, APPEND one SQL string to `MIGRATIONS` (e.g.
`MIGRATIONS = (V1_SQL, V2_SQL, V3_SQL)` with `V3_SQL = "ALTER TABLE documents
ADD COLUMN ...;"`) and add its column to journal.py. Never edit, reorder or remove a
migration that has shipped: journals in the field were made by it. A migration
may hold several statements separated by `;` (triggers included); it must not
contain BEGIN/COMMIT. A journal whose version is higher than this program knows
is refused (`refuse_newer`) rather than read with the wrong idea of its tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import EnvironmentProblem

# Version 1: the schema as of commit 752eec9, verbatim (IF NOT EXISTS kept as it was).
V1_SQL = """
CREATE TABLE IF NOT EXISTS documents (
    number TEXT PRIMARY KEY,            -- УВ-2026-0001
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- overdue_notice | pretension
    as_of TEXT NOT NULL,                -- YYYY-MM-DD, the date of the batch and of the document
    outstanding TEXT NOT NULL,          -- amounts as exact decimal strings, roubles
    days_overdue INTEGER NOT NULL,
    penalty TEXT NOT NULL,
    storage TEXT NOT NULL,
    claim TEXT NOT NULL,
    docx_sha256 TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    template_sha256 TEXT NOT NULL,
    UNIQUE (case_id, kind, as_of)
);
CREATE INDEX IF NOT EXISTS documents_by_case ON documents (case_id, as_of);
CREATE TABLE IF NOT EXISTS counters (
    prefix TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,              -- the last number taken; rows never decrease
    PRIMARY KEY (prefix, year)
);
"""

# Version 2: the journal's identity and the state of each document.
# - meta.journal_id: a random id, made once, that the out folder's marker
#   (`<out>/.journal-id`, ownership.py) names, so an out folder is only ever
#   handled with the journal that issued its letters;
# - documents.state: 'placing' from the commit that records a document until
#   its files are under their final names, then 'done' (placing.py). Every
#   document of version 1 is done.
V2_SQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value)
SELECT 'journal_id',
       substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-' || substr(h, 13, 4) || '-' ||
       substr(h, 17, 4) || '-' || substr(h, 21, 12)
FROM (SELECT lower(hex(randomblob(16))) AS h);
ALTER TABLE documents ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('placing', 'done'));
"""

# Append only. The journal's version is the number of migrations applied to it.
MIGRATIONS: tuple[str, ...] = (V1_SQL, V2_SQL)


def latest_version() -> int:
    """The version this program writes: the number of migrations it knows."""
    return len(MIGRATIONS)


def stored_version(connection: sqlite3.Connection) -> int:
    """`PRAGMA user_version` as written in the file."""
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    return int(version)


def schema_version(connection: sqlite3.Connection) -> int:
    """The version of the journal's tables: the stored one, except that an unversioned
    file that already holds the documents table was written by version 1."""
    version = stored_version(connection)
    if version == 0 and _has_table(connection, "documents"):
        return 1
    return version


def refuse_newer(version: int, path: Path) -> None:
    """EnvironmentProblem (exit 3) for a journal written by a newer program."""
    if version > latest_version():
        raise EnvironmentProblem(
            f"журнал {path} записан более новой версией программы "
            f"(версия схемы {version}, эта программа знает до {latest_version()}): обновите программу"
        )


def upgrade(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the journal to `latest_version()`, one migration per transaction.

    An up-to-date journal is not locked at all; otherwise each step takes the
    write lock and reads the version again, so two programs opening the same old
    journal at once apply every migration exactly once."""
    while (version := stored_version(connection)) != latest_version():
        refuse_newer(version, path)
        with _write_transaction(connection):
            _next_step(connection, path)


def _next_step(connection: sqlite3.Connection, path: Path) -> None:
    """Inside the write lock: the next migration and its version number, or only
    the number for an unversioned version-1 file."""
    version = schema_version(connection)
    refuse_newer(version, path)
    if version < latest_version():
        for statement in _statements(MIGRATIONS[version]):
            connection.execute(statement)
        version += 1
    connection.execute(f"PRAGMA user_version = {version:d}")


@contextmanager
def _write_transaction(connection: sqlite3.Connection) -> Iterator[None]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        rollback_quietly(connection)
        raise


def rollback_quietly(connection: sqlite3.Connection) -> None:
    """ROLLBACK after an error, keeping that error: SQLite has already rolled back
    by itself after some (a full disk: SQLITE_FULL), and a second ROLLBACK would
    replace the real cause with «cannot rollback - no transaction is active»."""
    if connection.in_transaction:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the error being raised says what went wrong


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration one at a time (`executescript` would commit
    halfway through the transaction). A `;` inside a string, a comment or a
    trigger body does not end a statement: sqlite3.complete_statement knows."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if pending.strip():
        yield pending  # an unfinished statement: let SQLite report the error


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    row = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None
