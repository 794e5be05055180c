"""An out folder belongs to one journal: every way a batch could meet the wrong
journal (another --state, a journal deleted or emptied, another working folder
with an absolute --out, another journal, an older copy, a dry run) is refused
with exit 3 and one line, and nothing is touched; a folder of the version
before markers is taken over by the journal that knows its letters. A date run
again into another --out is repaired in one warm pool, and the journal keeps
the hashes of what was issued. Real batches, real LibreOffice where a letter is
made. The helpers here serve test_journal_safety_errors.py and
test_journal_safety_kills.py too."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from factories import day

import pipeline.commands.issue as issue
from pipeline.commands.batch import BatchOptions, BatchReport, run_batch
from pipeline.errors import CalculationError
from pipeline.models import JournalEntry
from pipeline.store.journal import JOURNAL_NAME, open_journal
from pipeline.store.ownership import MARKER_NAME, claim_out_dir, issued_letters

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "shop.yaml"
FIRST, SECOND = "2026-01-12", "2026-02-20"  # a notice each, then a pretension each (confirmed key rates)
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
CASE = """\
id: ZN-2025-{n:04d}
client:
  kind: person
  name: Смирнова Анна Сергеевна
  address: 117452, г. Москва, Симферопольский б-р, д. 24, кв. 118
vehicle:
  make: Kia
  model: Rio
  year: 2018
  vin: Z94CB41AAJR123456
  plate: М456ОР799
  mileage_km: 112400
order:
  number: ЗН-{n:04d}
  date: 2025-12-10
work:
  - name: Замена ремня ГРМ
    kind: labor
    qty: 1
    price: {price}.00
    status: done
invoice:
  number: "{n}"
  date: 2025-12-15
  due_date: 2025-12-20
