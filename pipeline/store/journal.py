"""The journal of issued documents: SQLite at `<state>/journal.sqlite` (the
default), or a PostgreSQL database several machines share (`--journal
postgresql://…`, postgres.py). It owns the schema, each case's history, the
number sequences (per prefix and year, never reused) and the record of every
document with its amounts and the hashes of the files that were issued. The SQL
is written once; database.py holds what differs between the two databases.

A document's files appear under their final names only after the journal has
committed its row (issue.py, placing.py): one transaction takes the numbers
and records the rows in the state 'placing' while the files still wear hidden
temporary names; then the files are renamed into place and the rows marked
'done'. A run that dies in between leaves 'placing' rows, which the next run
of the same out folder finishes (or, when their files are gone, undoes) before
anything else.

Numbers are taken with `INSERT … ON CONFLICT DO UPDATE … RETURNING`, which
locks the counter's row until the commit: SQLite locks the whole file anyway;
on PostgreSQL two batches wait for each other only on the sequences both take
(`hold_counters` takes them in one order, so they never deadlock), and a
rolled-back transaction or savepoint gives its numbers back: never a number
twice, never a gap.

Each journal has an id (`journal_id`, made by migration 2) that the out
folder's marker names (ownership.py): an out folder is handled only with the
journal that issued its letters. The marker names the folder's own id too
(`out_id`, migration 3), which each document records: several out folders share
one journal, and a run's own documents are those of its folder and its cases.

The schema is versioned and built by ordered migrations (migrations.py).
`open_journal` upgrades an older journal in place; `open_journal_readonly` never
writes: a journal older than the program is upgraded in a private copy (SQLite)
or an uncommitted transaction (PostgreSQL), so a dry run sees what the real run
will see. Both refuse a journal written by a newer program, and both check the
journal first (its pages, every row, every counter): a damaged journal is one
line saying so (failures.py), never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.models import JournalEntry
from pipeline.store import sqlite
from pipeline.store.database import Database, JournalUrl, closed_on_error
from pipeline.store.failures import journal_damaged
from pipeline.store.migrations import upgrade
from pipeline.store.rows import COLUMNS, NUMBER, lowered_counter, read_entry
from pipeline.store.rows import DONE as DONE  # the states, for issue.py and placing.py
from pipeline.store.rows import PLACING as PLACING
from pipeline.store.sqlite import JOURNAL_NAME as JOURNAL_NAME  # the file in the state folder
from pipeline.store.sqlite import journal_path as journal_path

# Where a journal is: the state folder of an SQLite journal, or a PostgreSQL server.
JournalSource = Path | JournalUrl


def journal_source(state_dir: Path, url: str | None) -> JournalSource:
    """The journal a run uses: the PostgreSQL one of `--journal URL`, else the state folder's SQLite."""
    return JournalUrl(url) if url else state_dir


def format_number(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:04d}"


def describe(source: JournalSource) -> str:
    """How a message names the journal: its file, or its URL without the password."""
    return source.display if isinstance(source, JournalUrl) else str(journal_path(source))


def journal_exists(source: JournalSource) -> bool:
    """A journal that holds something: an SQLite file that is not empty (an empty file is what
    `sqlite3` leaves when it makes a new one), a PostgreSQL database with the journal's tables."""
    if isinstance(source, JournalUrl):
        from pipeline.store.postgres import connect

        db = connect(source)
        try:
            with _said(db):
                return db.has_table("meta")
        finally:
            db.close()
    path = journal_path(source)
    return path.is_file() and path.stat().st_size > 0


