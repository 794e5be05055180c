"""`build` issues the numbered letters through the batch's journal: the same escalation (a
notice before a pretension), the same numbers, files, ownership and crash safety; a repeated
build issues nothing, batch and build see each other's letters; `--draft` previews a letter
with no number and journals nothing. Real SQLite, real LibreOffice.

The cases are test_journal_safety.py's: three debtors, due 20.12.2025, confirmed key rates.
On 12.01.2026 (23 days overdue, never notified) each gets its first notice, in the order of
the case ids: УВ-2026-0001, -0002, -0003. On 20.02.2026 (62 days overdue ≥ 30, notified 39
days ago ≥ 7) each gets its pretension: ПР-2026-0001, -0002, -0003."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from factories import day
from test_journal_safety import FIRST, SECOND, SHOP, assert_consistent, batch, letters, listing, rows, write_cases

import pipeline.commands.issue as issue
from pipeline.commands.build import BuildOptions, BuildReport, run_build
from pipeline.pdf.convert import ConversionResult

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ["УВ-2026-0001", "УВ-2026-0002", "УВ-2026-0003"]
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]


def build(work: Path, as_of: str, *, only: set[str] | None = None, draft: bool = False) -> BuildReport:
    options = BuildOptions(
        out_dir=work / "out",
        as_of=day(as_of),
        state_dir=work / "state",
        draft=draft,
        only=frozenset(only) if only else None,
        jobs=2,
    )
    return run_build([work / "cases"], SHOP, options)


def numbers(report: BuildReport) -> list[str]:
    return [entry.number for entry in report.issued]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder after one build on 12.01.2026: three notices issued through the journal."""
    work = tmp_path_factory.mktemp("built")
    write_cases(work / "cases")
    report = build(work, FIRST)
    assert report.problems == [] and not report.environment_failed
    assert numbers(report) == NOTICES
    return work


