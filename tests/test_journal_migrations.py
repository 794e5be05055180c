"""The journal's schema versions: a journal written by an earlier program opens
with this one, keeping every document and counter; a newer one is refused.

tests/data/journal-v1.db was written by the journal code of commit 752eec9
(the unversioned schema: user_version 0, tables created by `open_journal`),
through its own API, with SQLite 3.40.1 — by a throw-away script that did:

    journal = open_journal(state)
    with journal.transaction():   # the December 2025 batch
        УВ-2025-0001  ZN-2025-0931  overdue_notice  2025-12-15  23400.00 + 92.37 + 0.00 (14 days)
    with journal.transaction():   # the January 2026 batch
        ПР-2026-0001  ZN-2025-0931  pretension      2026-01-20  23400.00 + 329.91 + 0.00 (50 days)
        УВ-2026-0001  ZN-2026-0147  overdue_notice  2026-01-20  8840.00 + 77.98 + 7500.00 (23 days)

each number from `take_number`, each row by `record` (claim = the sum; docx and
pdf hashes the SHA-256 of "<number>.docx" / "<number>.pdf", template hash the
SHA-256 of "templates/<kind>.docx"). Never regenerate it with newer code: it
stands for the journals users already have. Tests copy it to tmp_path first.
"""

import hashlib
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from factories import day

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry
from pipeline.store import migrations
from pipeline.store.journal import JOURNAL_NAME, open_journal, open_journal_readonly

FIXTURE = Path(__file__).parent / "data" / "journal-v1.db"
NEXT_SQL = "ALTER TABLE documents ADD COLUMN note TEXT NOT NULL DEFAULT ''; CREATE INDEX documents_by_kind ON documents (kind);"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fixture_entry(
    number: str, case_id: str, kind: str, as_of: str, outstanding: str, days: int, penalty: str, storage: str
) -> JournalEntry:
    return JournalEntry(
        number=number,
        case_id=case_id,
        kind=kind,
        as_of=day(as_of),
        outstanding=Decimal(outstanding),
        days_overdue=days,
        penalty=Decimal(penalty),
        storage=Decimal(storage),
        claim=Decimal(outstanding) + Decimal(penalty) + Decimal(storage),
        docx_sha256=sha(f"{number}.docx"),
        pdf_sha256=sha(f"{number}.pdf"),
        template_sha256=sha(f"templates/{kind}.docx"),
    )


FIXTURE_ROWS = {
    "ZN-2025-0931": (
        fixture_entry("УВ-2025-0001", "ZN-2025-0931", "overdue_notice", "2025-12-15", "23400.00", 14, "92.37", "0.00"),
        fixture_entry("ПР-2026-0001", "ZN-2025-0931", "pretension", "2026-01-20", "23400.00", 50, "329.91", "0.00"),
    ),
    "ZN-2026-0147": (
        fixture_entry(
            "УВ-2026-0001", "ZN-2026-0147", "overdue_notice", "2026-01-20", "8840.00", 23, "77.98", "7500.00"
        ),
    ),
}
FIXTURE_COUNTERS = [("ПР", 2026, 1), ("УВ", 2025, 1), ("УВ", 2026, 1)]


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """A state folder holding a copy of the version-1 journal (the fixture itself is never opened)."""
    folder = tmp_path / "state"
    folder.mkdir()
    shutil.copyfile(FIXTURE, folder / JOURNAL_NAME)
    return folder