class Journal:
    """One open journal. Use `open_journal` (read-write) or `open_journal_readonly`."""

    def __init__(self, db: Database):
        self._db = db
        self.out_id = ""  # the out folder this run places into (ownership.claim_out_dir)
        self._writing = False

    @property
    def location(self) -> str:
        return self._db.location

    @property
    def marker_location(self) -> str:
        return self._db.marker_location

    @property
    def option(self) -> str:
        return self._db.option

    def close(self) -> None:
        self._db.close()

    @property
    def journal_id(self) -> str:
        """The id the out folders this journal issued into name in their marker."""
        row = self._execute("SELECT value FROM meta WHERE key = 'journal_id'").fetchone()
        if row is None:
            raise journal_damaged(self.location, "нет записи journal_id в таблице meta")
        return str(row[0])

    def history(self, case_id: str) -> tuple[JournalEntry, ...]:
        """Every document issued for the case, oldest first."""
        return self._entries("case_id = ?", (case_id,), lambda entry: (entry.as_of, entry.number))

    def entries_on(self, as_of: date, cases: Collection[str] | None = None) -> tuple[JournalEntry, ...]:
        """The documents of the date; with `cases`, only this run's (`_of_run`)."""
        where, parameters = self._of_run(cases)
        return self._entries(
            f"as_of = ?{where}", (as_of.isoformat(), *parameters), lambda entry: (entry.case_id, entry.number)
        )

    def placing(self) -> tuple[JournalEntry, ...]:
        """The documents a run into this out folder committed but did not see into place
        (placing.py finishes or undoes them); another folder's are that folder's runs' business."""
        return self._entries("state = ? AND out_id IN (?, '')", (PLACING, self.out_id), lambda entry: entry.number)

    def issued(self) -> frozenset[tuple[str, str, str]]:
        """(case id, kind, number) of every document: what may lie in out/ under a journal number."""
        return frozenset(tuple(row) for row in self._execute("SELECT case_id, kind, number FROM documents"))

    def case_ids(self) -> frozenset[str]:
        """The cases with documents placed into this run's out folder (or before folders were recorded)."""
        rows = self._execute("SELECT DISTINCT case_id FROM documents WHERE out_id IN (?, '')", (self.out_id,))
        return frozenset(str(case_id) for (case_id,) in rows.fetchall())

    def is_empty(self) -> bool:
        return self._execute("SELECT 1 FROM documents LIMIT 1").fetchone() is None

    def last_as_of(self, cases: Collection[str] | None = None) -> date | None:
        """The date of the latest document; with `cases`, of this run's latest (`_of_run`)."""
        where, parameters = self._of_run(cases)
        (last,) = self._execute(f"SELECT MAX(as_of) FROM documents WHERE TRUE{where}", parameters).fetchone()
        return date.fromisoformat(last) if last else None

    def peek_number(self, prefix: str, year: int, ahead: int = 0) -> str:
        """The number `ahead` places after the next one, taking nothing (for a dry run)."""
        return format_number(prefix, year, self._last(prefix, year) + 1 + ahead)

    def hold_counters(self, sequences: Iterable[tuple[str, int]]) -> None:
        """Lock the counters of the (prefix, year) sequences this transaction is about to take,
        in one order for every run: two batches that take the same two sequences then wait for
        each other instead of deadlocking (PostgreSQL locks a row when it is first taken)."""
        self._require_transaction()
        for prefix, year in sorted(set(sequences)):
            self._execute(
                "INSERT INTO counters (prefix, year, last) VALUES (?, ?, 0) ON CONFLICT (prefix, year) DO NOTHING",
                (prefix, year),
            )
            self._execute(f"SELECT last FROM counters WHERE prefix = ? AND year = ?{self._db.row_lock}", (prefix, year))

    def take_number(self, prefix: str, year: int) -> str:
        """The next number of the sequence, taken for good once the transaction commits. The
        counter's row stays locked until then: a concurrent batch waits for this one's
        commit or rollback, so it neither repeats this number nor leaves a gap."""
        self._require_transaction()
        rows = self._execute(
            "INSERT INTO counters (prefix, year, last) VALUES (?, ?, 1) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = counters.last + 1 RETURNING last",
            (prefix, year),
        ).fetchall()
        last = int(rows[0][0])
        number = format_number(prefix, year, last)
        if self._execute("SELECT 1 FROM documents WHERE number = ?", (number,)).fetchone():
            raise lowered_counter(self.location, prefix, year, last - 1, number)
        return number

    def record(self, entry: JournalEntry, state: str = DONE) -> None:
        """The document, placed into this run's out folder."""
        self._require_transaction()
        self._execute(
            f"INSERT INTO documents ({COLUMNS}, state, out_id) VALUES ({', '.join('?' * 14)})",
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
                self.out_id,
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
        lower than a number already issued (the next numbers would repeat issued ones). Counters and
        rows are read in one snapshot: a batch committing meanwhile on another machine is not damage."""
        with _said(self._db):
            damage = self._db.damage()
        if damage is not None:
            raise journal_damaged(self.location, damage)
        with self._snapshot():
            counters = {(prefix, year): last for prefix, year, last in self._execute("SELECT * FROM counters")}
            rows = self._execute(f"SELECT {COLUMNS}, state FROM documents ORDER BY number").fetchall()
        for row in rows:
            entry = read_entry(tuple(row), self.location)
            match = NUMBER.match(entry.number)
            assert match is not None  # read_entry checked it
            prefix, year, sequence = match["prefix"], int(match["year"]), int(match["sequence"])
            last = counters.get((prefix, year), 0)
            if not isinstance(last, int) or last < sequence:
                raise lowered_counter(self.location, prefix, year, last, entry.number)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The write transaction (database.py: SQLite's BEGIN IMMEDIATE, PostgreSQL's BEGIN) …
        COMMIT; ROLLBACK on any exception. A failed COMMIT (a full disk, a lost server) is
        reported as itself, with everything rolled back."""
        with _said(self._db):
            self._db.begin_write()
        self._writing = True
        try:
            yield
            self._db.commit()
        except self._db.integrity_errors:
            self._db.rollback_quietly()
            raise
        except self._db.errors as err:
            self._db.rollback_quietly()
            raise self._db.problem(err) from err
        except BaseException:
            self._db.rollback_quietly()
            raise
        finally:
            self._writing = False

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
                    self._db.execute("ROLLBACK TO SAVEPOINT step")
                    self._db.execute("RELEASE SAVEPOINT step")
                except self._db.errors:
                    pass  # the error being raised says what went wrong
            raise
        self._execute("RELEASE SAVEPOINT step")

    def _of_run(self, cases: Collection[str] | None) -> tuple[str, tuple[Any, ...]]:
        """An SQL condition for this run's documents: those placed into its out folder (or
        before folders were recorded), and those of its cases wherever they were placed.
        Another folder's cases, issued on another machine, are not this run's business."""
        if cases is None:
            return "", ()
        by_case = f" OR case_id IN ({', '.join('?' * len(cases))})" if cases else ""
        return f" AND (out_id IN (?, ''){by_case})", (self.out_id, *sorted(cases))

    def _entries(
        self, where: str, parameters: tuple[Any, ...], order: Callable[[JournalEntry], Any]
    ) -> tuple[JournalEntry, ...]:
        """The rows as entries, sorted here by code point: the same order whatever the server's collation."""
        rows = self._execute(f"SELECT {COLUMNS}, state FROM documents WHERE {where}", parameters).fetchall()
        return tuple(sorted((read_entry(tuple(row), self.location) for row in rows), key=order))

    def _last(self, prefix: str, year: int) -> int:
        row = self._execute("SELECT last FROM counters WHERE prefix = ? AND year = ?", (prefix, year)).fetchone()
        return int(row[0]) if row else 0

    def _execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        """Every statement goes through here: a database error becomes one line (failures.py,
        postgres.py); a broken constraint stays the driver's IntegrityError (a bug, not the machine)."""
        with _said(self._db):
            return self._db.execute(sql, parameters)

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """A read transaction, unless one is open already (a PostgreSQL dry run's uncommitted upgrade)."""
        if self._db.in_transaction:
            yield
            return
        with _said(self._db):
            self._db.begin_read()
        try:
            yield
        finally:
            self._db.rollback_quietly()

    def _require_transaction(self) -> None:
        if not self._writing:
            raise RuntimeError("journal writes happen inside Journal.transaction()")


def open_journal(source: JournalSource) -> Journal:
    """Open the journal for writing: `<state_dir>/journal.sqlite` (creating the folder and the
    file), or the PostgreSQL database of a URL; bring its schema to the latest version
    (migrations.py) and check it."""
    if isinstance(source, JournalUrl):
        from pipeline.store.postgres import connect

        return _upgraded_and_checked(connect(source))
    return _upgraded_and_checked(sqlite.connect(source))


def open_journal_readonly(source: JournalSource) -> Journal | None:
    """The journal opened read-only, or None when there is none yet (a dry run creates nothing).

    Nothing is ever written. A journal of an older schema version is upgraded in a private
    in-memory copy (SQLite) or in a transaction that is never committed (PostgreSQL)."""
    if isinstance(source, JournalUrl):
        from pipeline.store.postgres import connect_readonly

        return _checked(connect_readonly(source)) if journal_exists(source) else None
    db = sqlite.connect_readonly(source)
    return _checked(db) if db is not None else None


def require_writable(source: JournalSource) -> None:
    """EnvironmentProblem (exit 3) when the journal of an existing state folder may not be written
    (a PostgreSQL server says so itself, at the first write)."""
    if isinstance(source, Path):
        sqlite.require_writable(source)


def _upgraded_and_checked(db: Database) -> Journal:
    with closed_on_error(db):
        with _said(db):
            upgrade(db)
        return _checked(db)


def _checked(db: Database) -> Journal:
    with closed_on_error(db):
        journal = Journal(db)
        journal.check()
        return journal


@contextmanager
def _said(db: Database) -> Iterator[None]:
    """The database's errors as the one line the user reads; a broken constraint stays itself."""
    try:
        yield
    except db.integrity_errors:
        raise
    except db.errors as err:
        raise db.problem(err) from err
