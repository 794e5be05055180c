"""`pipeline post import FILE`: the list Russian Post's «Отправка» gives back
for a batch (post_import.py) becomes a `sent` event with the ШПИ in each case
file (case_events.py). A row is matched to its letter by the journal number the
batch put in ORDERNUM (store/post.py), and to its case through the journal.
A row that matches no letter is one warning; a wrong ШПИ is one error; the
other rows are still written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from pipeline.errors import InputError, UsageError
from pipeline.inputs.files import find_case_files
from pipeline.inputs.load import load_yaml
from pipeline.models import Problem, exit_code
from pipeline.store.case_events import SentEvent, add_sent_event
from pipeline.store.journal import journal_path, open_journal_readonly
from pipeline.store.post_import import ReturnedRow, read_returned_list, tracking_problem


@dataclass
class PostImportReport:
    written: list[str] = field(default_factory=list)  # «ZN-2026-0147: ПР-2026-0001, ШПИ … → cases/….yaml»
    present: int = 0  # events already in their case files
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return exit_code(self.problems)


def run_post_import(list_file: Path, case_paths: Sequence[Path], state_dir: Path, sent_on: date) -> PostImportReport:
    """Write a `sent` event dated `sent_on` for every letter of the post's list into its case file."""
    rows = read_returned_list(list_file)
    report = PostImportReport()
    cases_of_numbers = _journal_numbers(state_dir)
    case_files = _case_files(case_paths, report)
    for row in rows:
        where = Problem(str(list_file), row.line, row.column, "ШПИ", "")
        case_id = cases_of_numbers.get(row.number or "")
        if row.number is None or case_id is None:
            report.warnings.append(_no_letter(where, row, state_dir))
        elif (wrong := tracking_problem(row.tracking)) is not None:
            report.problems.append(_at(where, wrong, "проверьте номер в списке Почты"))
        elif case_id not in case_files:
            report.problems.append(_at(where, f"{row.number}: нет файла дела {case_id}", "укажите папку дел: --cases"))
        else:
            _write_event(case_files[case_id], case_id, SentEvent(sent_on, row.number, row.tracking), report)
    return report


def _write_event(case_file: Path, case_id: str, event: SentEvent, report: PostImportReport) -> None:
    try:
        added = add_sent_event(case_file, event)
    except InputError as err:
        report.problems.extend(err.problems)
        return
    except OSError as err:  # a read-only file or folder; a full disk is EnvironmentProblem (exit 3)
        report.problems.append(
            Problem(str(case_file), None, None, "events", f"дело не записано: {err.strerror}", "проверьте права")
        )
        return
    if added:
        report.written.append(f"{case_id}: {event.document} отправлено, ШПИ {event.tracking} → {case_file}")
    else:
        report.present += 1


def _journal_numbers(state_dir: Path) -> dict[str, str]:
    """Every journal number with its case id."""
    journal = open_journal_readonly(state_dir)
    if journal is None:
        raise UsageError(f"--state {state_dir}: нет журнала {journal_path(state_dir)} — укажите папку журнала пакета")
    try:
        return {number: case_id for case_id, _, number in journal.issued()}
    finally:
        journal.close()


def _case_files(case_paths: Sequence[Path], report: PostImportReport) -> dict[str, Path]:
    """Each case id under `case_paths` with its file; a file that does not load is a warning (its id unknown)."""
    found = find_case_files(case_paths)
    report.problems.extend(found.problems)
    files: dict[str, Path] = {}
    for path in found.files:
        try:
            data = load_yaml(path).data
        except InputError as err:
            report.warnings.extend(replace(problem, severity="warning") for problem in err.problems[:1])
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            files.setdefault(data["id"], path)
    return files


def _no_letter(where: Problem, row: ReturnedRow, state_dir: Path) -> Problem:
    if row.number is None:
        message, hint = "в строке нет номера письма (ORDERNUM)", "строка пропущена"
    else:
        message, hint = f"письма {row.number} нет в журнале {journal_path(state_dir)}", "строка пропущена"
    return Problem(where.path, where.line, where.column, "ORDERNUM", message, hint, severity="warning")


def _at(where: Problem, message: str, hint: str) -> Problem:
    return Problem(where.path, where.line, where.column, where.field, message, hint)
