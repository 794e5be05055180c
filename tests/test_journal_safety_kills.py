"""A batch killed (SIGKILL) at every step of issuing its letters, then run again.

The February batch (a pretension for each of three debtors, on top of the
January notices) runs in a subprocess whose code is wrapped, by the runner
script below, to kill itself at one named point: while rendering, after the
PDFs, while recording, right after the commit, after the first file is renamed,
after every rename, after the rows are marked done. Nothing in the package
knows about it. Then:

- right after the kill, every letter under its final name has its committed
  row, with the same hashes (a letter is never printable before its row);
- the next run finishes the job: no final-named letter without a done row,
  every done row with both files under its hashes, nothing left placing or
  temporary, January's letters untouched, a number never given to another
  letter, a committed letter never lost, and one pretension per debtor.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_journal_safety import (
    FIRST,
    SECOND,
    SHOP,
    annex_files,
    assert_consistent,
    batch,
    letters,
    rows,
    sha,
    write_cases,
)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]

RUNNER = """
import os, signal, sys
from datetime import date
from pathlib import Path

import pipeline.commands.issue as issue
import pipeline.commands.placing as placing
from pipeline.commands.batch import BatchOptions, run_batch
from pipeline.store.journal import Journal


def die(*_, **__):
    os.kill(os.getpid(), signal.SIGKILL)


def after(owner, name):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        die()
        return result

    setattr(owner, name, wrapper)


POINTS = {
    "rendering": lambda: after(issue, "_render"),  # the first DOCX rendered, the transaction open
    "converted": lambda: after(issue, "_convert"),  # every PDF made, no row recorded
    "recording": lambda: after(Journal, "record"),  # one row inserted, not committed
    "committed": lambda: setattr(placing, "finish", die),  # rows committed 'placing', files temporary
    "renaming": lambda: after(placing, "_move"),  # the first file under its final name
    "renamed": lambda: setattr(Journal, "mark_done", die),  # every file in place, rows still 'placing'
    "done": lambda: after(placing, "finish"),  # rows 'done', the register not yet written
}
point, cases, shop, out, state, as_of = sys.argv[1:]
POINTS[point]()
run_batch([Path(cases)], Path(shop), BatchOptions(Path(out), Path(state), date.fromisoformat(as_of), jobs=2))
sys.exit("the batch ended without reaching " + point)
"""
# Each point, and whether the rows of the killed run are committed when it dies there.
POINTS = {
    "rendering": False,
    "converted": False,
    "recording": False,
    "committed": True,
    "renaming": True,
    "renamed": True,
    "done": True,
}


def killed_at(point: str, work: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RUNNER,
            point,
            str(work / "cases"),
            str(SHOP),
            str(work / "out"),
            str(work / "state"),
            SECOND,
        ],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == -9, result.stderr


def assert_no_letter_without_its_committed_row(work: Path) -> None:
    """Every file under its final name is a committed letter's, with its hash, or an annex of a
    committed letter under that letter's number (the journal keeps no annex hash)."""
    committed = {}
    for number, case_id, kind, docx, pdf, _ in rows(work / "state"):
        committed[(case_id, f"{kind}-{number}")] = (docx, pdf)
        for path in annex_files(work / "out", case_id, kind, number):
            committed.setdefault((case_id, path.stem), None)
    for name in letters(work / "out"):
        case_id, file_name = name.split("/")
        stem, suffix = file_name.rsplit(".", 1)
        assert (case_id, stem) in committed, f"{name} is under its final name without a committed row"
        hashes = committed[(case_id, stem)]
        if hashes is not None:
            assert sha(work / "out" / name) == hashes[suffix == "pdf"]


