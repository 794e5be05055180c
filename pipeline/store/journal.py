"""The journal of issued documents: SQLite at `<state>/journal.sqlite`. It owns
the schema, each case's history, the number sequences (per prefix and year,
never reused) and the record of every document with its amounts and the
hashes of the files that were issued.

A document's files appear under their final names only after the journal has
committed its row (issue.py, placing.py): one transaction takes the numbers
and records the rows in the state 'placing' while the files still wear hidden
temporary names; then the files are renamed into place and the rows marked
'done'. A run that dies in between leaves 'placing' rows, which the next run
finishes (or, when their files are gone, undoes) before anything else.

Each journal has an id (`journal_id`, made by migration 2) that the out
folder's marker names (ownership.py): an out folder is handled only with the
journal that issued its letters.

The schema is versioned (`PRAGMA user_version`) and built by ordered migrations
(migrations.py, where a schema change is added). `open_journal` upgrades an
older journal in place; `open_journal_readonly` never writes: a journal older
than the program is upgraded in a private in-memory copy, so a dry run sees what
the real run will see. Both refuse a journal written by a newer program, and
both check the journal first (its pages, every row, every counter): a damaged
journal is one line saying so (failures.py), never a traceback.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry
from pipeline.store.failures import journal_damaged, journal_problem, journal_read_only
from pipeline.store.migrations import latest_version, refuse_newer, rollback_quietly, schema_version, upgrade

JOURNAL_NAME = "journal.sqlite"
PLACING, DONE = "placing", "done"
_COLUMNS = (
    "number, case_id, kind, as_of, outstanding, days_overdue, penalty, storage, claim, "
    "docx_sha256, pdf_sha256, template_sha256"
)
_NUMBER = re.compile(r"^(?P<prefix>[^-]+)-(?P<year>\d{4})-(?P<sequence>\d{4,})$")


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


def journal_path(state_dir: Path) -> Path:
    return state_dir / JOURNAL_NAME


def journal_exists(state_dir: Path) -> bool:
    """A journal file that holds something (an empty file is what `sqlite3` leaves when it makes a new one)."""
    path = journal_path(state_dir)
    return path.is_file() and path.stat().st_size > 0


class Journal:
    """One open journal. Use `open_journal` (read-write) or `open_journal_readonly`."""

    def __init__(self, connection: sqlite3.Connection, path: Path = Path(JOURNAL_NAME)):
        self._db = connection
        self.path = path

    def close(self) -> None:
        self._db.close()

    @property
    def journal_id(self) -> str:
        """The id the out folders this journal issued into name in their marker."""
        row = self._execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()
        if row is None:
            raise journal_damaged(self.path, "нет записи journal_id в таблице meta")
        return str(row[0])

    def history(self, case_id: str) -> tuple[JournalEntry, ...]:
        """Every document issued for the case, oldest first."""
        return self._entries("WHERE case_id = ? ORDER BY as_of, number", (case_id,))

    def entries_on(self, as_of: date) -> tuple[JournalEntry, ...]:
        return self._entries("WHERE as_of = ? ORDER BY case_id, number", (as_of.isoformat(),))

    def placing(self) -> tuple[JournalEntry, ...]:
        """The documents a run committed but did not see into place (placing.py finishes or undoes them)."""
        return self._entries("WHERE state = ? ORDER BY number", (PLACING,))

    def issued(self) -> frozenset[tuple[str, str, str]]:
        """(case id, kind, number) of every document: what may lie in out/ under a journal number."""
        return frozenset(self._execute("SELECT case_id, kind, number FROM documents"))

    def is_empty(self) -> bool:
        return self._execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None

    def last_as_of(self) -> date | None:
        (last,) = self._execute("SELECT MAX(as_of) FROM documents").fetchone()
        return date.fromisoformat(last) if last else None

    def peek_number(self, prefix: str, year: int, ahead: int = 0) -> str:
        """The number `ahead` places after the next one, taking nothing (for a dry run)."""
        return format_number(prefix, year, self._last(prefix, year) + 1 + ahead)

    def take_number(self, prefix: str, year: int) -> str:
        """The next number of the sequence, taken for good once the transaction commits."""
        self._require_transaction()
        self._execute(
            "INSERT INTO counters (prefix, year, last) VALUES (?, ?, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1",
            (prefix, year),
        )
        number = format_number(prefix, year, self._last(prefix, year))
        if self._execute("SELECT 1 FROM documents WHERE number = ?", (number,)).fetchone():
            raise _lowered_counter(self.path, prefix, year, self._last(prefix, year) - 1, number)
        return number

    def record(self, entry: JournalEntry, state: str = DONE) -> None:
        self._require_transaction()
        self._execute(
            f"INSERT INTO documents ({_COLUMNS}, state) VALUES ({', '.join('?' * 13)})",
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
                state,
            ),
        )

    def mark_done(self, numbers: Iterable[str]) -> None:
        """The documents' files are in place under their final names."""
        self._require_transaction()
        for number in numbers:
            self._execute("UPDATE documents SET state = ? WHERE number = ?", (DONE, number))

    def discard(self, numbers: Iterable[str]) -> None:
        """Forget documents that never reached their places (their files are gone). The counters
        keep their numbers: a number once committed is never handed out again."""
        self._require_transaction()
        for number in numbers:
            self._execute("DELETE FROM documents WHERE number = ? AND state = ?", (number, PLACING))

    def check(self) -> None:
        """EnvironmentProblem (exit 3) for a damaged page, a row that does not read, or a counter
        lower than a number already issued (the next numbers would repeat issued ones)."""
        (result, *_) = self._execute("PRAGMA quick_check").fetchone()
        if result != "ok":
            raise journal_damaged(self.path, str(result))
        counters = {(prefix, year): last for prefix, year, last in self._execute("SELECT * FROM counters")}
        for row in self._execute(f"SELECT {_COLUMNS}, state FROM documents ORDER BY rowid").fetchall():
            entry = _entry(row, self.path)
            match = _NUMBER.match(entry.number)
            assert match is not None  # _entry checked it
            prefix, year, sequence = match["prefix"], int(match["year"]), int(match["sequence"])
            last = counters.get((prefix, year), 0)
            if not isinstance(last, int) or last < sequence:
                raise _lowered_counter(self.path, prefix, year, last, entry.number)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; ROLLBACK on any exception. Takes the write lock at once,
        so two batches never hand out the same number. A failed COMMIT (a full disk) is
        reported as itself, with everything rolled back."""
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError:
            rollback_quietly(self._db)
            raise
        except sqlite3.Error as err:
            rollback_quietly(self._db)
            raise journal_problem(err, self.path) from err
        except BaseException:
            rollback_quietly(self._db)
            raise

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested step inside the transaction: undone alone when it fails, so a
        document that could not be rendered leaves no gap in the numbers."""
        self._require_transaction()
        self._execute("SAVEPOINT step")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled the whole transaction back itself
                try:
                    self._db.execute("ROLLBACK TO step")
                    self._db.execute("RELEASE step")
                except sqlite3.Error:
                    pass  # the error being raised says what went wrong
            raise
        self._execute("RELEASE step")

    def _entries(self, where: str, parameters: tuple[Any, ...]) -> tuple[JournalEntry, ...]:
        rows = self._execute(f"SELECT {_COLUMNS}, state FROM documents {where}", parameters).fetchall()
        return tuple(_entry(row, self.path) for row in rows)

    def _last(self, prefix: str, year: int) -> int:
        row = self._execute("SELECT last FROM counters WHERE prefix = ? AND year = ?", (prefix, year)).fetchone()
        return int(row[0]) if row else 0

    def _execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        """Every statement goes through here: an SQLite error becomes one line (failures.py);
        a broken constraint stays an IntegrityError (a bug, not the machine)."""
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as err:
            raise journal_problem(err, self.path) from err

    def _require_transaction(self) -> None:
        if not self._db.in_transaction:
            raise RuntimeError("journal writes happen inside Journal.transaction()")