@pytest.fixture
def work(built_once: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "work"
    shutil.copytree(built_once, copy)
    return copy


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    write_cases(tmp_path / "cases")
    return tmp_path


def test_build_issues_the_first_notices_into_the_journal(built_once):
    out = built_once / "out"
    assert [row[:3] for row in rows(built_once / "state")] == [
        (number, f"ZN-2025-000{n}", "overdue_notice") for n, number in enumerate(NOTICES, 1)
    ]
    # Each notice with its annex, the debt statement, under the notice's number: 3 × 2 documents × DOCX and PDF.
    assert sorted(letters(out)) == sorted(
        f"ZN-2025-000{n}/{kind}-{number}.{suffix}"
        for n, number in enumerate(NOTICES, 1)
        for kind in ("overdue_notice", "debt_statement")
        for suffix in "docx pdf".split()
    )
    assert_consistent(out, built_once / "state")
    assert (out / ".journal-id").is_file()  # the folder belongs to the journal, as after a batch
    assert not (out / "batches").exists()  # the register and print.pdf are the batch's alone
    text = [p.text for p in Document(str(out / "ZN-2025-0001" / "overdue_notice-УВ-2026-0001.docx")).paragraphs]
    assert any("УВ-2026-0001" in paragraph for paragraph in text)


def documents(out: Path) -> dict[str, bytes]:
    """Every file of out/ but the journal's marker (a copied folder's names the copy's journal)."""
    return {name: data for name, data in listing(out).items() if name != ".journal-id"}


def test_a_second_build_of_the_same_date_issues_nothing_and_changes_no_byte(work):
    before = documents(work / "out")
    journal = rows(work / "state")
    report = build(work, FIRST)
    assert report.problems == [] and report.issued == []
    assert documents(work / "out") == before
    assert rows(work / "state") == journal


def test_a_lost_letter_is_rebuilt_from_the_journal_by_a_build_of_its_date(work):
    lost = work / "out" / "ZN-2025-0002" / "overdue_notice-УВ-2026-0002.pdf"
    lost.unlink()
    journal = rows(work / "state")
    report = build(work, FIRST)
    assert report.issued == [] and lost in report.written and lost.is_file()
    assert rows(work / "state") == journal  # the hashes of the letter issued stay


def test_a_batch_after_a_build_sees_its_letters(work):
    journal = rows(work / "state")
    report = batch(work, FIRST)
    assert report.problems == () and report.issued("overdue_notice") == 0 and report.repeated == 3
    assert rows(work / "state") == journal


def test_a_build_after_a_batch_sees_its_letters(fresh):
    assert batch(fresh, FIRST).issued("overdue_notice") == 3
    journal = rows(fresh / "state")
    report = build(fresh, FIRST)
    assert report.problems == [] and report.issued == []
    assert rows(fresh / "state") == journal


def test_a_pretension_comes_only_after_a_notice(fresh, work):
    # 62 days overdue on 20.02, but never notified: the escalation gives the notice first.
    report = build(fresh, SECOND, only={"pretension"})
    assert report.issued == [] and rows(fresh / "state") == []
    assert [str(w) for w in report.warnings if "pretension" in str(w)][0] == (
        f"предупреждение: {fresh / 'cases' / 'case-1.yaml'}: pretension: «Досудебная претензия» сейчас не "
        "выпускается: сначала положено другое письмо — Уведомление о просрочке оплаты (первое уведомление); "
        "проект без номера: --draft"
    )
    # Notified on 12.01 (39 days ≥ 7 before 20.02): now the pretensions, recounting each notice.
    report = build(work, SECOND)
    assert numbers(report) == ["ПР-2026-0001", "ПР-2026-0002", "ПР-2026-0003"]
    text = "\n".join(p.text for p in Document(str(work / "out/ZN-2025-0001/pretension-ПР-2026-0001.docx")).paragraphs)
    assert "УВ-2026-0001" in text
    assert_consistent(work / "out", work / "state")


def test_an_earlier_date_than_the_journal_issues_nothing_and_says_why(work):
    (work / "out" / "ZN-2025-0003" / "overdue_notice-УВ-2026-0003.docx").unlink()
    journal = rows(work / "state")
    report = build(work, "2026-01-05")
    assert report.issued == [] and rows(work / "state") == journal
    assert (
        f"предупреждение: --as-of 2026-01-05: в журнале {work / 'state' / 'journal.sqlite'} уже есть письма от "
        "2026-01-12, а письма с номером задним числом не выпускаются — собраны документы без номера и пропавшие "
        "письма этой даты; проект без номера: --draft"
    ) in [str(w) for w in report.warnings]
    assert build(work, FIRST).issued == []  # its own date rebuilds the lost DOCX
    assert_consistent(work / "out", work / "state")


def test_a_draft_has_no_number_and_is_journalled_nowhere(fresh):
    report = build(fresh, SECOND, only={"pretension"}, draft=True)
    assert report.problems == [] and report.issued == []
    assert not (fresh / "state").exists()
    assert letters(fresh / "out") == {}
    draft = fresh / "out" / "ZN-2025-0001" / "drafts" / "pretension-ПРОЕКТ.docx"
    assert sorted(p.name for p in draft.parent.iterdir()) == ["pretension-ПРОЕКТ.docx", "pretension-ПРОЕКТ.pdf"]
    paragraphs = [p.text for p in Document(str(draft)).paragraphs]
    assert paragraphs[0] == "ПРОЕКТ — не подписывать и не отправлять"
    assert not any("ПР-" in paragraph for paragraph in paragraphs)  # no number, not even a made-up one
    assert "drafts" not in (fresh / "out" / ".manifest.json").read_text(encoding="utf-8")
    first = draft.stat().st_mtime_ns
    build(fresh, SECOND, only={"pretension"}, draft=True)
    assert draft.stat().st_mtime_ns != first  # made again every time, overwriting


def test_a_draft_beside_a_journal_changes_nothing_in_it(work):
    journal = rows(work / "state")
    before = letters(work / "out")
    report = build(work, SECOND, draft=True)
    assert report.issued == [] and rows(work / "state") == journal and letters(work / "out") == before
    # The draft pretension recounts the notice the journal holds.
    draft = work / "out" / "ZN-2025-0001" / "drafts" / "pretension-ПРОЕКТ.docx"
    assert "УВ-2026-0001" in "\n".join(p.text for p in Document(str(draft)).paragraphs)


def test_a_failing_conversion_leaves_no_number(fresh, monkeypatch):
    def failing(jobs, **options):  # type: ignore[no-untyped-def]
        return [ConversionResult(job, ok=False, error="сбой для проверки") for job in jobs]

    monkeypatch.setattr(issue, "convert_pdfs", failing)
    report = build(fresh, FIRST)
    assert report.environment_failed and report.exit_code == 3 and report.issued == []
    assert rows(fresh / "state") == [] and letters(fresh / "out") == {}
    monkeypatch.undo()
    assert numbers(build(fresh, FIRST)) == NOTICES  # the numbers were never taken
    assert_consistent(fresh / "out", fresh / "state")


KILLER = """
import os, signal, sys
from datetime import date
from pathlib import Path

import pipeline.commands.issue as issue
import pipeline.commands.placing as placing
from pipeline.commands.build import BuildOptions, run_build


def die(*_, **__):
    os.kill(os.getpid(), signal.SIGKILL)


def after_convert(original):
    def wrapper(*args, **kwargs):
        original(*args, **kwargs)
        die()
    return wrapper


point, cases, shop, out, state, as_of = sys.argv[1:]
if point == "converted":
    issue._convert = after_convert(issue._convert)  # every PDF made, no row recorded
else:
    placing.finish = die  # rows committed 'placing', files still temporary
run_build([Path(cases)], Path(shop), BuildOptions(Path(out), date.fromisoformat(as_of), Path(state), jobs=2))
sys.exit("the build ended without reaching " + point)
"""


@pytest.mark.parametrize("point", ["converted", "committed"])
def test_a_killed_build_leaves_no_number_without_its_letter(fresh, point):
    arguments = [point, str(fresh / "cases"), str(SHOP), str(fresh / "out"), str(fresh / "state"), FIRST]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLER, *arguments], env=environment, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert letters(fresh / "out") == {}  # never a letter under its number before its row is committed
    expected = [(number, "placing") for number in NOTICES] if point == "committed" else []
    assert [(row[0], row[5]) for row in rows(fresh / "state")] == expected
    # The next build finishes the committed letters, or issues them afresh with the same numbers.
    report = build(fresh, FIRST)
    assert numbers(report) == ([] if point == "committed" else NOTICES)
    assert [row[0] for row in rows(fresh / "state")] == NOTICES
    assert_consistent(fresh / "out", fresh / "state")