"""


# --- helpers (the kill tests use them too) -------------------------------------


def write_cases(folder: Path, count: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, count + 1):
        (folder / f"case-{n}.yaml").write_text(CASE.format(n=n, price=6000 + 100 * n), encoding="utf-8")
    return folder


def batch(work: Path, as_of: str, out: Path | None = None, state: Path | None = None) -> BatchReport:
    options = BatchOptions(out_dir=out or work / "out", state_dir=state or work / "state", as_of=day(as_of), jobs=2)
    return run_batch([work / "cases"], SHOP, options)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m pipeline batch …` in `cwd`, with the code of this tree."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PIPELINE_LOCK_WAIT": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "batch", *args, "--shop", str(SHOP)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def rows(state: Path) -> list[tuple[str, str, str, str, str, str]]:
    connection = sqlite3.connect(f"{(state / JOURNAL_NAME).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(
            "SELECT number, case_id, kind, docx_sha256, pdf_sha256, state FROM documents ORDER BY rowid"
        ).fetchall()
    finally:
        connection.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def letters(out: Path) -> dict[str, bytes]:
    """Every letter under its final name, by its path inside out/."""
    return {str(path.relative_to(out)): path.read_bytes() for *_, path in issued_letters(out)}


def listing(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` but the run locks (a run rewrites its pid into them)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }


# The annexes issued with a letter under its number (documents.py, DocumentKind.annexes), written out
# here by hand: each notice and each pretension goes with its debt statement,
# `debt_statement-УВ-2026-0001.docx|pdf` beside `overdue_notice-УВ-2026-0001.docx|pdf`.
ANNEXES = {"overdue_notice": ("debt_statement",), "pretension": ("debt_statement",)}


def annex_files(out: Path, case_id: str, kind: str, number: str) -> list[Path]:
    """The DOCX and PDF of each annex of the letter: the journal keeps no hash of them."""
    return [
        out / case_id / f"{annex}-{number}.{suffix}" for annex in ANNEXES.get(kind, ()) for suffix in ("docx", "pdf")
    ]


def assert_consistent(out: Path, state: Path) -> None:
    """A number exists only with its files: no final-named letter (or annex) without a done row,
    every done row with both files under the journalled hashes and both files of each of its
    annexes, nothing left placing or temporary."""
    journal = rows(state)
    assert [row for row in journal if row[5] != "done"] == []
    expected = set()
    for number, case_id, kind, docx_sha, pdf_sha, _ in journal:
        for suffix, digest in (("docx", docx_sha), ("pdf", pdf_sha)):
            path = out / case_id / f"{kind}-{number}.{suffix}"
            assert path.is_file() and sha(path) == digest, path
            expected.add(str(path.relative_to(out)))
        for path in annex_files(out, case_id, kind, number):  # never a number without its annex
            assert path.is_file() and path.stat().st_size > 0, path
            expected.add(str(path.relative_to(out)))
    assert set(letters(out)) == expected
    assert [p.name for p in out.glob("*/.*") if ".pending." in p.name or p.suffix in (".part", ".tmp")] == []


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one line of a refusal (exit 3, no traceback)."""
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ошибка: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def issued_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A work folder after one batch: three notices with their debt statements in out/, the journal in state/."""
    work = tmp_path_factory.mktemp("issued")
    write_cases(work / "cases")
    report = batch(work, FIRST)
    assert report.problems == () and not report.environment_failed
    assert report.issued("overdue_notice") == 3
    return work


@pytest.fixture
def work(issued_once: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "work"
    shutil.copytree(issued_once, copy)
    return copy


# --- an out folder belongs to one journal ----------------------------------------


@needs_soffice
def test_another_state_folder_is_refused_before_anything_is_created(work):
    before = listing(work)
    # The marker names the journal's id, where it was (the folder this copy was made from) and the folder's id.
    journal_id, where, _ = (work / "out" / MARKER_NAME).read_text().splitlines()
    assert Path(where).name == JOURNAL_NAME
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "OTHER"))
    assert line == (
        f"ошибка: папка out выпущена по журналу {journal_id} ({where}), а журнала OTHER/{JOURNAL_NAME} нет или "
        f"он пуст: укажите правильный --state (этот журнал был в {Path(where).parent}: --state "
        f"{Path(where).parent}) или другую папку --out; ничего не удалено"
    )
    assert listing(work) == before
    assert not (work / "OTHER").exists()


@needs_soffice
@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_deleted_or_emptied_journal_is_refused(work, how):
    if how == "deleted":
        (work / "state" / JOURNAL_NAME).unlink()
    else:
        (work / "state" / JOURNAL_NAME).write_bytes(b"")
    before = listing(work)
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "state"))
    assert f"а журнала state/{JOURNAL_NAME} нет или он пуст" in line
    assert listing(work) == before  # the letters are there, and no new journal was started


@needs_soffice
def test_another_working_folder_with_an_absolute_out_is_refused(work, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(work / "cases", elsewhere / "cases")
    before = listing(work)
    line = refused(cli(elsewhere, "cases", "--as-of", SECOND, "--out", str(work / "out")))
    assert f"папка {work / 'out'} выпущена по журналу" in line and "а журнала state/journal.sqlite нет" in line
    assert listing(work) == before
    assert sorted(p.name for p in elsewhere.iterdir()) == ["cases"]  # no state/ of its own


@needs_soffice
def test_another_journal_is_refused_even_when_it_holds_the_same_numbers(work, tmp_path):
    other = tmp_path / "other-state"
    journal = open_journal(other)  # another shop's journal, with the very same rows and counters
    try:
        with journal.transaction():
            for number, case_id, kind, docx_sha, pdf_sha, _ in rows(work / "state"):
                assert journal.take_number("УВ", 2026) == number
                journal.record(same_entry(number, case_id, kind, docx_sha, pdf_sha))
        other_id = journal.journal_id
    finally:
        journal.close()
    before = listing(work)
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", str(other)))
    assert f"а журнал {other / JOURNAL_NAME} — другой ({other_id}): укажите правильный --state" in line
    assert listing(work) == before


def same_entry(number: str, case_id: str, kind: str, docx_sha: str, pdf_sha: str) -> JournalEntry:
    zero = Decimal("0")
    return JournalEntry(number, case_id, kind, day(FIRST), zero, 1, zero, zero, zero, docx_sha, pdf_sha, "t" * 64)


@needs_soffice
def test_letters_without_a_marker_are_refused_with_a_journal_that_does_not_know_them(work, tmp_path):
    (work / "out" / MARKER_NAME).unlink()
    before = listing(work)
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "OTHER"))
    # Each of the 3 notices with its debt statement: 6 files × docx+pdf = 12, the first in name order
    # being the first notice's debt statement (an annex under the letter's number is refused with it).
    assert line.startswith(
        "ошибка: в папке out есть выпущенные письма (12, например ZN-2025-0001/debt_statement-УВ-2026-0001.docx)"
    )
    assert f"а журнала OTHER/{JOURNAL_NAME} нет или он пуст" in line
    open_journal(tmp_path / "fresh").close()
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", str(tmp_path / "fresh")))
    assert f"которых нет в журнале {tmp_path / 'fresh' / JOURNAL_NAME}: укажите --state с журналом" in line
    assert listing(work) == before


@needs_soffice
def test_letters_the_journal_lost_are_refused_not_deleted(work):
    """An older copy of the right journal (same id) does not know the latest letters: refused."""
    connection = sqlite3.connect(work / "state" / JOURNAL_NAME)
    connection.execute("DELETE FROM documents WHERE number = 'УВ-2026-0003'")
    connection.commit()
    connection.close()
    before = listing(work)
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "state"))
    # The lost notice's DOCX and PDF and those of its debt statement (under the same number): 4 files.
    assert "есть письма, которых нет в журнале state/journal.sqlite (4, например ZN-2025-0003/" in line
    assert "журнал заменён старой копией или изменён вручную" in line
    assert listing(work) == before


@needs_soffice
def test_a_dry_run_with_the_wrong_journal_is_refused_too(work):
    line = refused(cli(work, "cases", "--as-of", SECOND, "--dry-run", "--out", "out", "--state", "OTHER"))
    assert "нет или он пуст" in line
    assert not (work / "OTHER").exists()


@needs_soffice
def test_an_unreadable_marker_is_refused(work):
    (work / "out" / MARKER_NAME).write_text("что-то не то\n", encoding="utf-8")
    line = refused(cli(work, "cases", "--as-of", SECOND, "--out", "out", "--state", "state"))
    assert "отметка журнала out/.journal-id не читается (в первой строке нет id журнала)" in line


@needs_soffice
def test_a_folder_without_a_marker_is_taken_over_by_the_journal_that_knows_its_letters(work):
    """An out folder of the version before markers (the journal upgraded from version 1)."""
    journal_id = (work / "out" / MARKER_NAME).read_text().splitlines()[0]
    (work / "out" / MARKER_NAME).unlink()
    before = letters(work / "out")
    report = batch(work, FIRST)  # the same date again: nothing new, the folder is marked
    assert report.problems == () and report.repeated == 3
    marker = (work / "out" / MARKER_NAME).read_text().splitlines()
    assert marker[:2] == [journal_id, str((work / "state" / JOURNAL_NAME).resolve())] and len(marker) == 3
    assert letters(work / "out") == before


def test_claim_out_dir_marks_a_new_folder_once(tmp_path):
    journal = open_journal(tmp_path / "state")
    try:
        claim_out_dir(tmp_path / "new-out", journal, write=False)
        assert not (tmp_path / "new-out").exists()
        claim_out_dir(tmp_path / "new-out", journal)
        marker = (tmp_path / "new-out" / MARKER_NAME).read_text().splitlines()
        assert marker == [journal.journal_id, str((tmp_path / "state" / JOURNAL_NAME).resolve()), journal.out_id]
        assert len(journal.out_id) == 36 and journal.out_id != journal.journal_id
        claim_out_dir(tmp_path / "new-out", journal)  # the folder keeps its id
        assert (tmp_path / "new-out" / MARKER_NAME).read_text().splitlines() == marker
    finally:
        journal.close()


# --- a letter whose annex cannot be made ------------------------------------------


@needs_soffice
def test_a_letter_whose_annex_cannot_be_rendered_gives_its_number_back_and_leaves_no_file(tmp_path, monkeypatch):
    """The second case's debt statement fails to render after its notice did: the notice is not
    issued without it, its number goes to the next case (no gap), and no temporary is left behind."""
    write_cases(tmp_path / "cases")
    render = issue.render_document

    def failing(kind, templates_dir, context, target, cache, durable=True):  # type: ignore[no-untyped-def]
        if kind == "debt_statement" and target.parent.name == "ZN-2025-0002":
            raise CalculationError("расчёт задолженности не составлен")
        return render(kind, templates_dir, context, target, cache, durable)

    monkeypatch.setattr(issue, "render_document", failing)
    report = batch(tmp_path, FIRST)
    assert [problem.message for problem in report.problems] == ["расчёт задолженности не составлен"]
    assert [(row[0], row[1]) for row in rows(tmp_path / "state")] == [
        ("УВ-2026-0001", "ZN-2025-0001"),
        ("УВ-2026-0002", "ZN-2025-0003"),
    ]
    assert_consistent(tmp_path / "out", tmp_path / "state")
    assert [path.name for path in (tmp_path / "out" / "ZN-2025-0002").glob("*")] == []


# --- a date run again into another --out -----------------------------------------


@needs_soffice
def test_a_date_run_again_into_another_out_is_repaired_in_one_pool_and_the_journal_is_kept(work, monkeypatch):
    journal_before = rows(work / "state")
    calls: list[int] = []
    convert = issue.convert_pdfs

    def counting(jobs, **options):  # type: ignore[no-untyped-def]
        calls.append(len(jobs))
        return convert(jobs, **options)

    monkeypatch.setattr(issue, "convert_pdfs", counting)
    report = batch(work, FIRST, out=work / "copy")
    assert report.problems == () and sorted(report.repaired) == ["УВ-2026-0001", "УВ-2026-0002", "УВ-2026-0003"]
    # One pool for every PDF, not a cold LibreOffice each: the 3 notices and their 3 debt statements.
    assert calls == [6]
    assert rows(work / "state") == journal_before  # the hashes of what was issued stay
    original, copy = letters(work / "out"), letters(work / "copy")
    assert set(copy) == set(original)
    assert {name: data for name, data in copy.items() if name.endswith(".docx")} == {
        name: data for name, data in original.items() if name.endswith(".docx")
    }
    # Both out folders now belong to the journal; the original is untouched.
    marker, original_marker = ((work / folder / MARKER_NAME).read_text().splitlines() for folder in ("copy", "out"))
    assert marker[0] == original_marker[0]
    again = batch(work, FIRST, out=work / "copy")
    assert again.repaired == () and calls == [6]


@needs_soffice
def test_a_lost_pdf_is_made_again_and_the_journal_keeps_the_hash_of_the_one_issued(work):
    lost = work / "out" / "ZN-2025-0002" / "overdue_notice-УВ-2026-0002.pdf"
    lost.unlink()
    journal_before = rows(work / "state")
    report = batch(work, FIRST)
    assert report.repaired == ("УВ-2026-0002",)
    assert lost.is_file() and rows(work / "state") == journal_before