def open_journal(state_dir: Path) -> Journal:
    """Open `<state_dir>/journal.sqlite` for writing, creating the folder and the
    file, bringing its schema to the latest version (migrations.py) and checking it."""
    path = journal_path(state_dir)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        _require_writable(path)
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        with _closed_on_error(connection):
            connection.execute("PRAGMA synchronous = FULL")
            upgrade(connection, path)
            journal = Journal(connection, path)
            journal.check()
    except (OSError, sqlite3.Error) as err:
        raise journal_problem(err, path) from err
    return journal


def open_journal_readonly(state_dir: Path) -> Journal | None:
    """The journal opened read-only, or None when there is none yet (a dry run creates nothing).

    The file is never written. A journal of an older schema version is copied
    into memory and upgraded there (writes to the copy are refused as well)."""
    path = journal_path(state_dir)
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        with _closed_on_error(connection):
            journal = Journal(_readable(connection, path), path)
            journal.check()
            return journal
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


def _lowered_counter(path: Path, prefix: str, year: int, last: object, number: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"журнал {path} повреждён: счётчик номеров {prefix}-{year} стоит на {last}, а номер {number} уже выдан — "
        "новые номера повторили бы выданные; восстановите журнал из резервной копии"
    )


def _entry(row: tuple[Any, ...], path: Path) -> JournalEntry:
    """One row as a JournalEntry; EnvironmentProblem naming the row and the column that does not read."""
    number = row[0]
    checks: tuple[tuple[str, bool], ...] = (
        ("number", isinstance(number, str) and _NUMBER.match(number) is not None),
        ("case_id", isinstance(row[1], str) and row[1] != ""),
        ("kind", isinstance(row[2], str) and row[2] != ""),
        ("days_overdue", isinstance(row[5], int) and row[5] >= 0),
        *((column, isinstance(row[index], str)) for index, column in ((9, "docx_sha256"), (10, "pdf_sha256"))),
        ("template_sha256", isinstance(row[11], str)),
        ("state", row[12] in (PLACING, DONE)),
    )
    for column, ok in checks:
        if not ok:
            raise _bad_row(path, number, column, row)
    try:
        as_of = date.fromisoformat(row[3])
    except (TypeError, ValueError):
        raise _bad_row(path, number, "as_of", row) from None
    return JournalEntry(
        number=number,
        case_id=row[1],
        kind=row[2],
        as_of=as_of,
        outstanding=_amount(row, "outstanding", path),
        days_overdue=row[5],
        penalty=_amount(row, "penalty", path),
        storage=_amount(row, "storage", path),
        claim=_amount(row, "claim", path),
        docx_sha256=row[9],
        pdf_sha256=row[10],
        template_sha256=row[11],
    )


def _amount(row: tuple[Any, ...], column: str, path: Path) -> Decimal:
    """An amount column as an exact Decimal (stored as a decimal string)."""
    try:
        amount = Decimal(row[_COLUMN_INDEX[column]])
    except (TypeError, ValueError, InvalidOperation):
        raise _bad_row(path, row[0], column, row) from None
    if not amount.is_finite():
        raise _bad_row(path, row[0], column, row)
    return amount


_COLUMN_INDEX = {name.strip(): index for index, name in enumerate(f"{_COLUMNS}, state".split(","))}


def _bad_row(path: Path, number: object, column: str, row: tuple[Any, ...]) -> EnvironmentProblem:
    value = row[_COLUMN_INDEX[column]]
    return EnvironmentProblem(
        f"журнал {path} повреждён: в строке документа {number} поле {column} = {value!r} не читается; "
        "исправьте эту строку таблицы documents или восстановите журнал из резервной копии"
    )