def read(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def user_version(state: Path) -> int:
    return read(state / JOURNAL_NAME, "PRAGMA user_version")[0][0]


def write_user_version(state: Path, version: int) -> None:
    connection = sqlite3.connect(state / JOURNAL_NAME)
    connection.execute(f"PRAGMA user_version = {version}")
    connection.commit()
    connection.close()


def test_the_fixture_is_an_unversioned_journal_of_today():
    assert read(FIXTURE, "PRAGMA user_version") == [(0,)]
    assert read(FIXTURE, "SELECT prefix, year, last FROM counters ORDER BY prefix, year") == FIXTURE_COUNTERS


def test_a_version_1_journal_opens_keeping_every_row_and_counter(state):
    journal = open_journal(state)
    try:
        for case_id, rows in FIXTURE_ROWS.items():
            assert journal.history(case_id) == rows
        assert journal.last_as_of() == day("2026-01-20")
        assert [e.number for e in journal.entries_on(day("2026-01-20"))] == ["ПР-2026-0001", "УВ-2026-0001"]
        with journal.transaction():
            assert journal.take_number("УВ", 2026) == "УВ-2026-0002"
            assert journal.take_number("ПР", 2026) == "ПР-2026-0002"
            assert journal.take_number("УВ", 2025) == "УВ-2025-0002"
            assert journal.take_number("ПР", 2027) == "ПР-2027-0001"
    finally:
        journal.close()
    assert user_version(state) == migrations.latest_version()


def test_a_new_journal_gets_the_latest_version(tmp_path):
    open_journal(tmp_path / "state").close()
    assert user_version(tmp_path / "state") == migrations.latest_version() == len(migrations.MIGRATIONS)


def test_an_empty_file_is_a_new_journal(tmp_path):
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / JOURNAL_NAME).touch()
    journal = open_journal(tmp_path / "state")
    try:
        assert journal.peek_number("УВ", 2026) == "УВ-2026-0001"
    finally:
        journal.close()
    assert user_version(tmp_path / "state") == migrations.latest_version()


def test_opening_twice_changes_nothing_the_second_time(state):
    open_journal(state).close()
    once = (state / JOURNAL_NAME).read_bytes()
    open_journal(state).close()
    assert (state / JOURNAL_NAME).read_bytes() == once
    assert user_version(state) == migrations.latest_version()
    assert read(state / JOURNAL_NAME, "SELECT COUNT(*) FROM documents") == [(3,)]


@pytest.mark.parametrize("opener", [open_journal, open_journal_readonly])
def test_a_journal_of_a_newer_program_is_refused(state, opener):
    write_user_version(state, 5)
    before = (state / JOURNAL_NAME).read_bytes()
    with pytest.raises(EnvironmentProblem) as caught:
        opener(state)
    assert str(caught.value) == (
        f"журнал {state / JOURNAL_NAME} записан более новой версией программы "
        f"(версия схемы 5, эта программа знает до {migrations.latest_version()}): обновите программу"
    )
    assert caught.value.exit_code == 3
    assert (state / JOURNAL_NAME).read_bytes() == before


def test_the_message_names_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_journal(Path("state")).close()
    write_user_version(Path("state"), 5)
    with pytest.raises(EnvironmentProblem) as caught:
        open_journal(Path("state"))
    assert str(caught.value) == (
        "журнал state/journal.sqlite записан более новой версией программы "
        f"(версия схемы 5, эта программа знает до {migrations.latest_version()}): обновите программу"
    )


def test_read_only_opening_of_a_version_1_journal_writes_nothing(state):
    before = (state / JOURNAL_NAME).read_bytes()
    journal = open_journal_readonly(state)
    assert journal is not None
    try:
        for case_id, rows in FIXTURE_ROWS.items():
            assert journal.history(case_id) == rows
        assert journal.peek_number("УВ", 2026) == "УВ-2026-0002"
        with pytest.raises(EnvironmentProblem, match="недоступен для записи"), journal.transaction():
            journal.take_number("УВ", 2026)
    finally:
        journal.close()
    assert (state / JOURNAL_NAME).read_bytes() == before
    assert sorted(p.name for p in state.iterdir()) == [JOURNAL_NAME]


def test_version_2_gives_the_journal_an_id_and_every_old_document_is_done(state):
    journal = open_journal(state)
    try:
        journal_id = journal.journal_id
        assert journal.placing() == ()
    finally:
        journal.close()
    assert read(state / JOURNAL_NAME, "SELECT DISTINCT state FROM documents") == [("done",)]
    assert read(state / JOURNAL_NAME, "SELECT value FROM meta WHERE key = 'journal_id'") == [(journal_id,)]
    reopened = open_journal(state)
    try:
        assert reopened.journal_id == journal_id  # made once, by the migration
    finally:
        reopened.close()


