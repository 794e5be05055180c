"""The journal, on both its databases (SQLite and PostgreSQL: journal_backends.py):
number sequences per prefix and year that never reuse a number, all-or-nothing
transactions, history per case, documents 'placing' until their files are in
place, an id of its own, a run's own documents (its out folder's and its cases'),
and a read-only view for dry runs that creates nothing."""

from decimal import Decimal

import pytest
from factories import day

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry
from pipeline.store.journal import PLACING, open_journal, open_journal_readonly


def entry(number: str, case_id: str = "ZN-1", kind: str = "overdue_notice", as_of: str = "2026-10-01") -> JournalEntry:
    return JournalEntry(
        number=number,
        case_id=case_id,
        kind=kind,
        as_of=day(as_of),
        outstanding=Decimal("8840.00"),
        days_overdue=23,
        penalty=Decimal("77.98"),
        storage=Decimal("7500.00"),
        claim=Decimal("16417.98"),
        docx_sha256="d" * 64,
        pdf_sha256="p" * 64,
        template_sha256="t" * 64,
    )


@pytest.fixture
def journal(backend):
    opened = open_journal(backend.source())
    yield opened
    opened.close()


def test_numbers_run_per_prefix_and_year(journal):
    with journal.transaction():
        taken = [
            journal.take_number("УВ", 2026),
            journal.take_number("УВ", 2026),
            journal.take_number("ПР", 2026),
            journal.take_number("УВ", 2027),
        ]
    assert taken == ["УВ-2026-0001", "УВ-2026-0002", "ПР-2026-0001", "УВ-2027-0001"]
    assert journal.peek_number("УВ", 2026) == "УВ-2026-0003"
    assert journal.peek_number("УВ", 2026, ahead=2) == "УВ-2026-0005"


def test_a_failed_transaction_takes_no_number_and_records_nothing(journal):
    with pytest.raises(RuntimeError), journal.transaction():
        journal.record(entry(journal.take_number("УВ", 2026)))
        raise RuntimeError("the PDF could not be made")
    assert journal.history("ZN-1") == ()
    assert journal.peek_number("УВ", 2026) == "УВ-2026-0001"


def test_a_failed_step_gives_its_number_back_inside_the_transaction(journal):
    with journal.transaction():
        with pytest.raises(ValueError), journal.savepoint():
            journal.take_number("УВ", 2026)
            raise ValueError("template error")
        assert journal.take_number("УВ", 2026) == "УВ-2026-0001"


def test_a_number_is_never_reused_even_when_its_row_is_gone(journal, backend):
    with journal.transaction():
        journal.record(entry(journal.take_number("УВ", 2026)))
    backend.sql("DELETE FROM documents")
    with journal.transaction():
        assert journal.take_number("УВ", 2026) == "УВ-2026-0002"


def test_a_number_is_unique(journal, backend):
    with journal.transaction():
        journal.record(entry("УВ-2026-0001"))
    with pytest.raises(backend.integrity_error), journal.transaction():
        journal.record(entry("УВ-2026-0001", case_id="ZN-2"))


def test_history_is_per_case_oldest_first_with_exact_amounts(journal):
    with journal.transaction():
        journal.record(entry("ПР-2026-0001", kind="pretension", as_of="2026-11-01"))
        journal.record(entry("УВ-2026-0001", as_of="2026-10-01"))
        journal.record(entry("УВ-2026-0002", case_id="ZN-2"))
    history = journal.history("ZN-1")
    assert [item.number for item in history] == ["УВ-2026-0001", "ПР-2026-0001"]
    assert history[0] == entry("УВ-2026-0001")
    assert history[0].claim == Decimal("16417.98")
    assert [item.number for item in journal.entries_on(day("2026-10-01"))] == ["УВ-2026-0001", "УВ-2026-0002"]
    assert journal.last_as_of() == day("2026-11-01")
    assert ("ZN-2", "overdue_notice", "УВ-2026-0002") in journal.issued()


