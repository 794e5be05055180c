"""A journal that cannot do the job says so in one line, exit 3, and changes
nothing: a damaged page, a file that is no journal, a row that does not read, a
lowered counter, no write access (a dry run still reads it), and a full disk —
inside a statement, inside a savepoint, at the COMMIT itself, and for real on a
small tmpfs under the journal or under out/, after which the next run goes on."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_journal_safety import (
    FIRST,
    SECOND,
    assert_consistent,
    batch,
    cli,
    letters,
    needs_soffice,
    refused,
    rows,
    same_entry,
    write_cases,
)

from pipeline.errors import EnvironmentProblem
from pipeline.store.journal import JOURNAL_NAME, Journal, open_journal


def journal_with_notices(state: Path, count: int = 40) -> None:
    journal = open_journal(state)
    try:
        with journal.transaction():
            for n in range(1, count + 1):
                number = journal.take_number("УВ", 2026)
                journal.record(same_entry(number, f"ZN-2025-{n:04d}", "overdue_notice", "d" * 64, "p" * 64))
    finally:
        journal.close()


def edit(state: Path, sql: str) -> None:
    connection = sqlite3.connect(state / JOURNAL_NAME)
    connection.execute(sql)
    connection.commit()
    connection.close()


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A work folder with cases and a journal of 40 notices, no out/ yet: the tests damage the journal."""
    write_cases(tmp_path / "cases")
    journal_with_notices(tmp_path / "state")
    return tmp_path


def both_runs_refuse(work: Path) -> str:
    """The real run and the dry run say the same line; the journal is not changed by either."""
    before = (work / "state" / JOURNAL_NAME).read_bytes()
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "state"))
    assert refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "state", "--dry-run")) == line
    assert (work / "state" / JOURNAL_NAME).read_bytes() == before
    assert letters(work / "out") == {}
    return line


