"""A letter's annexes (DocumentKind.annexes) are issued with it under its number, in the same
journal transaction: placed with it, rebuilt with it when missing, finished with it after a
killed run, known to the out folder's journal, and printed right after it in print.pdf. The
annex here is a test-only kind, «statement», on a copy of the invoice's template, declared an
annex of the overdue notice; the cases are test_journal_safety.py's (three first notices on
12.01.2026: УВ-2026-0001, -0002, -0003, one a case in the order of the case ids)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from factories import day
from pypdf import PdfReader
from test_journal_safety import FIRST, SHOP, rows, write_cases

import pipeline.commands.placing as placing
from pipeline import documents
from pipeline.commands.batch import BatchOptions, run_batch
from pipeline.commands.build import BuildOptions, run_build
from pipeline.documents import DocumentKind
from pipeline.store.journal import PLACING

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ["УВ-2026-0001", "УВ-2026-0002", "УВ-2026-0003"]
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]


def _never(_facts: object) -> bool:
    return False  # issued only as an annex


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Cases, and a templates folder whose overdue notice carries a «statement» annex."""
    write_cases(tmp_path / "cases")
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copy(templates / "invoice.docx", templates / "statement.docx")
    statement = DocumentKind("statement", "Расчёт задолженности", "расчётов", _never)
    monkeypatch.setitem(documents.BY_NAME, "statement", statement)
    notice = replace(documents.BY_NAME["overdue_notice"], annexes=("statement",))
    monkeypatch.setitem(documents.BY_NAME, "overdue_notice", notice)
    return tmp_path


def batch(work: Path) -> None:
    options = BatchOptions(work / "out", work / "state", day(FIRST), jobs=2, templates_dir=work / "templates")
    report = run_batch([work / "cases"], SHOP, options)
    assert report.problems == () and not report.environment_failed


def files_of(out: Path, number: str, case: str) -> list[Path]:
    return [
        out / case / f"{kind}-{number}.{suffix}"
        for kind in ("overdue_notice", "statement")
        for suffix in ("docx", "pdf")
    ]


def test_an_annex_is_issued_placed_and_printed_with_its_letter(work):
    batch(work)
    out = work / "out"
    assert [row[0] for row in rows(work / "state")] == NOTICES  # the annex takes no number of its own
    for n, number in enumerate(NOTICES, 1):
        assert all(path.is_file() for path in files_of(out, number, f"ZN-2025-000{n}"))
    reader = PdfReader(out / "batches" / FIRST / "print.pdf")
    assert [item.title for item in reader.outline] == [
        title
        for n, number in enumerate(NOTICES, 1)
        for title in (
            f"ZN-2025-000{n} — Уведомление о просрочке оплаты {number}",
            f"ZN-2025-000{n} — Расчёт задолженности {number}",
        )
    ]
    letter_pages = len(PdfReader(out / "ZN-2025-0001" / "overdue_notice-УВ-2026-0001.pdf").pages)
    assert reader.get_destination_page_number(reader.outline[1]) == letter_pages  # right after its letter


def test_a_missing_annex_is_rebuilt_with_its_letter(work):
    batch(work)
    lost = work / "out" / "ZN-2025-0002" / "statement-УВ-2026-0002.pdf"
    lost.unlink()
    journal = rows(work / "state")
    batch(work)  # the same date: nothing new; the folder's annexes are known to the journal
    assert lost.is_file() and rows(work / "state") == journal


def test_build_issues_the_annex_with_the_letter(work):
    options = BuildOptions(work / "out", day(FIRST), work / "state", templates_dir=work / "templates", jobs=2)
    report = run_build([work / "cases"], SHOP, options)
    assert report.problems == [] and [entry.number for entry in report.issued] == NOTICES
    for n, number in enumerate(NOTICES, 1):
        assert set(files_of(work / "out", number, f"ZN-2025-000{n}")) <= set(report.written)


class Killed(Exception):
    """Stands for a run killed after the journal committed, before the files were renamed."""


def test_an_annex_left_temporary_by_a_killed_run_is_placed_by_the_next(work, monkeypatch):
    def die(*_args: object) -> None:
        raise Killed

    monkeypatch.setattr(placing, "finish", die)
    with pytest.raises(Killed):
        batch(work)
    assert [row[5] for row in rows(work / "state")] == [PLACING] * 3
    assert not (work / "out" / "ZN-2025-0001" / "statement-УВ-2026-0001.pdf").exists()
    monkeypatch.undo()  # the annex declaration too: set it again
    notice = replace(documents.BY_NAME["overdue_notice"], annexes=("statement",))
    monkeypatch.setitem(documents.BY_NAME, "overdue_notice", notice)
    monkeypatch.setitem(documents.BY_NAME, "statement", DocumentKind("statement", "Расчёт", "расчётов", _never))
    batch(work)
    assert [row[5] for row in rows(work / "state")] == ["done"] * 3
    assert all(path.is_file() for path in files_of(work / "out", "УВ-2026-0001", "ZN-2025-0001"))
    assert list((work / "out").rglob(".*pending*")) == []
