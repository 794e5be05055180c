"""The collections register of one batch: one row per case, as `register.csv`
(UTF-8 with BOM, `;` and decimal commas, which Russian Excel opens with a double
click) and `register.xlsx` (formatted, a totals row, an aging sheet of the overdue
debts, and the history: one row per event and letter). Returns bytes; batch.py
writes them atomically.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
    "Адрес",
    "Последний документ",
    "Отправлено / вручено",
    "Срок оплаты",
    "Срок ответа на претензию",
    "Следующий шаг",
    "Дата следующего шага",
    "Госпошлина, руб.",
    "Сопутствующие письма",
)
MONEY_COLUMNS = (4, 6, 7, 8, 20)  # 1-based, as in HEADERS
DATE_COLUMNS = (16, 17, 19)
WIDTHS = (16, 34, 18, 14, 10, 16, 14, 16, 32, 16, 26, 14, 40, 40, 30, 12, 12, 40, 12, 14, 34)
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
# Aging buckets by days overdue, inclusive; the last one is open-ended. Only overdue debts count.
AGING_BUCKETS = (("1–30", 1, 30), ("31–60", 31, 60), ("61–90", 61, 90), ("90+", 91, None))
HISTORY_HEADERS = ("Дело", "Клиент", "Дата", "Письмо или событие")
NOT_FOUND = "дело не найдено в папке"
_BOLD = Font(bold=True)

Cell = str | int | Decimal | date | None
# The register's number formats by column (1-based): the money and the dates, the totals row too.
_REGISTER_FORMATS = {column: MONEY_FORMAT for column in MONEY_COLUMNS} | {
    column: DATE_FORMAT for column in DATE_COLUMNS
}


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
    address: str = ""
    last_document: str = ""  # «Досудебная претензия ПР-2026-0001 от 01.11.2026»: the journal's latest letter
    mailing: str = ""  # what the events say of it: «отправлено 02.11.2026, ШПИ …; получено 06.11.2026»
    pay_by: date | None = None  # the invoice's due date
    answer_by: date | None = None  # the last day to answer the latest pretension (or instalment demand)
    next_step: str = ""
    next_on: date | None = None
    duty: Decimal | None = None  # the state duty of the court application, for a case going to court
    side: str = ""  # the side letters of this batch: «Напоминание об оплате НП-2026-0001»
    found: bool = True  # False: a case of the journal whose file is not in the folder (amounts unknown)

    def cells(self) -> tuple[Cell, ...]:
        amounts: tuple[Cell, ...] = (self.outstanding, self.days_overdue, self.penalty, self.storage, self.claim)
        return (
            self.case_id,
            self.client,
            self.phone,
            *(amounts if self.found else (None,) * len(amounts)),
            self.document,
            self.number,
            self.status,
            self.over_limit,
            self.address,
            self.last_document,
            self.mailing,
            self.pay_by,
            self.answer_by,
            self.next_step,
            self.next_on,
            self.duty,
            self.side,
        )


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history sheet: a letter the journal issued or an event of the case."""

    case_id: str
    client: str
    day: date
    words: str


@dataclass(frozen=True)
class AgingBucket:
    title: str
    cases: int
    outstanding: Decimal


def compute_aging(rows: Sequence[RegisterRow]) -> tuple[AgingBucket, ...]:
    """The overdue debts (a debt not yet due is no arrear) and their sum per bucket of days overdue."""
    buckets = []
    for title, low, high in AGING_BUCKETS:
        inside = [
            row
            for row in rows
            if row.found
            and row.outstanding > 0
            and low <= row.days_overdue
            and (high is None or row.days_overdue <= high)
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
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def register_xlsx(rows: Sequence[RegisterRow], as_of: date, history: Sequence[HistoryRow] = ()) -> bytes:
    # Written as a stream (write-only): each row goes to the file as it is appended, not kept as cells
    # and sorted when saving — the history of 2 000 cases of 5 events is 10 000 rows. So each sheet's
    # widths and frozen row are set before its rows, and each cell's style as it is made.
    workbook = Workbook(write_only=True)
    # openpyxl stamps the current time; the as-of date keeps a re-run's file identical.
    workbook.properties.created = workbook.properties.modified = datetime(as_of.year, as_of.month, as_of.day)
    workbook.properties.title = f"Реестр взыскания на {as_of:%d.%m.%Y}"
    _fill_register(workbook.create_sheet("Реестр"), rows)
    _fill_aging(workbook.create_sheet("Просрочка"), rows)
    _fill_history(workbook.create_sheet("История"), history)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Worksheet, value: Cell, number_format: str | None, bold: bool = False) -> Any:
    """`value` as it is, or as a cell with its number format (empty too, as the column's) and font."""
    if number_format is None and not bold:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if bold:
        cell.font = _BOLD
    return cell


def _start(sheet: Worksheet, widths: Sequence[int], frozen: bool) -> None:
    """What a streamed sheet needs before its first row: the column widths and the frozen header."""
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    if frozen:
        sheet.freeze_panes = "A2"


def _fill_register(sheet: Worksheet, rows: Sequence[RegisterRow]) -> None:
    _start(sheet, WIDTHS, frozen=True)
    header = []
    for title in HEADERS:
        cell = _cell(sheet, title, None, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    sheet.append(header)
    formats = [_REGISTER_FORMATS.get(column) for column in range(1, len(HEADERS) + 1)]
    for row in rows:
        sheet.append(
            [_cell(sheet, value, number_format) for value, number_format in zip(row.cells(), formats, strict=True)]
        )
    last = len(rows) + 1
    totals: list[str | Decimal] = ["Итого", f"Дел: {len(rows)}", *[""] * (len(HEADERS) - 2)]
    for column in MONEY_COLUMNS:
        letter = get_column_letter(column)
        # A formula for Excel, which recomputes it; a program reading values sees it in register.csv.
        totals[column - 1] = f"=SUM({letter}2:{letter}{last})" if rows else ZERO
    sheet.append(
        [_cell(sheet, value, number_format, bold=True) for value, number_format in zip(totals, formats, strict=True)]
    )
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{last}"


def _fill_aging(sheet: Worksheet, rows: Sequence[RegisterRow]) -> None:
    _start(sheet, (18, 8, 16), frozen=False)
    sheet.append([_cell(sheet, title, None, bold=True) for title in ("Дней просрочки", "Дел", "Долг, руб.")])
    buckets = compute_aging(rows)
    for bucket in buckets:
        sheet.append((bucket.title, bucket.cases, _cell(sheet, bucket.outstanding, MONEY_FORMAT)))
    cases, outstanding = sum(bucket.cases for bucket in buckets), sum((bucket.outstanding for bucket in buckets), ZERO)
    sheet.append(
        [
            _cell(sheet, "Итого", None, True),
            _cell(sheet, cases, None, True),
            _cell(sheet, outstanding, MONEY_FORMAT, True),
        ]
    )


def _fill_history(sheet: Worksheet, history: Sequence[HistoryRow]) -> None:
    _start(sheet, (16, 34, 12, 80), frozen=True)
    sheet.append([_cell(sheet, title, None, bold=True) for title in HISTORY_HEADERS])
    for row in history:
        sheet.append((row.case_id, row.client, _cell(sheet, row.day, DATE_FORMAT), row.words))
    sheet.auto_filter.ref = f"A1:D{len(history) + 1}"
