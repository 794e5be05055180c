"""A journal row as a JournalEntry, checked column by column: a row that does not
read, or a counter below a number already issued, is one line naming it (exit 3),
never a wrong figure in a letter. Shared by both databases (journal.py).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pipeline.errors import EnvironmentProblem
from pipeline.models import JournalEntry

PLACING, DONE = "placing", "done"
COLUMNS = (
    "number, case_id, kind, as_of, outstanding, days_overdue, penalty, storage, claim, "
    "docx_sha256, pdf_sha256, template_sha256"
)
NUMBER = re.compile(r"^(?P<prefix>[^-]+)-(?P<year>\d{4})-(?P<sequence>\d{4,})$")


def lowered_counter(path: str | Path, prefix: str, year: int, last: object, number: str) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"журнал {path} повреждён: счётчик номеров {prefix}-{year} стоит на {last}, а номер {number} уже выдан — "
        "новые номера повторили бы выданные; восстановите журнал из резервной копии"
    )


def read_entry(row: tuple[Any, ...], path: str | Path) -> JournalEntry:
    """One row as a JournalEntry; EnvironmentProblem naming the row and the column that does not read."""
    number = row[0]
    checks: tuple[tuple[str, bool], ...] = (
        ("number", isinstance(number, str) and NUMBER.match(number) is not None),
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


def _amount(row: tuple[Any, ...], column: str, path: str | Path) -> Decimal:
    """An amount column as an exact Decimal (stored as a decimal string)."""
    try:
        amount = Decimal(row[_COLUMN_INDEX[column]])
    except (TypeError, ValueError, InvalidOperation):
        raise _bad_row(path, row[0], column, row) from None
    if not amount.is_finite():
        raise _bad_row(path, row[0], column, row)
    return amount


_COLUMN_INDEX = {name.strip(): index for index, name in enumerate(f"{COLUMNS}, state".split(","))}


def _bad_row(path: str | Path, number: object, column: str, row: tuple[Any, ...]) -> EnvironmentProblem:
    value = row[_COLUMN_INDEX[column]]
    return EnvironmentProblem(
        f"журнал {path} повреждён: в строке документа {number} поле {column} = {value!r} не читается; "
        "исправьте эту строку таблицы documents или восстановите журнал из резервной копии"
    )
