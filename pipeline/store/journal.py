"""The journal of issued documents: SQLite at `<state>/journal.sqlite`. It owns
the schema, each case's history, the number sequences (per prefix and year,
never reused) and the record of every document with its amounts and hashes.

A number exists only together with its files. batch.py holds one
`BEGIN IMMEDIATE` transaction while it takes numbers, renders the files under
temporary names, records the rows and renames the files into place; only then
does it commit. A crash before the commit rolls the rows and the counters back
(the files left behind carry numbers the journal never issued and are swept
away by the next run); a row whose files went missing later is rebuilt by the
next run of its date (batch.py).

The schema is versioned (`PRAGMA user_version`) and built by ordered migrations
(migrations.py, where a schema change is added). `open_journal` upgrades an
older journal in place; `open_journal_readonly` never writes: a journal older
than the program is upgraded in a private in-memory copy, so a dry run sees what
the real run will see. Both refuse a journal written by a newer program.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry
from pipeline.store.migrations import latest_version, refuse_newer, schema_version, upgrade

JOURNAL_NAME = "journal.sqlite"
_COLUMNS = (
    "number, case_id, kind, as_of, outstanding, days_overdue, penalty, storage, claim, "
    "docx_sha256, pdf_sha256, template_sha256"
)


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


class Journal:
    """One open journal. Use `open_journal` (read-write) or `open_journal_readonly`."""

    def __init__(self, connection: sqlite3.Connection):
        self._db = connection

    def close(self) -> None:
        self._db.close()

    def history(self, case_id: str) -> tuple[JournalEntry, ...]:
        """Every document issued for the case, oldest first."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE case_id = ? ORDER BY as_of, number", (case_id,)
        ).fetchall()
        return tuple(_entry(row) for row in rows)

    def entries_on(self, as_of: date) -> tuple[JournalEntry, ...]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE as_of = ? ORDER BY case_id, number", (as_of.isoformat(),)
        ).fetchall()
        return tuple(_entry(row) for row in rows)

    def issued(self) -> frozenset[tuple[str, str, str]]:
        """(case id, kind, number) of every document: what may lie in out/ under a journal number."""
        return frozenset(self._db.execute("SELECT case_id, kind, number FROM documents"))

    def last_as_of(self) -> date | None:
        (last,) = self._db.execute("SELECT MAX(as_of) FROM documents").fetchone()
        return date.fromisoformat(last) if last else None

    def peek_number(self, prefix: str, year: int, ahead: int = 0) -> str:
        """The number `ahead` places after the next one, taking nothing (for a dry run)."""
        row = self._db.execute("SELECT last FROM counters WHERE prefix = ? AND year = ?", (prefix, year)).fetchone()
        return format_number(prefix, year, (row[0] if row else 0) + 1 + ahead)

    def take_number(self, prefix: str, year: int) -> str:
        """The next number of the sequence, taken for good once the transaction commits."""
        self._require_transaction()
        self._db.execute(
            "INSERT INTO counters (prefix, year, last) VALUES (?, ?, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1",
            (prefix, year),
        )
        (last,) = self._db.execute("SELECT last FROM counters WHERE prefix = ? AND year = ?", (prefix, year)).fetchone()
        return format_number(prefix, year, last)

    def record(self, entry: JournalEntry) -> None:
        self._require_transaction()
        self._db.execute(
            f"INSERT INTO documents ({_COLUMNS}) VALUES ({', '.join('?' * 12)})",
            (
                entry.number,
                entry.case_id,
                entry.kind,
                entry.as_of.isoformat(),
                str(entry.outstanding),
                entry.days_overdue,
                str(entry.penalty),
                str(entry.storage),
                str(entry.claim),
                entry.docx_sha256,
                entry.pdf_sha256,
                entry.template_sha256,
            ),
        )

    def update_pdf_hash(self, number: str, pdf_sha256: str) -> None:
        """After a lost PDF was made again from the identical DOCX (LibreOffice stamps the time in it)."""
        self._require_transaction()
        self._db.execute("UPDATE documents SET pdf_sha256 = ? WHERE number = ?", (pdf_sha256, number))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; ROLLBACK on any exception. Takes the write lock at once,
        so two batches never hand out the same number."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise EnvironmentProblem(f"журнал занят другим запуском batch ({err}); повторите позже") from err
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested step inside the transaction: undone alone when it fails, so a
        document that could not be rendered leaves no gap in the numbers."""
        self._require_transaction()
        self._db.execute("SAVEPOINT step")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK TO step")
            self._db.execute("RELEASE step")
            raise
        self._db.execute("RELEASE step")

    def _require_transaction(self) -> None:
        if not self._db.in_transaction:
            raise RuntimeError("journal writes happen inside Journal.transaction()")


def open_journal(state_dir: Path) -> Journal:
    """Open `<state_dir>/journal.sqlite` for writing, creating the folder and the
    file and bringing its schema to the latest version (migrations.py)."""
    path = state_dir / JOURNAL_NAME
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        with _closed_on_error(connection):
            connection.execute("PRAGMA synchronous = FULL")
            upgrade(connection, path)
    except (OSError, sqlite3.Error) as err:
        raise EnvironmentProblem(f"журнал {path} не открывается: {err}") from err
    return Journal(connection)


def open_journal_readonly(state_dir: Path) -> Journal | None:
    """The journal opened read-only, or None when there is none yet (a dry run creates nothing).

    The file is never written. A journal of an older schema version is copied
    into memory and upgraded there (writes to the copy are refused as well)."""
    path = state_dir / JOURNAL_NAME
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        with _closed_on_error(connection):
            return Journal(_readable(connection, path))
    except sqlite3.Error as err:
        raise EnvironmentProblem(f"журнал {path} не читается: {err}") from err


def _readable(connection: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """The read-only connection itself at the latest version, else its upgraded copy."""
    version = schema_version(connection)
    refuse_newer(version, path)
    if version < latest_version():
        return _upgraded_copy(connection, path)
    connection.execute("SELECT 1 FROM documents LIMIT 1")
    return connection


def _upgraded_copy(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """An in-memory copy of the journal at the latest version, read-only like its source."""
    copy = sqlite3.connect(":memory:", isolation_level=None)
    with _closed_on_error(copy):
        source.backup(copy)
        upgrade(copy, path)
        copy.execute("PRAGMA query_only = ON")
    source.close()
    return copy


@contextmanager
def _closed_on_error(connection: sqlite3.Connection) -> Iterator[None]:
    """Close the connection when opening fails half way (no handle left on the file)."""
    try:
        yield
    except BaseException:
        connection.close()
        raise


def _entry(row: tuple[Any, ...]) -> JournalEntry:
    return JournalEntry(
        number=row[0],
        case_id=row[1],
        kind=row[2],
        as_of=date.fromisoformat(row[3]),
        outstanding=Decimal(row[4]),
        days_overdue=row[5],
        penalty=Decimal(row[6]),
        storage=Decimal(row[7]),
        claim=Decimal(row[8]),
        docx_sha256=row[9],
        pdf_sha256=row[10],
        template_sha256=row[11],
    )