def test_two_copies_of_a_version_1_journal_get_different_ids(state, tmp_path):
    (tmp_path / "copy").mkdir()
    shutil.copyfile(FIXTURE, tmp_path / "copy" / JOURNAL_NAME)
    first, second = open_journal(state), open_journal(tmp_path / "copy")
    try:
        assert first.journal_id != second.journal_id
    finally:
        first.close()
        second.close()


def test_a_document_state_other_than_placing_or_done_is_refused_by_the_schema(tmp_path):
    open_journal(tmp_path / "state").close()
    connection = sqlite3.connect(tmp_path / "state" / JOURNAL_NAME)
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "INSERT INTO documents (number, case_id, kind, as_of, outstanding, days_overdue, penalty, storage, "
            "claim, docx_sha256, pdf_sha256, template_sha256, state) VALUES ('УВ-2026-0001', 'ZN-1', "
            "'overdue_notice', '2026-10-01', '1', 1, '0', '0', '1', 'd', 'p', 't', 'lost')"
        )
    connection.close()


# --- the next engineer's migration: appended to MIGRATIONS ---------------------


@pytest.fixture
def with_v2(monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, NEXT_SQL))


def columns(state: Path) -> set[str]:
    return {row[1] for row in read(state / JOURNAL_NAME, "PRAGMA table_info(documents)")}


def test_an_appended_migration_upgrades_a_version_1_journal(state, with_v2):
    journal = open_journal(state)
    try:
        assert journal.history("ZN-2026-0147") == FIXTURE_ROWS["ZN-2026-0147"]
        with journal.transaction():
            assert journal.take_number("УВ", 2026) == "УВ-2026-0002"
    finally:
        journal.close()
    assert user_version(state) == len(migrations.MIGRATIONS)
    assert "note" in columns(state)
    assert read(state / JOURNAL_NAME, "SELECT note FROM documents WHERE number = 'УВ-2026-0001'") == [("",)]


def test_an_appended_migration_builds_a_new_journal_step_by_step(tmp_path, with_v2):
    open_journal(tmp_path / "state").close()
    assert user_version(tmp_path / "state") == len(migrations.MIGRATIONS)
    assert "note" in columns(tmp_path / "state")


def test_read_only_opening_upgrades_an_older_journal_in_memory_only(state, with_v2):
    before = (state / JOURNAL_NAME).read_bytes()
    journal = open_journal_readonly(state)
    assert journal is not None
    try:
        assert journal.history("ZN-2025-0931") == FIXTURE_ROWS["ZN-2025-0931"]
        assert journal.peek_number("ПР", 2026) == "ПР-2026-0002"
        # The copy is query_only: even BEGIN IMMEDIATE is refused (the file's own read-only mode fails later, at the write).
        with pytest.raises(EnvironmentProblem, match="attempt to write a readonly database"), journal.transaction():
            journal.take_number("ПР", 2026)
    finally:
        journal.close()
    assert (state / JOURNAL_NAME).read_bytes() == before
    assert user_version(state) == 0


def test_a_failing_migration_leaves_the_journal_at_the_version_before(state, monkeypatch):
    broken = "CREATE TABLE reminders (number TEXT); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    with pytest.raises(EnvironmentProblem, match="не открывается: no such table: no_such_table"):
        open_journal(state)
    # Stamped 1, upgraded to the last good version, and not one step further: the broken
    # migration and its number were one transaction.
    assert user_version(state) == len(migrations.MIGRATIONS) - 1
    assert read(state / JOURNAL_NAME, "SELECT name FROM sqlite_master WHERE name = 'reminders'") == []
    assert read(state / JOURNAL_NAME, "SELECT COUNT(*) FROM documents") == [(3,)]


def test_statements_split_only_where_sqlite_ends_them():
    script = """
        CREATE TABLE t (a TEXT DEFAULT 'x;y');  -- a comment; with a semicolon
        CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN UPDATE t SET a = 'z;'; END;
        INSERT INTO t (a) VALUES ('1')
    """
    connection = sqlite3.connect(":memory:", isolation_level=None)
    for statement in migrations._statements(script):
        connection.execute(statement)
    assert connection.execute("SELECT a FROM t").fetchall() == [("z;",)]
    connection.close()