def test_a_document_is_placing_until_marked_done(journal):
    with journal.transaction():
        journal.record(entry(journal.take_number("УВ", 2026)), PLACING)
        journal.record(entry(journal.take_number("УВ", 2026), case_id="ZN-2"), PLACING)
    assert [item.number for item in journal.placing()] == ["УВ-2026-0001", "УВ-2026-0002"]
    assert [item.number for item in journal.history("ZN-1")] == ["УВ-2026-0001"]  # issued, being placed
    with journal.transaction():
        journal.mark_done(["УВ-2026-0001"])
        journal.discard(["УВ-2026-0002"])
    assert journal.placing() == ()
    assert journal.history("ZN-1") == (entry("УВ-2026-0001"),)
    assert journal.history("ZN-2") == ()
    with journal.transaction():  # a discarded number is never handed out again
        assert journal.take_number("УВ", 2026) == "УВ-2026-0003"


def test_discard_forgets_only_documents_being_placed(journal):
    with journal.transaction():
        journal.record(entry("УВ-2026-0001"))
        journal.discard(["УВ-2026-0001"])
    assert journal.history("ZN-1") == (entry("УВ-2026-0001"),)


def test_every_journal_has_an_id_of_its_own(journal, backend):
    other = open_journal(backend.source("other"))
    try:
        assert len(journal.journal_id) == 36 and journal.journal_id.count("-") == 4
        assert other.journal_id != journal.journal_id
    finally:
        other.close()
    again = open_journal(backend.source())
    try:
        assert again.journal_id == journal.journal_id
    finally:
        again.close()


def test_writes_outside_a_transaction_are_refused(journal):
    with pytest.raises(RuntimeError):
        journal.take_number("УВ", 2026)


def test_the_table_has_the_columns_an_accountant_queries(journal, backend):
    columns = backend.columns()
    assert {"number", "case_id", "kind", "as_of", "outstanding", "penalty", "storage", "claim"} <= columns
    assert {"pdf_sha256", "template_sha256", "docx_sha256"} <= columns


def test_read_only_journal_is_none_when_there_is_none_and_creates_nothing(backend):
    assert open_journal_readonly(backend.source()) is None
    assert backend.untouched()


def test_read_only_journal_cannot_write(journal, backend):
    with journal.transaction():
        journal.record(entry(journal.take_number("УВ", 2026)))
    readonly = open_journal_readonly(backend.source())
    try:
        assert [item.number for item in readonly.history("ZN-1")] == ["УВ-2026-0001"]
        with pytest.raises(EnvironmentProblem, match="недоступен для записи"), readonly.transaction():
            readonly.record(entry("УВ-2026-0002"))
    finally:
        readonly.close()


def test_a_run_settles_and_dates_only_its_own_documents(journal, backend):
    """Two out folders (two machines) share the journal: each run sees the documents being placed
    into its own folder, and the date rule and the repairs look at its folder's and its cases' only."""
    other = open_journal(backend.source())
    try:
        journal.out_id, other.out_id = "folder-a", "folder-b"
        with journal.transaction():
            journal.record(entry(journal.take_number("УВ", 2026), case_id="A-1", as_of="2026-12-01"), PLACING)
        with other.transaction():
            other.record(entry(other.take_number("УВ", 2026), case_id="B-1", as_of="2026-11-30"), PLACING)
        assert [item.number for item in journal.placing()] == ["УВ-2026-0001"]
        assert [item.number for item in other.placing()] == ["УВ-2026-0002"]
        assert other.last_as_of({"B-1"}) == day("2026-11-30")  # folder A's later batch does not refuse B's date
        assert other.last_as_of() == day("2026-12-01")
        assert other.entries_on(day("2026-12-01"), {"B-1"}) == ()
        # A case of this run counts wherever its letters were placed (a date run again into another --out).
        assert [item.number for item in other.entries_on(day("2026-12-01"), {"A-1", "B-1"})] == ["УВ-2026-0001"]
        journal.out_id = ""  # a document of a journal before version 3 belongs to every folder
        with journal.transaction():
            journal.record(entry(journal.take_number("УВ", 2026), case_id="C-1"), PLACING)
        assert [item.number for item in other.placing()] == ["УВ-2026-0002", "УВ-2026-0003"]
    finally:
        other.close()