@pytest.fixture(scope="module")
def january(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("january")
    write_cases(work / "cases")
    assert batch(work, FIRST).problems == ()
    return work


@pytest.fixture
def work(january: Path, tmp_path: Path) -> Path:
    shutil.copytree(january, tmp_path / "work")
    return tmp_path / "work"


def assert_february_is_whole(work: Path, january_letters: dict[str, bytes], seen: dict[str, bytes]) -> None:
    assert_consistent(work / "out", work / "state")
    now = letters(work / "out")
    assert {name: now.get(name) for name in january_letters} == january_letters
    assert {name: now.get(name) for name in seen} == seen  # a file seen under a number keeps it
    pretensions = [row for row in rows(work / "state") if row[2] == "pretension"]
    assert sorted(row[1] for row in pretensions) == ["ZN-2025-0001", "ZN-2025-0002", "ZN-2025-0003"]


@pytest.mark.parametrize("point", POINTS)
def test_a_batch_killed_at_each_step_is_finished_by_the_next_run(work, point):
    january_letters, january_rows = letters(work / "out"), rows(work / "state")
    killed_at(point, work)
    assert_no_letter_without_its_committed_row(work)
    committed, seen = rows(work / "state"), letters(work / "out")
    assert committed[:3] == january_rows
    assert len(committed) == (6 if POINTS[point] else 3)  # it died where it was meant to
    # January's 3 notices with their debt statements: 12 files (6 documents × docx+pdf); then the
    # first file renamed (13), or February's 3 pretensions with their debt statements too (24).
    assert len(seen) == {"renaming": 13, "renamed": 24, "done": 24}.get(point, 12)

    report = batch(work, SECOND)
    assert report.problems == ()
    assert not [w for w in report.warnings if "отменён" in w.message]  # nothing had to be undone
    assert_february_is_whole(work, january_letters, seen)
    after = rows(work / "state")
    by_number = {row[0]: row[:5] for row in after}
    assert [row for row in committed if by_number.get(row[0]) != row[:5]] == []  # nothing committed is lost
    if POINTS[point]:  # committed before the kill: finished under the same numbers, not issued again
        assert [row[:5] for row in after] == [row[:5] for row in committed]
        assert report.issued("pretension") == 0
    else:
        assert [row[0] for row in after[3:]] == ["ПР-2026-0001", "ПР-2026-0002", "ПР-2026-0003"]


def test_a_run_killed_while_finishing_a_killed_run_is_finished_by_the_third(work):
    january_letters = letters(work / "out")
    killed_at("committed", work)
    committed = rows(work / "state")
    killed_at("renaming", work)  # the second run dies while it renames the first run's files
    assert_no_letter_without_its_committed_row(work)
    seen = letters(work / "out")
    report = batch(work, SECOND)
    assert report.problems == () and report.issued("pretension") == 0
    assert_february_is_whole(work, january_letters, seen)
    assert [row[:5] for row in rows(work / "state")] == [row[:5] for row in committed]


# The letter's own temporaries lost, or only its debt statement's: a number never goes out without its
# annex, so either way the document is undone (its other files removed with it, none orphaned).
@pytest.mark.parametrize("lost_kind", ["pretension", "debt_statement"])
def test_a_committed_letter_whose_files_are_gone_is_undone_and_its_number_never_comes_back(work, lost_kind):
    january_letters = letters(work / "out")
    killed_at("committed", work)
    lost = next(row for row in rows(work / "state") if row[0] == "ПР-2026-0002")
    gone = list((work / "out" / lost[1]).glob(f".{lost_kind}-ПР-2026-0002.pending.*"))
    assert len(gone) == 2
    for path in gone:
        path.unlink()
    report = batch(work, SECOND)
    assert [w.message for w in report.warnings if "отменён" in w.message] == [
        "документ ПР-2026-0002 (дело ZN-2025-0002) прерванного запуска не разложен: его файлы пропали; "
        "документ отменён, номер больше не выдаётся"
    ]
    # The debtor still gets a pretension, under a new number; ПР-2026-0002 is never anyone's.
    numbers = {row[1]: row[0] for row in rows(work / "state") if row[2] == "pretension"}
    assert numbers == {"ZN-2025-0001": "ПР-2026-0001", "ZN-2025-0002": "ПР-2026-0004", "ZN-2025-0003": "ПР-2026-0003"}
    assert not [path for path in (work / "out").rglob("*") if "ПР-2026-0002" in path.name]
    assert_february_is_whole(work, january_letters, {})