def test_a_journal_with_a_damaged_page_is_refused(damaged):
    path = damaged / "state" / JOURNAL_NAME
    connection = sqlite3.connect(path)
    (root_page,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    start = (root_page - 1) * page_size
    data[start : start + 12] = b"\xff" * 12  # the b-tree page header of the documents table
    path.write_bytes(bytes(data))
    line = both_runs_refuse(damaged)
    assert line.startswith(f"ошибка: журнал state/{JOURNAL_NAME} повреждён (")
    assert line.endswith("): восстановите его из резервной копии и запустите снова")


def test_a_file_that_is_no_journal_is_refused(damaged):
    path = damaged / "state" / JOURNAL_NAME
    path.write_bytes(b"not a database at all" * 300)
    line = both_runs_refuse(damaged)
    assert line == (
        f"ошибка: журнал state/{JOURNAL_NAME} повреждён (file is not a database): восстановите его из "
        "резервной копии и запустите снова"
    )


@pytest.mark.parametrize(
    ("column", "value", "shown"),
    [("as_of", "'2026-13-45'", "'2026-13-45'"), ("outstanding", "'много'", "'много'"), ("days_overdue", "'x'", "'x'")],
)
def test_a_row_that_does_not_read_is_refused_naming_it(damaged, column, value, shown):
    edit(damaged / "state", f"UPDATE documents SET {column} = {value} WHERE number = 'УВ-2026-0007'")
    assert both_runs_refuse(damaged) == (
        f"ошибка: журнал state/{JOURNAL_NAME} повреждён: в строке документа УВ-2026-0007 поле {column} = {shown} "
        "не читается; исправьте эту строку таблицы documents или восстановите журнал из резервной копии"
    )


def test_a_lowered_counter_is_refused_before_a_number_is_reused(damaged):
    edit(damaged / "state", "UPDATE counters SET last = 12 WHERE prefix = 'УВ'")
    assert both_runs_refuse(damaged) == (
        f"ошибка: журнал state/{JOURNAL_NAME} повреждён: счётчик номеров УВ-2026 стоит на 12, а номер УВ-2026-0013 "
        "уже выдан — новые номера повторили бы выданные; восстановите журнал из резервной копии"
    )


@contextmanager
def read_only(state: Path, what: str) -> Iterator[None]:
    """The journal's folder or file made read-only: by its mode, or, for root (who writes anything),
    by a read-only bind mount of the folder or the immutable attribute of the file."""
    path = state / JOURNAL_NAME
    if os.geteuid() != 0:
        (state if what == "folder" else path).chmod(0o555 if what == "folder" else 0o444)
        try:
            yield
        finally:
            state.chmod(0o755)
        return
    if what == "folder":
        made = ["mount", "--bind", str(state), str(state)], ["mount", "-o", "remount,ro,bind", str(state)]
        undo = ["umount", "-l", str(state)]
    else:
        made, undo = (["chattr", "+i", str(path)],), ["chattr", "-i", str(path)]
    if any(subprocess.run(command, capture_output=True).returncode for command in made):
        subprocess.run(undo, capture_output=True)
        pytest.skip("cannot make the journal read-only here")
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_journal_that_may_not_be_written_is_refused_and_a_dry_run_still_reads_it(tmp_path, what):
    write_cases(tmp_path / "cases")
    journal_with_notices(tmp_path / "state", 2)
    with read_only(tmp_path / "state", what):
        result = cli(tmp_path, "cases", "--as-of", SECOND, "--out", "out", "--state", "state")
        detail = "нет права записи в файл" if what == "file" else "нет права записи в папку state"
        assert refused(result) == (
            f"ошибка: журнал state/{JOURNAL_NAME} недоступен для записи ({detail}): дайте права на запись на "
            "файл и на папку state или запустите batch от их владельца"
        )
        dry = cli(tmp_path, "cases", "--as-of", SECOND, "--dry-run", "--state", "state")
        assert dry.returncode == 0 and "Traceback" not in dry.stderr, dry.stderr
        line = next(line for line in dry.stdout.splitlines() if line.startswith("ZN-2025-0001: "))
        assert line.endswith("→ будет выпущено: Досудебная претензия ПР-2026-0001")


def full_journal(tmp_path: Path) -> Journal:
    journal = open_journal(tmp_path / "state")
    (pages,) = journal._db.execute("PRAGMA page_count").fetchone()
    journal._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL, as on a full disk
    return journal


def test_a_full_disk_inside_the_transaction_is_said_as_such_and_rolls_back(tmp_path):
    journal = full_journal(tmp_path)
    try:
        with pytest.raises(EnvironmentProblem) as caught, journal.transaction():
            for n in range(1, 400):
                journal.record(same_entry(journal.take_number("УВ", 2026), f"ZN-{n}", "overdue_notice", "d", "p"))
        message = str(caught.value)
        assert message == (
            f"нет места на диске: {tmp_path / 'state' / JOURNAL_NAME} — освободите место и запустите снова"
        )
        assert "cannot rollback" not in message and caught.value.__cause__ is not None
        assert journal.is_empty() and journal.peek_number("УВ", 2026) == "УВ-2026-0001"
    finally:
        journal.close()


def test_a_full_disk_inside_a_savepoint_keeps_its_own_message(tmp_path):
    journal = full_journal(tmp_path)
    try:
        with pytest.raises(EnvironmentProblem, match="^нет места на диске: "), journal.transaction():
            for n in range(1, 400):
                with journal.savepoint():
                    journal.record(same_entry(journal.take_number("УВ", 2026), f"ZN-{n}", "overdue_notice", "d", "p"))
        assert journal.is_empty()
    finally:
        journal.close()


class CommitOnAFullDisk:
    """A connection whose COMMIT fails as on a full disk: SQLite rolls the transaction back
    itself, then reports SQLITE_FULL (where the old code's own ROLLBACK then raised «cannot
    rollback - no transaction is active» and hid the cause)."""

    def __init__(self, real: sqlite3.Connection):
        self._real = real

    def execute(self, sql: str, *parameters: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            self._real.execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return self._real.execute(sql, *parameters)

    @property
    def in_transaction(self) -> bool:
        return self._real.in_transaction

    def close(self) -> None:
        self._real.close()


def journal_whose_commit_fails(state: Path) -> Journal:
    journal = open_journal(state)
    journal._db.connection = CommitOnAFullDisk(journal._db.connection)
    return journal


def test_a_commit_that_fails_on_a_full_disk_says_so_and_keeps_nothing(tmp_path):
    journal = journal_whose_commit_fails(tmp_path / "state")
    try:
        with pytest.raises(EnvironmentProblem) as caught, journal.transaction():
            journal.record(same_entry(journal.take_number("УВ", 2026), "ZN-1", "overdue_notice", "d", "p"))
        assert str(caught.value).startswith("нет места на диске: ")
        assert "cannot rollback" not in str(caught.value)
        assert journal.is_empty() and journal.peek_number("УВ", 2026) == "УВ-2026-0001"
    finally:
        journal.close()


@needs_soffice
def test_a_batch_whose_commit_fails_leaves_no_letter_and_the_next_run_issues_them(tmp_path, monkeypatch):
    import pipeline.commands.journal_run as journal_run  # opens the journal for batch and build

    write_cases(tmp_path / "cases")
    monkeypatch.setattr(journal_run, "open_journal", journal_whose_commit_fails)
    with pytest.raises(EnvironmentProblem, match="^нет места на диске: "):
        batch(tmp_path, FIRST)
    assert letters(tmp_path / "out") == {} and rows(tmp_path / "state") == []
    assert [p.name for p in (tmp_path / "out").rglob(".*pending*")] == []  # the temporaries went too
    monkeypatch.undo()
    report = batch(tmp_path, FIRST)
    assert report.problems == () and report.issued("overdue_notice") == 3
    assert [row[0] for row in rows(tmp_path / "state")] == ["УВ-2026-0001", "УВ-2026-0002", "УВ-2026-0003"]
    assert_consistent(tmp_path / "out", tmp_path / "state")


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, filled up on demand (root only: mount)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)]).returncode:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as err:
        assert err.errno == errno.ENOSPC
    finally:
        os.close(descriptor)
    return filler


@needs_soffice
@pytest.mark.parametrize("full", ["state", "out"])
def test_a_full_disk_stops_the_batch_with_one_line_and_the_next_run_goes_on(tiny_disk, tmp_path, full):
    write_cases(tmp_path / "cases")
    out = tiny_disk / "out" if full == "out" else tmp_path / "out"
    state = tiny_disk / "state" if full == "state" else tmp_path / "state"
    assert batch(tmp_path, FIRST, out, state).problems == ()
    issued, journal = letters(out), rows(state)
    filler = fill(tiny_disk)
    result = cli(tmp_path, "cases", "--as-of", SECOND, "--out", str(out), "--state", str(state))
    assert refused(result).startswith("ошибка: нет места на диске: ")
    assert rows(state) == journal and letters(out) == issued  # nothing issued, nothing lost
    assert_consistent(out, state)
    filler.unlink()
    report = batch(tmp_path, SECOND, out, state)
    assert report.problems == () and report.issued("pretension") == 3
    assert [row[0] for row in rows(state)][3:] == ["ПР-2026-0001", "ПР-2026-0002", "ПР-2026-0003"]
    assert_consistent(out, state)
    assert {name: data for name, data in letters(out).items() if name in issued} == issued
