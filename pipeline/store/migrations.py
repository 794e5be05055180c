"""The journal's schema as an ordered list of migrations, and the upgrade of a
journal to the newest of them. Users keep `state/journal.sqlite` for years, so a
journal written by any earlier version of the program must open with this one.
The same migrations build a PostgreSQL journal (`--journal postgresql://…`,
postgres.py): one schema, one version number, on both databases.

The version of a journal is `PRAGMA user_version` in SQLite, and the one row of
the table `schema_version` in PostgreSQL (database.py, postgres.py): migration N
(the N-th entry of `MIGRATIONS`) brings a journal of version N-1 to version N,
and runs in its own transaction together with setting the version to N, so a
crash or a failing statement leaves the journal at N-1, whole (PostgreSQL's DDL
is transactional too). Version 0 is a new (empty) journal. SQLite files written
before the schema was versioned (up to commit 752eec9) have user_version 0 and
the tables of version 1; they count as version 1 and are stamped 1 on their
first read-write open.

To change the schema, APPEND one entry to `MIGRATIONS`: an SQL string both
databases run (e.g. `V4_SQL = "ALTER TABLE documents ADD COLUMN ...;"`), or a
`Migration(sqlite=..., postgresql=...)` where their SQL differs; then add its
column to journal.py. Never edit, reorder or remove a migration that has shipped:
journals in the field were made by it. A migration may hold several statements
separated by `;` (SQLite triggers included); it must not contain BEGIN/COMMIT. A
journal whose version is higher than this program knows is refused
(`refuse_newer`) rather than read with the wrong idea of its tables.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import EnvironmentProblem
from pipeline.store.database import Database


@dataclass(frozen=True)
class Migration:
    """A migration whose SQL differs between the two databases (what they do is the same)."""

    sqlite: str
    postgresql: str


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

# Version 2 on PostgreSQL: the same tables; the id from the server's own UUIDs (PostgreSQL 13+).
V2_POSTGRESQL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('journal_id', gen_random_uuid()::text);
ALTER TABLE documents ADD COLUMN state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('placing', 'done'));
"""

# Version 3: the out folder each document was placed into. Several out folders
# (on several machines) share one journal; a run settles, repairs and dates only
# the documents of its own folder (and of its own cases). The id is the third
# line of the folder's marker (ownership.py); '' for documents of version 2 and
# before, when a journal had one folder: they count as every folder's.
V3_SQL = """
ALTER TABLE documents ADD COLUMN out_id TEXT NOT NULL DEFAULT '';
"""

# Append only. The journal's version is the number of migrations applied to it.
MIGRATIONS: tuple[str | Migration, ...] = (V1_SQL, Migration(V2_SQL, V2_POSTGRESQL), V3_SQL)


def latest_version() -> int:
    """The version this program writes: the number of migrations it knows."""
    return len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The version of the journal's tables: the stored one, except that an unversioned
    file that already holds the documents table was written by version 1."""
    version = db.stored_version()
    if version == 0 and db.has_table("documents"):
        return 1
    return version


def refuse_newer(version: int, location: str | Path) -> None:
    """EnvironmentProblem (exit 3) for a journal written by a newer program."""
    if version > latest_version():
        raise EnvironmentProblem(
            f"журнал {location} записан более новой версией программы "
            f"(версия схемы {version}, эта программа знает до {latest_version()}): обновите программу"
        )


def upgrade(db: Database) -> None:
    """Bring the journal to `latest_version()`, one migration per transaction.

    An up-to-date journal is not locked at all; otherwise each step takes the
    upgrade lock (database.py) and reads the version again, so two programs opening
    the same old journal at once apply every migration exactly once."""
    while (version := db.stored_version()) != latest_version():
        refuse_newer(version, db.location)
        db.begin_upgrade()
        try:
            _next_step(db)
            db.commit()
        except BaseException:
            db.rollback_quietly()
            raise


def upgrade_uncommitted(db: Database) -> None:
    """Every migration the journal lacks, in one transaction left open: a dry run on PostgreSQL
    reads the upgraded tables, and closing the connection rolls them back."""
    db.begin_upgrade()
    while db.stored_version() < latest_version():
        _next_step(db)


def _next_step(db: Database) -> None:
    """Inside the upgrade lock: the next migration and its version number, or only
    the number for an unversioned version-1 file."""
    version = schema_version(db)
    refuse_newer(version, db.location)
    if version < latest_version():
        for statement in _statements(migration_sql(MIGRATIONS[version], db.dialect)):
            db.execute(statement)
        version += 1
    db.store_version(version)


def migration_sql(migration: str | Migration, dialect: str) -> str:
    if isinstance(migration, str):
        return migration
    return migration.postgresql if dialect == "postgresql" else migration.sqlite


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
        yield pending  # an unfinished statement: let the database report the error
