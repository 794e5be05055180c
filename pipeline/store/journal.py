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
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry

JOURNAL_NAME = "journal.sqlite"
SCHEMA = """
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
    """Open (creating the folder and the tables) `<state_dir>/journal.sqlite` for writing."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(state_dir / JOURNAL_NAME, isolation_level=None, timeout=10)
        connection.execute("PRAGMA synchronous = FULL")
        connection.executescript(SCHEMA)
    except (OSError, sqlite3.Error) as err:
        raise EnvironmentProblem(f"журнал {state_dir / JOURNAL_NAME} не открывается: {err}") from err
    return Journal(connection)


def open_journal_readonly(state_dir: Path) -> Journal | None:
    """The journal opened read-only, or None when there is none yet (a dry run creates nothing)."""
    path = state_dir / JOURNAL_NAME
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        connection.execute("SELECT 1 FROM documents LIMIT 1")
    except sqlite3.Error as err:
        raise EnvironmentProblem(f"журнал {path} не читается: {err}") from err
    return Journal(connection)


def _entry(row: tuple) -> JournalEntry:
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
