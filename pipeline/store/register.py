"""The collections register of one batch: one row per case, as `register.csv`
(UTF-8 with BOM, `;` and decimal commas, which Russian Excel opens with a double
click) and `register.xlsx` (formatted, a totals row, an aging sheet). Returns
bytes; batch.py writes them atomically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from pipeline.figures.money import ZERO

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet  # untyped (no stubs): Any to mypy

HEADERS = (
    "Дело",
    "Клиент",
    "Телефон",
    "Долг, руб.",
    "Дней просрочки",
    "Проценты / неустойка, руб.",
    "Хранение, руб.",
    "Сумма требований, руб.",
    "Документ",
    "Номер документа",
    "Статус",
    "Превышен лимит",
)
MONEY_COLUMNS = (4, 6, 7, 8)  # 1-based, as in HEADERS
WIDTHS = (16, 34, 18, 14, 10, 16, 14, 16, 32, 16, 26, 14)
MONEY_FORMAT = "#,##0.00"
# Aging buckets by days overdue, inclusive; the last one is open-ended.
AGING_BUCKETS = (("0–30", 0, 30), ("31–60", 31, 60), ("61–90", 61, 90), ("90+", 91, None))


@dataclass(frozen=True)
class RegisterRow:
    case_id: str
    client: str
    phone: str
    outstanding: Decimal
    days_overdue: int
    penalty: Decimal
    storage: Decimal
    claim: Decimal
    document: str  # the title of the document issued in this batch, "" when none
    number: str  # its journal number, "" when none
    status: str  # the status in words (escalation.STATUS_TITLES)
    # «да» when the client's debt across its cases exceeds terms.credit_limit (figures/credit.py), else "".
    over_limit: str = ""

    def cells(self) -> tuple[str | int | Decimal, ...]:
        return (
            self.case_id,
            self.client,
            self.phone,
            self.outstanding,
            self.days_overdue,
            self.penalty,
            self.storage,
            self.claim,
            self.document,
            self.number,
            self.status,
            self.over_limit,
        )


@dataclass(frozen=True)
class AgingBucket:
    title: str
    cases: int
    outstanding: Decimal


def compute_aging(rows: Sequence[RegisterRow]) -> tuple[AgingBucket, ...]:
    """Cases with a debt and their outstanding sum per bucket of days overdue (not yet due counts as 0)."""
    buckets = []
    for title, low, high in AGING_BUCKETS:
        inside = [
            row
            for row in rows
            if row.outstanding > 0 and row.days_overdue >= low and (high is None or row.days_overdue <= high)
        ]
        buckets.append(AgingBucket(title, len(inside), sum((row.outstanding for row in inside), ZERO)))
    return tuple(buckets)


def register_csv(rows: Sequence[RegisterRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row.cells()])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: object) -> str:
    # Russian Excel reads "8840,00" as a number and "8840.00" as text.
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def register_xlsx(rows: Sequence[RegisterRow], as_of: date) -> bytes:
    workbook = Workbook()
    # openpyxl stamps the current time; the as-of date keeps a re-run's file identical.
    workbook.properties.created = workbook.properties.modified = datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.title = f"Реестр взыскания на {as_of:%d.%m.%Y}"
    _fill_register(workbook.active, rows)
    _fill_aging(workbook.create_sheet("Просрочка"), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill_register(sheet: Worksheet, rows: Sequence[RegisterRow]) -> None:
    sheet.title = "Реестр"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row.cells())
    last = len(rows) + 1
    totals: list[str | Decimal] = ["Итого", f"Дел: {len(rows)}", *[""] * (len(HEADERS) - 2)]
    for column in MONEY_COLUMNS:
        letter = get_column_letter(column)
        # A formula for Excel, which recomputes it; a program reading values sees it in register.csv.
        totals[column - 1] = f"=SUM({letter}2:{letter}{last})" if rows else ZERO
    sheet.append(totals)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[last + 1]:
        cell.font = Font(bold=True)
    for column in MONEY_COLUMNS:
        for (cell,) in sheet.iter_rows(min_row=2, max_row=last + 1, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    for column, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last}"


def _fill_aging(sheet: Worksheet, rows: Sequence[RegisterRow]) -> None:
    sheet.append(("Дней просрочки", "Дел", "Долг, руб."))
    buckets = compute_aging(rows)
    for bucket in buckets:
        sheet.append((bucket.title, bucket.cases, bucket.outstanding))
    sheet.append(
        ("Итого", sum(bucket.cases for bucket in buckets), sum((bucket.outstanding for bucket in buckets), ZERO))
    )
    for cell in (*sheet[1], *sheet[len(buckets) + 2]):
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = MONEY_FORMAT
    for column, width in enumerate((18, 8, 16), 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
